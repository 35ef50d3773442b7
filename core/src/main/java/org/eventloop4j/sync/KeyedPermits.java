package org.eventloop4j.sync;

import static java.util.Objects.requireNonNull;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.Promise;
import org.jspecify.annotations.Nullable;

/**
 * The engine of {@link KeyedMutex} and {@link KeyedSemaphore}: one {@link PermitCore} of {@code permits}
 * permits per key, made when a key is first requested and dropped when it becomes idle (nothing held,
 * nobody waiting). Thread-safe; weights and keys are checked by the facades.
 */
final class KeyedPermits<K> {
  /*
   * Overview for maintainers.
   *
   * Data: a ConcurrentHashMap from key to the key's PermitCore. An entry is *idle* when nothing of its core
   * is held and nobody waits for it (`idle`: waiting() == 0, then held() == 0); an idle entry is removed by
   * the very map operation that made it idle. There is no separate reference count: the core's own state is
   * the count of users (holders + waiters).
   *
   * The race: thread A looks up the entry of key k to acquire it while thread B releases k, sees the entry
   * idle and removes it; A then acquires a core no longer in the map, and a third caller creates a fresh
   * entry for k and acquires it too — more holders of k than it has permits. It is closed by doing every
   * change of an entry's core that can make it busy *inside* ConcurrentHashMap.compute of that key (acquire,
   * tryAcquire: both take effect at once — granted or queued — and run no user code), and every release
   * inside compute too, followed by the idle check, so lookup + acquire and release + idle check + removal are
   * each atomic per key. Changes that make an entry idle outside compute (an abort or close rejecting a
   * waiter) are followed by a compute that re-checks (dropIfIdle, from the rejected request's reaction);
   * reading waiting() before held() is safe because, with nobody waiting and nobody able to start waiting
   * or acquiring (that needs this key's compute), held can only go down. Core operations inside compute
   * never call back into the map (a grant or rejection settles promises — their reactions are microtasks —
   * or posts to another loop).
   *
   * Close vs a concurrent acquire: close sets `closed` (a CAS: the first close decides) and then closes the
   * core of every key inside that key's compute; an acquire or tryAcquire reads `closed` inside its compute.
   * For a key already in the map the computes of the key serialise the two: the request is either refused
   * or in the core before close closes it. A compute that makes a *new* entry is invisible to close's
   * iteration until it returns (ConcurrentHashMap reserves the bin), so close would miss a grant made on a
   * fresh core by a compute that read `closed` unset, and a size() or held() after close returned would not
   * see that holder, which must linearise before the close (KeyedMutexLincheckTest found this: close, then
   * size() 0, with a concurrent tryLock granted). So such computes are announced: `creating` is incremented
   * before `closed` is read (apply), and close, after its CAS, waits (spinning, then yielding: the computes
   * run no user code) until no announced compute is left before iterating. Either a compute reads `closed`
   * set and refuses, or close reads its announcement and waits for it to publish. Requests for a key in the
   * map (containsKey) skip the announcement; if the entry is gone by the time of their compute they retry on
   * the announced path. A second close waits (the monitor `closing`) until the first has closed every key,
   * so that no close returns before the close is complete.
   *
   * Close is one step to every observer: an operation that finds `closed` set while the close still goes
   * through the keys waits (awaitClosed: spinning, then yielding) until `closeDone`. Without it a thread
   * could see the close (its acquire refused) and then act on a key the close had not reached yet — its
   * release handing the key to a waiter the close was about to reject (KeyedSemaphoreLincheckTest found
   * exactly that: acquire refused, release, then the waiter granted after the close). An operation that
   * read `closed` unset and lands on a key the close has reached linearises after the close; whatever the
   * same thread does next reads `closed` set (the close's CAS precedes its compute of that key) and waits.
   *
   * Counting and reading: ConcurrentHashMap.size() counts a new entry only after its compute has published
   * it, and get() sees an entry before that count moves, so size() and a per-key read disagreed
   * (KeyedMutexCoreLincheckTest: isLocked(k) true, then size() 0). So `keys` is changed inside the compute
   * that makes or drops an entry (keepIfBusy), and per-key reads happen inside a compute of k (read), which
   * waits for a compute of k in flight: every observation of a key is then ordered with the compute that
   * changed it.
   *
   * Tests: KeyedMutexTest and KeyedSemaphoreTest (behaviour on virtual time, 10^5 keys leave size() 0),
   * KeyedMutexCoreLincheckTest and KeyedSemaphoreCoreLincheckTest (model checking of the loop-free
   * operations: the map's races), KeyedMutexLincheckTest and KeyedSemaphoreLincheckTest (stress mode through
   * loops against sequential maps of FIFO mutexes / weighted FIFO semaphores, with waiting requests and their
   * aborts), KeyedMutexStressTest (several loops and a thread on a few hot keys, exact counters per key).
   */
  private static final VarHandle CLOSED;
  private static final VarHandle CREATING;
  private static final VarHandle KEYS;

  static {
    try {
      CLOSED = MethodHandles.lookup().findVarHandle(KeyedPermits.class, "closed", Closed.class);
      CREATING = MethodHandles.lookup().findVarHandle(KeyedPermits.class, "creating", int.class);
      KEYS = MethodHandles.lookup().findVarHandle(KeyedPermits.class, "keys", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** A close: the reason given (null for none) and what requests reject with. */
  record Closed(@Nullable Throwable reason, Throwable failure) {}

  /** The facade's name in messages ("keyed mutex"). */
  private final String name;
  /** What each key's core is called in its own messages ("mutex"). */
  private final String what;
  private final int permits;
  private final ConcurrentHashMap<K, PermitCore> cores = new ConcurrentHashMap<>();
  private volatile @Nullable Closed closed;
  /** Set once a close has closed every key's core (see the overview). */
  private volatile boolean closeDone;
  /** The computes under way that may make a new entry (announced before they read {@code closed}). */
  private volatile int creating;
  /**
   * The keys with an entry, changed inside the compute that makes or drops one (keepIfBusy): unlike the
   * map's own size(), which counts an entry only after its compute has published it, this count moves at
   * a point ordered with every compute of that key.
   */
  private volatile int keys;

  /**
   * Held by a close for its whole run, so that a second close returns only once the first one has closed
   * every key (KeyedMutexLincheckTest: a losing close that returned at once let an unlock hand a key to a
   * waiter the first close had not rejected yet).
   */
  private final Object closing = new Object();

  KeyedPermits(String name, String what, int permits) {
    this.name = name;
    this.what = what;
    this.permits = permits;
  }

  /** The permits of each key. */
  int permits() {
    return permits;
  }

  /** Acquires {@code n} permits of {@code key}; a promise of the calling loop. Loop-affine. */
  Promise<@Nullable Void> acquire(K key, int n, @Nullable AbortSignal signal) {
    awaitClosed();
    Object r = apply(key, core -> core.acquire(n, signal));
    if (r instanceof Closed c) {
      return Promise.reject(c.failure);
    }
    @SuppressWarnings("unchecked")
    Promise<@Nullable Void> p = (Promise<@Nullable Void>) r;
    return p.state() == Promise.State.PENDING ? p.catchCompose(e -> dropIfIdle(key, e)) : p;
  }

  /**
   * Takes {@code n} permits of {@code key} if they are free and nobody waits for the key; never waits.
   *
   * @throws ClosedError if closed (its cause: the reason given to close)
   */
  boolean tryAcquire(K key, int n) {
    awaitClosed();
    Object r = apply(key, core -> core.tryAcquire(n));
    if (r instanceof Closed c) {
      throw new ClosedError("the " + name + " is closed", c.reason);
    }
    return (Boolean) r;
  }

  /**
   * Returns {@code n} permits of {@code key}, granting its waiters that now fit, else dropping the key if
   * nothing of it is held any more. Answers false (and changes nothing) if fewer than {@code n} are held.
   */
  boolean release(K key, int n) {
    awaitClosed();
    boolean[] released = {false};
    cores.computeIfPresent(key, (k, core) -> {
      released[0] = core.release(n, n, PermitCore.MAX_PERMITS);
      return keepIfBusy(true, core);
    });
    return released[0];
  }

  /**
   * Applies {@code op} (an acquire or tryAcquire: it takes effect at once and runs no user code) to the key's
   * core, made if absent, inside the key's compute; then drops the entry if it is idle. Answers what {@code
   * op} answered, or the {@link Closed} record if closed (then {@code op} is not applied).
   */
  private Object apply(K key, Function<PermitCore, Object> op) {
    Object[] out = new Object[1];
    if (cores.containsKey(key)) { // the usual case of a key in use: no creation to announce
      cores.computeIfPresent(key, (k, core) -> applyLocked(true, core, op, out));
      if (out[0] != null) {
        return out[0];
      }
    }
    CREATING.getAndAdd(this, 1); // announced before `closed` is read: see the overview
    try {
      cores.compute(key, (k, core) -> applyLocked(core != null, core != null ? core : newCore(), op, out));
    } finally {
      CREATING.getAndAdd(this, -1);
    }
    return requireNonNull(out[0]);
  }

  private PermitCore newCore() {
    return new PermitCore(what, permits);
  }

  private @Nullable PermitCore applyLocked(
      boolean existed, PermitCore core, Function<PermitCore, Object> op, Object[] out) {
    Closed c = closed;
    out[0] = c != null ? c : op.apply(core);
    return keepIfBusy(existed, core);
  }

  /**
   * What a compute of a key leaves in the map: {@code core}, or nothing if it is idle; counts the entry in or
   * out of {@link #size()} when that changes whether the key has one ({@code existed}: it had one before).
   */
  private @Nullable PermitCore keepIfBusy(boolean existed, PermitCore core) {
    boolean keep = !idle(core);
    if (keep != existed) {
      KEYS.getAndAdd(this, keep ? 1 : -1);
    }
    return keep ? core : null;
  }

  /** The reaction of a request that was rejected while it waited: removes its key's entry if idle. */
  private Promise<@Nullable Void> dropIfIdle(K key, Throwable reason) {
    cores.computeIfPresent(key, (k, core) -> keepIfBusy(true, core));
    return Promise.reject(reason);
  }

  /** Whether nobody holds or waits for {@code core}; exact inside the key's compute (see the overview). */
  private static boolean idle(PermitCore core) {
    return core.waiting() == 0 && core.held() == 0;
  }

  /** The permits of {@code key} held now. Any thread. */
  long held(K key) {
    return read(key, PermitCore::held, 0L);
  }

  /** The requests waiting for {@code key}. Any thread. */
  int waiting(K key) {
    return read(key, PermitCore::waiting, 0);
  }

  /** The permits of {@code key} free now. Any thread. */
  int available(K key) {
    return read(key, PermitCore::available, permits);
  }

  /**
   * Reads {@code key}'s core inside the key's compute, so that the read is ordered with the computes that
   * make, change or drop its entry (a plain get could see a new entry before {@link #size()} counts it).
   */
  private <T> T read(K key, Function<PermitCore, T> reader, T absent) {
    awaitClosed();
    Object[] out = {absent};
    cores.computeIfPresent(key, (k, core) -> {
      out[0] = reader.apply(core);
      return core;
    });
    @SuppressWarnings("unchecked")
    T value = (T) out[0];
    return value;
  }

  /** The number of keys held or waited for. Any thread. */
  int size() {
    awaitClosed();
    return keys;
  }

  /**
   * Rejects every waiting request of every key, and every later one, with {@code reason} (null: a {@link
   * ClosedError} "the ... is closed"); the first close decides. Holders keep their permits. Any thread.
   */
  void close(@Nullable Throwable reason) {
    Throwable failure = reason != null ? reason : new ClosedError("the " + name + " is closed");
    synchronized (closing) {
      if (!CLOSED.compareAndSet(this, null, new Closed(reason, failure))) {
        return;
      }
      awaitCreations();
      for (K key : cores.keySet()) {
        cores.computeIfPresent(key, (k, core) -> {
          core.close(failure);
          return keepIfBusy(true, core);
        });
      }
      closeDone = true;
    }
  }

  /** If a close is going through the keys, waits until it has closed them all (see the overview). */
  private void awaitClosed() {
    if (closed != null && !closeDone) {
      spinWhile(() -> !closeDone);
    }
  }

  /** Spins, then yields between tries, while {@code busy}: for the short, code-free waits of a close. */
  private static void spinWhile(BooleanSupplier busy) {
    for (int round = 0; busy.getAsBoolean(); round++) {
      if (round < 100) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
    }
  }

  /** Waits for the computes that may make a new entry and read `closed` before it was set (see the overview). */
  private void awaitCreations() {
    spinWhile(() -> creating != 0);
  }

  boolean isClosed() {
    return closed != null;
  }

  @Override
  public String toString() {
    return name + "[keys=" + size() + (permits > 1 ? ", permits per key=" + permits : "")
        + (isClosed() ? ", closed" : "") + "]";
  }
}
