package org.eventloop4j.resilience;

import java.util.concurrent.atomic.AtomicInteger;

/** The seed's rule: trips after {@code threshold} failures in a row; a success clears the run. */
final class ConsecutiveWindow extends Window {
  /*
   * Overview: one counter. A success reads it and writes 0 only if it is not 0 already, so the common case
   * (success after success) is a single volatile read. Under concurrency "in a row" is the order in which
   * the outcomes reach the counter. Tests: CircuitBreakerTest, CircuitBreakerModelTest.
   */
  private final int threshold;
  private final AtomicInteger failures = new AtomicInteger();

  ConsecutiveWindow(int threshold) {
    this.threshold = threshold;
  }

  @Override
  boolean record(boolean failure, boolean slow) {
    if (failure) {
      return failures.incrementAndGet() >= threshold;
    }
    if (failures.get() != 0) {
      failures.set(0);
    }
    return false;
  }

  @Override
  Counts counts() {
    int f = failures.get();
    return new Counts(f, f, 0, -1, -1);
  }
}
