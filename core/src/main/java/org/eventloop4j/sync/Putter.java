package org.eventloop4j.sync;

import org.eventloop4j.AbortSignal;
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

  Putter(AsyncQueue<T> queue, T item, EventLoop loop, boolean keepLoopAlive) {
    super(loop, keepLoopAlive);
    this.queue = queue;
    this.item = item;
  }

  @Override
  void aborted(AbortSignal s) {
    queue.abort(this, s);
  }
}
