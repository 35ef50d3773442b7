package org.eventloop4j.resilience;

import static java.util.Objects.requireNonNull;

import java.util.function.Function;
import java.util.function.Supplier;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Resolvers;
import org.eventloop4j.Timer;
import org.eventloop4j.internal.Bridge;
import org.jspecify.annotations.Nullable;

/**
 * One execution through a {@link Retry}: attempt, judge the outcome, wait, attempt again, until an
 * outcome ends it or the signal aborts.
 */
final class RetryRun<T> implements Runnable, Bridge.Callback {
  /*
   * Overview: everything runs on `loop`, the caller's: the attempts are started there, the reactions on their
   * promises are registered from it (Bridge.Promises.react runs them in its microtasks), the delay is its
   * timer and the signal's listener was added on it (so it runs there too). `done` therefore needs no
   * synchronisation: it drops an attempt's outcome that arrives after an abort, and an abort after the end.
   * The first attempt is made before anything is allocated: when it returns a promise of this loop that is
   * already fulfilled and no result is retried, that promise is the outcome (the common case costs no run, no
   * promise and no reaction). A zero delay starts the next attempt from a microtask, never a timer
   * (setTimeout(0) means 1 ms) and never a nested call (a call that keeps throwing synchronously must not
   * deepen the stack).
   */
  private static final Bridge.Promises PROMISES = Bridge.promises();

  private final Retry retry;
  private final @Nullable AbortSignal signal;
  private final @Nullable Supplier<? extends Promise<? extends T>> supplier;
  private final @Nullable Function<? super AbortSignal, ? extends Promise<? extends T>> function;
  private final EventLoop loop;
  private final long start;
  private final Resolvers<T> out = Promise.withResolvers();
  private AbortSignal.@Nullable Registration registration;
  private @Nullable Timer timer;
  private int attempts;
  private boolean done;

  private RetryRun(Retry retry, @Nullable AbortSignal signal, @Nullable Supplier<? extends Promise<? extends T>> s,
      @Nullable Function<? super AbortSignal, ? extends Promise<? extends T>> f, EventLoop loop, long start) {
    this.retry = retry;
    this.signal = signal;
    this.supplier = s;
    this.function = f;
    this.loop = loop;
    this.start = start;
    this.attempts = 1;
  }

  /** Makes the first attempt of an execution: through {@code s} if given, else through {@code f}. */
  @SuppressWarnings("unchecked")
  static <T> Promise<T> start(Retry retry, @Nullable AbortSignal signal,
      @Nullable Supplier<? extends Promise<? extends T>> s,
      @Nullable Function<? super AbortSignal, ? extends Promise<? extends T>> f) {
    EventLoop loop = EventLoop.current();
    if (signal != null && signal.aborted()) {
      return Promise.reject(reason(signal));
    }
    long start = loop.now();
    Promise<? extends T> first = null;
    Throwable thrown = null;
    try {
      first = call(signal, s, f);
    } catch (Throwable t) {
      thrown = t;
    }
    if (first != null && retry.acceptsAtOnce(first)) {
      retry.ended(1, true, null);
      return (Promise<T>) first;
    }
    RetryRun<T> run = new RetryRun<>(retry, signal, s, f, loop, start);
    if (signal != null) {
      run.registration = signal.addListener(run::aborted);
    }
    run.judge(first, thrown);
    if (signal != null && signal.aborted()) {
      run.aborted(); // aborted by the first attempt itself, before the listener was there
    }
    return run.out.promise();
  }

  private static <T> @Nullable Promise<? extends T> call(@Nullable AbortSignal signal,
      @Nullable Supplier<? extends Promise<? extends T>> s,
      @Nullable Function<? super AbortSignal, ? extends Promise<? extends T>> f) {
    return s != null ? s.get() : requireNonNull(f).apply(requireNonNull(signal));
  }

  /** Starts the next attempt (from start, a timer or a microtask). */
  @Override
  public void run() {
    timer = null;
    if (!done) {
      attempt();
    }
  }

  private void attempt() {
    attempts++;
    Promise<? extends T> promise = null;
    Throwable thrown = null;
    try {
      promise = call(signal, supplier, function);
    } catch (Throwable t) {
      thrown = t;
    }
    judge(promise, thrown);
  }

  /** Waits for an attempt's promise, or judges what it threw, or the null it returned. */
  private void judge(@Nullable Promise<? extends T> promise, @Nullable Throwable thrown) {
    if (thrown != null) {
      onRejected(thrown);
    } else if (promise == null) {
      fail(new NullPointerException("the call returned null instead of a promise"));
    } else {
      PROMISES.react(promise, this);
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public void onFulfilled(@Nullable Object value) {
    if (done) {
      return;
    }
    boolean again;
    try {
      again = retry.retriesResult(value);
    } catch (Throwable t) {
      fail(t);
      return;
    }
    if (!again) {
      end(true, null);
      out.resolve((T) value);
    } else if (!retryAfter(null)) {
      end(false, null);
      out.resolve((T) value);
    }
  }

  @Override
  public void onRejected(Throwable error) {
    if (done) {
      return;
    }
    boolean again;
    try {
      again = retry.retries(error);
    } catch (Throwable t) {
      t.addSuppressed(error);
      fail(t);
      return;
    }
    if (!again || !retryAfter(error)) {
      fail(error);
    }
  }

  /**
   * After a failure ({@code error}, or null for a result to retry): schedules the next attempt if an
   * attempt and time are left, or ends the execution if the backoff function fails — true either way;
   * false if nothing is left, for the caller to end the execution with the failure.
   */
  private boolean retryAfter(@Nullable Throwable error) {
    if (attempts >= retry.maxAttempts()) {
      return false;
    }
    long delay;
    try {
      delay = retry.delayMillis(attempts, error);
    } catch (Throwable t) {
      if (error != null) {
        t.addSuppressed(error);
      }
      fail(t);
      return true;
    }
    long budget = retry.maxDurationMillis();
    if (budget > 0 && loop.now() + delay > start + budget) {
      return false;
    }
    retry.retrying(attempts, error, delay);
    if (delay == 0) {
      loop.queueMicrotask(this);
    } else {
      timer = loop.setTimeout(this, delay);
    }
    return true;
  }

  private void aborted() {
    if (done) {
      return;
    }
    Timer t = timer;
    if (t != null) {
      t.clear();
    }
    fail(reason(signal));
  }

  private void fail(Throwable error) {
    end(false, error);
    out.reject(error);
  }

  private void end(boolean succeeded, @Nullable Throwable error) {
    done = true;
    AbortSignal.Registration r = registration;
    if (r != null) {
      r.close();
    }
    retry.ended(attempts, succeeded, error);
  }

  private static Throwable reason(@Nullable AbortSignal s) {
    Throwable r = s != null ? s.reason() : null;
    return r != null ? r : new IllegalStateException("signal reported aborted without a reason");
  }
}
