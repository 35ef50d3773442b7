package org.eventloop4j;

import static java.util.Objects.requireNonNull;

/**
 * The DOM's {@code AbortController}: the side that aborts. Hand {@link #signal()} to an operation, call
 * {@link #abort()} to cancel it.
 *
 * <pre>{@code
 * AbortController controller = new AbortController();
 * Timers.sleep(10_000, controller.signal()).catchError(e -> { log(e.getMessage()); return null; });
 * controller.abort();   // the sleep rejects with AbortError("This operation was aborted")
 * }</pre>
 *
 * <p><b>Threads.</b> A controller may be created and aborted on any thread, inside a loop or outside one;
 * it belongs to no loop. Where and when the signal's listeners run is specified by {@link AbortSignal}: on
 * the loop that registered them — synchronously inside {@code abort()} when that is called on the loop's
 * thread, posted to the loop otherwise.
 *
 * <p><b>Errors.</b> {@code abort} itself throws only for a {@code null} reason; what a listener throws is
 * reported as {@link AbortSignal} describes and does not stop the other listeners.
 */
public final class AbortController {
  /*
   * Overview: a controller is only the capability to abort its signal; all state and every race live in
   * AbortSignal (first abort wins under its lock). Tests: AbortControllerTest.
   */
  private final AbortSignal signal = new AbortSignal();

  /** Creates a controller whose signal is not aborted. */
  public AbortController() {}

  /** The signal this controller aborts; always the same object. */
  public AbortSignal signal() {
    return signal;
  }

  /**
   * Aborts the signal with a new {@link AbortError} ({@value AbortError#DEFAULT_MESSAGE}). Does nothing if
   * the signal is already aborted.
   */
  public void abort() {
    if (!signal.aborted()) {
      signal.signalAbort(new AbortError());
    }
  }

  /**
   * Aborts the signal with {@code reason}, then runs its listeners. Does nothing if the signal is already
   * aborted: the first reason stays.
   *
   * @throws NullPointerException if {@code reason} is null (the DOM would substitute an AbortError; use
   *     {@link #abort()} for that)
   */
  public void abort(Throwable reason) {
    requireNonNull(reason, "reason");
    signal.signalAbort(reason);
  }

  @Override
  public String toString() {
    return "AbortController[" + signal + "]";
  }
}
