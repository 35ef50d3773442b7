package org.eventloop4j.resilience;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.Promise;
import org.eventloop4j.internal.Bridge;
import org.jspecify.annotations.Nullable;

/**
 * Calls an async operation again when it fails: at most {@code maxAttempts} attempts, with a delay between
 * them (fixed, exponential or computed, optionally with jitter), only for the errors and results it is
 * told to retry, within an optional overall time budget, stopped by an {@link AbortSignal}. The waits are
 * timers of the caller's loop, so on a virtual clock a whole schedule of retries runs without waiting.
 *
 * <pre>{@code
 * Retry retry = Retry.builder()
 *     .maxAttempts(5)
 *     .exponentialBackoff(Duration.ofMillis(100), 2, Duration.ofSeconds(5))
 *     .jitter(0.2)
 *     .retryOn(e -> e instanceof IOException)
 *     .build();
 * retry.execute(() -> breaker.execute(() -> fetch(url))).thenAccept(body -> ...);
 * }</pre>
 *
 * <h2>Outcome</h2>
 *
 * <p>The promise {@code execute} returns fulfils with the first result that is not to be retried (see {@link
 * Builder#retryOnResult}); when the first attempt returns a promise of the caller's loop that is already
 * fulfilled and no result is retried, it is that promise itself. It rejects with the error itself, unwrapped,
 * of the attempt after which the retry gave up: an error {@link Builder#retryOn} does not retry, or the last
 * attempt's error once the attempts or the {@linkplain Builder#maxDuration time budget} are spent (earlier
 * attempts' errors went to the {@link Listener}). When the attempts run out on a result that is to be
 * retried, the promise fulfils with that last result. A call that throws counts as a failed attempt with that
 * error; a call that returns {@code null} instead of a promise rejects at once with a {@link
 * NullPointerException} (a bug, not a transient failure). A predicate that throws rejects the promise with
 * its error, with the attempt's error added as suppressed.
 *
 * <h2>Delays</h2>
 *
 * <p>The delay before attempt {@code n + 1} is the backoff for {@code n} (1 after the first failure),
 * spread by the jitter, and at least the {@link CircuitOpenError#retryAfterMillis()} of an open circuit
 * breaker that refused the attempt — so a retry wrapped around a breaker waits for its next trial call
 * instead of spending attempts on refusals. With a {@linkplain Builder#maxDuration time budget}, an
 * attempt that would start after the budget ends is not made.
 *
 * <h2>Threads, order and cancellation</h2>
 *
 * <p>A {@code Retry} is immutable apart from its {@linkplain #metrics() counts}, and may be shared by
 * every loop and thread. {@code execute} must be called on a loop thread: the attempts start, the delays
 * run and the promise settles on that loop, attempts strictly one after another. An abort of the signal
 * given to {@link #execute(AbortSignal, Function)} — before the first attempt, during a delay or during an
 * attempt — rejects the promise at once with the signal's reason and starts no further attempt; an
 * attempt that is running receives the same signal, so it can stop its work, and its outcome is dropped.
 * Listener calls run on the caller's loop; what a listener throws is reported to that loop's
 * uncaught-exception handler and does not change the outcome.
 */
public final class Retry {
  /*
   * Overview: this class holds the configuration and the counts; each execute is one RetryRun, confined to
   * the caller's loop (its reactions and timer are registered there), so it needs no synchronisation. The
   * counts are LongAdders because executions on many loops share them. Tests: RetryTest (virtual time).
   */
  private static final Bridge.Promises PROMISES = Bridge.promises();

  private final String name;
  private final int maxAttempts;
  private final IntFunction<Duration> backoff;
  private final double jitter;
  private final @Nullable RandomGenerator random;
  private final long maxDurationMillis;
  private final Predicate<? super Throwable> retryOn;
  private final @Nullable Predicate<@Nullable Object> retryOnResult;
  private final @Nullable Listener listener;
  private final LongAdder succeededWithoutRetry = new LongAdder();
  private final LongAdder succeededAfterRetry = new LongAdder();
  private final LongAdder failedWithoutRetry = new LongAdder();
  private final LongAdder failedAfterRetry = new LongAdder();
  private final LongAdder retries = new LongAdder();

  private Retry(Builder b) {
    this.name = b.name;
    this.maxAttempts = b.maxAttempts;
    this.backoff = b.backoff;
    this.jitter = b.jitter;
    this.random = b.random;
    this.maxDurationMillis = b.maxDurationMillis;
    this.retryOn = b.retryOn;
    this.retryOnResult = b.retryOnResult;
    this.listener = b.listener;
  }

  /** A retry of at most {@code maxAttempts} attempts with {@code delay} between them, retrying every error. */
  public static Retry of(int maxAttempts, Duration delay) {
    return builder().maxAttempts(maxAttempts).delay(delay).build();
  }

  /** A builder: 3 attempts, 500 ms apart, every error retried, no result retried (Resilience4j's defaults). */
  public static Builder builder() {
    return new Builder();
  }

  /** What a retry reports; every method runs on the loop of the execution and has a default doing nothing. */
  public interface Listener {
    /**
     * Attempt {@code attempt} (1 for the first) failed with {@code error} — or, when {@code error} is
     * null, returned a result {@link Builder#retryOnResult} retries — and attempt {@code attempt + 1}
     * starts in {@code delayMillis}.
     */
    default void onRetry(int attempt, @Nullable Throwable error, long delayMillis) {}

    /** The execution fulfilled with an accepted result of attempt {@code attempts}. */
    default void onSuccess(int attempts) {}

    /**
     * The retry gave up after {@code attempts} attempts with {@code error}: not retried, out of attempts
     * or time, or aborted (the signal's reason). {@code error} is null when the last attempt's result was
     * to be retried; the execution then fulfils with it.
     */
    default void onFailure(int attempts, @Nullable Throwable error) {}
  }

  /**
   * Counts of the executions that ended, over the retry's life.
   *
   * @param succeededWithoutRetry fulfilled by the first attempt
   * @param succeededAfterRetry fulfilled by a later attempt
   * @param failedWithoutRetry given up after the first attempt (not retried, aborted, or one attempt only)
   * @param failedAfterRetry given up after more than one attempt
   * @param retries attempts made after a failed one, by every execution
   */
  public record Metrics(long succeededWithoutRetry, long succeededAfterRetry, long failedWithoutRetry,
      long failedAfterRetry, long retries) {}

  // ------------------------------------------------------------------------------------------------
  // Calls

  /**
   * Calls {@code call}, and calls it again while its promise rejects with an error to retry (or fulfils
   * with a result to retry) and attempts and time are left; returns a promise of the outcome (see the
   * class comment). Loop-affine.
   *
   * @throws NullPointerException if {@code call} is null
   * @throws IllegalStateException off a loop thread
   */
  public <T> Promise<T> execute(Supplier<? extends Promise<? extends T>> call) {
    requireNonNull(call, "call");
    return RetryRun.start(this, null, call, null);
  }

  /**
   * {@link #execute(Supplier)} that stops when {@code signal} aborts: the promise rejects with its reason
   * and no further attempt starts. Each attempt receives {@code signal}, to stop its own work.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalStateException off a loop thread
   */
  public <T> Promise<T> execute(AbortSignal signal,
      Function<? super AbortSignal, ? extends Promise<? extends T>> call) {
    requireNonNull(signal, "signal");
    requireNonNull(call, "call");
    return RetryRun.start(this, signal, null, call);
  }

  // ------------------------------------------------------------------------------------------------
  // Introspection

  /** The name given to the builder ("retry" by default), for logs and errors. */
  public String name() {
    return name;
  }

  /** The most attempts an execution makes (the first included). */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** The counts so far; any thread (each count is exact, the snapshot is not atomic across them). */
  public Metrics metrics() {
    return new Metrics(succeededWithoutRetry.sum(), succeededAfterRetry.sum(), failedWithoutRetry.sum(),
        failedAfterRetry.sum(), retries.sum());
  }

  @Override
  public String toString() {
    return "Retry[" + name + ", maxAttempts=" + maxAttempts + "]";
  }

  // ------------------------------------------------------------------------------------------------
  // What a RetryRun asks of its retry

  /** Whether a first attempt's {@code promise} is the outcome as it is: fulfilled here, results not judged. */
  boolean acceptsAtOnce(Promise<?> promise) {
    return retryOnResult == null && PROMISES.fulfilledHere(promise);
  }

  boolean retries(Throwable error) {
    return retryOn.test(error);
  }

  boolean retriesResult(@Nullable Object result) {
    return retryOnResult != null && retryOnResult.test(result);
  }

  long maxDurationMillis() {
    return maxDurationMillis;
  }

  /** The delay after failed attempt {@code attempt}, jittered, at least a breaker's retry-after. */
  long delayMillis(int attempt, @Nullable Throwable error) {
    long base = requireNonNull(backoff.apply(attempt), "the backoff function returned null").toMillis();
    if (base < 0) {
      throw new IllegalArgumentException("the backoff function returned a negative delay for " + attempt
          + ": " + base + " ms");
    }
    long jittered = jitter == 0 ? base : Math.round(base * (1 + jitter * (2 * unit() - 1)));
    long floor = error instanceof CircuitOpenError open ? open.retryAfterMillis() : 0;
    return Math.max(jittered, floor);
  }

  private double unit() {
    return random != null ? random.nextDouble() : ThreadLocalRandom.current().nextDouble();
  }

  void ended(int attempts, boolean succeeded, @Nullable Throwable error) {
    if (succeeded) {
      (attempts == 1 ? succeededWithoutRetry : succeededAfterRetry).increment();
    } else {
      (attempts == 1 ? failedWithoutRetry : failedAfterRetry).increment();
    }
    if (listener != null) {
      notify(() -> {
        if (succeeded) {
          listener.onSuccess(attempts);
        } else {
          listener.onFailure(attempts, error);
        }
      });
    }
  }

  void retrying(int attempt, @Nullable Throwable error, long delayMillis) {
    retries.increment();
    if (listener != null) {
      notify(() -> listener.onRetry(attempt, error, delayMillis));
    }
  }

  private void notify(Runnable call) {
    try {
      call.run();
    } catch (Throwable t) {
      Uncaught.report(t, "listener of retry '" + name + "'");
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Configuration

  /** The configuration of a {@link Retry}; not thread-safe. */
  public static final class Builder {
    private String name = "retry";
    private int maxAttempts = 3;
    private IntFunction<Duration> backoff = n -> Duration.ofMillis(500);
    private double jitter;
    private @Nullable RandomGenerator random;
    private long maxDurationMillis;
    private Predicate<? super Throwable> retryOn = e -> true;
    private @Nullable Predicate<@Nullable Object> retryOnResult;
    private @Nullable Listener listener;

    private Builder() {}

    /** A name for logs and errors. */
    public Builder name(String name) {
      this.name = requireNonNull(name, "name");
      return this;
    }

    /** The most attempts, the first included (at least 1; 1 means no retry); default 3. */
    public Builder maxAttempts(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxAttempts must be at least 1, was " + n);
      }
      this.maxAttempts = n;
      return this;
    }

    /** The same delay before every retry (0 or more); default 500 ms. */
    public Builder delay(Duration delay) {
      Duration fixed = Duration.ofMillis(nonNegativeMillis(delay, "delay"));
      this.backoff = n -> fixed;
      return this;
    }

    /**
     * The delay before attempt {@code n + 1} as a function of {@code n} (1 after the first failure). A
     * function that throws, returns null or a negative delay rejects the execution with that error.
     */
    public Builder backoff(IntFunction<Duration> delayAfterAttempt) {
      this.backoff = requireNonNull(delayAfterAttempt, "delayAfterAttempt");
      return this;
    }

    /** Exponential backoff: {@code initial}, then times {@code multiplier} per retry, at most {@code max}. */
    public Builder exponentialBackoff(Duration initial, double multiplier, Duration max) {
      long first = nonNegativeMillis(initial, "exponentialBackoff initial");
      long cap = nonNegativeMillis(max, "exponentialBackoff max");
      this.backoff = Backoff.exponential("exponentialBackoff", first, multiplier, cap);
      return this;
    }

    /**
     * Spreads each delay uniformly over {@code delay × (1 ± factor)}, so that clients failing together do
     * not retry together; {@code factor} in [0, 1], default 0.
     */
    public Builder jitter(double factor) {
      if (!(factor >= 0 && factor <= 1)) {
        throw new IllegalArgumentException("jitter must be between 0 and 1, was " + factor);
      }
      this.jitter = factor;
      return this;
    }

    /**
     * The source of the jitter (default: {@link ThreadLocalRandom}); used from every loop that executes
     * through the retry, so give a thread-safe one unless a single loop uses it (as a seeded test does).
     */
    public Builder random(RandomGenerator random) {
      this.random = requireNonNull(random, "random");
      return this;
    }

    /**
     * The time budget of one execution, from its start on the loop's clock: an attempt that would start
     * later is not made (0, the default: no budget).
     */
    public Builder maxDuration(Duration budget) {
      long ms = nonNegativeMillis(budget, "maxDuration");
      this.maxDurationMillis = ms;
      return this;
    }

    /** Which errors are retried (default: all); the others reject at once. */
    public Builder retryOn(Predicate<? super Throwable> predicate) {
      this.retryOn = requireNonNull(predicate, "predicate");
      return this;
    }

    /** Which results are retried like failures (default: none), e.g. a response with status 503. */
    public Builder retryOnResult(Predicate<@Nullable Object> predicate) {
      this.retryOnResult = requireNonNull(predicate, "predicate");
      return this;
    }

    /** Receives the retries and outcomes (see {@link Listener}). */
    public Builder listener(Listener listener) {
      this.listener = requireNonNull(listener, "listener");
      return this;
    }

    /** A new retry. */
    public Retry build() {
      return new Retry(this);
    }

    private static long nonNegativeMillis(Duration d, String what) {
      long ms = requireNonNull(d, what).toMillis();
      if (ms < 0) {
        throw new IllegalArgumentException(what + " must not be negative, was " + d);
      }
      return ms;
    }
  }
}
