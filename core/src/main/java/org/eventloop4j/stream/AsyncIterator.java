package org.eventloop4j.stream;

import org.eventloop4j.Promise;
import org.jspecify.annotations.Nullable;

/**
 * JavaScript's async iterator protocol. Loop-affine: call it on the loop its promises belong to.
 *
 * @param <T> the value type
 */
public interface AsyncIterator<T> {
  /** The next step. */
  Promise<IteratorResult<T>> next();

  /**
   * The next step, sending {@code value} in: JavaScript's {@code next(value)}. An {@link AsyncGenerator}'s
   * {@code yield} evaluates to it (the first request's value is ignored, as the body has not reached a
   * {@code yield} yet). The default ignores {@code value}, as most iterators do, and calls {@link #next()}.
   */
  default Promise<IteratorResult<T>> next(@Nullable Object value) {
    return next();
  }

  /**
   * Ends the iteration early (JavaScript's {@code return(value)}), letting the source release what it holds.
   * The default does nothing but report {@code {value, done: true}}.
   */
  default Promise<IteratorResult<T>> returnValue(@Nullable T value) {
    return Promise.resolve(new IteratorResult<>(value, true));
  }

  /** Injects {@code error} into the source (JavaScript's {@code throw(error)}); the default rejects with it. */
  default Promise<IteratorResult<T>> throwError(Throwable error) {
    return Promise.reject(error);
  }
}
