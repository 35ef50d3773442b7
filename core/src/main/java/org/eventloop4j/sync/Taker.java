package org.eventloop4j.sync;

import java.util.List;
import org.eventloop4j.EventLoop;
import org.eventloop4j.stream.IteratorResult;
import org.jspecify.annotations.Nullable;

/**
 * A waiting {@code pop} or {@code popMany} of an {@link AsyncQueue}.
 *
 * @param <T> the item type
 * @param <R> the promise's value type: an {@link IteratorResult} or a list
 */
final class Taker<T, R> extends QueueNode<R> {
  /**
   * How a consumer call reports what it got.
   *
   * @param <T> the item type
   * @param <R> the result type
   */
  interface Shape<T, R> {
    R one(T item);

    R many(List<T> items);

    R end();
  }

  private final AsyncQueue<T> queue;
  private final Shape<T, R> shape;
  /** The select this node is one branch of, or null for a pop. */
  private final @Nullable Select<?> select;

  /** Whether an abort (which CASes the status without the lock) may cancel this node. */
  private final boolean abortable;

  Taker(AsyncQueue<T> queue, Shape<T, R> shape, @Nullable EventLoop loop, boolean keepLoopAlive, boolean abortable) {
    super(queue.settler(), loop, keepLoopAlive);
    this.queue = queue;
    this.shape = shape;
    this.select = null;
    this.abortable = abortable;
  }

  /** A branch of {@code select} (which settles it: see {@link Select}). */
  Taker(AsyncQueue<T> queue, Shape<T, R> shape, Select<?> select) {
    super(select, null, false);
    this.queue = queue;
    this.shape = shape;
    this.select = select;
    this.abortable = true;
  }

  /** Serves this node; a select's branch only if it wins its select, else it is cancelled. */
  @Override
  boolean grant() {
    if (!abortable) {
      // A plain pop: every change of its status happens under the queue's lock.
      setPlain(GRANTED);
      return true;
    }
    if (!cas(WAITING, GRANTED)) {
      return false;
    }
    if (select == null || select.win()) {
      return true;
    }
    status = CANCELLED;
    return false;
  }

  R shape(T item) {
    return shape.one(item);
  }

  /** Hands {@code item} over; false if the waiting loop is closed (the item is then undelivered). */
  boolean give(T item) {
    return settle(shape.one(item));
  }

  /** Reports the end of a closed, drained queue. */
  void end() {
    settle(shape.end());
  }

  @Override
  void aborted(Throwable reason) {
    queue.abort(this, reason);
  }

  /** pop(): one item as {@code {value, done: false}}, the end as {@code {done: true}}. */
  static <T> Shape<T, IteratorResult<T>> single() {
    return new Shape<>() {
      @Override
      public IteratorResult<T> one(T item) {
        return IteratorResult.of(item);
      }

      @Override
      public IteratorResult<T> many(List<T> items) {
        return IteratorResult.of(items.getFirst());
      }

      @Override
      public IteratorResult<T> end() {
        return IteratorResult.end();
      }
    };
  }

  /** popMany(): a non-empty list, the end as the empty list. */
  static <T> Shape<T, List<T>> batch() {
    return new Shape<>() {
      @Override
      public List<T> one(T item) {
        return List.of(item);
      }

      @Override
      public List<T> many(List<T> items) {
        return items;
      }

      @Override
      public List<T> end() {
        return List.of();
      }
    };
  }
}
