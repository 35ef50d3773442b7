package org.eventloop4j.resilience;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.Promise;
import org.eventloop4j.TimeoutError;
import org.eventloop4j.Timers;

/**
 * A time limit for async calls, as an object to configure once and pass around (Resilience4j's {@code
 * TimeLimiter}, Failsafe's and Polly's {@code Timeout}): each call's promise settles like the call's, or
 * rejects with a {@link TimeoutError} once the limit passed, and the call's {@link AbortSignal} aborts with
 * that very error, so work that honours it stops. It is {@link Timers#withTimeout}, whose documentation
 * gives the exact order; it composes with the other policies, e.g. a limit per attempt:
 *
 * <pre>{@code
 * Timeout perAttempt = Timeout.of(Duration.ofSeconds(2));
 * retry.execute(() -> perAttempt.executeWithSignal(signal -> fetch(url, signal)));
 * }</pre>
 *
 * <p>Immutable and thread-safe; {@code execute} must be called on a loop thread (the timer is that loop's,
 * on its clock, so on virtual time a limit passes without waiting; it keeps the loop alive until the call
 * settles or the limit passes). A call that throws rejects the promise with that exception, one that
 * returns {@code null} with a {@link NullPointerException}.
 */
public final class Timeout {
  private final long millis;

  private Timeout(long millis) {
    this.millis = millis;
  }

  /**
   * A limit of {@code limit} (whole milliseconds; 0 passes in the next timers phase, as {@code
   * setTimeout(0)}).
   *
   * @throws IllegalArgumentException if {@code limit} is negative
   */
  public static Timeout of(Duration limit) {
    long ms = requireNonNull(limit, "limit").toMillis();
    if (ms < 0) {
      throw new IllegalArgumentException("the time limit must not be negative, was " + limit);
    }
    return new Timeout(ms);
  }

  /** The limit. */
  public Duration limit() {
    return Duration.ofMillis(millis);
  }

  /** Calls {@code call} under the limit (for a call that cannot be told to stop). Loop-affine. */
  public <T> Promise<T> execute(Supplier<? extends Promise<? extends T>> call) {
    requireNonNull(call, "call");
    return Timers.withTimeout(millis, signal -> call.get());
  }

  /** Calls {@code call} under the limit with a signal that aborts when the limit passes. Loop-affine. */
  public <T> Promise<T> executeWithSignal(Function<? super AbortSignal, ? extends Promise<? extends T>> call) {
    return Timers.withTimeout(millis, call);
  }

  /**
   * {@link #executeWithSignal(Function)} that also gives up when {@code signal} aborts: the call's signal
   * then aborts with {@code signal}'s reason and the promise rejects with it. Loop-affine.
   */
  public <T> Promise<T> executeWithSignal(AbortSignal signal,
      Function<? super AbortSignal, ? extends Promise<? extends T>> call) {
    return Timers.withTimeout(millis, signal, call);
  }

  @Override
  public String toString() {
    return "Timeout[" + millis + " ms]";
  }
}
