package org.eventloop4j.stream;

import org.jspecify.annotations.Nullable;

/**
 * One step of an async iteration, JavaScript's {@code {value, done}}.
 *
 * @param value the value; for a finished iteration, its return value (usually {@code null})
 * @param done whether the iteration has finished
 * @param <T> the value type
 */
public record IteratorResult<T>(@Nullable T value, boolean done) {
  /** A step carrying {@code value}. */
  public static <T> IteratorResult<T> of(@Nullable T value) {
    return new IteratorResult<>(value, false);
  }

  /** The end of an iteration, with no return value. */
  public static <T> IteratorResult<T> end() {
    return new IteratorResult<>(null, true);
  }
}
