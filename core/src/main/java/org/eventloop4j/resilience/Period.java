package org.eventloop4j.resilience;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Function;
import org.eventloop4j.resilience.CircuitBreaker.State;
import org.jspecify.annotations.Nullable;

/**
 * One stay of a breaker in one state — from a transition to the next — and the permit of every call
 * admitted during it. Immutable except for its counters, which only this period uses: a transition
 * swaps in a new period, so late outcomes of calls admitted earlier land in a period that is no longer
 * current and change nothing.
 */
final class Period implements CircuitBreaker.Permit {
  /*
   * Overview: fields by state —
   *   CLOSED, METRICS_ONLY  window (fresh per period)
   *   OPEN                  until = first time a trial call may pass; opens = openings since last CLOSED
   *   HALF_OPEN             until = since + maxWaitInHalfOpen; `trials`, an immutable Trials swapped by CAS
   *   DISABLED, FORCED_OPEN nothing
   * `onValue` / `onError` are the reactions an untimed call registers, made once per period so the CLOSED
   * fast path allocates no closure. The breaker's CAS on its AtomicReference<Period> publishes every
   * transition.
   *
   * HALF_OPEN decides its own end: permits left, successes and the decided successor live in one Trials
   * value, so taking a permit, giving one back, counting a success and deciding to end the period (the
   * closing success, a failing trial, the maximum wait with a trial unfinished) are each one CAS on it —
   * the linearization point. The CAS that sets `next` freezes the period: nothing changes it afterwards,
   * and whoever sees it frozen helps publish `next` (CircuitBreaker.current()), so the state the breaker
   * reports never lags behind the decision. A permit request past the maximum wait decides in the same
   * CAS whether it takes a permit or re-opens the circuit. Without this, Lincheck found a release racing
   * with the maximum-wait check re-open a circuit that had no unfinished trial any more, and a request
   * refused for want of permits where the maximum wait should have re-opened it. A period made by the
   * caller that half-opens the circuit carries that caller's permit already, so half-opening and its
   * first trial are one step (Lincheck found the half-opening caller rejected after others used the
   * trials). Tests: CircuitBreakerTest, CircuitBreakerModelTest, CircuitBreakerConcurrencyTest,
   * CircuitBreakerLincheckTest.
   */
  private static final VarHandle TRIALS;

  static {
    try {
      TRIALS = MethodHandles.lookup().findVarHandle(Period.class, "trials", Trials.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** HALF_OPEN's counters; {@code next} non-null once the period decided its successor (frozen). */
  private record Trials(int left, int successes, @Nullable Period next) {}

  /** What {@link #takePermit} found. */
  enum Take { GRANTED, NONE_LEFT, FROZEN }

  final CircuitBreaker breaker;
  final State state;
  final long since;
  final long until;
  final int opens;
  final @Nullable Window window;
  final Function<Object, Object> onValue;
  final Function<Throwable, Object> onError;
  private final int permits;
  @SuppressWarnings("unused") // through TRIALS
  private volatile @Nullable Trials trials;

  private Period(CircuitBreaker breaker, State state, long since, long until, int opens, @Nullable Window window,
      int permits, int taken) {
    this.breaker = breaker;
    this.state = state;
    this.since = since;
    this.until = until;
    this.opens = opens;
    this.window = window;
    this.permits = permits;
    this.trials = state == State.HALF_OPEN ? new Trials(permits - taken, 0, null) : null;
    this.onValue = v -> {
      breaker.resultOutcome(this, 0, v);
      return v;
    };
    this.onError = e -> {
      breaker.errorOutcome(this, 0, e);
      throw Uncaught.<RuntimeException>sneaky(e);
    };
  }

  static Period closed(CircuitBreaker b, long now) {
    return new Period(b, State.CLOSED, now, Long.MAX_VALUE, 0, b.newWindow(), 0, 0);
  }

  static Period metricsOnly(CircuitBreaker b, long now) {
    return new Period(b, State.METRICS_ONLY, now, Long.MAX_VALUE, 0, b.newWindow(), 0, 0);
  }

  static Period open(CircuitBreaker b, long since, int opens) {
    return new Period(b, State.OPEN, since, saturatedAdd(since, b.openMillis(opens)), opens, null, 0, 0);
  }

  /** A HALF_OPEN period; with {@code withPermit}, its first trial permit is already taken by the caller. */
  static Period halfOpen(CircuitBreaker b, long now, int opens, boolean withPermit) {
    return new Period(b, State.HALF_OPEN, now, saturatedAdd(now, b.maxWaitInHalfOpenMillis), opens, null,
        b.halfOpenCalls, withPermit ? 1 : 0);
  }

  static Period plain(CircuitBreaker b, State state, long now) {
    return new Period(b, state, now, Long.MAX_VALUE, 0, null, 0, 0);
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }

  private @Nullable Trials trials() {
    return (Trials) TRIALS.getVolatile(this);
  }

  private boolean swap(Trials expected, Trials next) {
    return TRIALS.compareAndSet(this, expected, next);
  }

  /** HALF_OPEN: the successor this period decided on (it is frozen), else {@code null}. */
  @Nullable Period successor() {
    Trials t = state == State.HALF_OPEN ? trials() : null;
    return t != null ? t.next() : null;
  }

  /**
   * HALF_OPEN: takes one trial permit if one is left and the period is not frozen — or, if the maximum
   * wait has {@code expired} with a trial unfinished, freezes the period with {@code reopen}'s period as
   * successor instead (one CAS decides between the two, so no permit is refused on a count that the
   * expiry would have ended).
   *
   * @return GRANTED; NONE_LEFT; or FROZEN, when the period has a successor now (the caller publishes it)
   */
  Take takePermit(boolean expired, java.util.function.Supplier<Period> reopen) {
    Period next = null;
    for (;;) {
      Trials t = java.util.Objects.requireNonNull(trials());
      if (t.next() != null) {
        return Take.FROZEN;
      }
      if (expired && pending(t)) {
        if (next == null) {
          next = reopen.get();
        }
        if (swap(t, new Trials(t.left(), t.successes(), next))) {
          return Take.FROZEN;
        }
      } else if (t.left() <= 0) {
        return Take.NONE_LEFT;
      } else if (swap(t, new Trials(t.left() - 1, t.successes(), null))) {
        return Take.GRANTED;
      }
    }
  }

  /** HALF_OPEN: gives back the permit of a trial whose outcome does not count (nothing once frozen). */
  void returnPermit() {
    for (;;) {
      Trials t = java.util.Objects.requireNonNull(trials());
      if (t.next() != null || swap(t, new Trials(t.left() + 1, t.successes(), null))) {
        return;
      }
    }
  }

  /**
   * HALF_OPEN: counts a successful trial; the one that reaches {@code threshold} freezes the period with
   * {@code closed} as successor.
   *
   * @return the successor to publish, or {@code null} (not the closing success, or the period is frozen)
   */
  @Nullable Period addSuccess(int threshold, java.util.function.Supplier<Period> closed) {
    Period next = null;
    for (;;) {
      Trials t = java.util.Objects.requireNonNull(trials());
      if (t.next() != null) {
        return null;
      }
      int s = t.successes() + 1;
      if (s >= threshold && next == null) {
        next = closed.get();
      }
      if (swap(t, new Trials(t.left(), s, s >= threshold ? next : null))) {
        return s >= threshold ? next : null;
      }
    }
  }

  /**
   * HALF_OPEN: freezes the period with {@code next} as successor — for a failing trial, or (with
   * {@code onlyIfTrialPending}) for the maximum wait, which ends it only while a trial is unfinished.
   *
   * @return {@code next} if this call froze the period, else {@code null}
   */
  @Nullable Period freeze(Period next, boolean onlyIfTrialPending) {
    for (;;) {
      Trials t = java.util.Objects.requireNonNull(trials());
      if (t.next() != null || (onlyIfTrialPending && !pending(t))) {
        return null;
      }
      if (swap(t, new Trials(t.left(), t.successes(), next))) {
        return next;
      }
    }
  }

  int successes() {
    Trials t = trials();
    return t != null ? t.successes() : 0;
  }

  /** HALF_OPEN: whether some admitted trial has not reported a success (it is still running). */
  boolean trialPending() {
    Trials t = trials();
    return t != null && t.next() == null && pending(t);
  }

  private boolean pending(Trials t) {
    return permits - t.left() > t.successes();
  }

  // ------------------------------------------------------------------------------------------------
  // Permit

  @Override
  public State state() {
    return state;
  }

  @Override
  public void onSuccess(long durationMillis) {
    breaker.outcome(this, CircuitBreaker.SUCCESS, durationMillis, null);
  }

  @Override
  public void onError(long durationMillis, Throwable error) {
    breaker.errorOutcome(this, durationMillis, java.util.Objects.requireNonNull(error, "error"));
  }

  @Override
  public void onResult(long durationMillis, @Nullable Object result) {
    breaker.resultOutcome(this, durationMillis, result);
  }

  @Override
  public void release() {
    if (state == State.HALF_OPEN) {
      returnPermit();
    }
  }

  @Override
  public String toString() {
    return "Permit[" + breaker.name() + ", " + state + " since " + since + "]";
  }
}
