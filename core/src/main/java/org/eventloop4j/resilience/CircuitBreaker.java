package org.eventloop4j.resilience;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.internal.LoopClock;
import org.jspecify.annotations.Nullable;

/**
 * A circuit breaker: stops calling a failing service for a while, then lets a few trial calls decide
 * whether it recovered. Calls return {@link Promise}s; every timing reads an {@link EventLoop}'s clock, so
 * on a {@linkplain EventLoop.Builder#virtualTime() virtual-time loop} every transition is testable
 * instantly.
 *
 * <pre>{@code
 * CircuitBreaker cb = CircuitBreaker.builder().failureThreshold(3).resetTimeout(Duration.ofSeconds(5)).build();
 * cb.execute(() -> http.get(url))          // Promise<Response>
 *   .catchError(e -> e instanceof CircuitOpenError ? cached : fail(e));
 * }</pre>
 *
 * <h2>States</h2>
 *
 * <pre>
 *            trips (failure threshold / rate)          reset timeout passed
 *   CLOSED ────────────────────────────────▶ OPEN ───────────────────────────▶ HALF_OPEN
 *     ▲                                        ▲     (next call, or a timer)        │
 *     │        successThreshold trial successes │  any trial failure,               │
 *     └────────────────────────────────────────┼──── or maxWaitInHalfOpen passed ◀──┘
 *                                              └─── with a trial call unfinished
 * </pre>
 *
 * <ul>
 *   <li><b>CLOSED</b>: calls pass; outcomes feed the failure detector. By default (the seed's rule) it
 *       trips after {@link Builder#failureThreshold N} failures in a row; with a
 *       {@linkplain Builder#countWindow count-based} or {@linkplain Builder#timeWindow time-based} sliding
 *       window it trips when, after at least {@link Builder#minimumCalls minimumCalls}, the failure rate
 *       or the {@linkplain Builder#slowCallDuration slow-call} rate reaches its threshold.
 *   <li><b>OPEN</b>: every call is rejected at once with a {@link CircuitOpenError}, without calling
 *       anything, until the {@linkplain Builder#resetTimeout reset timeout} (fixed, or computed per
 *       opening, e.g. exponential backoff) has passed.
 *   <li><b>HALF_OPEN</b>: exactly {@link Builder#halfOpenCalls halfOpenCalls} trial calls are admitted;
 *       the rest are rejected at once. Any trial failure (a slow trial counts as one) opens the circuit
 *       again; {@link Builder#successThreshold successThreshold} trial successes close it. If a trial is
 *       still unfinished {@link Builder#maxWaitInHalfOpen maxWaitInHalfOpen} after the breaker
 *       half-opened, it opens again, so hanging trials cannot keep it half-open forever.
 *   <li><b>DISABLED</b> (every call passes, nothing is recorded), <b>FORCED_OPEN</b> (every call is
 *       rejected) and <b>METRICS_ONLY</b> (calls pass and are recorded, the breaker never trips) are
 *       entered only by {@link #transitionTo}.
 * </ul>
 *
 * <p>By default OPEN → HALF_OPEN happens lazily, when a call (or {@link #tryAcquire}) arrives after the
 * reset timeout, and {@link #state()} reports OPEN until then; with {@link Builder#automaticHalfOpen()} a
 * timer makes the transition on time.
 *
 * <h2>Outcomes</h2>
 *
 * <p>A call fails if its promise rejects with an error that {@link Builder#recordErrors} accepts (default:
 * every error) and {@link Builder#ignoreErrors} does not (ignoring wins), if it fulfils with a result that
 * {@link Builder#recordResults} accepts, if it throws instead of returning a promise, or if it exceeds the
 * {@linkplain Builder#callTimeout call timeout}: the returned promise then rejects with a
 * {@link CallTimeoutError}, even if the call settles later. An error that neither records nor ignores
 * counts as a success (Resilience4j's rule); an ignored error counts as nothing and gives a HALF_OPEN trial
 * permit back. Every outcome counts in the period (the stay in one state) in which its call was admitted:
 * the late outcome of a call admitted before a transition changes nothing.
 *
 * <h2>Threads</h2>
 *
 * <p>A breaker is thread-safe and may be shared by any number of loops. {@link #execute} and its
 * variants are called on a loop's thread and return a promise of that loop; the call's own reactions,
 * its timeout timer and any automatic-transition timer it causes belong to that loop. {@link #tryAcquire},
 * the {@link Permit} methods, {@link #state()}, {@link #metrics()}, {@link #transitionTo} and
 * {@link #reset()} may be called from any thread. The state lives in one {@code AtomicReference}; every
 * transition is one compare-and-set, so exactly one thread makes it and tells the listeners.
 *
 * <h2>Clock</h2>
 *
 * <p>Loops have separate clocks, so a breaker reads one: that of the loop given to
 * {@link Builder#clock}, else of the loop current when {@link Builder#build()} ran, else of the first loop
 * that uses it (first used outside any loop, it keeps a monotonic clock of its own). Loops on the real
 * clock agree on it; several virtual-time loops sharing one breaker all see the bound loop's time.
 *
 * <h2>Listeners and errors</h2>
 *
 * <p>{@link Listener}s run synchronously on the thread that caused the event, outside any lock, after the
 * state change they report; events of different threads may interleave. (One exception: a HALF_OPEN
 * outcome decides the next state with one atomic step and publishes it with a second; a thread that reads
 * the breaker in between publishes it itself, and then its thread tells the listeners.) What a listener (or a
 * predicate) throws goes to the uncaught-exception handler of that thread's loop (rethrown from a
 * microtask), or is logged on a thread without a loop; the breaker carries on unaffected.
 */
public final class CircuitBreaker {
  /*
   * Overview for maintainers.
   *
   * State: `period` holds an immutable-ish Period (see Period's overview): the state, when it began, its
   * deadline, the openings so far (for backoff), and the per-period counters (a fresh Window in CLOSED;
   * trial permits and successes in HALF_OPEN). Every transition is `period.compareAndSet(current, next)`;
   * the winner runs onEnter (automatic timers) and the listeners, with no lock held. A loser re-reads.
   *
   * Races and how they are closed:
   *  - outcome vs transition: an outcome updates the counters of the period its call was admitted in and
   *    may then attempt a transition *from that period*; if another thread already moved on, the CAS fails
   *    and the outcome was recorded in a dead period's counters, which nobody reads. So no outcome is
   *    counted twice or in the wrong period, and a late failure cannot re-open a freshly closed circuit.
   *  - HALF_OPEN admission and end: permits, successes and the decision to end the period are CASes on
   *    one immutable Trials value of the period (see Period), so at most `halfOpenCalls` trials are ever
   *    admitted per HALF_OPEN period, and exactly one decision — closing success, failing trial, or
   *    maximum wait with a trial unfinished — ends it; readers help publish a decided successor
   *    (current()). The caller that half-opens holds the first trial permit (CircuitBreakerConcurrencyTest,
   *    CircuitBreakerLincheckTest).
   *  - lazy OPEN → HALF_OPEN: every caller that sees the deadline passed attempts the same CAS; one wins,
   *    the others re-read and compete for the new period's permits.
   *  - automatic timers are only hints: they re-check that their period is still current and its deadline
   *    passed on the breaker's clock (re-arming if the timer's loop runs ahead of it).
   *
   * Fast path (CLOSED, no timing configured): one volatile read of `period`, the call, one `then` with the
   * period's preallocated reactions, and in the reaction the window's record (a volatile read for the
   * consecutive rule; a CAS for a count window). Timing (a clock read at start and end) is on only when
   * something needs a duration: slow-call detection, a call timeout, or listeners.
   *
   * Tests: CircuitBreakerTest (every transition and timing on virtual time, bad input), CircuitBreakerModelTest
   * (seeded random operations against a plain sequential model), CircuitBreakerConcurrencyTest (several
   * started loops sharing one breaker), CircuitBreakerLincheckTest (the concurrent core, loop-free through
   * Builder.clockSource, against a sequential specification), CountWindowTest, SeedCircuitBreakerTest
   * (the seed's program).
   */
  private static final AtomicInteger IDS = new AtomicInteger();
  static final int SUCCESS = 0;
  static final int FAILURE = 1;
  static final int IGNORED = 2;

  /** The states of a breaker. */
  public enum State {
    /** Calls pass; outcomes are recorded and may trip the circuit. */
    CLOSED,
    /** Calls are rejected until the reset timeout has passed. */
    OPEN,
    /** A limited number of trial calls decide between CLOSED and OPEN. */
    HALF_OPEN,
    /** Every call passes and nothing is recorded (set by an operator). */
    DISABLED,
    /** Every call is rejected until an operator changes the state. */
    FORCED_OPEN,
    /** Calls pass and are recorded, but the breaker never trips (set by an operator). */
    METRICS_ONLY
  }

  /**
   * The permission for one call, from {@link #tryAcquire()}, for code that does not return promises.
   * Report the call's outcome exactly once with one of the methods; they may be called from any thread.
   * A permit reports into the period (state stay) in which it was granted; reported after a transition,
   * it changes nothing.
   */
  public interface Permit {
    /** The state in which the permit was granted: CLOSED, HALF_OPEN (a trial), DISABLED or METRICS_ONLY. */
    State state();

    /** The call succeeded after {@code durationMillis} (used for slow-call detection). */
    void onSuccess(long durationMillis);

    /** The call failed with {@code error}, classified by the breaker's error predicates. */
    void onError(long durationMillis, Throwable error);

    /** The call returned {@code result}, classified by {@link Builder#recordResults}. */
    void onResult(long durationMillis, @Nullable Object result);

    /** The call did not happen or does not count: a HALF_OPEN trial permit is given back. */
    void release();
  }

  /**
   * Receives a breaker's events; every method has an empty default. Called synchronously on the thread
   * that caused the event (see the class documentation for errors).
   */
  public interface Listener {
    /** The breaker moved from {@code from} to {@code to} (the same state for a manual restart). */
    default void onStateTransition(State from, State to) {}

    /** A call succeeded after {@code durationMillis} (0 when the breaker does not time calls). */
    default void onSuccess(long durationMillis) {}

    /**
     * A call failed after {@code durationMillis}: {@code error} is its error (a {@link CallTimeoutError}
     * for a timeout), or {@code null} when {@link Builder#recordResults} counted its result as a failure.
     */
    default void onFailure(long durationMillis, @Nullable Throwable error) {}

    /** A call failed with an error that {@link Builder#ignoreErrors} ignores. */
    default void onIgnoredError(long durationMillis, Throwable error) {}

    /** A call was rejected without being made, in {@code state}. */
    default void onRejected(State state) {}
  }

  /**
   * A snapshot of a breaker's state and counts.
   *
   * @param state the state
   * @param stateSinceMillis when the state began, on the breaker's clock
   * @param failureRate failures in percent of the window's calls, or -1 before the minimum number of calls
   *     (and always -1 for the consecutive-failures rule)
   * @param slowCallRate slow calls in percent of the window's calls, or -1 like {@code failureRate}
   * @param bufferedCalls calls in the window (consecutive rule: the current run of failures; HALF_OPEN: the
   *     successful trials so far)
   * @param failedCalls failed calls in the window (consecutive rule: the current run of failures)
   * @param slowCalls slow calls in the window
   * @param rejectedCalls calls rejected since the breaker was built or {@linkplain #reset() reset}
   * @param nextAttemptAtMillis OPEN: when a trial call will be admitted, on the breaker's clock; else -1
   */
  public record Metrics(State state, long stateSinceMillis, double failureRate, double slowCallRate,
      int bufferedCalls, int failedCalls, int slowCalls, long rejectedCalls, long nextAttemptAtMillis) {}

  private final String name;
  private final Supplier<Window> windows;
  private final long slowCallMillis;
  private final long callTimeoutMillis;
  private final IntFunction<Duration> openDuration;
  final int halfOpenCalls;
  private final int successThreshold;
  final long maxWaitInHalfOpenMillis;
  private final boolean automaticHalfOpen;
  private final Predicate<? super Throwable> recordErrors;
  private final Predicate<? super Throwable> ignoreErrors;
  private final @Nullable Predicate<@Nullable Object> recordResults;
  private final Listener[] listeners;
  private final boolean timed;
  private final LoopClock clock;
  private final AtomicReference<Period> period;
  private final LongAdder rejected = new LongAdder();

  private CircuitBreaker(Builder b) {
    this.name = b.name != null ? b.name : "circuit-breaker-" + IDS.incrementAndGet();
    this.clock = b.clockSource != null ? new LoopClock(b.clockSource) : new LoopClock(b.clock);
    this.windows = b.windowFactory(clock);
    this.slowCallMillis = b.slowCallMillis;
    this.callTimeoutMillis = b.callTimeoutMillis;
    this.openDuration = b.openDuration;
    this.halfOpenCalls = b.halfOpenCalls();
    this.successThreshold = b.successThreshold();
    this.maxWaitInHalfOpenMillis = b.maxWaitInHalfOpenMillis;
    this.automaticHalfOpen = b.automaticHalfOpen;
    this.recordErrors = b.recordErrors;
    this.ignoreErrors = b.ignoreErrors;
    this.recordResults = b.recordResults;
    this.listeners = b.listeners.toArray(Listener[]::new);
    this.timed = slowCallMillis > 0 || listeners.length > 0;
    this.period = new AtomicReference<>(Period.closed(this, clock.peek()));
  }

  /** A builder with the seed's defaults: open after 5 failures in a row, half-open after 60 s. */
  public static Builder builder() {
    return new Builder();
  }

  /** A breaker with the defaults of {@link #builder()}. */
  public static CircuitBreaker ofDefaults() {
    return builder().build();
  }

  /**
   * A builder of a registry that holds one breaker per key, made by {@code factory} on first use.
   *
   * @param <K> the key type
   */
  public static <K> Registry.Builder<K> registry(Function<? super K, CircuitBreaker> factory) {
    return new Registry.Builder<>(requireNonNull(factory, "factory"));
  }

  // ------------------------------------------------------------------------------------------------
  // Calls

  /**
   * Calls {@code call} if the breaker admits it and returns a promise that settles like the call's
   * promise; records the outcome. Rejected at once (nothing called) with a {@link CircuitOpenError} when
   * the breaker does not admit the call; with a {@link CallTimeoutError} when a call timeout is set and
   * the call takes longer. Loop-affine: call it on a loop's thread; the promise belongs to that loop.
   *
   * @throws NullPointerException if {@code call} is null
   * @throws IllegalStateException off a loop thread
   */
  public <T> Promise<T> execute(Supplier<? extends Promise<? extends T>> call) {
    requireNonNull(call, "call");
    Period p = acquire();
    if (p == null) {
      return Promise.reject(openError());
    }
    if (callTimeoutMillis > 0) {
      return TimedCall.start(this, p, signal -> call.get());
    }
    return timed ? callTimed(p, call) : callUntimed(p, call);
  }

  /**
   * {@link #execute(Supplier)} with a fallback: when the promise would reject — the call failed, timed out
   * or was not admitted — it adopts {@code fallback}'s promise for that error instead.
   */
  public <T> Promise<T> execute(Supplier<? extends Promise<? extends T>> call,
      Function<? super Throwable, ? extends Promise<? extends T>> fallback) {
    requireNonNull(fallback, "fallback");
    return this.<T>execute(call).catchCompose(fallback);
  }

  /**
   * {@link #execute(Supplier)} for a call that can stop its work: it receives an {@link AbortSignal} that
   * is aborted, with the {@link CallTimeoutError} as reason, when the call timeout expires.
   */
  public <T> Promise<T> executeWithSignal(Function<? super AbortSignal, ? extends Promise<? extends T>> call) {
    requireNonNull(call, "call");
    Period p = acquire();
    if (p == null) {
      return Promise.reject(openError());
    }
    return TimedCall.start(this, p, call);
  }

  @SuppressWarnings("unchecked")
  private <T> Promise<T> callUntimed(Period p, Supplier<? extends Promise<? extends T>> call) {
    Promise<? extends T> promise;
    try {
      promise = requireNonNull(call.get(), "the call returned null instead of a promise");
    } catch (Throwable t) {
      return failedSynchronously(p, 0, t);
    }
    return (Promise<T>) promise.then(p.onValue, p.onError);
  }

  private <T> Promise<T> callTimed(Period p, Supplier<? extends Promise<? extends T>> call) {
    long start = clock.now();
    Promise<? extends T> promise;
    try {
      promise = requireNonNull(call.get(), "the call returned null instead of a promise");
    } catch (Throwable t) {
      return failedSynchronously(p, elapsed(start), t);
    }
    return promise.then(v -> {
      resultOutcome(p, elapsed(start), v);
      return v;
    }, e -> {
      errorOutcome(p, elapsed(start), e);
      throw Uncaught.<RuntimeException>sneaky(e);
    });
  }

  /** A call that threw instead of returning a promise: recorded as its error, and rejected with it. */
  <T> Promise<T> failedSynchronously(Period p, long durationMillis, Throwable t) {
    errorOutcome(p, durationMillis, t);
    return Promise.reject(t);
  }

  long elapsed(long start) {
    return Math.max(0, clock.now() - start);
  }

  long now() {
    return clock.now();
  }

  long callTimeoutMillis() {
    return callTimeoutMillis;
  }

  private CircuitOpenError openError() {
    Period p = current();
    long retryAfter = p.state == State.OPEN ? Math.max(0, p.until - clock.now()) : -1;
    return new CircuitOpenError(name, p.state, retryAfter);
  }

  // ------------------------------------------------------------------------------------------------
  // Permits

  /**
   * Asks for permission to make one call, for code that does not return promises; never waits. Any
   * thread. Report the outcome through the permit.
   *
   * @return the permit, or {@code null} if the call must not be made (it is counted as rejected)
   */
  public @Nullable Permit tryAcquire() {
    return acquire();
  }

  private @Nullable Period acquire() {
    for (;;) {
      Period p = period.get(); // not current(): only a HALF_OPEN period can be frozen, handled below
      switch (p.state) {
        case CLOSED, DISABLED, METRICS_ONLY -> {
          return p;
        }
        case FORCED_OPEN -> {
          return reject(p);
        }
        case OPEN -> {
          long now = clock.now();
          if (now < p.until) {
            return reject(p);
          }
          // The caller that half-opens the circuit holds the new period's first trial permit.
          Period half = Period.halfOpen(this, now, p.opens, true);
          if (transition(p, half)) {
            return half;
          }
        }
        case HALF_OPEN -> {
          Period.Take take = takeTrial(p);
          if (take != Period.Take.FROZEN) {
            return take == Period.Take.GRANTED ? p : reject(p);
          }
        }
      }
    }
  }

  /**
   * A trial permit of HALF_OPEN {@code p}; past the maximum wait with a trial unfinished, the request
   * re-opens the circuit instead. FROZEN: {@code p} has a successor, published here; the caller retries.
   */
  private Period.Take takeTrial(Period p) {
    Period.Take take = p.takePermit(clock.now() >= p.until, () -> Period.open(this, p.until, p.opens + 1));
    if (take == Period.Take.FROZEN) {
      transition(p, requireNonNull(p.successor()));
    }
    return take;
  }

  /**
   * The current period, after publishing the successor of a HALF_OPEN period that already decided its
   * end (see Period's overview): what the breaker's state logically is.
   */
  private Period current() {
    for (;;) {
      Period p = period.get();
      Period next = p.successor();
      if (next == null) {
        return p;
      }
      transition(p, next);
    }
  }

  private @Nullable Period reject(Period p) {
    rejected.increment();
    if (listeners.length > 0) {
      notify(l -> l.onRejected(p.state));
    }
    return null;
  }

  // ------------------------------------------------------------------------------------------------
  // Outcomes

  void resultOutcome(Period p, long durationMillis, @Nullable Object result) {
    Predicate<@Nullable Object> failing = recordResults;
    if (failing == null) {
      outcome(p, SUCCESS, durationMillis, null);
      return;
    }
    boolean failed;
    try {
      failed = failing.test(result);
    } catch (Throwable t) {
      Uncaught.report(t, "the recordResults predicate of circuit breaker '" + name + "'");
      failed = true;
    }
    outcome(p, failed ? FAILURE : SUCCESS, durationMillis, null);
  }

  void errorOutcome(Period p, long durationMillis, Throwable error) {
    outcome(p, classify(error), durationMillis, error);
  }

  private int classify(Throwable error) {
    if (error instanceof CallTimeoutError) {
      return FAILURE;
    }
    try {
      if (ignoreErrors.test(error)) {
        return IGNORED;
      }
      return recordErrors.test(error) ? FAILURE : SUCCESS;
    } catch (Throwable t) {
      Uncaught.report(t, "an error predicate of circuit breaker '" + name + "'");
      return FAILURE;
    }
  }

  void outcome(Period p, int kind, long durationMillis, @Nullable Throwable error) {
    boolean slow = slowCallMillis > 0 && durationMillis >= slowCallMillis;
    switch (p.state) {
      case CLOSED, METRICS_ONLY -> closedOutcome(p, kind, slow);
      case HALF_OPEN -> trialOutcome(p, kind, slow);
      default -> {
        // DISABLED records nothing; OPEN and FORCED_OPEN grant no permits.
      }
    }
    if (listeners.length > 0) {
      notifyOutcome(kind, durationMillis, error);
    }
  }

  private void closedOutcome(Period p, int kind, boolean slow) {
    Window w = p.window;
    if (kind != IGNORED && w != null && w.record(kind == FAILURE, slow) && p.state == State.CLOSED) {
      transition(p, Period.open(this, clock.now(), 1));
    }
  }

  private void trialOutcome(Period p, int kind, boolean slow) {
    Period next;
    if (kind == IGNORED) {
      p.returnPermit();
      return;
    } else if (kind == FAILURE || slow) {
      next = p.freeze(Period.open(this, clock.now(), p.opens + 1), false);
    } else {
      next = p.addSuccess(successThreshold, () -> Period.closed(this, clock.now()));
    }
    if (next != null) {
      transition(p, next);
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Transitions

  private boolean transition(Period from, Period to) {
    if (!period.compareAndSet(from, to)) {
      return false;
    }
    if (automaticHalfOpen) {
      armTimer(to);
    }
    if (listeners.length > 0) {
      notify(l -> l.onStateTransition(from.state, to.state));
    }
    return true;
  }

  /** Automatic mode: a timer on the calling thread's loop that makes the next transition on time. */
  private void armTimer(Period p) {
    EventLoop loop = EventLoop.tryCurrent();
    boolean timedState = p.state == State.OPEN || p.state == State.HALF_OPEN;
    if (loop == null || !timedState || p.until == Long.MAX_VALUE) {
      return;
    }
    long delay = Math.max(1, p.until - clock.now());
    loop.setTimeout(() -> onTimer(p), delay).unref();
  }

  private void onTimer(Period p) {
    if (period.get() != p) {
      return;
    }
    long now = clock.now();
    if (now < p.until) {
      armTimer(p);
    } else if (p.state == State.OPEN) {
      transition(p, Period.halfOpen(this, now, p.opens, false));
    } else if (p.trialPending()) {
      Period next = p.freeze(Period.open(this, p.until, p.opens + 1), true);
      if (next != null) {
        transition(p, next);
      }
    }
  }

  /**
   * Moves the breaker to {@code target} at once, starting a new period there (fresh counts; OPEN for the
   * next open duration), whatever it was in — operators' control. Any thread.
   */
  public void transitionTo(State target) {
    requireNonNull(target, "target");
    for (;;) {
      Period p = current();
      if (transition(p, fresh(target, p, clock.now()))) {
        return;
      }
    }
  }

  private Period fresh(State target, Period p, long now) {
    return switch (target) {
      case CLOSED -> Period.closed(this, now);
      case METRICS_ONLY -> Period.metricsOnly(this, now);
      case OPEN -> Period.open(this, now, p.opens + 1);
      case HALF_OPEN -> Period.halfOpen(this, now, p.opens, false);
      case DISABLED, FORCED_OPEN -> Period.plain(this, target, now);
    };
  }

  /** Moves the breaker to CLOSED with fresh counts and zeroes the rejected-calls count. Any thread. */
  public void reset() {
    rejected.reset();
    transitionTo(State.CLOSED);
  }

  // ------------------------------------------------------------------------------------------------
  // Reading

  /**
   * The current state. A read, which never waits: an OPEN breaker whose reset timeout passed stays OPEN
   * here until a call arrives (unless {@link Builder#automaticHalfOpen()} is on). Any thread. (It may
   * publish a transition that another thread has decided but not yet published; see "Listeners".)
   */
  public State state() {
    return current().state;
  }

  /**
   * A snapshot of the state and the counts; any thread. The state, its start and the next attempt time
   * come from one reading of the state; the counts belong to that same state stay (never to one that a
   * concurrent transition already ended), but are read while other threads may record: an outcome that
   * is tripping the circuit (or closing it, in HALF_OPEN) at that moment can show in the counts of the
   * state it is about to end.
   */
  public Metrics metrics() {
    long rejectedCalls = rejected.sum();
    for (;;) {
      Period p = current();
      long next = p.state == State.OPEN ? p.until : -1;
      Window w = p.window;
      Metrics m;
      if (w != null) {
        Window.Counts c = w.counts();
        m = new Metrics(p.state, p.since, c.failureRate(), c.slowRate(), c.calls(), c.failures(), c.slow(),
            rejectedCalls, next);
      } else {
        int trials = p.state == State.HALF_OPEN ? p.successes() : 0;
        m = new Metrics(p.state, p.since, -1, -1, trials, 0, 0, rejectedCalls, next);
      }
      // Lincheck found counts read from a period replaced between the two reads (CLOSED with the
      // threshold's failures, after the breaker had opened): re-read until the period held still.
      if (period.get() == p) {
        return m;
      }
    }
  }

  /** The breaker's name, used in its errors. */
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return "CircuitBreaker[" + name + ", " + state() + "]";
  }

  // ------------------------------------------------------------------------------------------------
  // Internals for Period

  Window newWindow() {
    return windows.get();
  }

  long openMillis(int opens) {
    try {
      Duration d = requireNonNull(openDuration.apply(opens), "the reset timeout function returned null");
      return Builder.positiveMillis(d, "reset timeout for opening " + opens);
    } catch (RuntimeException e) {
      Uncaught.report(e, "the reset timeout function of circuit breaker '" + name + "'");
      return Builder.DEFAULT_RESET_MILLIS;
    }
  }

  private void notifyOutcome(int kind, long durationMillis, @Nullable Throwable error) {
    switch (kind) {
      case SUCCESS -> notify(l -> l.onSuccess(durationMillis));
      case FAILURE -> notify(l -> l.onFailure(durationMillis, error));
      default -> notify(l -> l.onIgnoredError(durationMillis, requireNonNull(error)));
    }
  }

  private void notify(java.util.function.Consumer<Listener> event) {
    for (Listener l : listeners) {
      try {
        event.accept(l);
      } catch (Throwable t) {
        Uncaught.report(t, "a listener of circuit breaker '" + name + "'");
      }
    }
  }

  // ------------------------------------------------------------------------------------------------

  /**
   * Configures a {@link CircuitBreaker}. Every setter checks its argument at once and throws
   * {@link IllegalArgumentException} for a value out of range; {@link #build()} throws
   * {@link IllegalStateException} for settings that contradict each other. Not thread-safe; each
   * {@code build()} makes a new, independent breaker with an immutable configuration.
   */
  public static final class Builder {
    static final long DEFAULT_RESET_MILLIS = 60_000;
    private static final int DEFAULT_FAILURE_THRESHOLD = 5;
    private static final int DEFAULT_TIME_MINIMUM_CALLS = 100;
    private static final int DEFAULT_BUCKETS = 10;

    private enum Rule { CONSECUTIVE, COUNT, TIME }

    private @Nullable String name;
    private @Nullable EventLoop clock;
    private @Nullable LongSupplier clockSource;
    private Rule rule = Rule.CONSECUTIVE;
    private boolean thresholdSet;
    private int failureThreshold = DEFAULT_FAILURE_THRESHOLD;
    private int windowSize;
    private long windowMillis;
    private int buckets;
    private double failureRate = Double.NaN;
    private int minimumCalls;
    private long slowCallMillis;
    private double slowRate = Double.NaN;
    private long callTimeoutMillis;
    private IntFunction<Duration> openDuration = n -> Duration.ofMillis(DEFAULT_RESET_MILLIS);
    private int halfOpenCalls;
    private int successThreshold;
    private long maxWaitInHalfOpenMillis = DEFAULT_RESET_MILLIS;
    private boolean automaticHalfOpen;
    private Predicate<? super Throwable> recordErrors = e -> true;
    private Predicate<? super Throwable> ignoreErrors = e -> false;
    private @Nullable Predicate<@Nullable Object> recordResults;
    private final List<Listener> listeners = new ArrayList<>();

    private Builder() {}

    /** The name used in errors and {@link #toString()}; default {@code circuit-breaker-N}. */
    public Builder name(String name) {
      this.name = requireNonNull(name, "name");
      return this;
    }

    /** The loop whose clock the breaker reads (see the class documentation's "Clock"). */
    public Builder clock(EventLoop loop) {
      this.clock = requireNonNull(loop, "loop");
      return this;
    }

    /**
     * A clock of milliseconds instead of a loop's: the package-private seam of the model-checking tests,
     * which must not run an event loop (CircuitBreakerLincheckTest).
     */
    Builder clockSource(LongSupplier source) {
      this.clockSource = requireNonNull(source, "source");
      return this;
    }

    /** The seed's rule: open after {@code n} failures in a row (default 5). Excludes a sliding window. */
    public Builder failureThreshold(int n) {
      this.failureThreshold = atLeast(1, n, "failureThreshold");
      this.thresholdSet = true;
      return this;
    }

    /**
     * Trips on the failure (or slow-call) rate of the last {@code size} calls, once at least
     * {@link #minimumCalls} (default {@code size}) are recorded. At most 524288.
     */
    public Builder countWindow(int size) {
      this.windowSize = atLeast(1, size, "countWindow size");
      if (size > CountWindow.MAX_SIZE) {
        throw new IllegalArgumentException("countWindow size must be at most " + CountWindow.MAX_SIZE + ", was " + size);
      }
      this.rule = Rule.COUNT;
      return this;
    }

    /** {@link #timeWindow(Duration, int)} with 10 buckets. */
    public Builder timeWindow(Duration length) {
      return timeWindow(length, DEFAULT_BUCKETS);
    }

    /**
     * Trips on the failure (or slow-call) rate of the calls of the last {@code length} of time, kept in
     * {@code buckets} equal slices (so the window moves in steps of {@code length / buckets}), once at least
     * {@link #minimumCalls} (default 100) are recorded.
     */
    public Builder timeWindow(Duration length, int buckets) {
      long ms = positiveMillis(length, "timeWindow length");
      atLeast(1, buckets, "timeWindow buckets");
      if (ms % buckets != 0) {
        throw new IllegalArgumentException(
            "timeWindow length (" + ms + " ms) must be a whole number of milliseconds per bucket (" + buckets + ")");
      }
      this.windowMillis = ms;
      this.buckets = buckets;
      this.rule = Rule.TIME;
      return this;
    }

    /** The failure rate, in percent (0 exclusive to 100), at which a sliding window trips; default 50. */
    public Builder failureRateThreshold(double percent) {
      this.failureRate = percent(percent, "failureRateThreshold");
      return this;
    }

    /** The number of calls a sliding window needs before it can trip. */
    public Builder minimumCalls(int n) {
      this.minimumCalls = atLeast(1, n, "minimumCalls");
      return this;
    }

    /** Calls taking at least this long are slow (needs a sliding window); off by default. */
    public Builder slowCallDuration(Duration d) {
      this.slowCallMillis = positiveMillis(d, "slowCallDuration");
      return this;
    }

    /** The slow-call rate, in percent, at which a sliding window trips; default 100. */
    public Builder slowCallRateThreshold(double percent) {
      this.slowRate = percent(percent, "slowCallRateThreshold");
      return this;
    }

    /**
     * Calls not settled within {@code d} are rejected with a {@link CallTimeoutError} and count as
     * failures; off by default.
     */
    public Builder callTimeout(Duration d) {
      this.callTimeoutMillis = positiveMillis(d, "callTimeout");
      return this;
    }

    /** How long the circuit stays OPEN, every time; default 60 s. */
    public Builder resetTimeout(Duration d) {
      Duration fixed = Duration.ofMillis(positiveMillis(d, "resetTimeout"));
      this.openDuration = n -> fixed;
      return this;
    }

    /**
     * How long the circuit stays OPEN, as a function of the number of openings since it was last CLOSED
     * (1 for the first). A result that is null or not positive is reported as an uncaught error and 60 s
     * is used.
     */
    public Builder resetTimeout(IntFunction<Duration> byOpening) {
      requireNonNull(byOpening, "byOpening");
      positiveMillis(requireNonNull(byOpening.apply(1), "resetTimeout function returned null for 1"),
          "resetTimeout function's result for 1");
      this.openDuration = byOpening;
      return this;
    }

    /**
     * Exponential backoff of the open duration: {@code initial}, then times {@code multiplier} per further
     * opening without closing in between, at most {@code max}.
     */
    public Builder resetTimeoutBackoff(Duration initial, double multiplier, Duration max) {
      long first = positiveMillis(initial, "resetTimeoutBackoff initial");
      long cap = positiveMillis(max, "resetTimeoutBackoff max");
      this.openDuration = Backoff.exponential("resetTimeoutBackoff", first, multiplier, cap);
      return this;
    }

    /** Trial calls admitted in HALF_OPEN; default {@link #successThreshold}, or 1. */
    public Builder halfOpenCalls(int n) {
      this.halfOpenCalls = atLeast(1, n, "halfOpenCalls");
      return this;
    }

    /** Trial successes that close the circuit; default {@link #halfOpenCalls}, or 1. */
    public Builder successThreshold(int n) {
      this.successThreshold = atLeast(1, n, "successThreshold");
      return this;
    }

    /**
     * How long HALF_OPEN may wait for its trial calls: if one is still unfinished this long after the
     * breaker half-opened, the circuit opens again. Default 60 s.
     */
    public Builder maxWaitInHalfOpen(Duration d) {
      this.maxWaitInHalfOpenMillis = positiveMillis(d, "maxWaitInHalfOpen");
      return this;
    }

    /**
     * Makes OPEN → HALF_OPEN (and the HALF_OPEN wait's expiry) happen on time, by an unreferenced timer on
     * the loop of the call that caused the preceding transition, instead of lazily at the next call.
     */
    public Builder automaticHalfOpen() {
      this.automaticHalfOpen = true;
      return this;
    }

    /** Which errors count as failures (default: all); the others count as successes unless ignored. */
    public Builder recordErrors(Predicate<? super Throwable> predicate) {
      this.recordErrors = requireNonNull(predicate, "predicate");
      return this;
    }

    /** Errors that count as neither success nor failure; wins over {@link #recordErrors}. */
    public Builder ignoreErrors(Predicate<? super Throwable> predicate) {
      this.ignoreErrors = requireNonNull(predicate, "predicate");
      return this;
    }

    /** Results that count as failures (e.g. an HTTP 503 response); default: none. */
    public Builder recordResults(Predicate<@Nullable Object> predicate) {
      this.recordResults = requireNonNull(predicate, "predicate");
      return this;
    }

    /** Adds a listener. */
    public Builder listener(Listener listener) {
      listeners.add(requireNonNull(listener, "listener"));
      return this;
    }

    /** Adds a listener of state transitions. */
    public Builder onStateTransition(BiConsumer<State, State> listener) {
      requireNonNull(listener, "listener");
      return listener(new Listener() {
        @Override
        public void onStateTransition(State from, State to) {
          listener.accept(from, to);
        }
      });
    }

    /**
     * A new breaker, CLOSED.
     *
     * @throws IllegalStateException if settings contradict each other
     */
    public CircuitBreaker build() {
      check();
      return new CircuitBreaker(this);
    }

    private void check() {
      boolean window = rule != Rule.CONSECUTIVE;
      if (window && thresholdSet) {
        throw new IllegalStateException("failureThreshold (failures in a row) and a sliding window "
            + "(countWindow/timeWindow) exclude each other: choose one");
      }
      if (!window && (!Double.isNaN(failureRate) || minimumCalls > 0 || slowCallMillis > 0 || !Double.isNaN(slowRate))) {
        throw new IllegalStateException("failureRateThreshold, minimumCalls, slowCallDuration and "
            + "slowCallRateThreshold need a sliding window: call countWindow(...) or timeWindow(...)");
      }
      if (!Double.isNaN(slowRate) && slowCallMillis == 0) {
        throw new IllegalStateException("slowCallRateThreshold needs slowCallDuration");
      }
      if (rule == Rule.COUNT && minimumCalls > windowSize) {
        throw new IllegalStateException(
            "minimumCalls (" + minimumCalls + ") exceeds the countWindow size (" + windowSize + "): it could never trip");
      }
      if (successThreshold() > halfOpenCalls()) {
        throw new IllegalStateException("successThreshold (" + successThreshold + ") exceeds halfOpenCalls ("
            + halfOpenCalls + "): HALF_OPEN could never close");
      }
    }

    int halfOpenCalls() {
      return halfOpenCalls > 0 ? halfOpenCalls : Math.max(1, successThreshold);
    }

    int successThreshold() {
      return successThreshold > 0 ? successThreshold : halfOpenCalls();
    }

    Supplier<Window> windowFactory(LoopClock c) {
      Window.Thresholds t = new Window.Thresholds(
          minimumCalls > 0 ? minimumCalls : (rule == Rule.COUNT ? windowSize : DEFAULT_TIME_MINIMUM_CALLS),
          Double.isNaN(failureRate) ? 50 : failureRate,
          slowCallMillis == 0 ? Double.POSITIVE_INFINITY : (Double.isNaN(slowRate) ? 100 : slowRate));
      int threshold = failureThreshold;
      int size = windowSize;
      long bucketMillis = windowMillis / Math.max(1, buckets);
      int n = buckets;
      return switch (rule) {
        case CONSECUTIVE -> () -> new ConsecutiveWindow(threshold);
        case COUNT -> () -> new CountWindow(size, t);
        case TIME -> () -> new TimeWindow(c, bucketMillis, n, t);
      };
    }

    static long positiveMillis(Duration d, String what) {
      requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, was " + d);
      }
      long ms;
      try {
        ms = d.toMillis();
      } catch (ArithmeticException e) {
        ms = Long.MAX_VALUE;
      }
      if (ms == 0) {
        throw new IllegalArgumentException(what + " must be at least 1 ms, was " + d);
      }
      return ms;
    }

    private static int atLeast(int min, int n, String what) {
      if (n < min) {
        throw new IllegalArgumentException(what + " must be at least " + min + ", was " + n);
      }
      return n;
    }

    private static double percent(double p, String what) {
      if (!(p > 0 && p <= 100)) {
        throw new IllegalArgumentException(what + " must be in (0, 100] percent, was " + p);
      }
      return p;
    }
  }

  // ------------------------------------------------------------------------------------------------

  /**
   * One breaker per key — per host, per URL, per tenant — made on first use and evicted when idle or
   * when the registry grows past its bound, so keyed breakers cannot leak memory. Thread-safe.
   *
   * <p>Eviction runs inside {@link #get} (and {@link #cleanUp()}), on the calling thread, at most one
   * thread at a time: breakers not used for {@link Builder#expireAfterIdle} are removed; past
   * {@link Builder#maxSize} the least recently used are removed — CLOSED ones first, since they hold no
   * protective state — down to 15/16 of the bound (rounded up), so a registry at its bound does not
   * sort on every new key. An evicted breaker keeps working for whoever holds
   * it; the next {@code get} of its key makes a fresh one. Idle time is measured on the registry's clock,
   * chosen like a breaker's.
   *
   * @param <K> the key type
   */
  public static final class Registry<K> {
    /*
     * Overview: a ConcurrentHashMap of entries {breaker, lastUsed}. get() is a map read plus a volatile
     * write of lastUsed; creation goes through computeIfAbsent, so one key never gets two breakers.
     * Maintenance is guarded by a tryLock — a thread that finds it taken skips it, nobody waits — and
     * removes with remove(key, entry), so an entry re-created meanwhile is never removed by mistake. The
     * bound holds after each maintenance; threads creating keys concurrently may overshoot it briefly.
     * Tests: CircuitBreakerRegistryTest.
     */
    private final Function<? super K, CircuitBreaker> factory;
    private final int maxSize;
    private final long idleMillis;
    private final @Nullable BiConsumer<? super K, CircuitBreaker> onEviction;
    private final LoopClock clock;
    private final ConcurrentHashMap<K, Entry> entries = new ConcurrentHashMap<>();
    private final ReentrantLock maintenance = new ReentrantLock();
    private final AtomicLong nextSweep = new AtomicLong(Long.MIN_VALUE);

    private static final class Entry {
      final CircuitBreaker breaker;
      volatile long lastUsed;

      Entry(CircuitBreaker breaker, long now) {
        this.breaker = breaker;
        this.lastUsed = now;
      }
    }

    private Registry(Builder<K> b) {
      this.factory = b.factory;
      this.maxSize = b.maxSize;
      this.idleMillis = b.idleMillis;
      this.onEviction = b.onEviction;
      this.clock = new LoopClock(b.clock);
    }

    /**
     * The breaker of {@code key}, made by the factory if there is none. The factory runs at most once per
     * key at a time and must not use this registry.
     *
     * @throws NullPointerException if {@code key} is null or the factory returns null
     */
    public CircuitBreaker get(K key) {
      requireNonNull(key, "key");
      long now = clock.now();
      Entry e = entries.get(key);
      if (e == null) {
        e = entries.computeIfAbsent(key, k -> new Entry(requireNonNull(factory.apply(k), "factory returned null"), now));
      }
      e.lastUsed = now;
      maintain(key, now);
      return e.breaker;
    }

    /** The breaker of {@code key} if the registry holds one; does not count as a use. */
    public @Nullable CircuitBreaker getIfPresent(K key) {
      Entry e = entries.get(requireNonNull(key, "key"));
      return e != null ? e.breaker : null;
    }

    /** Removes the breaker of {@code key}; returns whether there was one. Not reported as an eviction. */
    public boolean remove(K key) {
      return entries.remove(requireNonNull(key, "key")) != null;
    }

    /** The number of breakers held. */
    public int size() {
      return entries.size();
    }

    /** A snapshot of the keys held. */
    public Set<K> keys() {
      return Set.copyOf(entries.keySet());
    }

    /** Runs the eviction now (it also runs inside {@link #get}). */
    public void cleanUp() {
      maintain(null, clock.now());
    }

    private void maintain(@Nullable K keep, long now) {
      boolean sweepDue = idleMillis > 0 && now >= nextSweep.get();
      if ((!sweepDue && entries.size() <= maxSize) || !maintenance.tryLock()) {
        return;
      }
      try {
        if (sweepDue) {
          nextSweep.set(now + Math.max(1, idleMillis / 4));
          evictIdle(keep, now);
        }
        if (entries.size() > maxSize) {
          evictOverflow(keep);
        }
      } finally {
        maintenance.unlock();
      }
    }

    private void evictIdle(@Nullable K keep, long now) {
      for (Map.Entry<K, Entry> e : entries.entrySet()) {
        if (!e.getKey().equals(keep) && now - e.getValue().lastUsed >= idleMillis) {
          evict(e.getKey(), e.getValue());
        }
      }
    }

    private void evictOverflow(@Nullable K keep) {
      List<Map.Entry<K, Entry>> candidates = new ArrayList<>(entries.size());
      for (Map.Entry<K, Entry> e : entries.entrySet()) {
        if (!e.getKey().equals(keep)) {
          candidates.add(Map.entry(e.getKey(), e.getValue()));
        }
      }
      candidates.sort(Comparator.<Map.Entry<K, Entry>>comparingInt(e -> e.getValue().breaker.state() == State.CLOSED ? 0 : 1)
          .thenComparingLong(e -> e.getValue().lastUsed));
      int target = maxSize - maxSize / 16;
      for (int i = 0; i < candidates.size() && entries.size() > target; i++) {
        evict(candidates.get(i).getKey(), candidates.get(i).getValue());
      }
    }

    private void evict(K key, Entry e) {
      if (entries.remove(key, e) && onEviction != null) {
        try {
          onEviction.accept(key, e.breaker);
        } catch (Throwable t) {
          Uncaught.report(t, "the eviction listener of a circuit breaker registry");
        }
      }
    }

    @Override
    public String toString() {
      return "CircuitBreaker.Registry[" + entries.size() + " breakers, max " + maxSize + "]";
    }

    /**
     * Configures a {@link Registry}. Not thread-safe.
     *
     * @param <K> the key type
     */
    public static final class Builder<K> {
      private final Function<? super K, CircuitBreaker> factory;
      private int maxSize = 10_000;
      private long idleMillis;
      private @Nullable BiConsumer<? super K, CircuitBreaker> onEviction;
      private @Nullable EventLoop clock;

      private Builder(Function<? super K, CircuitBreaker> factory) {
        this.factory = factory;
      }

      /** The most breakers held; default 10 000. */
      public Builder<K> maxSize(int n) {
        if (n < 1) {
          throw new IllegalArgumentException("maxSize must be at least 1, was " + n);
        }
        this.maxSize = n;
        return this;
      }

      /** Evicts breakers not used (through {@link Registry#get}) for {@code d}; off by default. */
      public Builder<K> expireAfterIdle(Duration d) {
        this.idleMillis = CircuitBreaker.Builder.positiveMillis(d, "expireAfterIdle");
        return this;
      }

      /** Called with each evicted key and breaker, on the thread that evicted it. */
      public Builder<K> onEviction(BiConsumer<? super K, CircuitBreaker> listener) {
        this.onEviction = requireNonNull(listener, "listener");
        return this;
      }

      /** The loop whose clock measures idle time (see {@link CircuitBreaker}'s "Clock"). */
      public Builder<K> clock(EventLoop loop) {
        this.clock = requireNonNull(loop, "loop");
        return this;
      }

      /** A new, empty registry. */
      public Registry<K> build() {
        return new Registry<>(this);
      }
    }
  }
}
