package org.eventloop4j;

/**
 * A handle to a timeout, interval or immediate scheduled on an {@link EventLoop} — Node's {@code Timeout}
 * and {@code Immediate} objects.
 *
 * <p>All methods are loop-affine (see the package documentation) and never throw on a timer that already
 * fired or was cleared: such calls do nothing, like Node's.
 */
public interface Timer {
  /** Cancels the timer: it will not run (again), even if it is due in the phase running now. */
  void clear();

  /** Makes the timer keep the loop alive (the default); returns this. */
  Timer ref();

  /** Lets the loop end while only unreferenced timers remain; the timer still fires while it runs. */
  Timer unref();

  /** Whether the timer keeps the loop alive. */
  boolean hasRef();

  /**
   * Re-arms a timeout or interval from now with its original delay (Node's {@code timeout.refresh()}); it
   * moves behind every timer with the same delay. Does nothing for an immediate. Returns this.
   */
  Timer refresh();
}
