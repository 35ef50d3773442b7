package org.eventloop4j.resilience;

/**
 * What a CLOSED (or METRICS_ONLY) period of a breaker remembers about recent outcomes, and whether they
 * trip the circuit. Each period gets a fresh window, so outcomes never leak from one period into the next.
 * Implementations are thread-safe.
 */
abstract class Window {
  /** The thresholds of a rate-based window. */
  record Thresholds(int minimumCalls, double failureRate, double slowRate) {
    boolean exceeded(int calls, int failures, int slow) {
      return calls >= minimumCalls && calls > 0
          && (failures * 100.0 >= failureRate * calls || slow * 100.0 >= slowRate * calls);
    }

    double rate(int part, int calls) {
      return calls >= minimumCalls && calls > 0 ? part * 100.0 / calls : -1;
    }
  }

  /** The counts a metrics snapshot shows. */
  record Counts(int calls, int failures, int slow, double failureRate, double slowRate) {}

  /**
   * Records one outcome.
   *
   * @return whether the window's thresholds are exceeded after it
   */
  abstract boolean record(boolean failure, boolean slow);

  /** The current counts. */
  abstract Counts counts();
}
