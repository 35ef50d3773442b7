package org.eventloop4j;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * What {@link EventLoop.Builder#onBlocked} reports: the loop has been in one callback (a macrotask with the
 * microtasks, ticks and async-body steps it drains) for at least the threshold without returning to the
 * loop. Node has no such report built in (userland packages such as {@code blocked-at} approximate it); here
 * the stack is the blocking code's own, sampled while it still blocks.
 *
 * @param loopName the loop's {@link EventLoop#name()}
 * @param thread the thread that held the loop when sampled: the loop's own strand, or the virtual thread of
 *     the async body that was running
 * @param blockedFor how long the loop had been in that callback when sampled: a lower bound, at least the
 *     threshold, short of the real figure by up to a quarter of the threshold
 * @param stackTrace {@code thread}'s stack when sampled, innermost frame first (empty if the thread had
 *     just moved on)
 */
public record BlockedLoop(String loopName, Thread thread, Duration blockedFor, List<StackTraceElement> stackTrace) {
  public BlockedLoop {
    requireNonNull(loopName, "loopName");
    requireNonNull(thread, "thread");
    requireNonNull(blockedFor, "blockedFor");
    stackTrace = List.copyOf(stackTrace);
  }

  /**
   * An exception that carries this report's stack as its own, for loggers that print a throwable's stack:
   * {@code log.log(WARNING, b.toString(), b.toException())}. It is not thrown anywhere.
   */
  public RuntimeException toException() {
    RuntimeException e = new Trace(toString());
    e.setStackTrace(stackTrace.toArray(StackTraceElement[]::new));
    return e;
  }

  /** The exception of {@link #toException()}: no stack of its own, no suppression. */
  private static final class Trace extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Trace(String message) {
      super(message, null, false, true);
    }
  }

  @Override
  public String toString() {
    return "event loop " + loopName + " blocked for " + blockedFor.toMillis() + " ms in a callback on thread "
        + thread.getName();
  }
}
