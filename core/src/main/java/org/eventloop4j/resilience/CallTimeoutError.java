package org.eventloop4j.resilience;

import org.eventloop4j.TimeoutError;

/**
 * The rejection of a call through a {@link CircuitBreaker} that did not settle within the breaker's
 * {@linkplain CircuitBreaker.Builder#callTimeout call timeout}. It counts as a failure of the call. When
 * the call was started with {@link CircuitBreaker#executeWithSignal}, its signal is aborted with this
 * error as the reason, so the work can stop.
 *
 * <p>A {@link TimeoutError}, so code that handles every timeout of the library catches it too.
 */
public final class CallTimeoutError extends TimeoutError {
  private static final long serialVersionUID = 1L;

  private final long timeoutMillis;

  CallTimeoutError(String breakerName, long timeoutMillis) {
    super("call through circuit breaker '" + breakerName + "' timed out after " + timeoutMillis + " ms");
    this.timeoutMillis = timeoutMillis;
  }

  /** The call timeout that expired, in milliseconds. */
  public long timeoutMillis() {
    return timeoutMillis;
  }
}
