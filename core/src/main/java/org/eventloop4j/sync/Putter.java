package org.eventloop4j.sync;

import org.eventloop4j.EventLoop;
import org.jspecify.annotations.Nullable;

/**
 * A {@code push} of an {@link AsyncQueue} waiting for room, with its item.
 *
 * @param <T> the item type
 */
final class Putter<T> extends QueueNode<@Nullable Void> {
  final T item;
  private final AsyncQueue<T> queue;

  Putter(AsyncQueue<T> queue, T item, @Nullable EventLoop loop, boolean keepLoopAlive) {
    super(queue.settler(), loop, keepLoopAlive);
    this.queue = queue;
    this.item = item;
  }

  @Override
  void aborted(Throwable reason) {
    queue.abort(this, reason);
  }
}
