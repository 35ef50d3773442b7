package org.eventloop4j.sync;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.Callable;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.Promise;
import org.jspecify.annotations.Nullable;

/**
 * An async read-write lock: many readers at once, or one writer. Writer-preferring FIFO, cancellable,
 * closeable, safe to share between loops and threads.
 *
 * <pre>{@code
 * ReadWriteMutex rw = new ReadWriteMutex();
 * rw.executeRead(() -> cache.lookup(key));
 * rw.executeWrite(() -> cache.reload());
 * }</pre>
 *
 * <h2>Ordering</h2>
 *
 * <p>Requests are served in arrival order. A read lock is granted at once while no writer holds or waits;
 * once a writer waits, later readers queue behind it, so a writer is never starved by a stream of readers
 * (it waits only for the readers that came before it). When a writer unlocks, the readers queued right
 * behind it are granted together, up to the next queued writer. This is the order of a single FIFO queue
 * in which consecutive readers share the lock.
 *
 * <h2>Threads, cancellation, closing</h2>
 *
 * <p>As for {@link Semaphore}: the lock methods and the {@code execute} forms are loop-affine and their
 * promises settle on the calling loop; the {@code try}, unlock, close and introspection methods work on
 * any thread. An abort removes exactly that request unless it was granted first (then the promise fulfils
 * and the caller must unlock); a waiting writer that aborts lets the readers queued behind it in.
 * {@link #close(Throwable)} rejects every waiting and later request. Not reentrant: a reader that asks for
 * the write lock while holding its read lock deadlocks; so does a writer asking for a read lock.
 *
 * <h2>Errors</h2>
 *
 * <p>{@link #readUnlock()} without a read lock held, and {@link #writeUnlock()} without the write lock
 * held, throw {@link IllegalStateException} and change nothing. The try forms of a closed lock throw
 * {@link ClosedError}.
 */
public final class ReadWriteMutex {
  /*
   * Overview: PermitCore with capacity WRITER (2^30 - 1): a reader takes 1 permit, a writer all of them. The
   * core's strict FIFO with "grant every head waiter that fits" is exactly writer-preferring FIFO with
   * reader batching. Held == WRITER means a writer holds; 0 < held < WRITER means readers hold. The unlock
   * checks are range checks on held, done by the core's CAS, so a wrong unlock changes nothing.
   * Every request is at the core's priority 0: there are no priority forms, since a reader of a higher
   * priority would pass a waiting writer and undo the writer preference this class promises.
   * Tests: ReadWriteMutexTest, ReadWriteMutexCoreLincheckTest (model checking), ReadWriteMutexLincheckTest
   * (stress mode, through real loops), SyncStressTest.
   */
  static final int WRITER = (1 << 30) - 1;
  private final PermitCore core;

  /** An unlocked read-write mutex. */
  public ReadWriteMutex() {
    this(Settler.ON_LOOP);
  }

  /** A read-write mutex whose waiters are settled by {@code settler} (model-checking tests: loop-free). */
  ReadWriteMutex(Settler settler) {
    this.core = new PermitCore("read-write mutex", WRITER, settler);
  }

  /** The engine (model-checking tests drive its loop-free {@link PermitCore#enter}). */
  PermitCore core() {
    return core;
  }

  /** Takes a read lock (shared). Loop-affine. */
  public Promise<@Nullable Void> readLock() {
    return core.acquire(1, null);
  }

  /** {@link #readLock()}, giving up if {@code signal} aborts first. */
  public Promise<@Nullable Void> readLock(AbortSignal signal) {
    return core.acquire(1, requireNonNull(signal, "signal"));
  }

  /** Takes the write lock (exclusive). Loop-affine. */
  public Promise<@Nullable Void> writeLock() {
    return core.acquire(WRITER, null);
  }

  /** {@link #writeLock()}, giving up if {@code signal} aborts first. */
  public Promise<@Nullable Void> writeLock(AbortSignal signal) {
    return core.acquire(WRITER, requireNonNull(signal, "signal"));
  }

  /**
   * Takes a read lock if no writer holds or waits; never waits. Any thread.
   *
   * @throws ClosedError if the lock is closed (its cause: the reason given to {@link #close(Throwable)})
   */
  public boolean tryReadLock() {
    return core.tryAcquire(1);
  }

  /**
   * Takes the write lock if nobody holds or waits; never waits. Any thread.
   *
   * @throws ClosedError if the lock is closed (its cause: the reason given to {@link #close(Throwable)})
   */
  public boolean tryWriteLock() {
    return core.tryAcquire(WRITER);
  }

  /**
   * Gives back one read lock. Any thread.
   *
   * @throws IllegalStateException if no read lock is held
   */
  public void readUnlock() {
    if (!core.release(1, 1, WRITER - 1)) {
      throw new IllegalStateException("readUnlock() but no read lock is held"
          + (core.held() == WRITER ? " (the write lock is)" : ""));
    }
  }

  /**
   * Gives back the write lock. Any thread.
   *
   * @throws IllegalStateException if the write lock is not held
   */
  public void writeUnlock() {
    if (!core.release(WRITER, WRITER, WRITER)) {
      throw new IllegalStateException("writeUnlock() but the write lock is not held"
          + (core.held() > 0 ? " (" + core.held() + " read locks are)" : ""));
    }
  }

  /** Runs {@code task} holding a read lock, released once its promise settles. Loop-affine. */
  public <T> Promise<T> executeRead(Callable<? extends Promise<? extends T>> task) {
    requireNonNull(task, "task");
    return core.acquire(1, null).thenCompose(ignored -> Guarded.run(task, this::readUnlock));
  }

  /** {@link #executeRead(Callable)} whose lock request gives up if {@code signal} aborts first. */
  public <T> Promise<T> executeRead(AbortSignal signal, Callable<? extends Promise<? extends T>> task) {
    requireNonNull(task, "task");
    return core.acquire(1, requireNonNull(signal, "signal")).thenCompose(ignored -> Guarded.run(task, this::readUnlock));
  }

  /** Runs {@code task} holding the write lock, released once its promise settles. Loop-affine. */
  public <T> Promise<T> executeWrite(Callable<? extends Promise<? extends T>> task) {
    requireNonNull(task, "task");
    return core.acquire(WRITER, null).thenCompose(ignored -> Guarded.run(task, this::writeUnlock));
  }

  /** {@link #executeWrite(Callable)} whose lock request gives up if {@code signal} aborts first. */
  public <T> Promise<T> executeWrite(AbortSignal signal, Callable<? extends Promise<? extends T>> task) {
    requireNonNull(task, "task");
    return core.acquire(WRITER, requireNonNull(signal, "signal")).thenCompose(ignored -> Guarded.run(task, this::writeUnlock));
  }

  /** A promise fulfilled once nobody holds or waits for the lock — at once if so now. Loop-affine. */
  public Promise<@Nullable Void> waitForUnlock() {
    return core.onIdle();
  }

  /** The number of read locks held now (0 while a writer holds). Any thread. */
  public int readers() {
    long held = core.held();
    return held == WRITER ? 0 : (int) held;
  }

  /** Whether a writer holds the lock. Any thread. */
  public boolean isWriteLocked() {
    return core.held() == WRITER;
  }

  /** The number of lock requests (read and write) waiting. Any thread. */
  public int waiting() {
    return core.waiting();
  }

  /**
   * {@link #close(Throwable)} without a reason: lock requests reject with a {@link ClosedError} ("the
   * read-write mutex is closed").
   */
  public void close() {
    core.close(null);
  }

  /**
   * Rejects every waiting and later lock request with {@code reason} (the first close decides); a later try
   * form throws a {@link ClosedError} caused by it. Holders unlock as usual. Any thread.
   */
  public void close(Throwable reason) {
    core.close(requireNonNull(reason, "reason"));
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
