package org.eventloop4j;

/**
 * The analogue of the DOM's {@code DOMException} named {@code "TimeoutError"}: the reason of a signal made
 * by {@link AbortSignal#timeout(long)} once its time is up, whose message is {@value #DEFAULT_MESSAGE}; also
 * the rejection of a {@link Timers#withTimeout} call whose deadline passed (and its operation's signal's
 * reason), and of a worker-pool task that ran longer than its timeout.
 *
 * <p>As in the DOM it is not an {@link AbortError}: code that tells a user's cancellation from a timeout
 * catches the two separately.
 */
public class TimeoutError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The message of the reason of a timed-out signal, as in browsers and Node.js. */
  public static final String DEFAULT_MESSAGE = "The operation was aborted due to timeout";

  /** Creates the error with the {@linkplain #DEFAULT_MESSAGE default message}. */
  public TimeoutError() {
    this(DEFAULT_MESSAGE);
  }

  /** Creates the error with {@code message}. */
  public TimeoutError(String message) {
    super(message);
  }
}
