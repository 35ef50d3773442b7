package org.eventloop4j.resilience;

import java.time.Duration;
import java.util.function.IntFunction;

/** Exponential backoff shared by {@link Retry} and {@link CircuitBreaker}: the n-th delay, capped. */
final class Backoff {
  private Backoff() {}

  /**
   * {@code n -> min(cap, first × multiplier^(n - 1))} in milliseconds, {@code n} from 1; {@code what} names
   * the option in the errors.
   *
   * @throws IllegalArgumentException if {@code multiplier} is below 1, infinite or NaN, or {@code cap} is
   *     below {@code first}
   */
  static IntFunction<Duration> exponential(String what, long first, double multiplier, long cap) {
    if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException(what + " multiplier must be at least 1, was " + multiplier);
    }
    if (cap < first) {
      throw new IllegalArgumentException(what + " max (" + cap + " ms) is below initial (" + first + " ms)");
    }
    return n -> Duration.ofMillis((long) Math.min(cap, first * Math.pow(multiplier, n - 1)));
  }
}
