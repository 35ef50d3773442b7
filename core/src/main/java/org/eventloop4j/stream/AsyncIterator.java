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
