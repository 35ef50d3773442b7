package org.eventloop4j;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Promise-returning timers that can be cancelled with an {@link AbortSignal}, like Node's {@code
 * timers/promises} module.
 *
 * <h2>Ordering and threads</h2>
 *
 * <p>Every method is loop-affine: it schedules a timer (or immediate) on {@link EventLoop#current()}, whose
 * clock it uses — virtual time on a virtual loop — and the returned promise belongs to that loop. Delays
 * are coerced as {@link EventLoop#setTimeout(Runnable, long)} coerces them (below 1 ms, and above
 * 2<sup>31</sup>−1 ms, become 1 ms, as in Node). The promise is resolved inside the timer's callback, so
 * its reactions run in the drain right after that callback. The timer keeps the loop alive until it fires
 * or is cancelled.
 *
 * <h2>Cancellation</h2>
 *
 * <p>With a signal: if the signal is already aborted, the promise is already rejected with the signal's
 * reason and no timer is scheduled. If it aborts while the timer is pending, the timer is cleared and the
 * promise rejects with the signal's reason, from the abort listener: synchronously inside the abort when
 * that happens on this loop's thread, else in a later poll phase (see {@link AbortSignal}). An abort after
 * the timer fired does nothing. Once settled, the promise no longer listens to the signal.
 *
 * <p>Unlike Node, which rejects with a new {@code AbortError} whose {@code cause} is the reason, the
 * promise rejects with the reason itself — as {@code fetch} and the DOM's APIs do — so that a
 * {@link TimeoutError} from {@link AbortSignal#timeout(long)} stays recognisable.
 *
 * <h2>Errors</h2>
 *
 * <p>A {@code null} signal, duration or operation throws {@link NullPointerException}, a negative {@code
 * withTimeout} deadline {@link IllegalArgumentException}; calling off a loop throws {@link
 * IllegalStateException}. Nothing else throws: failures are rejections.
 */
public final class Timers {
  /*
   * Overview: each call makes one Pending — the timer, the signal registration and the resolving
   * functions — whose fire() and abort() are each other's off switch: fire() removes the registration,
   * abort() clears the timer, and the `settled` flag makes the second of the two a no-op. Both run on the
   * promise's loop: the timer by construction, the abort listener because it was registered on this loop
   * (AbortSignal runs a listener on the loop that registered it). The listener is registered before the
   * timer is armed through AbortSignal.tryAddListener, so an abort racing in from another thread is either
   * seen as "already aborted" or delivered to the listener — never lost. Tests: TimersTest.
   */
  private Timers() {}

  /** A promise fulfilled with {@code null} after {@code ms} milliseconds. */
  public static Promise<@Nullable Void> sleep(long ms) {
    return setTimeout(ms, null);
  }

  /** {@link #sleep(long)}, cancelled by {@code signal} (see the class documentation). */
  public static Promise<@Nullable Void> sleep(long ms, AbortSignal signal) {
    return setTimeout(ms, null, signal);
  }

  /** {@link #sleep(long)} with a {@link Duration}, truncated to milliseconds. */
  public static Promise<@Nullable Void> sleep(Duration delay) {
    return sleep(toMillis(delay));
  }

  /** {@link #sleep(long, AbortSignal)} with a {@link Duration}, truncated to milliseconds. */
  public static Promise<@Nullable Void> sleep(Duration delay, AbortSignal signal) {
    return sleep(toMillis(delay), signal);
  }

  /**
   * Node's {@code timersPromises.setTimeout(ms, value)}: a promise resolved with {@code value} after
   * {@code ms} milliseconds (a promise or thenable {@code value} is adopted, as resolving does).
   */
  public static <T> Promise<T> setTimeout(long ms, @Nullable T value) {
    EventLoop loop = EventLoop.current();
    return start(null, value, callback -> loop.setTimeout(callback, ms));
  }

  /** {@link #setTimeout(long, Object)}, cancelled by {@code signal} (see the class documentation). */
  public static <T> Promise<T> setTimeout(long ms, @Nullable T value, AbortSignal signal) {
    requireNonNull(signal, "signal");
    EventLoop loop = EventLoop.current();
    return start(signal, value, callback -> loop.setTimeout(callback, ms));
  }

  /** Node's {@code timersPromises.setImmediate()}: a promise fulfilled with {@code null} in the next check phase. */
  public static Promise<@Nullable Void> setImmediate() {
    EventLoop loop = EventLoop.current();
    return start(null, null, loop::setImmediate);
  }

  /** {@link #setImmediate()}, cancelled by {@code signal} (see the class documentation). */
  public static Promise<@Nullable Void> setImmediate(AbortSignal signal) {
    return setImmediate(null, signal);
  }

  /**
   * Node's {@code timersPromises.setImmediate(value, {signal})}: a promise resolved with {@code value} in
   * the next check phase, cancelled by {@code signal}.
   */
  public static <T> Promise<T> setImmediate(@Nullable T value, AbortSignal signal) {
    requireNonNull(signal, "signal");
    EventLoop loop = EventLoop.current();
    return start(signal, value, loop::setImmediate);
  }

  /**
   * Runs {@code operation} under a deadline, as Kotlin's {@code withTimeout} and {@code
   * CompletableFuture.orTimeout} do: the promise settles like the operation's promise, or, if that is still
   * pending {@code ms} milliseconds later, rejects with a {@link TimeoutError}. The operation is called at
   * once with a signal of its own, which aborts with that very {@code TimeoutError} at the deadline, so
   * work that honours it (a {@link #sleep(long, AbortSignal)}, a pool task, a pop) stops and frees what it
   * held:
   *
   * <pre>{@code
   * Timers.withTimeout(100, signal -> pool.execute(job, arg, TaskOptions.defaults().signal(signal)))
   *     .catchError(e -> e instanceof TimeoutError ? fallback : rethrow(e));
   * }</pre>
   *
   * <p><b>Order.</b> The operation's outcome is passed on one microtask turn after its promise settles, as
   * {@link Promise#race} passes on its first input's. At the deadline (a timer of this loop, on its clock:
   * virtual time on a virtual loop) the signal aborts first — its listeners run — and then the promise
   * rejects, inside the timer's callback. An outcome that arrives after the deadline is dropped, as {@code
   * Promise.race} drops its losers' (a late rejection is not reported as unhandled). The timer keeps the
   * loop alive until the operation settles or the deadline passes, and is cleared as soon as either happens.
   * A deadline of 0 passes in the next timers phase (a 1 ms timer, as {@code setTimeout(0)}); one above
   * 2<sup>31</sup>−1 ms (24.8 days, the longest timer) is clamped to that, not coerced to 1 ms.
   *
   * <p><b>Errors.</b> An exception thrown by {@code operation} rejects the promise with that exception, and a
   * {@code null} result with a {@link NullPointerException}; no timer is armed then. Loop-affine.
   *
   * @throws IllegalArgumentException if {@code ms} is negative
   * @throws NullPointerException if {@code operation} is null
   * @throws IllegalStateException off a loop
   */
  public static <T> Promise<T> withTimeout(long ms,
      Function<? super AbortSignal, ? extends Promise<? extends T>> operation) {
    return Deadline.start(ms, null, operation);
  }

  /**
   * {@link #withTimeout(long, Function)} that also gives up when {@code signal} aborts: the operation's
   * signal then aborts with {@code signal}'s reason, the timer is cleared and the promise rejects with that
   * reason. An already aborted {@code signal} rejects at once without calling the operation.
   */
  public static <T> Promise<T> withTimeout(long ms, AbortSignal signal,
      Function<? super AbortSignal, ? extends Promise<? extends T>> operation) {
    return Deadline.start(ms, requireNonNull(signal, "signal"), operation);
  }

  /** {@link #withTimeout(long, Function)} with a {@link Duration}, truncated to milliseconds. */
  public static <T> Promise<T> withTimeout(Duration timeout,
      Function<? super AbortSignal, ? extends Promise<? extends T>> operation) {
    return withTimeout(toMillis(timeout), operation);
  }

  /** {@link #withTimeout(long, AbortSignal, Function)} with a {@link Duration}, truncated to milliseconds. */
  public static <T> Promise<T> withTimeout(Duration timeout, AbortSignal signal,
      Function<? super AbortSignal, ? extends Promise<? extends T>> operation) {
    return withTimeout(toMillis(timeout), signal, operation);
  }

  private static <T> Promise<T> start(@Nullable AbortSignal signal, @Nullable T value, Function<Runnable, Timer> arm) {
    Pending<T> p = new Pending<>(Promise.withResolvers(), value, signal);
    if (signal != null) {
      AbortSignal.Registration registration = signal.tryAddListener(p::abort);
      if (registration == null) {
        return Promise.reject(signal.abortedReason());
      }
      p.registration = registration;
    }
    p.timer = arm.apply(p::fire);
    return p.resolvers.promise();
  }

  private static long toMillis(Duration delay) {
    requireNonNull(delay, "delay");
    try {
      return delay.toMillis();
    } catch (ArithmeticException e) {
      return delay.isNegative() ? 0 : Long.MAX_VALUE;
    }
  }

  /** One pending timer promise; loop-confined. */
  private static final class Pending<T> {
    final Resolvers<T> resolvers;
    final @Nullable T value;
    final @Nullable AbortSignal signal;
    AbortSignal.@Nullable Registration registration;
    @Nullable Timer timer;
    boolean settled;

    Pending(Resolvers<T> resolvers, @Nullable T value, @Nullable AbortSignal signal) {
      this.resolvers = resolvers;
      this.value = value;
      this.signal = signal;
    }

    void fire() {
      settled = true;
      if (registration != null) {
        registration.close();
      }
      resolvers.resolve(value);
    }

    void abort() {
      if (settled) {
        return;
      }
      settled = true;
      if (timer != null) {
        timer.clear();
      }
      resolvers.reject(requireNonNull(signal).abortedReason());
    }
  }
}
