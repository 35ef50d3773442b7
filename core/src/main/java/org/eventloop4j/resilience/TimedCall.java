package org.eventloop4j.resilience;

import static java.util.Objects.requireNonNull;

import java.util.function.Function;
import org.eventloop4j.AbortController;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Resolvers;
import org.eventloop4j.Timer;
import org.jspecify.annotations.Nullable;

/**
 * One call through a breaker that has a call timeout or takes a signal: a race, on the caller's loop,
 * between the call's promise and a timeout timer; whichever comes first settles the result and records
 * the outcome, the other does nothing.
 */
final class TimedCall<T> implements Runnable {
  /*
   * Overview: everything here runs on one thread — the loop current at start(): the timer is that loop's,
   * and the reactions on the call's promise are registered from it, so they run on it (even if the
   * promise belongs to another loop). `done` therefore needs no synchronisation. A timeout records a
   * failure of `timeoutMillis`, rejects with CallTimeoutError and aborts the call's signal; a later
   * settlement of the call is dropped. Tests: CircuitBreakerTest (callTimeout_*).
   */
  private final CircuitBreaker breaker;
  private final Period period;
  private final Resolvers<T> out = Promise.withResolvers();
  private final AbortController controller = new AbortController();
  private final long start;
  private @Nullable Timer timer;
  private boolean done;

  private TimedCall(CircuitBreaker breaker, Period period, long start) {
    this.breaker = breaker;
    this.period = period;
    this.start = start;
  }

  static <T> Promise<T> start(CircuitBreaker b, Period p,
      Function<? super AbortSignal, ? extends Promise<? extends T>> call) {
    TimedCall<T> c = new TimedCall<>(b, p, b.now());
    Promise<? extends T> promise;
    try {
      promise = requireNonNull(call.apply(c.controller.signal()), "the call returned null instead of a promise");
    } catch (Throwable t) {
      return b.failedSynchronously(p, b.elapsed(c.start), t);
    }
    if (b.callTimeoutMillis() > 0) {
      c.timer = EventLoop.current().setTimeout(c, b.callTimeoutMillis());
    }
    promise.then(v -> c.settle(v, null), e -> c.settle(null, e));
    return c.out.promise();
  }

  private @Nullable Void settle(@Nullable T value, @Nullable Throwable error) {
    if (done) {
      return null;
    }
    done = true;
    if (timer != null) {
      timer.clear();
    }
    long d = breaker.elapsed(start);
    if (error == null) {
      breaker.resultOutcome(period, d, value);
      out.resolve(value);
    } else {
      breaker.errorOutcome(period, d, error);
      out.reject(error);
    }
    return null;
  }

  /** The timeout. */
  @Override
  public void run() {
    if (done) {
      return;
    }
    done = true;
    CallTimeoutError timeout = new CallTimeoutError(breaker.name(), breaker.callTimeoutMillis());
    breaker.errorOutcome(period, breaker.callTimeoutMillis(), timeout);
    out.reject(timeout);
    controller.abort(timeout);
  }
}
