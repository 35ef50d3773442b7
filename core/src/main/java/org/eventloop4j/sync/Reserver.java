package org.eventloop4j.sync;

import org.eventloop4j.EventLoop;
import org.jspecify.annotations.Nullable;

/**
 * A {@code reserve} of an {@link AsyncQueue} waiting for room, in the same FIFO as the waiting pushes
 * ({@link Putter}); the permit it is granted is made with it, and counts against the capacity from the
 * grant on.
 *
 * @param <T> the item type
 */
final class Reserver<T> extends QueueNode<AsyncQueue.Permit<T>> {
  final AsyncQueue.Permit<T> permit;
  private final AsyncQueue<T> queue;

  Reserver(AsyncQueue<T> queue, AsyncQueue.Permit<T> permit, @Nullable EventLoop loop, boolean keepLoopAlive) {
    super(queue.settler(), loop, keepLoopAlive);
    this.queue = queue;
    this.permit = permit;
  }

  @Override
  void aborted(Throwable reason) {
    queue.abort(this, reason);
  }
}
