package org.eventloop4j.resilience;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.internal.Bridge;
import org.eventloop4j.sync.ClosedError;
import org.eventloop4j.sync.Semaphore;
import org.jspecify.annotations.Nullable;

/**
 * An async rate limiter: at most {@code limit} permits per {@code interval}, granted in strict FIFO order,
 * weighted, cancellable and closeable, on an event loop's clock (so virtual time tests every schedule at
 * once), safe to share between loops and threads. It limits how often calls start; a {@link Semaphore}
 * limits how many run at once, and the two compose.
 *
 * <pre>{@code
 * RateLimiter api = RateLimiter.slidingWindow(10, Duration.ofSeconds(1));   // at most 10 calls per second
 * for (String id : ids) {
 *   api.execute(() -> fetch(id)).thenAccept(body -> ...);
 * }
 * }</pre>
 *
 * <h2>Budgets</h2>
 *
 * <ul>
 *   <li>{@link #fixedWindow}: windows of {@code interval} that open on demand — the first grant after the
 *       previous window ended opens a new one at that moment — and each grants at most {@code limit}
 *       permits: the budget of p-queue's {@code intervalCap}/{@code interval} and of Resilience4j's
 *       {@code limitForPeriod}, whose windows are instead aligned to a start (one begins every interval,
 *       granted or not), so that a call after a quiet spell may find only the rest of a window. Constant
 *       memory; across the end of one window and the start of the next, up to {@code 2 × limit} permits
 *       may be granted within one interval.
 *   <li>{@link #slidingWindow}: at most {@code limit} permits granted within <em>any</em> span of {@code
 *       interval} (p-queue's {@code strict} mode): what an API quota demands. It remembers the grants of
 *       the last interval, one entry (12 bytes) per millisecond in which it granted any.
 * </ul>
 *
 * <h2>Ordering</h2>
 *
 * <p>Acquires are granted in strict FIFO order of arrival, whatever their weight: a waiting {@code
 * acquire(5)} holds back a later {@code acquire(1)} even if one permit is left in the window, so a large
 * request is never starved by small ones. An acquire that finds its permits in the budget and nobody
 * queued is granted at once (its promise is already fulfilled); {@link #tryAcquire} never overtakes a
 * waiter. When the budget allows the head of the queue, the waiters at the head that fit are granted
 * together, in order. Granting never runs a waiter's code synchronously.
 *
 * <h2>Time and threads</h2>
 *
 * <p>The limiter reads one clock: that of the loop given to the builder, else of the loop on which it
 * was created, else of the first loop that uses it (a limiter first used from a thread without a loop
 * reads a monotonic clock of its own). A waiting queue is woken by one timer, on the loop of the waiter at
 * its head: that timer keeps its loop alive, as a JavaScript rate limiter's {@code setTimeout} does, so a
 * program whose calls wait for the next window runs on to it. On a virtual clock the wait takes no time.
 * Loops with different clocks should not share a limiter: each window is measured on the limiter's clock
 * but waited for with the head's loop timer.
 *
 * <p>Every method is thread-safe. {@code acquire} and {@code execute} must be called on a loop thread: the
 * promise belongs to, and settles on, the calling loop, also when another thread's call or timer grants
 * it (the settlement is then posted). {@link #tryAcquire}, {@link #close} and the introspection methods
 * work on any thread. Each call takes one short monitor section (a rate-limited call is not a hot path).
 *
 * <h2>Cancellation and closing</h2>
 *
 * <p>An acquire with an already aborted {@link AbortSignal} rejects with its reason and takes nothing; an
 * abort while it waits removes exactly that waiter (the ones behind it may then be granted); an abort that
 * comes after the grant does nothing. {@link #close(Throwable)} rejects every waiting and later acquire
 * with the reason (a {@link ClosedError} without one); a later {@link #tryAcquire} throws ClosedError.
 * Permits are never returned: a granted permit stays spent in its window, also when its waiter's loop was
 * closed before the grant reached it — which can only lower the rate, never raise it.
 *
 * <h2>Errors</h2>
 *
 * <p>A limit below 1, an interval below 1 ms, a weight below 1 or above the limit throw {@link
 * IllegalArgumentException}; a {@code null} throws {@link NullPointerException}. A task given to {@code
 * execute} that throws or returns {@code null} rejects the result.
 */
public final class RateLimiter {
  /*
   * Overview: the budget and the FIFO queue of waiters are org.eventloop4j.sync's RateCore (reached through
   * Bridge.RateGate, as its waiters share the permit cores' list), whose overview gives the races and the
   * model checks; this class checks arguments and composes execute from acquire.
   */
  private final Bridge.RateGate gate;

  private RateLimiter(int limit, long intervalMs, boolean sliding, @Nullable EventLoop clockLoop) {
    this.gate = Bridge.rateGate(limit, intervalMs, sliding, clockLoop);
  }

  /**
   * A limiter of at most {@code limit} permits per window of {@code interval}, windows opening on demand
   * (see the class comment); its clock is the current loop's, or the first user's.
   *
   * @throws IllegalArgumentException if {@code limit} is below 1 or {@code interval} below 1 ms
   */
  public static RateLimiter fixedWindow(int limit, Duration interval) {
    return builder().limit(limit).interval(interval).build();
  }

  /**
   * A limiter of at most {@code limit} permits within any span of {@code interval} (see the class comment);
   * its clock is the current loop's, or the first user's.
   *
   * @throws IllegalArgumentException if {@code limit} is below 1 or {@code interval} below 1 ms
   */
  public static RateLimiter slidingWindow(int limit, Duration interval) {
    return builder().limit(limit).interval(interval).sliding(true).build();
  }

  /** A builder: limit 1 per second, fixed windows, unless told otherwise. */
  public static Builder builder() {
    return new Builder();
  }

  /** The configuration of a {@link RateLimiter}; not thread-safe. */
  public static final class Builder {
    private int limit = 1;
    private long intervalMs = 1_000;
    private boolean sliding;
    private @Nullable EventLoop clockLoop;

    private Builder() {}

    /** Permits per interval (at least 1). */
    public Builder limit(int permits) {
      if (permits < 1) {
        throw new IllegalArgumentException("limit must be at least 1, was " + permits);
      }
      this.limit = permits;
      return this;
    }

    /** The interval (at least 1 ms; whole milliseconds, as the loop's clock). */
    public Builder interval(Duration interval) {
      long ms = requireNonNull(interval, "interval").toMillis();
      if (ms < 1) {
        throw new IllegalArgumentException("interval must be at least 1 ms, was " + interval);
      }
      this.intervalMs = ms;
      return this;
    }

    /** A sliding window ({@code true}) or fixed windows opening on demand ({@code false}, the default). */
    public Builder sliding(boolean sliding) {
      this.sliding = sliding;
      return this;
    }

    /** The loop whose clock the limiter reads (default: the current loop at build, else the first user's). */
    public Builder clock(EventLoop loop) {
      this.clockLoop = requireNonNull(loop, "loop");
      return this;
    }

    /** A new limiter. */
    public RateLimiter build() {
      return new RateLimiter(limit, intervalMs, sliding, clockLoop);
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Acquiring

  /** Waits for one permit. Loop-affine. */
  public Promise<@Nullable Void> acquire() {
    return acquire(1);
  }

  /**
   * Waits for {@code permits} permits of the budget, in FIFO order. Loop-affine.
   *
   * @throws IllegalArgumentException if {@code permits} is below 1 or above {@link #limit()}
   */
  public Promise<@Nullable Void> acquire(int permits) {
    return gate.acquire(checkWeight(permits), null);
  }

  /** {@link #acquire()} that gives up, rejecting with the signal's reason, if {@code signal} aborts first. */
  public Promise<@Nullable Void> acquire(AbortSignal signal) {
    return acquire(1, signal);
  }

  /**
   * {@link #acquire(int)} that gives up, rejecting with the signal's reason, if {@code signal} aborts first.
   *
   * @throws IllegalArgumentException if {@code permits} is below 1 or above {@link #limit()}
   */
  public Promise<@Nullable Void> acquire(int permits, AbortSignal signal) {
    return gate.acquire(checkWeight(permits), requireNonNull(signal, "signal"));
  }

  /** {@link #tryAcquire(int)} of one permit. */
  public boolean tryAcquire() {
    return tryAcquire(1);
  }

  /**
   * Takes {@code permits} permits if the budget has them now and nobody waits; never waits. Any thread.
   *
   * @throws IllegalArgumentException if {@code permits} is below 1 or above {@link #limit()}
   * @throws ClosedError if the limiter is closed
   */
  public boolean tryAcquire(int permits) {
    return gate.tryAcquire(checkWeight(permits));
  }

  /**
   * Starts {@code task} once one permit is granted; the result settles like the task's promise. A task
   * that throws or returns {@code null} rejects the result. Loop-affine.
   */
  public <T> Promise<T> execute(Callable<? extends Promise<? extends T>> task) {
    return execute(1, task);
  }

  /**
   * {@link #execute(Callable)} once {@code permits} permits are granted.
   *
   * @throws IllegalArgumentException if {@code permits} is below 1 or above {@link #limit()}
   */
  public <T> Promise<T> execute(int permits, Callable<? extends Promise<? extends T>> task) {
    requireNonNull(task, "task");
    return acquire(permits).thenCompose(ignored -> start(task));
  }

  /**
   * {@link #execute(int, Callable)} whose wait gives up if {@code signal} aborts before the grant; an abort
   * once the task runs does not concern the limiter.
   */
  public <T> Promise<T> execute(int permits, AbortSignal signal, Callable<? extends Promise<? extends T>> task) {
    requireNonNull(task, "task");
    return acquire(permits, signal).thenCompose(ignored -> start(task));
  }

  // ------------------------------------------------------------------------------------------------
  // Introspection and closing

  /**
   * Permits the budget has left now. An acquire of that many is still queued if someone waits (for more
   * than that), and rejected once the limiter is closed. Any thread.
   */
  public int available() {
    return gate.available();
  }

  /** Acquires waiting for their permits. Any thread. */
  public int waiting() {
    return gate.waiting();
  }

  /** Permits per interval. */
  public int limit() {
    return gate.limit();
  }

  /** The interval. */
  public Duration interval() {
    return Duration.ofMillis(gate.intervalMillis());
  }

  /** Whether the window slides ({@link #slidingWindow}) rather than opening on demand. */
  public boolean isSliding() {
    return gate.sliding();
  }

  /** {@link #close(Throwable)} with a {@link ClosedError} "the rate limiter is closed". */
  public void close() {
    gate.close(null);
  }

  /** Rejects every waiting and later acquire with {@code reason}; idempotent (the first call decides). Any thread. */
  public void close(Throwable reason) {
    gate.close(requireNonNull(reason, "reason"));
  }

  /** Whether {@link #close} was called. */
  public boolean isClosed() {
    return gate.isClosed();
  }

  @Override
  public String toString() {
    return "RateLimiter[" + (isSliding() ? "sliding" : "fixed") + ", " + limit() + " per " + gate.intervalMillis()
        + " ms, waiting=" + waiting() + (isClosed() ? ", closed" : "") + "]";
  }

  /** Calls {@code task}; what it throws, or a null it returns, becomes a rejection. */
  private static <T> Promise<? extends T> start(Callable<? extends Promise<? extends T>> task) {
    try {
      return requireNonNull(task.call(), "the task returned null instead of a promise");
    } catch (Throwable t) {
      return Promise.reject(t);
    }
  }

  private int checkWeight(int permits) {
    if (permits < 1 || permits > gate.limit()) {
      throw new IllegalArgumentException(
          "permits must be between 1 and the rate limiter's limit of " + gate.limit() + ", was " + permits);
    }
    return permits;
  }
}
