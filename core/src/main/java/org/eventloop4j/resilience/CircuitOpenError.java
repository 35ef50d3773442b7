package org.eventloop4j.resilience;

/**
 * The rejection of a call that a {@link CircuitBreaker} did not let through: the circuit is OPEN or
 * FORCED_OPEN, or HALF_OPEN with every trial call already taken. Nothing was called.
 *
 * <p>It carries no stack trace (it is made on the fast path of every rejected call, and the place that
 * rejected is always the breaker); {@link #state()} and {@link #retryAfterMillis()} tell what the caller
 * needs.
 */
public final class CircuitOpenError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String breakerName;
  private final CircuitBreaker.State state;
  private final long retryAfterMillis;

  CircuitOpenError(String breakerName, CircuitBreaker.State state, long retryAfterMillis) {
    super(message(breakerName, state, retryAfterMillis), null, false, false);
    this.breakerName = breakerName;
    this.state = state;
    this.retryAfterMillis = retryAfterMillis;
  }

  private static String message(String name, CircuitBreaker.State state, long retryAfter) {
    String base = "circuit breaker '" + name + "' is " + state;
    if (state == CircuitBreaker.State.HALF_OPEN) {
      return base + " and every trial call is taken";
    }
    return retryAfter >= 0 ? base + "; next trial call in " + retryAfter + " ms" : base;
  }

  /** The name of the breaker that rejected the call. */
  public String breakerName() {
    return breakerName;
  }

  /** The state the breaker was in when it rejected the call. */
  public CircuitBreaker.State state() {
    return state;
  }

  /**
   * Milliseconds on the breaker's clock until an OPEN breaker admits a trial call, or {@code -1} when that
   * is not known (FORCED_OPEN, HALF_OPEN).
   */
  public long retryAfterMillis() {
    return retryAfterMillis;
  }
}
