package org.eventloop4j.sync;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.Callable;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.Promise;
import org.jspecify.annotations.Nullable;

/**
 * An async counting semaphore: weighted, with optional priorities and strict FIFO order within one,
 * cancellable, closeable and resizable, safe to share between loops and threads.
 *
 * <pre>{@code
 * Semaphore limit = new Semaphore(3);
 * for (String url : urls) {
 *   limit.execute(() -> fetch(url)).thenAccept(body -> ...);   // at most 3 fetches at once
 * }
 * }</pre>
 *
 * <h2>Ordering</h2>
 *
 * <p>Acquires are granted in strict FIFO order of arrival, whatever their weight: a waiting
 * {@code acquire(5)} holds back a later {@code acquire(1)} even if one permit is free, so a large request
 * is never starved by small ones. An acquire that finds permits free and nobody queued is granted at once
 * (its promise is already fulfilled). {@link #tryAcquire} never overtakes a queued waiter of priority 0 or
 * higher. When permits come back, the waiters at the head of the queue that fit are granted together, in
 * order.
 *
 * <p><b>Priorities.</b> The forms without a priority acquire at priority 0; {@link #acquireWithPriority}
 * and {@link #executeWithPriority} take any {@code int}, higher first. The queue is ordered by priority,
 * and FIFO within one priority, with the rule above: a waiter is never overtaken by a later acquire of its
 * priority or lower, whatever their weights. An acquire of a higher priority than every waiter goes
 * ahead of them all: granted at once if its permits are free (even while a heavier, lower-priority waiter
 * waits for more), else it becomes the head of the queue and the others wait behind it. Priorities are
 * strict and do not age: while higher-priority acquires keep arriving and taking the permits, lower ones
 * wait, forever if that stream never pauses (unlike the tasks of a {@code WorkerPool}, whose waiting
 * raises their priority: a semaphore may be shared by loops with clocks of their own). Bound such a wait
 * with an {@link AbortSignal} (for example {@link AbortSignal#timeout}) where that matters.
 *
 * <h2>Threads</h2>
 *
 * <p>Every method is thread-safe. The promise-returning methods ({@code acquire}, {@code execute},
 * {@link #onIdle()}) must be called on a loop thread: the promise belongs to, and settles on, the calling
 * loop — also when the permit comes from a release on another thread, which posts the settlement to that
 * loop. {@link #tryAcquire}, {@link #release}, {@link #setPermits}, {@link #close} and the introspection
 * methods work on any thread, with or without a loop. Everything a thread did before a release
 * happens-before the reactions of the acquire that receives those permits. The uncontended paths take no
 * lock and, on the first loop that uses the semaphore, allocate nothing; a release never runs a waiter's
 * code synchronously, so waking any number of waiters one after another never deepens the stack.
 *
 * <p><b>Liveness.</b> A semaphore created inside a loop callback and used only by that loop behaves as in
 * JavaScript: a waiting acquire keeps nothing alive (a program whose every task waits for a permit ends).
 * A semaphore created outside any loop, or used by a second loop or a plain thread, is <em>shared</em>:
 * each waiting acquire keeps its loop alive until settled, since the permit may come from elsewhere. (A
 * semaphore created on loop A whose acquire on A waits before any other thread touched it does not keep
 * A alive; create shared primitives outside the loops.) On a loop with a virtual clock no waiter keeps the
 * loop alive, so that the clock can move on to the timer that releases it.
 *
 * <h2>Cancellation and closing</h2>
 *
 * <p>An acquire with an {@link AbortSignal} that is already aborted rejects with the signal's reason and
 * takes nothing. If the signal aborts while the acquire waits, exactly that waiter leaves the queue and
 * rejects with the reason (the waiters behind it may then be granted). If the permits were granted first
 * — possibly on another thread, before the promise settled — the abort does nothing: the acquire fulfils
 * and the caller holds the permits. Either way no permit is lost.
 *
 * <p>{@link #close(Throwable)} rejects every waiting acquire, and every later one, with the reason;
 * a later {@link #tryAcquire} throws {@link ClosedError}. Holders keep their permits and release them as usual; {@link #onIdle()} still tells when the last one
 * did. If a waiting loop is closed before its grant reaches it, the permits are given back and granted to
 * the next waiters.
 *
 * <h2>Errors</h2>
 *
 * <p>Bad arguments throw at once: a weight below 1 or above the current permit count
 * ({@link IllegalArgumentException}), a {@code null} ({@link NullPointerException}); {@code tryAcquire}
 * checks its weight likewise. Use after close: an acquire rejects, a {@code tryAcquire} throws {@link
 * ClosedError}. Releasing more
 * permits than are held throws {@link IllegalStateException} and changes nothing. A task given to
 * {@code execute} that throws or returns {@code null} rejects the result, after the permits were
 * released.
 */
public final class Semaphore {
  /*
   * Overview: a thin facade over PermitCore (see its overview for the state word, the races, the priority
   * order and the tests); this class adds the argument checks and the semaphore's vocabulary. The priority
   * forms are named apart (acquireWithPriority, not acquire(int, int)): acquire(2, 5) would not say which
   * number is the weight, and execute's overloads, which take lambdas, stay as they were.
   */
  private final PermitCore core;

  /**
   * A semaphore with {@code permits} permits, none held.
   *
   * @throws IllegalArgumentException if {@code permits} is below 1
   */
  public Semaphore(int permits) {
    this(permits, Settler.ON_LOOP);
  }

  /** A semaphore whose waiters are settled by {@code settler} (model-checking tests: a loop-free one). */
  Semaphore(int permits, Settler settler) {
    checkPermits(permits);
    this.core = new PermitCore("semaphore", permits, settler);
  }

  /** The engine (model-checking tests drive its loop-free {@link PermitCore#enter}). */
  PermitCore core() {
    return core;
  }

  /** Acquires one permit (see the class documentation). Loop-affine. */
  public Promise<@Nullable Void> acquire() {
    return core.acquire(1, null);
  }

  /**
   * Acquires {@code permits} permits at once, in FIFO order with every other acquire. Loop-affine.
   *
   * @throws IllegalArgumentException if {@code permits} is below 1 or above {@link #permits()}
   */
  public Promise<@Nullable Void> acquire(int permits) {
    return core.acquire(checkWeight(permits), null);
  }

  /**
   * Acquires {@code permits} permits at {@code priority} (see the class documentation): ahead of every
   * waiting acquire of a lower priority, behind those of the same or a higher one. {@code
   * acquireWithPriority(n, 0)} is {@link #acquire(int) acquire(n)}. Loop-affine.
   *
   * @throws IllegalArgumentException if {@code permits} is below 1 or above {@link #permits()}
   */
  public Promise<@Nullable Void> acquireWithPriority(int permits, int priority) {
    return core.acquire(checkWeight(permits), priority, null);
  }

  /**
   * {@link #acquireWithPriority(int, int)}, giving up if {@code signal} aborts first. Loop-affine.
   *
   * @throws IllegalArgumentException if {@code permits} is below 1 or above {@link #permits()}
   */
  public Promise<@Nullable Void> acquireWithPriority(int permits, int priority, AbortSignal signal) {
    return core.acquire(checkWeight(permits), priority, requireNonNull(signal, "signal"));
  }

  /** Acquires one permit, giving up if {@code signal} aborts first. Loop-affine. */
  public Promise<@Nullable Void> acquire(AbortSignal signal) {
    return core.acquire(1, requireNonNull(signal, "signal"));
  }

  /**
   * Acquires {@code permits} permits, giving up if {@code signal} aborts first. Loop-affine.
   *
   * @throws IllegalArgumentException if {@code permits} is below 1 or above {@link #permits()}
   */
  public Promise<@Nullable Void> acquire(int permits, AbortSignal signal) {
    return core.acquire(checkWeight(permits), requireNonNull(signal, "signal"));
  }

  /**
   * Takes one permit if one is free and nobody waits; never waits. Any thread.
   *
   * @throws ClosedError if the semaphore is closed (its cause: the reason given to {@link #close(Throwable)})
   */
  public boolean tryAcquire() {
    return core.tryAcquire(1);
  }

  /**
   * Takes {@code permits} permits if they are free and no acquire of priority 0 or higher waits (exactly when
   * {@link #acquire(int)} would be granted at once); never waits. Any thread. The permit
   * count it is checked against is the one in force when the call takes effect (a concurrent {@link
   * #setPermits} is either before or after it); the checks are those of {@link #acquire(int)}, the weight
   * first.
   *
   * @return whether the permits were taken; false if they are not free or an acquire of priority 0 or
   *     higher waits
   * @throws IllegalArgumentException if {@code permits} is below 1 or above {@link #permits()}
   * @throws ClosedError if the semaphore is closed (its cause: the reason given to {@link #close(Throwable)})
   */
  public boolean tryAcquire(int permits) {
    if (permits < 1) {
      throw new IllegalArgumentException("permits must be at least 1, was " + permits);
    }
    return core.tryAcquire(permits);
  }

  /** Releases one permit. Any thread. */
  public void release() {
    release(1);
  }

  /**
   * Releases {@code permits} permits, granting waiters that now fit. Any thread.
   *
   * @throws IllegalArgumentException if {@code permits} is below 1
   * @throws IllegalStateException if fewer than {@code permits} permits are held (nothing changes)
   */
  public void release(int permits) {
    if (permits < 1) {
      throw new IllegalArgumentException("permits must be at least 1, was " + permits);
    }
    if (!core.release(permits, permits, PermitCore.MAX_PERMITS)) {
      throw new IllegalStateException(
          "release(" + permits + ") but only " + core.held() + " permits of this semaphore are held");
    }
  }

  /**
   * Runs {@code task} holding one permit: acquires, calls the task, and releases once the task's promise
   * settles (or at once if the task throws). The result settles like the task's promise. Loop-affine.
   */
  public <T> Promise<T> execute(Callable<? extends Promise<? extends T>> task) {
    return execute(1, task);
  }

  /**
   * {@link #execute(Callable)} holding {@code permits} permits.
   *
   * @throws IllegalArgumentException if {@code permits} is below 1 or above {@link #permits()}
   */
  public <T> Promise<T> execute(int permits, Callable<? extends Promise<? extends T>> task) {
    requireNonNull(task, "task");
    int n = checkWeight(permits);
    return core.acquire(n, null).thenCompose(ignored -> Guarded.run(task, () -> release(n)));
  }

  /**
   * {@link #execute(int, Callable)} whose acquire gives up if {@code signal} aborts before it is granted; an
   * abort once the task runs does not concern the semaphore.
   */
  public <T> Promise<T> execute(int permits, AbortSignal signal, Callable<? extends Promise<? extends T>> task) {
    requireNonNull(task, "task");
    int n = checkWeight(permits);
    return core.acquire(n, requireNonNull(signal, "signal")).thenCompose(ignored -> Guarded.run(task, () -> release(n)));
  }

  /**
   * {@link #execute(int, Callable)} whose acquire is made at {@code priority} (see {@link
   * #acquireWithPriority(int, int)}).
   *
   * @throws IllegalArgumentException if {@code permits} is below 1 or above {@link #permits()}
   */
  public <T> Promise<T> executeWithPriority(int permits, int priority, Callable<? extends Promise<? extends T>> task) {
    requireNonNull(task, "task");
    int n = checkWeight(permits);
    return core.acquire(n, priority, null).thenCompose(ignored -> Guarded.run(task, () -> release(n)));
  }

  /**
   * {@link #execute(int, AbortSignal, Callable)} whose acquire is made at {@code priority} (see {@link
   * #acquireWithPriority(int, int)}).
   *
   * @throws IllegalArgumentException if {@code permits} is below 1 or above {@link #permits()}
   */
  public <T> Promise<T> executeWithPriority(
      int permits, int priority, AbortSignal signal, Callable<? extends Promise<? extends T>> task) {
    requireNonNull(task, "task");
    int n = checkWeight(permits);
    return core.acquire(n, priority, requireNonNull(signal, "signal"))
        .thenCompose(ignored -> Guarded.run(task, () -> release(n)));
  }

  /**
   * A promise that fulfils once no permit is held and no acquire waits — at once if that is so now. It
   * acquires nothing and outlives {@link #close}. Loop-affine.
   */
  public Promise<@Nullable Void> onIdle() {
    return core.onIdle();
  }

  /** The permits free now: {@link #permits()} minus those held, at least 0. Any thread. */
  public int available() {
    return core.available();
  }

  /** The number of acquires waiting. Any thread. */
  public int waiting() {
    return core.waiting();
  }

  /** The permit count (as given to the constructor or {@link #setPermits}). Any thread. */
  public int permits() {
    return core.capacity();
  }

  /**
   * Changes the permit count. Growing it grants the waiters that now fit; shrinking it below the permits
   * held makes later acquires wait until enough were released, and rejects (with {@link
   * IllegalStateException}) every waiting acquire heavier than the new count, which could never be
   * granted. Any thread.
   *
   * @throws IllegalArgumentException if {@code permits} is below 1
   */
  public void setPermits(int permits) {
    checkPermits(permits);
    core.resize(permits);
  }

  /**
   * {@link #close(Throwable)} without a reason of its own: acquires reject with a {@link ClosedError} ("the
   * semaphore is closed"). Any thread.
   */
  public void close() {
    core.close(null);
  }

  /**
   * Rejects every waiting acquire and every later one with {@code reason} (the first close decides; later
   * calls do nothing); later {@code tryAcquire} calls throw a {@link ClosedError} caused by {@code reason}.
   * Held permits stay held and are released as usual. Any thread.
   */
  public void close(Throwable reason) {
    core.close(requireNonNull(reason, "reason"));
  }

  /** Whether {@link #close} was called. Any thread. */
  public boolean isClosed() {
    return core.isClosed();
  }

  private int checkWeight(int permits) {
    if (permits < 1 || permits > core.capacity()) {
      throw new IllegalArgumentException(
          "permits must be between 1 and the semaphore's " + core.capacity() + " permits, was " + permits);
    }
    return permits;
  }

  private static void checkPermits(int permits) {
    if (permits < 1) {
      throw new IllegalArgumentException("a semaphore needs at least 1 permit, was " + permits);
    }
  }

  @Override
  public String toString() {
    return core.toString();
  }
}
