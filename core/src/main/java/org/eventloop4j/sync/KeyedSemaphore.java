package org.eventloop4j.sync;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.Callable;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.Promise;
import org.jspecify.annotations.Nullable;

/**
 * One {@link Semaphore} of the same permit count per key ("at most N at once per user, per host"): requests
 * for the same key share its permits, in arrival order; requests for different keys never wait for each
 * other. A key's semaphore exists only while some of its permits are held or waited for, so memory is
 * bounded by the keys in use, not by the keys ever used.
 *
 * <pre>{@code
 * KeyedSemaphore<String> perHost = new KeyedSemaphore<>(4);
 * perHost.execute(url.getHost(), () -> fetch(url));   // at most 4 requests per host at once
 * }</pre>
 *
 * <p>For a limit per key <em>and</em> a global one, nest the two: {@code global.execute(() ->
 * perHost.execute(host, task))} waits for a global permit first, then for the host's, holding the global
 * one meanwhile; the other order holds a host permit while waiting for a global one. Choose by which wait
 * should not occupy the other's permits.
 *
 * <p><b>Ordering, threads, cancellation</b> are the {@link Semaphore}'s, per key: a key's requests are
 * served strictly in arrival order (head-of-line: a heavy request that does not fit yet blocks the lighter
 * ones behind it, so it is never starved), a release grants the oldest waiters that now fit, the promise of
 * {@code acquire} settles on the loop that called it, an abort removes exactly that waiter unless it was
 * granted first (then it holds the permits). {@code acquire} and {@code execute} are loop-affine; the other
 * methods work on any thread. Keys are compared with {@code equals}/{@code hashCode} (they must not change
 * while in use).
 *
 * <p><b>Close.</b> {@link #close(Throwable)} rejects every waiter of every key and every later {@code
 * acquire} and {@code execute} with the reason; {@link #tryAcquire} then throws {@link ClosedError}. Holders
 * keep their permits and release as usual.
 *
 * <p><b>Errors.</b> A null key throws {@link NullPointerException}; a weight below 1 or above {@link
 * #permits()} throws {@link IllegalArgumentException}; {@link #release} of more permits of a key than are
 * held throws {@link IllegalStateException} naming the key and changes nothing.
 *
 * <p><b>Size.</b> {@link #size()} counts the keys with permits held or waited for, as {@link KeyedMutex}'s
 * does: a waiter that gives up (abort, close) leaves its key's count when its rejection reaches its loop
 * (a microtask later).
 *
 * @param <K> the key type
 */
public final class KeyedSemaphore<K> {
  /* Overview: KeyedPermits (see its overview for the map's races and the tests); this adds the checks. */
  private final KeyedPermits<K> keyed;

  /**
   * A keyed semaphore with {@code permitsPerKey} permits for each key, none held.
   *
   * @throws IllegalArgumentException if {@code permitsPerKey} is below 1
   */
  public KeyedSemaphore(int permitsPerKey) {
    if (permitsPerKey < 1) {
      throw new IllegalArgumentException("a keyed semaphore needs at least 1 permit per key, was " + permitsPerKey);
    }
    this.keyed = new KeyedPermits<>("keyed semaphore", "semaphore", permitsPerKey);
  }

  /** Acquires one permit of {@code key}. Loop-affine. */
  public Promise<@Nullable Void> acquire(K key) {
    return acquire(key, 1);
  }

  /**
   * Acquires {@code permits} permits of {@code key} at once, in FIFO order with the key's other requests.
   * Loop-affine.
   *
   * @throws IllegalArgumentException if {@code permits} is below 1 or above {@link #permits()}
   */
  public Promise<@Nullable Void> acquire(K key, int permits) {
    return keyed.acquire(requireNonNull(key, "key"), checkWeight(permits), null);
  }

  /** {@link #acquire(Object)}, giving up (rejecting with the signal's reason) if {@code signal} aborts first. */
  public Promise<@Nullable Void> acquire(K key, AbortSignal signal) {
    return acquire(key, 1, signal);
  }

  /** {@link #acquire(Object, int)}, giving up if {@code signal} aborts before the permits are granted. */
  public Promise<@Nullable Void> acquire(K key, int permits, AbortSignal signal) {
    return keyed.acquire(requireNonNull(key, "key"), checkWeight(permits), requireNonNull(signal, "signal"));
  }

  /**
   * Takes one permit of {@code key} if one is free and nobody waits for the key; never waits. Any thread.
   *
   * @throws ClosedError if closed (its cause: the reason given to {@link #close(Throwable)})
   */
  public boolean tryAcquire(K key) {
    return tryAcquire(key, 1);
  }

  /**
   * Takes {@code permits} permits of {@code key} if they are free and nobody waits for the key (exactly when
   * {@link #acquire(Object, int)} would be granted at once); never waits. Any thread.
   *
   * @throws IllegalArgumentException if {@code permits} is below 1 or above {@link #permits()}
   * @throws ClosedError if closed (its cause: the reason given to {@link #close(Throwable)})
   */
  public boolean tryAcquire(K key, int permits) {
    return keyed.tryAcquire(requireNonNull(key, "key"), checkWeight(permits));
  }

  /** Releases one permit of {@code key}. Any thread. */
  public void release(K key) {
    release(key, 1);
  }

  /**
   * Releases {@code permits} permits of {@code key}, granting its waiters that now fit, or forgetting the
   * key once nothing of it is held or waited for. Any thread.
   *
   * @throws IllegalArgumentException if {@code permits} is below 1
   * @throws IllegalStateException if fewer than {@code permits} permits of {@code key} are held (nothing
   *     changes)
   */
  public void release(K key, int permits) {
    requireNonNull(key, "key");
    if (permits < 1) {
      throw new IllegalArgumentException("permits must be at least 1, was " + permits);
    }
    if (!keyed.release(key, permits)) {
      throw new IllegalStateException("release(" + key + ", " + permits + ") but only " + keyed.held(key)
          + " permits of that key are held");
    }
  }

  /**
   * Runs {@code task} holding one permit of {@code key}: acquires, calls the task, and releases once the
   * task's promise settles (or at once if the task throws or returns null). The result settles like the
   * task's promise. Loop-affine.
   */
  public <T> Promise<T> execute(K key, Callable<? extends Promise<? extends T>> task) {
    return execute(key, 1, task);
  }

  /**
   * {@link #execute(Object, Callable)} holding {@code permits} permits of {@code key}.
   *
   * @throws IllegalArgumentException if {@code permits} is below 1 or above {@link #permits()}
   */
  public <T> Promise<T> execute(K key, int permits, Callable<? extends Promise<? extends T>> task) {
    requireNonNull(task, "task");
    return acquire(key, permits).thenCompose(ignored -> Guarded.run(task, () -> release(key, permits)));
  }

  /**
   * {@link #execute(Object, int, Callable)} whose acquire gives up if {@code signal} aborts before it is
   * granted; an abort once the task runs does not concern the semaphore.
   */
  public <T> Promise<T> execute(
      K key, int permits, AbortSignal signal, Callable<? extends Promise<? extends T>> task) {
    requireNonNull(task, "task");
    return acquire(key, permits, signal).thenCompose(ignored -> Guarded.run(task, () -> release(key, permits)));
  }

  /** The permits of {@code key} free now ({@link #permits()} for a key not in use). Any thread. */
  public int available(K key) {
    return keyed.available(requireNonNull(key, "key"));
  }

  /** The number of requests waiting for {@code key}. Any thread. */
  public int waiting(K key) {
    return keyed.waiting(requireNonNull(key, "key"));
  }

  /** The permits each key has. */
  public int permits() {
    return keyed.permits();
  }

  /** The number of keys with permits held or waited for (see the class comment). Any thread. */
  public int size() {
    return keyed.size();
  }

  /**
   * {@link #close(Throwable)} without a reason: requests reject with a {@link ClosedError} ("the keyed
   * semaphore is closed").
   */
  public void close() {
    keyed.close(null);
  }

  /**
   * Rejects every waiting request of every key, and every later one, with {@code reason} (the first close
   * decides); a later {@link #tryAcquire} throws a {@link ClosedError} caused by it. Holders keep their
   * permits and release as usual. Any thread.
   */
  public void close(Throwable reason) {
    keyed.close(requireNonNull(reason, "reason"));
  }

  /** Whether {@link #close} was called. Any thread. */
  public boolean isClosed() {
    return keyed.isClosed();
  }

  private int checkWeight(int permits) {
    if (permits < 1 || permits > keyed.permits()) {
      throw new IllegalArgumentException(
          "permits must be between 1 and the " + keyed.permits() + " permits per key, was " + permits);
    }
    return permits;
  }

  @Override
  public String toString() {
    return keyed.toString();
  }
}
