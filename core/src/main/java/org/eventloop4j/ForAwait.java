package org.eventloop4j;

import static java.util.Objects.requireNonNull;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.eventloop4j.stream.AsyncIterator;
import org.eventloop4j.stream.IteratorResult;
import org.jspecify.annotations.Nullable;

/**
 * The values of an async iteration for a Java {@code for} loop inside an async body — see {@link
 * Async#forAwait(org.eventloop4j.stream.AsyncIterable)}. Each {@code hasNext()} awaits the iterator's next
 * step. One-shot; loop-affine; usable only from the async body that created it.
 *
 * <p>{@link #close()} ends an iteration that did not reach its end by calling the iterator's {@code
 * returnValue(null)} and awaiting it, as JavaScript's {@code for await} does on {@code break}, {@code
 * return} or {@code throw}; after a normal end it does nothing.
 *
 * @param <T> the value type
 */
public final class ForAwait<T> implements Iterable<T>, AutoCloseable {
  private final AsyncIterator<T> iterator;
  private boolean iterated;
  private boolean done;
  private boolean hasPeeked;
  private @Nullable T peeked;

  ForAwait(AsyncIterator<T> iterator) {
    this.iterator = requireNonNull(iterator, "asyncIterator() returned null");
  }

  /** The one iterator over the values. */
  @Override
  public Iterator<T> iterator() {
    if (iterated) {
      throw new IllegalStateException("an async iteration runs once: call Async.forAwait(...) again");
    }
    iterated = true;
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return step();
      }

      @Override
      public T next() {
        if (!step()) {
          throw new NoSuchElementException("the async iteration has ended");
        }
        hasPeeked = false;
        T v = peeked;
        peeked = null;
        return castNonNull(v);
      }
    };
  }

  private boolean step() {
    if (done) {
      return false;
    }
    if (hasPeeked) {
      return true;
    }
    IteratorResult<T> r;
    try {
      r = Async.await(requireNonNull(nextStep(), "next() returned null"));
    } catch (Throwable t) {
      done = true; // a failing next() ends the loop without closing the iterator, as in ECMAScript
      throw t;
    }
    if (r == null) {
      done = true;
      throw new TypeError("the iterator's next() fulfilled with null instead of an IteratorResult");
    }
    if (r.done()) {
      done = true;
      return false;
    }
    peeked = r.value();
    hasPeeked = true;
    return true;
  }

  /** {@code iterator.next()}, through the fused path when the iterator is one of our generators. */
  private Promise<IteratorResult<T>> nextStep() {
    if (iterator instanceof Generator<T> g && g.loop == EventLoop.current()) {
      Coroutine consumer = Async.current("forAwait");
      if (consumer.mayContinueAtOnce() && g.loop.microtasksEmpty()) {
        return g.nextFused();
      }
    }
    return iterator.next();
  }

  /** Closes an unfinished iteration: awaits {@code returnValue(null)}. Idempotent. */
  @Override
  public void close() {
    if (done) {
      return;
    }
    done = true;
    if (iterated) {
      Async.await(iterator.returnValue(null));
    }
  }

  @SuppressWarnings("NullAway")
  private static <T> T castNonNull(@Nullable T value) {
    return value;
  }
}
