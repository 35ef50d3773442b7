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
   *   HALF_OPEN             until = since + maxWaitInHalfOpen; permitsLeft and successes (VarHandle ints)
   *   DISABLED, FORCED_OPEN nothing
   * `onValue` / `onError` are the reactions an untimed call registers, made once per period so the CLOSED
   * fast path allocates no closure. The breaker's CAS on its AtomicReference<Period> decides every
   * transition; a period's counters only decide *whether* to attempt one. Tests: CircuitBreakerTest,
   * CircuitBreakerModelTest, CircuitBreakerConcurrencyTest (trial calls per HALF_OPEN period).
   */
  private static final VarHandle PERMITS_LEFT;
  private static final VarHandle SUCCESSES;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      PERMITS_LEFT = lookup.findVarHandle(Period.class, "permitsLeft", int.class);
      SUCCESSES = lookup.findVarHandle(Period.class, "successes", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final CircuitBreaker breaker;
  final State state;
  final long since;
  final long until;
  final int opens;
  final @Nullable Window window;
  final Function<Object, Object> onValue;
  final Function<Throwable, Object> onError;
  private final int permits;
  @SuppressWarnings("unused") // through PERMITS_LEFT
  private volatile int permitsLeft;
  @SuppressWarnings("unused") // through SUCCESSES
  private volatile int successes;

  private Period(CircuitBreaker breaker, State state, long since, long until, int opens, @Nullable Window window,
      int permits) {
    this.breaker = breaker;
    this.state = state;
    this.since = since;
    this.until = until;
    this.opens = opens;
    this.window = window;
    this.permits = permits;
    this.permitsLeft = permits;
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
    return new Period(b, State.CLOSED, now, Long.MAX_VALUE, 0, b.newWindow(), 0);
  }

  static Period metricsOnly(CircuitBreaker b, long now) {
    return new Period(b, State.METRICS_ONLY, now, Long.MAX_VALUE, 0, b.newWindow(), 0);
  }

  static Period open(CircuitBreaker b, long since, int opens) {
    return new Period(b, State.OPEN, since, saturatedAdd(since, b.openMillis(opens)), opens, null, 0);
  }

  static Period halfOpen(CircuitBreaker b, long now, int opens) {
    return new Period(b, State.HALF_OPEN, now, saturatedAdd(now, b.maxWaitInHalfOpenMillis), opens, null,
        b.halfOpenCalls);
  }

  static Period plain(CircuitBreaker b, State state, long now) {
    return new Period(b, state, now, Long.MAX_VALUE, 0, null, 0);
  }

  private static long saturatedAdd(long a, long b) {
    long r = a + b;
    return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
  }

  /** HALF_OPEN: takes one trial permit if one is left. */
  boolean takePermit() {
    int left;
    do {
      left = (int) PERMITS_LEFT.getVolatile(this);
      if (left <= 0) {
        return false;
      }
    } while (!PERMITS_LEFT.compareAndSet(this, left, left - 1));
    return true;
  }

  /** HALF_OPEN: gives back the permit of a trial whose outcome does not count. */
  void returnPermit() {
    PERMITS_LEFT.getAndAdd(this, 1);
  }

  /** HALF_OPEN: counts a successful trial and returns the successes so far. */
  int addSuccess() {
    return (int) SUCCESSES.getAndAdd(this, 1) + 1;
  }

  int successes() {
    return (int) SUCCESSES.getVolatile(this);
  }

  /** HALF_OPEN: whether some admitted trial has not reported a success (it is still running). */
  boolean trialPending() {
    int taken = permits - (int) PERMITS_LEFT.getVolatile(this);
    return taken > successes();
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
