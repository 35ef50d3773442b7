package org.eventloop4j.sync;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.Callable;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.Promise;
import org.jspecify.annotations.Nullable;

/**
 * One {@link Mutex} per key ("lock by key"): calls for the same key run one at a time, in call order;
 * calls for different keys never wait for each other. A key's mutex exists only while the key is locked
 * or waited for, so memory is bounded by the keys in use, not by the keys ever used.
 *
 * <pre>{@code
 * KeyedMutex<String> perAccount = new KeyedMutex<>();
 * perAccount.execute(accountId, () -> readModifyWrite(accountId));   // serialised per account
 * }</pre>
 *
 * <p><b>Ordering, threads, cancellation</b> are the {@link Mutex}'s, per key: lock requests of a key are
 * granted in arrival order, an unlock with waiters hands the key straight to the oldest one, the promise of
 * {@code lock} settles on the loop that called it, an abort removes exactly that waiter unless the key was
 * handed to it first. {@code lock} and {@code execute} are loop-affine; the other methods work on any
 * thread. Keys are compared with {@code equals}/{@code hashCode} (they must not change while in use).
 *
 * <p><b>Close.</b> {@link #close(Throwable)} rejects every waiter of every key and every later {@code lock}
 * and {@code execute} with the reason; {@link #tryLock} then throws {@link ClosedError}. Holders keep their
 * keys and unlock as usual.
 *
 * <p><b>Errors.</b> A null key throws {@link NullPointerException}. {@link #unlock} of a key that is not
 * locked throws {@link IllegalStateException} naming the key and changes nothing.
 *
 * <p><b>Size.</b> {@link #size()} counts the keys held or waited for. A waiter that gives up (abort, close)
 * leaves its key's count when its rejection reaches its loop (a microtask later); a key whose only waiter
 * was granted while its loop was closing may stay counted, unlocked, until the key is used again.
 *
 * @param <K> the key type
 */
public final class KeyedMutex<K> {
  /* Overview: KeyedPermits with one permit per key (see its overview for the map's races and the tests). */
  private final KeyedPermits<K> keyed = new KeyedPermits<>("keyed mutex", "mutex", 1);

  /** A keyed mutex with no key locked. */
  public KeyedMutex() {}

  /** Locks {@code key}: a promise fulfilled once this caller holds it. Loop-affine. */
  public Promise<@Nullable Void> lock(K key) {
    return keyed.acquire(requireNonNull(key, "key"), 1, null);
  }

  /** {@link #lock(Object)}, giving up (rejecting with the signal's reason) if {@code signal} aborts first. */
  public Promise<@Nullable Void> lock(K key, AbortSignal signal) {
    return keyed.acquire(requireNonNull(key, "key"), 1, requireNonNull(signal, "signal"));
  }

  /**
   * Locks {@code key} if it is unlocked (so nobody waits for it); never waits. Any thread.
   *
   * @throws ClosedError if this keyed mutex is closed (its cause: the reason given to close)
   */
  public boolean tryLock(K key) {
    return keyed.tryAcquire(requireNonNull(key, "key"), 1);
  }

  /**
   * Unlocks {@code key}, handing it to its oldest waiter if there is one, else forgetting the key. Any
   * thread.
   *
   * @throws IllegalStateException if {@code key} is not locked
   */
  public void unlock(K key) {
    if (!keyed.release(requireNonNull(key, "key"), 1)) {
      throw new IllegalStateException("unlock(" + key + ") of a key that is not locked");
    }
  }

  /**
   * Runs {@code task} holding {@code key}: locks it, calls the task, and unlocks once the task's promise
   * settles (or at once if the task throws or returns null). The result settles like the task's promise.
   * Loop-affine.
   */
  public <T> Promise<T> execute(K key, Callable<? extends Promise<? extends T>> task) {
    requireNonNull(task, "task");
    return lock(key).thenCompose(ignored -> Guarded.run(task, () -> unlock(key)));
  }

  /** {@link #execute(Object, Callable)} whose lock request gives up if {@code signal} aborts before it is granted. */
  public <T> Promise<T> execute(K key, AbortSignal signal, Callable<? extends Promise<? extends T>> task) {
    requireNonNull(task, "task");
    return lock(key, signal).thenCompose(ignored -> Guarded.run(task, () -> unlock(key)));
  }

  /** Whether {@code key} is locked. Any thread. */
  public boolean isLocked(K key) {
    return keyed.held(requireNonNull(key, "key")) != 0;
  }

  /** The number of lock requests waiting for {@code key}. Any thread. */
  public int waiting(K key) {
    return keyed.waiting(requireNonNull(key, "key"));
  }

  /** The number of keys held or waited for (see the class comment for when a key leaves it). Any thread. */
  public int size() {
    return keyed.size();
  }

  /**
   * {@link #close(Throwable)} without a reason: requests reject with a {@link ClosedError} ("the keyed
   * mutex is closed").
   */
  public void close() {
    keyed.close(null);
  }

  /**
   * Rejects every waiting lock request of every key, and every later one, with {@code reason} (the first
   * close decides); a later {@link #tryLock} throws a {@link ClosedError} caused by it. Holders keep their
   * keys and unlock as usual. Any thread.
   */
  public void close(Throwable reason) {
    keyed.close(requireNonNull(reason, "reason"));
  }

  /** Whether {@link #close} was called. Any thread. */
  public boolean isClosed() {
    return keyed.isClosed();
  }

  @Override
  public String toString() {
    return keyed.toString();
  }
}
