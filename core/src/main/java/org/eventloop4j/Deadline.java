package org.eventloop4j;

import static java.util.Objects.requireNonNull;

import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One {@link Timers#withTimeout} call: the operation's own controller, the deadline's timer, the caller's
 * signal registration and the resolving functions of the promise it returned. Loop-confined.
 *
 * @param <T> the value type
 */
final class Deadline<T> {
  /*
   * Overview: three events may end the call — the operation's promise settles (its reaction), the timer
   * fires (expire), the caller's signal aborts (callerAborted) — and the first one wins through `settled`.
   * All three run on the caller's loop: the reaction because it was registered there, the timer by
   * construction, the listener because AbortSignal runs a listener on the loop that registered it. The
   * winner turns the other two off (clears the timer, closes the registration) and settles the promise; the
   * losers find `settled` and do nothing, so a late outcome of the operation is dropped. The two ends that
   * give up abort the operation's signal before rejecting, so its listeners run first, as in
   * `ac.abort(e); reject(e)`. The caller's signal is registered with tryAddListener before anything else
   * happens, so an abort from another thread is either seen as "already aborted" or delivered — never lost.
   * Tests: WithTimeoutTest; conformance scenario 70 (the order against a JavaScript helper of the same
   * shape).
   */
  /** The longest timer delay; setTimeout would coerce a longer one to 1 ms, as Node does. */
  private static final long MAX_TIMER_MS = Integer.MAX_VALUE;

  private final Resolvers<T> resolvers = Promise.withResolvers();
  private final AbortController controller = new AbortController();
  private final long ms;
  private AbortSignal.@Nullable Registration registration;
  private @Nullable Timer timer;
  private boolean settled;

  private Deadline(long ms) {
    this.ms = ms;
  }

  static <T> Promise<T> start(long ms, @Nullable AbortSignal callerSignal,
      Function<? super AbortSignal, ? extends Promise<? extends T>> operation) {
    requireNonNull(operation, "operation");
    if (ms < 0) {
      throw new IllegalArgumentException("withTimeout needs a deadline of 0 ms or more, was " + ms);
    }
    EventLoop loop = EventLoop.current();
    Deadline<T> d = new Deadline<>(ms);
    if (callerSignal != null) {
      AbortSignal.Registration r = callerSignal.tryAddListener(() -> d.callerAborted(callerSignal));
      if (r == null) {
        return Promise.reject(callerSignal.abortedReason());
      }
      d.registration = r;
    }
    Promise<? extends T> work;
    try {
      work = requireNonNull(operation.apply(d.controller.signal()),
          "withTimeout's operation returned null instead of a promise");
    } catch (Throwable t) {
      d.end(null, t);
      return d.resolvers.promise();
    }
    d.timer = loop.setTimeout(d::expire, Math.min(ms, MAX_TIMER_MS));
    work.then(v -> d.end(v, null), e -> d.end(null, e));
    return d.resolvers.promise();
  }

  /** The operation settled (or threw): passes its outcome on unless the call already ended. */
  private @Nullable Void end(@Nullable T value, @Nullable Throwable error) {
    if (finish()) {
      if (error == null) {
        resolvers.resolve(value);
      } else {
        resolvers.reject(error);
      }
    }
    return null;
  }

  private void expire() {
    giveUp(new TimeoutError("withTimeout: the operation did not settle within " + ms + " ms"));
  }

  private void callerAborted(AbortSignal callerSignal) {
    giveUp(callerSignal.abortedReason());
  }

  private void giveUp(Throwable reason) {
    if (finish()) {
      controller.abort(reason);
      resolvers.reject(reason);
    }
  }

  /** Marks the call ended and turns off the timer and the registration; false if it had ended already. */
  private boolean finish() {
    if (settled) {
      return false;
    }
    settled = true;
    if (timer != null) {
      timer.clear();
    }
    if (registration != null) {
      registration.close();
    }
    return true;
  }
}
