package org.eventloop4j.shared;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.TimeUnit;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Resolvers;
import org.eventloop4j.shared.Atomics.WaitResult;
import org.jspecify.annotations.Nullable;

/**
 * A mutual-exclusion lock that lives in one element of an {@link Int32Array}: the shared-structs proposal's
 * {@code Atomics.Mutex}, for plain threads, pool tasks, event loops and — over a {@linkplain
 * SharedArrayBuffer#mapFile mapped file} — other processes.
 *
 * <pre>{@code
 * Int32Array cell = new Int32Array(new SharedArrayBuffer(8));   // element 0: the mutex, 1: its condition
 * SharedMutex mutex = new SharedMutex(cell, 0);
 * mutex.lock();                                  // a pool task or a plain thread: blocks
 * try { ... } finally { mutex.unlock(); }
 * mutex.lockAsync().then(v -> { try { ... } finally { mutex.unlock(); } return null; });   // on a loop
 * }</pre>
 *
 * <p><b>State.</b> The mutex is nothing but its element: 0 unlocked, 1 locked, 2 locked and possibly
 * waited for. Any number of {@code SharedMutex} objects over the same element — in one process or, over a
 * mapped file, in several — are the same lock. A fresh buffer is zero, so it starts unlocked.
 *
 * <p><b>Ownership.</b> As in the proposal's token-free form and in {@link org.eventloop4j.sync.Mutex}, the
 * lock has no owner thread: whoever acquired it may hand the duty to unlock to another thread or loop (a
 * {@code lockAsync} holder usually unlocks in a later callback). It is not reentrant: locking it again
 * while holding it deadlocks ({@code lock}) or never resolves ({@code lockAsync}). {@link #unlock()} of an
 * unlocked mutex throws {@link IllegalStateException} and changes nothing.
 *
 * <p><b>Threads and blocking.</b> Every method is thread-safe. {@link #lock()} and {@link #tryLock(long)}
 * block and are therefore refused on event-loop threads, like {@link Atomics#wait}: loops use {@link
 * #lockAsync()}, which answers a promise of the calling loop that settles there and keeps a real-time loop
 * alive while it waits (the holder may be another thread). {@link #tryLock()} never blocks and works
 * anywhere.
 *
 * <p><b>Ordering.</b> Not fair: a thread that arrives while the lock is free takes it even if others wait
 * (barging, as in {@link java.util.concurrent.locks.ReentrantLock}'s default and every futex mutex), which
 * is what makes handing it on cheap; a woken waiter that loses the race waits again. Use {@link
 * org.eventloop4j.sync.Mutex} for strict FIFO between loops of one process. Acquiring is an acquire and
 * unlocking a release in the Java memory model (both are sequentially consistent {@link Atomics}
 * operations), so what one holder wrote before {@code unlock} the next holder sees after it locks.
 *
 * <p><b>Across processes.</b> {@link Atomics#notify} reaches only waiters of the same buffer object, so on a
 * mapped buffer a blocked waiter also wakes every {@value #MAPPED_POLL_MS} ms to look again: a release in
 * another process is seen within that time, never missed.
 *
 * <p><b>Errors.</b> An index outside the view throws {@link IndexOutOfBoundsException}; an element that does
 * not hold 0, 1 or 2 at construction throws {@link IllegalArgumentException} (it is something else's data);
 * an aborted {@code lockAsync} rejects with the signal's reason and leaves the lock as it was; interrupting a
 * blocked {@code lock} throws {@link InterruptedException} without the lock.
 */
public final class SharedMutex {
  /*
   * Overview. Drepper's "Futexes Are Tricky" mutex 2 over Atomics.wait/notify. lock: CAS 0 -> 1 (the fast path, one
   * CAS); else spin a little watching for 0; else exchange the state to 2 and, while the exchange did not return 0,
   * wait on "still 2" and exchange again. The exchange to 2 is what keeps wake-ups from being lost: whoever sleeps
   * has first made sure the state says "waited for", and unlock (an exchange to 0) notifies one waiter exactly
   * when it saw 2. A woken waiter takes the lock with state 2 — there may be others asleep —
   * which costs at most one spurious notify later. The wait is atomic with respect to notify (Waiters' critical
   * section), so an unlock between the exchange and the wait makes the wait return "not-equal" at once. lockAsync
   * is the same loop with waitAsync, one promise hop per wake. A timed-out or aborted waiter leaves the state at 2;
   * the next unlock's notify then finds nobody, which is harmless.
   * Tests: SharedMutexTest (semantics, errors, loops, a second JVM over a mapped file), SharedMutexLincheckTest.
   */

  /** How often a waiter on a mapped buffer looks again, since notifies from other processes do not reach it. */
  public static final long MAPPED_POLL_MS = 1;

  private static final int UNLOCKED = 0;
  private static final int LOCKED = 1;
  private static final int CONTENDED = 2;
  private static final int SPINS = 100;

  private final Int32Array view;
  private final int index;
  private final boolean mapped;

  /** A mutex in a buffer of its own (shared by handing this object to the threads that use it). */
  public SharedMutex() {
    this(new Int32Array(1), 0);
  }

  /**
   * The mutex in element {@code index} of {@code view}.
   *
   * @throws IndexOutOfBoundsException if {@code index} is outside the view
   * @throws IllegalArgumentException if the element holds anything but 0, 1 or 2
   */
  public SharedMutex(Int32Array view, int index) {
    this.view = requireNonNull(view, "view");
    this.index = index;
    this.mapped = view.buffer.isMapped();
    int state = Atomics.load(view, index);
    if (state < UNLOCKED || state > CONTENDED) {
      throw new IllegalArgumentException("SharedMutex: element " + index + " of " + view.kind.jsName
          + " holds " + state + ", not a mutex state (0 unlocked, 1 locked, 2 locked with waiters)");
    }
  }

  /** The view that holds the mutex. */
  public Int32Array view() {
    return view;
  }

  /** The index of the mutex's element in {@link #view()}. */
  public int index() {
    return index;
  }

  /** Takes the lock if it is free, without waiting; any thread, loops included. */
  public boolean tryLock() {
    return Atomics.compareExchange(view, index, UNLOCKED, LOCKED) == UNLOCKED;
  }

  /**
   * Takes the lock, blocking until it is free.
   *
   * @throws IllegalStateException on an event-loop thread (use {@link #lockAsync()})
   * @throws InterruptedException if interrupted while blocked; the lock is not taken then
   */
  public void lock() throws InterruptedException {
    refuseOnLoop("SharedMutex.lock");
    if (!tryLock()) {
      lockSlow(false, 0);
    }
  }

  /**
   * Takes the lock if it becomes free within {@code timeoutMs} milliseconds (the proposal's {@code
   * lockIfAvailable}); {@code timeoutMs <= 0} is {@link #tryLock()}.
   *
   * @return whether the lock was taken
   * @throws IllegalStateException on an event-loop thread when it would have to wait
   * @throws InterruptedException if interrupted while blocked; the lock is not taken then
   */
  public boolean tryLock(long timeoutMs) throws InterruptedException {
    if (tryLock()) {
      return true;
    }
    if (timeoutMs <= 0) {
      return false;
    }
    refuseOnLoop("SharedMutex.tryLock(timeout)");
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    return lockSlow(true, deadline);
  }

  /** Whether the lock is held by anyone (a snapshot). */
  public boolean isLocked() {
    return Atomics.load(view, index) != UNLOCKED;
  }

  /**
   * Releases the lock and wakes one waiter if any wait; any thread, loops included.
   *
   * @throws IllegalStateException if the mutex is not locked (nothing changes)
   */
  public void unlock() {
    // One exchange: if the mutex was unlocked, writing 0 again changed nothing, so the error leaves it as it was.
    int c = Atomics.exchange(view, index, UNLOCKED);
    if (c == CONTENDED) {
      Atomics.notify(view, index, 1);
    } else if (c != LOCKED) {
      if (c != UNLOCKED) {
        Atomics.compareExchange(view, index, UNLOCKED, c); // foreign data: put it back if no one took the lock
      }
      throw new IllegalStateException("SharedMutex.unlock: the mutex is not locked (element " + index
          + " holds " + c + ")");
    }
  }

  /** {@link #lockAsync(AbortSignal)} without a signal. */
  public Promise<@Nullable Void> lockAsync() {
    return lockAsync(null);
  }

  /**
   * Takes the lock without blocking the loop: a promise of the calling loop, resolved there once the
   * lock is held — already resolved if it was free. A real-time loop stays alive while the promise is
   * pending.
   *
   * @param signal if it aborts first, the promise rejects with its reason and the lock is not taken (a
   *     lock taken in a race with the abort resolves the promise instead: it is never lost)
   * @throws IllegalStateException off an event-loop thread (block with {@link #lock()} there)
   */
  public Promise<@Nullable Void> lockAsync(@Nullable AbortSignal signal) {
    EventLoop loop = EventLoop.current();
    if (signal != null && signal.aborted()) {
      return Promise.reject(Waiters.requireReason(signal));
    }
    if (tryLock()) {
      return Promise.resolve();
    }
    Resolvers<@Nullable Void> r = Promise.withResolvers();
    new AsyncLock(loop, r, signal).attempt();
    return r.promise();
  }

  @Override
  public String toString() {
    String state = switch (Atomics.load(view, index)) {
      case UNLOCKED -> "unlocked";
      case LOCKED -> "locked";
      case CONTENDED -> "locked, waited for";
      default -> "corrupt";
    };
    return "SharedMutex[" + state + ", element " + index + "]";
  }

  // ------------------------------------------------------------------------------------------------

  /** Spins briefly, then sleeps until the lock is taken or the deadline passes; true if taken. */
  private boolean lockSlow(boolean timed, long deadline) throws InterruptedException {
    for (int i = 0; i < SPINS; i++) {
      if (Atomics.load(view, index) == UNLOCKED && tryLock()) {
        return true;
      }
      Thread.onSpinWait();
    }
    while (Atomics.exchange(view, index, CONTENDED) != UNLOCKED) {
      long slice = timed ? TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()) + 1 : Atomics.NO_TIMEOUT;
      if (timed && deadline - System.nanoTime() <= 0) {
        return false;
      }
      waitWhile(view, index, CONTENDED, slice);
    }
    return true;
  }

  /** The wait of one element as the blocking lock and the condition do it: bounded on mapped buffers. */
  static WaitResult waitWhile(Int32Array v, int i, int expected, long timeoutMs) throws InterruptedException {
    return Atomics.wait(v, i, expected, v.buffer.isMapped() ? Math.min(timeoutMs, MAPPED_POLL_MS) : timeoutMs);
  }

  static void refuseOnLoop(String what) {
    EventLoop loop = EventLoop.tryCurrent();
    if (loop != null) {
      throw new IllegalStateException(what + " called on event loop thread "
          + Thread.currentThread().getName() + " (loop " + loop.name() + "): blocking there would stop the loop; "
          + "use the async form, or block in a WorkerPool task or a plain thread");
    }
  }

  /** One pending {@code lockAsync}: exchange to 2, and while that did not take the lock, waitAsync on 2. */
  private final class AsyncLock {
    private final Resolvers<@Nullable Void> resolvers;
    private final @Nullable AbortSignal signal;
    private final EventLoop.@Nullable KeepAlive keepAlive;

    AsyncLock(EventLoop loop, Resolvers<@Nullable Void> resolvers, @Nullable AbortSignal signal) {
      this.resolvers = resolvers;
      this.signal = signal;
      // On a virtual clock a keep-alive would stop time from reaching the timer that may release the lock.
      this.keepAlive = loop.isVirtualTime() ? null : loop.keepAlive();
    }

    void attempt() {
      if (Atomics.exchange(view, index, CONTENDED) == UNLOCKED) {
        settle(null);
        return;
      }
      long timeout = mapped ? MAPPED_POLL_MS : Atomics.NO_TIMEOUT;
      Promise<WaitResult> woken = signal == null
          ? Atomics.waitAsync(view, index, CONTENDED, timeout)
          : Atomics.waitAsync(view, index, CONTENDED, timeout, signal);
      woken.then(result -> {
        attempt();
        return null;
      }, reason -> {
        settle(reason);
        return null;
      });
    }

    private void settle(@Nullable Throwable reason) {
      if (keepAlive != null) {
        keepAlive.close();
      }
      if (reason == null) {
        resolvers.resolve(null);
      } else {
        resolvers.reject(reason);
      }
    }
  }
}
