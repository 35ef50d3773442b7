package org.eventloop4j.stream;

import static java.util.Objects.requireNonNull;

import org.eventloop4j.Promise;
import org.eventloop4j.Resolvers;
import org.jspecify.annotations.Nullable;

/** Small helpers every stage shares: checked steps of an upstream iterator, closing it, suppressing. */
final class Steps {
  private static final IteratorResult<Object> END = IteratorResult.end();

  private Steps() {}

  /** The shared {@code {value: null, done: true}}. */
  @SuppressWarnings("unchecked")
  static <T> IteratorResult<T> end() {
    return (IteratorResult<T>) END;
  }

  /** {@code it.next()}, refusing a null promise. */
  static <T> Promise<IteratorResult<T>> next(AsyncIterator<T> it) {
    return requireNonNull(it.next(), "the iterator's next() returned null");
  }

  /** The value of a step that is not done, refusing a null result or a null element. */
  static <T> T value(@Nullable IteratorResult<T> r) {
    return requireNonNull(requireNonNull(r, "the iterator's next() fulfilled with null").value(), NULL_ELEMENT);
  }

  /** Whether a step is the end, refusing a null result. */
  static boolean done(@Nullable IteratorResult<?> r) {
    return requireNonNull(r, "the iterator's next() fulfilled with null").done();
  }

  static final String NULL_ELEMENT = "AsyncStream elements must not be null";

  /** Calls {@code it.returnValue(null)}; a synchronous throw or a null promise becomes a rejected promise. */
  static Promise<?> close(AsyncIterator<?> it) {
    try {
      return requireNonNull(it.returnValue(null), "the iterator's returnValue() returned null");
    } catch (Throwable t) {
      return Promise.reject(t);
    }
  }

  /**
   * Once {@code closing} (an iterator's close) settled, rejects {@code target} with {@code error}: JavaScript's
   * AsyncIteratorClose with a throw completion, except that a failure of the close is kept as a suppressed
   * exception instead of dropped.
   */
  static void rejectAfter(Promise<?> closing, Throwable error, Resolvers<?> target) {
    closing.then(r -> {
      target.reject(error);
      return null;
    }, e -> {
      target.reject(suppress(error, e));
      return null;
    });
  }

  /** {@code primary} with {@code secondary} attached as suppressed (unless they are the same object). */
  static Throwable suppress(Throwable primary, Throwable secondary) {
    if (primary != secondary) {
      primary.addSuppressed(secondary);
    }
    return primary;
  }

  /** Requires {@code n > 0}. */
  static int positive(int n, String what) {
    if (n <= 0) {
      throw new IllegalArgumentException(what + " must be positive, got " + n);
    }
    return n;
  }
}
