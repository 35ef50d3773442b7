package org.eventloop4j.resilience;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.sync.Semaphore;
import org.jspecify.annotations.Nullable;

/**
 * A concurrency limit that finds itself: additive increase, multiplicative decrease (AIMD, as Netflix's
 * concurrency-limits and TCP congestion control do). Calls run at most {@link #limit()} at once; each call
 * that succeeds in time while the limit is at least half used raises the limit by one (up to the maximum);
 * each call that fails with an error counted as a drop, or takes {@linkplain Builder#slowCall longer} than
 * the latency bound, multiplies it by the backoff ratio (down to the minimum). So a service that slows
 * down or sheds load gets fewer concurrent calls at once, and more again as it recovers — what a fixed
 * {@link Semaphore} or bulkhead cannot do.
 *
 * <pre>{@code
 * AdaptiveLimiter limiter = AdaptiveLimiter.builder()
 *     .initialLimit(20).minLimit(2).maxLimit(200)
 *     .slowCall(Duration.ofMillis(250))
 *     .dropOn(e -> e instanceof TimeoutError || e instanceof OverloadedException)
 *     .build();
 * limiter.execute(() -> fetch(url)).thenAccept(...);
 * }</pre>
 *
 * <h2>Order, threads and errors</h2>
 *
 * <p>Calls beyond the limit wait in FIFO order ({@link #execute}) or are refused at once ({@link
 * #tryExecute}, with a {@link RejectedExecutionException}: load shedding). Every method is thread-safe and
 * one limiter may be shared by many loops; {@code execute} must be called on a loop thread, whose clock
 * times the call. The promise settles like the call's, with its value or its very error; a call that
 * throws or returns {@code null} rejects it (and counts as a drop if its error does). A limit change takes
 * effect at once: a lower limit makes later calls wait until enough running ones ended, a higher one
 * starts waiting calls. What a predicate or listener throws goes to the loop's uncaught-exception handler;
 * the outcome is then counted as no drop.
 */
public final class AdaptiveLimiter {
  /*
   * Overview: the permits are a Semaphore whose permit count is the limit, so waiting, FIFO order, abort
   * and the effect of a resize are the Semaphore's (model-checked there). Each ended call judges the next limit
   * on a read of `limit`; a change is made under this object's monitor — a read-modify-write of `limit`
   * and the matching setPermits, judged again there — and then the call releases its permit, so the grant
   * that follows sees the new limit. An ending that changes nothing takes no lock: its decision was right
   * for the limit of a moment before, as if the call had ended then. `inFlight` is counted separately
   * (the Semaphore's held count is not exposed) and read by the increase rule: grow only when at least
   * half the limit is in use, as Netflix's AIMDLimit does, so that a limit that is not used does not
   * grow without bound. Tests: AdaptiveLimiterTest (virtual time).
   */
  private final String name;
  private final int minLimit;
  private final int maxLimit;
  private final double backoffRatio;
  private final long slowCallMillis;
  private final Predicate<? super Throwable> dropOn;
  private final @Nullable LimitListener listener;
  private final Semaphore permits;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile int limit;
  /** The reactions of an untimed call (no latency bound), shared by every call. */
  private final Function<Object, Object> succeeded = v -> {
    ended(false);
    return v;
  };
  private final Function<Throwable, Object> failed = e -> {
    ended(isDrop(e));
    throw Uncaught.<RuntimeException>sneaky(e);
  };

  private AdaptiveLimiter(Builder b) {
    this.name = b.name;
    this.minLimit = b.minLimit;
    this.maxLimit = b.maxLimit;
    this.backoffRatio = b.backoffRatio;
    this.slowCallMillis = b.slowCallMillis;
    this.dropOn = b.dropOn;
    this.listener = b.listener;
    this.limit = b.initialLimit;
    this.permits = new Semaphore(b.initialLimit);
  }

  /** A builder: limit 20 (1 … 1000), backoff ratio 0.9, every error a drop, no latency bound. */
  public static Builder builder() {
    return new Builder();
  }

  /** Told of every change of the limit, on the loop of the call whose end changed it. */
  @FunctionalInterface
  public interface LimitListener {
    /** The limit went from {@code from} to {@code to}, because of a drop ({@code dropped}) or a success. */
    void onLimitChange(int from, int to, boolean dropped);
  }

  // ------------------------------------------------------------------------------------------------
  // Calls

  /**
   * Calls {@code call} once fewer than {@link #limit()} calls run (waiting in FIFO order), and returns a
   * promise that settles like the call's; the call's outcome and duration adjust the limit. Loop-affine.
   *
   * @throws NullPointerException if {@code call} is null
   */
  public <T> Promise<T> execute(Supplier<? extends Promise<? extends T>> call) {
    requireNonNull(call, "call");
    return permits.acquire().thenCompose(ignored -> run(call));
  }

  /**
   * {@link #execute(Supplier)} whose wait for a permit gives up, rejecting with the signal's reason, if
   * {@code signal} aborts first (an abort once the call runs is the call's business). Loop-affine.
   */
  public <T> Promise<T> execute(AbortSignal signal, Supplier<? extends Promise<? extends T>> call) {
    requireNonNull(signal, "signal");
    requireNonNull(call, "call");
    return permits.acquire(signal).thenCompose(ignored -> run(call));
  }

  /**
   * Calls {@code call} if fewer than {@link #limit()} calls run and nobody waits; otherwise rejects at
   * once with a {@link RejectedExecutionException} and calls nothing. Loop-affine.
   */
  public <T> Promise<T> tryExecute(Supplier<? extends Promise<? extends T>> call) {
    requireNonNull(call, "call");
    if (!permits.tryAcquire()) {
      return Promise.reject(new RejectedExecutionException("adaptive limiter '" + name + "' is at its limit of "
          + limit + " concurrent calls"));
    }
    return run(call);
  }

  @SuppressWarnings("unchecked")
  private <T> Promise<T> run(Supplier<? extends Promise<? extends T>> call) {
    EventLoop loop = slowCallMillis == 0 ? null : EventLoop.current();
    long start = loop == null ? 0 : loop.now();
    inFlight.incrementAndGet();
    Promise<? extends T> running;
    try {
      running = requireNonNull(call.get(), "the call returned null instead of a promise");
    } catch (Throwable t) {
      ended(isDrop(t));
      return Promise.reject(t);
    }
    if (loop == null) { // no latency bound: no clock, and reactions shared by every call
      return ((Promise<T>) running).then((Function<T, T>) succeeded, (Function<Throwable, T>) failed);
    }
    return running.then(v -> {
      ended(loop.now() - start >= slowCallMillis);
      return v;
    }, e -> {
      ended(isDrop(e) || loop.now() - start >= slowCallMillis);
      throw Uncaught.<RuntimeException>sneaky(e);
    });
  }

  /**
   * A call ended, a drop or not: adjust the limit, then release its permit. The new limit is judged on a
   * read of the current one; only a change takes the monitor (and is judged again there), so the usual
   * ending — no change — costs two reads and the release.
   */
  private void ended(boolean drop) {
    int using = inFlight.getAndDecrement();
    int from = limit;
    int to = next(from, drop, using);
    if (to != from) {
      synchronized (this) {
        from = limit;
        to = next(from, drop, using);
        if (to != from) {
          limit = to;
          permits.setPermits(to);
        }
      }
    }
    permits.release();
    if (to != from && listener != null) {
      try {
        listener.onLimitChange(from, to, drop);
      } catch (Throwable t) {
        Uncaught.report(t, "limit listener of adaptive limiter '" + name + "'");
      }
    }
  }

  /** AIMD: a drop multiplies, a success with at least half the limit in use adds one. */
  private int next(int from, boolean drop, int using) {
    if (drop) {
      return Math.max(minLimit, (int) (from * backoffRatio));
    }
    return using * 2 >= from ? Math.min(maxLimit, from + 1) : from;
  }

  private boolean isDrop(@Nullable Throwable error) {
    if (error == null) {
      return false;
    }
    try {
      return dropOn.test(error);
    } catch (Throwable t) {
      Uncaught.report(t, "drop predicate of adaptive limiter '" + name + "'");
      return false;
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Introspection

  /** The current limit of concurrent calls. Any thread. */
  public int limit() {
    return limit;
  }

  /** Calls running now. Any thread. */
  public int inFlight() {
    return inFlight.get();
  }

  /** Calls waiting for a permit. Any thread. */
  public int waiting() {
    return permits.waiting();
  }

  /** The name given to the builder. */
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return "AdaptiveLimiter[" + name + ", limit=" + limit + ", inFlight=" + inFlight() + ", waiting=" + waiting()
        + "]";
  }

  // ------------------------------------------------------------------------------------------------
  // Configuration

  /** The configuration of an {@link AdaptiveLimiter}; not thread-safe. */
  public static final class Builder {
    private String name = "adaptive limiter";
    private int initialLimit = 20;
    private int minLimit = 1;
    private int maxLimit = 1000;
    private double backoffRatio = 0.9;
    private long slowCallMillis;
    private Predicate<? super Throwable> dropOn = e -> true;
    private @Nullable LimitListener listener;

    private Builder() {}

    /** A name for errors and logs. */
    public Builder name(String name) {
      this.name = requireNonNull(name, "name");
      return this;
    }

    /** The limit to start from (default 20), between the minimum and the maximum. */
    public Builder initialLimit(int n) {
      this.initialLimit = atLeastOne(n, "initialLimit");
      return this;
    }

    /** The lowest the limit goes (default 1). */
    public Builder minLimit(int n) {
      this.minLimit = atLeastOne(n, "minLimit");
      return this;
    }

    /** The highest the limit goes (default 1000). */
    public Builder maxLimit(int n) {
      this.maxLimit = atLeastOne(n, "maxLimit");
      return this;
    }

    /** What a drop multiplies the limit by, in (0, 1) (default 0.9); the result is rounded down. */
    public Builder backoffRatio(double ratio) {
      if (!(ratio > 0 && ratio < 1)) {
        throw new IllegalArgumentException("backoffRatio must be between 0 and 1 (exclusive), was " + ratio);
      }
      this.backoffRatio = ratio;
      return this;
    }

    /** A call that takes at least {@code bound} (on the loop's clock) counts as a drop (default: none). */
    public Builder slowCall(Duration bound) {
      long ms = requireNonNull(bound, "bound").toMillis();
      if (ms < 1) {
        throw new IllegalArgumentException("slowCall must be at least 1 ms, was " + bound);
      }
      this.slowCallMillis = ms;
      return this;
    }

    /**
     * Which errors mean overload and lower the limit (default: all); the others pass through without
     * changing it, e.g. {@code e -> !(e instanceof NotFoundException)}.
     */
    public Builder dropOn(Predicate<? super Throwable> predicate) {
      this.dropOn = requireNonNull(predicate, "predicate");
      return this;
    }

    /** Told of every change of the limit. */
    public Builder listener(LimitListener listener) {
      this.listener = requireNonNull(listener, "listener");
      return this;
    }

    /**
     * A new limiter.
     *
     * @throws IllegalStateException if the minimum exceeds the maximum or the initial limit lies outside
     */
    public AdaptiveLimiter build() {
      if (minLimit > maxLimit) {
        throw new IllegalStateException("minLimit (" + minLimit + ") exceeds maxLimit (" + maxLimit + ")");
      }
      if (initialLimit < minLimit || initialLimit > maxLimit) {
        throw new IllegalStateException("initialLimit (" + initialLimit + ") lies outside [" + minLimit + ", "
            + maxLimit + "]");
      }
      return new AdaptiveLimiter(this);
    }

    private static int atLeastOne(int n, String what) {
      if (n < 1) {
        throw new IllegalArgumentException(what + " must be at least 1, was " + n);
      }
      return n;
    }
  }
}
