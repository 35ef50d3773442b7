package org.eventloop4j.sync;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.Callable;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.Promise;
import org.jspecify.annotations.Nullable;

/**
 * An async mutual-exclusion lock: a {@link Semaphore} with one permit, in a lock's vocabulary. Strictly
 * FIFO (within a priority, if {@link #lockWithPriority} is used), cancellable with an {@link AbortSignal},
 * closeable, safe to share between loops and threads.
 *
 * <pre>{@code
 * Mutex mutex = new Mutex();
 * mutex.execute(() -> readModifyWrite(account));   // one at a time, in call order
 * }</pre>
 *
 * <p><b>Not reentrant, and not owned.</b> The mutex does not know who locked it: a second {@link #lock()}
 * from the code that holds it waits for itself forever (a deadlock), and {@link #unlock()} may be called
 * by whoever was handed the lock, on any thread. Prefer {@link #execute}, which cannot forget to unlock.
 *
 * <p><b>Ordering, threads, cancellation, closing</b> are the {@link Semaphore}'s: lock requests are granted
 * in arrival order; an unlock with waiters hands the lock straight to the oldest one (the mutex never
 * appears unlocked in between, so {@link #tryLock()} cannot barge). With {@link #lockWithPriority} and
 * {@link #executeWithPriority} the waiters are served by priority, higher first, and in arrival order
 * within one (the other forms use priority 0): an unlock hands the lock to the oldest waiter of the
 * highest priority. Priorities are strict and do not age, so a steady stream of higher-priority requests
 * starves lower ones (see {@link Semaphore}, Priorities); the promise of {@code lock} settles on
 * the loop that called it; an abort removes exactly that waiter unless the lock was handed to it first
 * (then the lock fulfils and must be unlocked); {@link #close(Throwable)} rejects every waiting and later
 * lock. {@code lock}, {@code execute} and {@link #waitForUnlock()} are loop-affine; the other methods work
 * on any thread.
 *
 * <p><b>Errors.</b> {@link #unlock()} of a mutex that is not locked throws {@link IllegalStateException}
 * and changes nothing. {@link #tryLock()} of a closed mutex throws {@link ClosedError}.
 */
public final class Mutex {
  /* Overview: PermitCore with capacity 1 (see its overview for the races and the tests). */
  private final PermitCore core;
  /** The conditions made by {@link #newCondition()} that have waiters; they learn of a close through it. */
  private final AsyncCondition.Hub conditions = new AsyncCondition.Hub();

  /** An unlocked mutex. */
  public Mutex() {
    this(Settler.ON_LOOP);
  }

  /** A mutex whose waiters are settled by {@code settler} (model-checking tests: a loop-free one). */
  Mutex(Settler settler) {
    this.core = new PermitCore("mutex", 1, settler);
  }

  /** The engine (model-checking tests drive its loop-free {@link PermitCore#enter}). */
  PermitCore core() {
    return core;
  }

  /** Locks the mutex: a promise fulfilled once this caller holds it. Loop-affine. */
  public Promise<@Nullable Void> lock() {
    return core.acquire(1, null);
  }

  /** {@link #lock()}, giving up (rejecting with the signal's reason) if {@code signal} aborts first. */
  public Promise<@Nullable Void> lock(AbortSignal signal) {
    return core.acquire(1, requireNonNull(signal, "signal"));
  }

  /**
   * Locks the mutex at {@code priority}: a waiting request is served after every request of a higher
   * priority and before every one of a lower priority, in arrival order within one ({@link #lock()} is
   * priority 0). Named apart from {@code lock} because {@code lock(5)} would read like a weight or a
   * timeout. Loop-affine.
   */
  public Promise<@Nullable Void> lockWithPriority(int priority) {
    return core.acquire(1, priority, null);
  }

  /** {@link #lockWithPriority(int)}, giving up (rejecting with the signal's reason) if {@code signal} aborts first. */
  public Promise<@Nullable Void> lockWithPriority(int priority, AbortSignal signal) {
    return core.acquire(1, priority, requireNonNull(signal, "signal"));
  }

  /**
   * Locks the mutex if it is unlocked (so nobody waits); never waits. Any thread.
   *
   * @throws ClosedError if the mutex is closed (its cause: the reason given to {@link #close(Throwable)})
   */
  public boolean tryLock() {
    return core.tryAcquire(1);
  }

  /**
   * Unlocks the mutex, handing it to the oldest waiter (of the highest priority) if there is one. Any
   * thread.
   *
   * @throws IllegalStateException if the mutex is not locked
   */
  public void unlock() {
    if (!core.release(1, 1, 1)) {
      throw new IllegalStateException("unlock() of a mutex that is not locked");
    }
  }

  /**
   * Runs {@code task} holding the lock: locks, calls the task, and unlocks once the task's promise settles
   * (or at once if the task throws). The result settles like the task's promise. Loop-affine.
   */
  public <T> Promise<T> execute(Callable<? extends Promise<? extends T>> task) {
    requireNonNull(task, "task");
    return core.acquire(1, null).thenCompose(ignored -> Guarded.run(task, this::unlock));
  }

  /** {@link #execute(Callable)} whose lock request gives up if {@code signal} aborts before it is granted. */
  public <T> Promise<T> execute(AbortSignal signal, Callable<? extends Promise<? extends T>> task) {
    requireNonNull(task, "task");
    return core.acquire(1, requireNonNull(signal, "signal")).thenCompose(ignored -> Guarded.run(task, this::unlock));
  }

  /** {@link #execute(Callable)} whose lock request is made at {@code priority} (see {@link #lockWithPriority}). */
  public <T> Promise<T> executeWithPriority(int priority, Callable<? extends Promise<? extends T>> task) {
    requireNonNull(task, "task");
    return core.acquire(1, priority, null).thenCompose(ignored -> Guarded.run(task, this::unlock));
  }

  /** {@link #execute(AbortSignal, Callable)} whose lock request is made at {@code priority}. */
  public <T> Promise<T> executeWithPriority(
      int priority, AbortSignal signal, Callable<? extends Promise<? extends T>> task) {
    requireNonNull(task, "task");
    return core.acquire(1, priority, requireNonNull(signal, "signal"))
        .thenCompose(ignored -> Guarded.run(task, this::unlock));
  }

  /**
   * A new condition variable of this mutex (see {@link AsyncCondition}): {@code await} it holding the
   * mutex; a close of the mutex rejects its waiters. Any thread.
   */
  public AsyncCondition newCondition() {
    return new AsyncCondition(this, conditions, core.settler());
  }

  /**
   * A promise fulfilled once the mutex is unlocked with nobody waiting for it — at once if so now. It does
   * not lock. Loop-affine.
   */
  public Promise<@Nullable Void> waitForUnlock() {
    return core.onIdle();
  }

  /** Whether the mutex is locked. Any thread. */
  public boolean isLocked() {
    return core.held() != 0;
  }

  /** The number of lock requests waiting. Any thread. */
  public int waiting() {
    return core.waiting();
  }

  /**
   * {@link #close(Throwable)} without a reason: lock requests reject with a {@link ClosedError} ("the mutex
   * is closed").
   */
  public void close() {
    core.close(conditions.close(null));
  }

  /**
   * Rejects every waiting lock request and every later one with {@code reason} (the first close decides);
   * a later {@link #tryLock()} throws a {@link ClosedError} caused by it. A holder keeps the lock and unlocks as usual. Any thread.
   */
  public void close(Throwable reason) {
    core.close(conditions.close(requireNonNull(reason, "reason")));
  }

  /** Whether {@link #close} was called. Any thread. */
  public boolean isClosed() {
    return core.isClosed();
  }

  @Override
  public String toString() {
    return core.toString();
  }
}
