package org.eventloop4j.stream;

import org.eventloop4j.Promise;
import org.jspecify.annotations.Nullable;

/**
 * A stage that never waits: a synchronous source, or synchronous operators fused over one. Its {@code
 * next()} returns an already-settled promise, and the package's own consumers skip the promise and call
 * {@link #poll()} in a loop — which is why a synchronous pipeline costs no microtask per element.
 *
 * @param <T> the element type
 */
abstract class SyncStage<T> implements AsyncIterator<T> {
  /*
   * Overview: poll() returns the next element, or END; it throws what a source or an operator threw. After
   * END or a throw the stage has released what it holds and answers END forever; close() releases early and
   * is idempotent. forEachRemaining() is the same iteration as a push loop. Loop-affine like every stage;
   * no state is shared between threads.
   */
  static final Object END = new Object() {
    @Override
    public String toString() {
      return "END";
    }
  };

  /** The next element, or {@link #END}; throws the source's or an operator's error. */
  abstract Object poll();

  /** Releases the stage and its sources now; idempotent. May throw what a source's close threw. */
  abstract void close();

  /**
   * Pushes the remaining elements into {@code sink} until it answers false: true at the end of the stage
   * (released), false if the sink stopped it (the stage is still open: close it). Throws like {@link
   * #poll()}, and what the sink throws, after releasing the stage. The terminals' fast path: a fused stage
   * overrides it to run its operators as a push loop, without an element slot between them.
   */
  boolean forEachRemaining(java.util.function.Predicate<Object> sink) {
    for (;;) {
      Object v = poll();
      if (v == END) {
        return true;
      }
      boolean more;
      try {
        more = sink.test(v);
      } catch (Throwable t) {
        try {
          close();
        } catch (Throwable e) {
          Steps.suppress(t, e);
        }
        throw t;
      }
      if (!more) {
        return false;
      }
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public final Promise<IteratorResult<T>> next() {
    try {
      Object v = poll();
      return Promise.resolve(v == END ? Steps.end() : IteratorResult.of((T) v));
    } catch (Throwable t) {
      return Promise.reject(t);
    }
  }

  @Override
  public final Promise<IteratorResult<T>> returnValue(@Nullable T value) {
    try {
      close();
    } catch (Throwable t) {
      return Promise.reject(t);
    }
    return Promise.resolve(new IteratorResult<>(value, true));
  }
}
