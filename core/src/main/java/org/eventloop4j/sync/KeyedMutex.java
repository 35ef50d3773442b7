package org.eventloop4j.sync;

import static java.util.Objects.requireNonNull;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
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
  /*
   * Overview for maintainers.
   *
   * Data: a ConcurrentHashMap from key to the key's Mutex. An entry is *idle* when its mutex is unlocked
   * and nobody waits for it (`idle`: waiting() == 0, then !isLocked()); an idle entry is removed by the
   * very map operation that made it idle. There is no separate reference count: the mutex's own state is
   * the count of users (holder + waiters).
   *
   * The race: thread A looks up the entry of key k to lock it while thread B unlocks k, sees the entry idle
   * and removes it; A then locks a mutex no longer in the map, and a third caller creates a fresh entry
   * for k and locks it too — two holders of k. It is closed by doing every change of an entry's mutex that
   * can make it busy *inside* ConcurrentHashMap.compute of that key (lock, tryLock: both take effect at once
   * — granted or queued — and run no user code), and every unlock inside compute too, followed by the idle
   * check, so lookup + lock and unlock + idle check + removal are each atomic per key. Changes that make an
   * entry idle outside compute (an abort or close rejecting a waiter) are followed by a compute that
   * re-checks (dropIfIdle, from the rejected lock's reaction); reading waiting() before isLocked() is safe
   * because, with nobody waiting and nobody able to start waiting (that needs this key's compute), the
   * mutex can only go from locked to unlocked. Mutex operations inside compute never call back into the map
   * (a grant or rejection settles promises — their reactions are microtasks — or posts to another loop).
   *
   * Close vs a concurrent lock: close sets `closed` (a CAS: the first close decides) and then closes the
   * mutex of every key inside that key's compute; a lock or tryLock reads `closed` inside its compute. For
   * a key already in the map the computes of the key serialise the two: the request is either refused or
   * in the mutex before close closes it. A compute that makes a *new* entry is invisible to close's
   * iteration until it returns (ConcurrentHashMap reserves the bin), so close would miss a grant made on a
   * fresh mutex by a compute that read `closed` unset, and a size() or isLocked() after close returned
   * would not see that holder, which must linearise before the close (KeyedMutexLincheckTest found this:
   * close, then size() 0, with a concurrent tryLock granted). So such computes are announced: `creating`
   * is incremented before `closed` is read (apply), and close, after its CAS, waits (spinning, then
   * yielding: the computes run no user code) until no announced compute is left before iterating. Either a
   * compute reads `closed` set and refuses, or close reads its announcement and waits for it to publish.
   * Requests for a key in the map (containsKey) skip the announcement; if the entry is gone by the time
   * of their compute they retry on the announced path. A second close waits (the monitor `closing`) until
   * the first has closed every key, so that no close returns before the close is complete.
   *
   * Counting and reading: ConcurrentHashMap.size() counts a new entry only after its compute has
   * published it, and get() sees an entry before that count moves, so size() and isLocked() disagreed
   * (KeyedMutexCoreLincheckTest: isLocked(k) true, then size() 0). So `keys` is changed inside the compute
   * that makes or drops an entry (keepIfBusy), and isLocked(k)/waiting(k) read inside a compute of k
   * (read), which waits for a compute of k in flight: every observation of a key is then ordered with the
   * compute that changed it.
   *
   * Tests: KeyedMutexTest (behaviour on virtual time, 10^5 keys leave size() 0),
   * KeyedMutexCoreLincheckTest (model checking of tryLock, unlock, isLocked, size and close: the map's
   * races), KeyedMutexLincheckTest (stress mode through loops against a sequential map of FIFO mutexes: lock, abort, tryLock, unlock,
   * isLocked, size, close), KeyedMutexStressTest (several loops and a thread on a few hot keys, exact
   * counters per key, size() 0 at the end).
   */
  private static final VarHandle CLOSED;
  private static final VarHandle CREATING;
  private static final VarHandle KEYS;

  static {
    try {
      CLOSED = MethodHandles.lookup().findVarHandle(KeyedMutex.class, "closed", Closed.class);
      CREATING = MethodHandles.lookup().findVarHandle(KeyedMutex.class, "creating", int.class);
      KEYS = MethodHandles.lookup().findVarHandle(KeyedMutex.class, "keys", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** A close: the reason given (null for none) and what requests reject with. */
  private record Closed(@Nullable Throwable reason, Throwable failure) {}

  private final ConcurrentHashMap<K, Mutex> locks = new ConcurrentHashMap<>();
  private volatile @Nullable Closed closed;
  /** The computes under way that may make a new entry (announced before they read {@code closed}). */
  private volatile int creating;
  /**
   * The keys with an entry, changed inside the compute that makes or drops one (keepIfBusy): unlike the
   * map's own size(), which counts an entry only after its compute has published it, this count moves at
   * a point ordered with every compute of that key.
   */
  private volatile int keys;

  /** A keyed mutex with no key locked. */
  public KeyedMutex() {}

  /** Locks {@code key}: a promise fulfilled once this caller holds it. Loop-affine. */
  public Promise<@Nullable Void> lock(K key) {
    return request(key, null);
  }

  /** {@link #lock(Object)}, giving up (rejecting with the signal's reason) if {@code signal} aborts first. */
  public Promise<@Nullable Void> lock(K key, AbortSignal signal) {
    return request(key, requireNonNull(signal, "signal"));
  }

  private Promise<@Nullable Void> request(K key, @Nullable AbortSignal signal) {
    requireNonNull(key, "key");
    Object r = apply(key, m -> signal == null ? m.lock() : m.lock(signal));
    if (r instanceof Closed c) {
      return Promise.reject(c.failure);
    }
    @SuppressWarnings("unchecked")
    Promise<@Nullable Void> p = (Promise<@Nullable Void>) r;
    return p.state() == Promise.State.PENDING ? p.catchCompose(e -> dropIfIdle(key, e)) : p;
  }

  /**
   * Applies {@code op} (a lock or tryLock: it takes effect at once and runs no user code) to the key's mutex,
   * made if absent, inside the key's compute; then drops the entry if it is idle. Answers what {@code op}
   * answered, or the {@link Closed} record if closed (then {@code op} is not applied).
   */
  private Object apply(K key, Function<Mutex, Object> op) {
    Object[] out = new Object[1];
    if (locks.containsKey(key)) { // the usual case of a key in use: no creation to announce
      locks.computeIfPresent(key, (k, m) -> applyLocked(true, m, op, out));
      if (out[0] != null) {
        return out[0];
      }
    }
    CREATING.getAndAdd(this, 1); // announced before `closed` is read: see the overview
    try {
      locks.compute(key, (k, m) -> applyLocked(m != null, m != null ? m : new Mutex(), op, out));
    } finally {
      CREATING.getAndAdd(this, -1);
    }
    return requireNonNull(out[0]);
  }

  private @Nullable Mutex applyLocked(boolean existed, Mutex m, Function<Mutex, Object> op, Object[] out) {
    Closed c = closed;
    out[0] = c != null ? c : op.apply(m);
    return keepIfBusy(existed, m);
  }

  /**
   * What a compute of a key leaves in the map: {@code m}, or nothing if it is idle; counts the entry in or
   * out of {@link #size()} when that changes whether the key has one ({@code existed}: it had one before).
   */
  private @Nullable Mutex keepIfBusy(boolean existed, Mutex m) {
    boolean keep = !idle(m);
    if (keep != existed) {
      KEYS.getAndAdd(this, keep ? 1 : -1);
    }
    return keep ? m : null;
  }

  /** The reaction of a lock request that was rejected while it waited: removes its key's entry if idle. */
  private Promise<@Nullable Void> dropIfIdle(K key, Throwable reason) {
    locks.computeIfPresent(key, (k, m) -> keepIfBusy(true, m));
    return Promise.reject(reason);
  }

  /** Whether nobody holds or waits for {@code m}; exact inside the key's compute (see the overview). */
  private static boolean idle(Mutex m) {
    return m.waiting() == 0 && !m.isLocked();
  }

  /**
   * Locks {@code key} if it is unlocked (so nobody waits for it); never waits. Any thread.
   *
   * @throws ClosedError if this keyed mutex is closed (its cause: the reason given to close)
   */
  public boolean tryLock(K key) {
    requireNonNull(key, "key");
    Object r = apply(key, Mutex::tryLock);
    if (r instanceof Closed c) {
      throw new ClosedError("the keyed mutex is closed", c.reason);
    }
    return (Boolean) r;
  }

  /**
   * Unlocks {@code key}, handing it to its oldest waiter if there is one, else forgetting the key. Any
   * thread.
   *
   * @throws IllegalStateException if {@code key} is not locked
   */
  public void unlock(K key) {
    requireNonNull(key, "key");
    boolean[] unlocked = {false};
    locks.computeIfPresent(key, (k, m) -> {
      if (m.isLocked()) {
        m.unlock();
        unlocked[0] = true;
      }
      return keepIfBusy(true, m);
    });
    if (!unlocked[0]) {
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
    return read(key, Mutex::isLocked, false);
  }

  /** The number of lock requests waiting for {@code key}. Any thread. */
  public int waiting(K key) {
    return read(key, Mutex::waiting, 0);
  }

  /** The number of keys held or waited for (see the class comment for when a key leaves it). Any thread. */
  public int size() {
    return keys;
  }

  /**
   * {@link #close(Throwable)} without a reason: requests reject with a {@link ClosedError} ("the keyed
   * mutex is closed").
   */
  public void close() {
    close(null, new ClosedError("the keyed mutex is closed"));
  }

  /**
   * Rejects every waiting lock request of every key, and every later one, with {@code reason} (the first
   * close decides); a later {@link #tryLock} throws a {@link ClosedError} caused by it. Holders keep their
   * keys and unlock as usual. Any thread.
   */
  public void close(Throwable reason) {
    close(requireNonNull(reason, "reason"), reason);
  }

  /**
   * Held by a close for its whole run, so that a second close returns only once the first one has closed
   * every key (KeyedMutexLincheckTest: a losing close that returned at once let an unlock hand a key to a
   * waiter the first close had not rejected yet).
   */
  private final Object closing = new Object();

  private void close(@Nullable Throwable reason, Throwable failure) {
    synchronized (closing) {
      if (!CLOSED.compareAndSet(this, null, new Closed(reason, failure))) {
        return;
      }
      awaitCreations();
      for (K key : locks.keySet()) {
        locks.computeIfPresent(key, (k, m) -> {
          m.close(failure);
          return keepIfBusy(true, m);
        });
      }
    }
  }

  /** Waits for the computes that may make a new entry and read `closed` before it was set (see the overview). */
  private void awaitCreations() {
    for (int round = 0; creating != 0; round++) {
      if (round < 100) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
    }
  }

  /**
   * Reads {@code key}'s mutex inside the key's compute, so that the read is ordered with the computes that
   * make, change or drop its entry (a plain get could see a new entry before {@link #size()} counts it).
   */
  private <T> T read(K key, Function<Mutex, T> reader, T absent) {
    Object[] out = {absent};
    locks.computeIfPresent(requireNonNull(key, "key"), (k, m) -> {
      out[0] = reader.apply(m);
      return m;
    });
    @SuppressWarnings("unchecked")
    T value = (T) out[0];
    return value;
  }

  /** Whether {@link #close} was called. Any thread. */
  public boolean isClosed() {
    return closed != null;
  }

  @Override
  public String toString() {
    return "keyed mutex[keys=" + size() + (isClosed() ? ", closed" : "") + "]";
  }
}
