package org.eventloop4j.shared;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.HashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Resolvers;
import org.eventloop4j.Timer;
import org.eventloop4j.shared.Atomics.WaitResult;
import org.jspecify.annotations.Nullable;

/**
 * The waiter lists of one {@link SharedArrayBuffer}: ECMAScript's WaiterList records, one per byte index
 * that has waiters, for {@code Atomics.wait}, {@code waitAsync} and {@code notify}.
 */
final class Waiters {
  /*
   * Overview.
   *
   * The critical section. ECMA-262 guards each WaiterList with a critical section in which `wait` reads the
   * element and enqueues itself, and `notify` dequeues. Here one ReentrantLock per buffer is that section
   * for all of the buffer's lists (the spec allows any granularity). Because the value check and the
   * enqueue happen under the lock, and a notifier's store precedes its notify (which takes the lock), a
   * waiter either sees the new value ("not-equal") or is on the list when notify looks: no lost wake-up.
   *
   * Lists: a HashMap from byte index to an intrusive doubly linked FIFO of Waiter nodes, removed from the
   * map when it empties. Every structural change and every `state` change happens under the lock, so a
   * waiter leaves the list exactly once, by exactly one of: notify (state NOTIFIED, counted), its timeout,
   * its abort or its interrupt (state REMOVED, not counted). notify collects the nodes it took into a
   * chain and wakes them after unlocking: a sync waiter by setting its volatile `notified` and unparking
   * the thread; an async waiter by settling its promise on its loop (directly if notify runs on that loop's
   * thread, else through EventLoop.execute).
   *
   * Async waiters keep every field but `state` confined to their loop: the timer and the abort
   * registration are set up on the loop right after the enqueue and torn down in settle(), which
   * always runs on the loop. A notify from another thread between the enqueue and that set-up only posts a
   * task, which runs after waitAsync returned, so it always finds the set-up complete. The abort listener
   * is registered after the enqueue and the signal is checked again afterwards, so an abort from another
   * thread is never missed: a second cancel attempt finds the waiter already REMOVED and does nothing.
   *
   * The fast path. notify on a buffer with no waiter at all takes no lock: every waiter raises `waiting`
   * before it reads the element (both volatile) and lowers it when it leaves its list; notify fences (the
   * caller's store may be plain or release) and reads `waiting`. Dekker's argument: if notify reads 0, the
   * waiter's increment — and so its read of the element — comes after notify's store, so it sees the new
   * value and returns "not-equal"; if notify reads more than 0, it takes the lock and proceeds as before.
   * This is what makes an uncontended SharedMutex.unlock at state 2 and a SharedCondition.signal with no
   * waiter cheap.
   *
   * Tests: AtomicsWaitTest (results, FIFO, exact counts, timeouts, interrupts, aborts, virtual time),
   * AtomicsWaitStressTest (no lost wake-up under many rounds, counts add up, FIFO while notify races the
   * newest append). Not Lincheck: a blocking wait that no notify reaches would hang the checker, and its
   * sequential specifications cannot express a blocked Java call.
   */
  private static final System.Logger LOG = System.getLogger(Waiters.class.getName());

  /** A timeout in nanoseconds meaning "forever". */
  static final long FOREVER = Long.MAX_VALUE;

  private static final int WAITING = 0;
  private static final int NOTIFIED = 1;
  private static final int REMOVED = 2;

  private static final VarHandle WAITING_COUNT;

  static {
    try {
      WAITING_COUNT = MethodHandles.lookup().findVarHandle(Waiters.class, "waiting", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final ReentrantLock lock = new ReentrantLock();
  /**
   * Waiters listed or about to check their value, on every list of the buffer: raised before the check,
   * lowered when a waiter leaves its list or returns without joining one. notify's lock-free fast path.
   */
  @SuppressWarnings("unused") // through WAITING_COUNT
  private volatile int waiting;
  private final HashMap<Long, WaiterList> lists = new HashMap<>();

  /** A node of a waiter list. {@code prev}, {@code next} and {@code state} are guarded by the lock. */
  private abstract static class Waiter {
    final long key;
    @Nullable Waiter prev;
    @Nullable Waiter next;
    int state = WAITING;

    Waiter(long key) {
      this.key = key;
    }

    /** Called once, outside the lock, after notify took this waiter off its list. */
    abstract void wake();
  }

  /** The FIFO of one byte index. */
  private static final class WaiterList {
    @Nullable Waiter head;
    @Nullable Waiter tail;
  }

  // ------------------------------------------------------------------------------------------------
  // The critical section

  private static boolean holds(MemorySegment s, long off, boolean wide, long expected) {
    return wide ? Memory.load64(s, off) == expected : Memory.load32(s, off) == (int) expected;
  }

  /** Appends {@code w}; lock held. */
  private void append(Waiter w) {
    WaiterList list = lists.computeIfAbsent(w.key, k -> new WaiterList());
    Waiter t = list.tail;
    w.prev = t;
    if (t == null) {
      list.head = w;
    } else {
      t.next = w;
    }
    list.tail = w;
  }

  /** Unlinks {@code w} from its list; lock held. */
  private void unlink(Waiter w) {
    WaiterList list = lists.get(w.key);
    if (list == null) {
      throw new IllegalStateException("waiter list missing for byte index " + w.key);
    }
    Waiter p = w.prev;
    Waiter n = w.next;
    if (p == null) {
      list.head = n;
    } else {
      p.next = n;
    }
    if (n == null) {
      list.tail = p;
    } else {
      n.prev = p;
    }
    w.prev = null;
    w.next = null;
    if (list.head == null) {
      lists.remove(w.key);
    }
    WAITING_COUNT.getAndAdd(this, -1);
  }

  /** Takes {@code w} off its list unless notify already did; true if this call removed it. */
  private boolean cancel(Waiter w) {
    lock.lock();
    try {
      if (w.state != WAITING) {
        return false;
      }
      w.state = REMOVED;
      unlink(w);
      return true;
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------------------------------------
  // notify

  /** Wakes up to {@code count} waiters on {@code key}, oldest first; answers how many. */
  int notify(long key, int count) {
    if (count <= 0) {
      return 0;
    }
    VarHandle.fullFence(); // orders the caller's store (of any mode) before the read of the count
    if ((int) WAITING_COUNT.getVolatile(this) == 0) {
      return 0;
    }
    Waiter chain = null;
    Waiter last = null;
    int n = 0;
    lock.lock();
    try {
      WaiterList list = lists.get(key);
      while (list != null && n < count && list.head != null) {
        Waiter w = list.head;
        unlink(w);
        w.state = NOTIFIED;
        if (last == null) {
          chain = w;
        } else {
          last.next = w;
        }
        last = w;
        n++;
      }
    } finally {
      lock.unlock();
    }
    wakeAll(chain);
    return n;
  }

  /** Wakes a chain linked through {@code next} (no longer guarded: these nodes left every list). */
  private static void wakeAll(@Nullable Waiter chain) {
    for (Waiter w = chain, next; w != null; w = next) {
      next = w.next;
      w.next = null;
      w.wake();
    }
  }

  /** The fast path's count: waiters listed or checking, on every list (tests: 0 once all have left). */
  int waitingCount() {
    return (int) WAITING_COUNT.getVolatile(this);
  }

  /** The number of waiters on {@code key} (tests). */
  int count(long key) {
    lock.lock();
    try {
      WaiterList list = lists.get(key);
      int n = 0;
      for (Waiter w = list == null ? null : list.head; w != null; w = w.next) {
        n++;
      }
      return n;
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Blocking wait

  /** A thread blocked in {@code Atomics.wait}. */
  private static final class SyncWaiter extends Waiter {
    final Thread thread;
    volatile boolean notified;

    SyncWaiter(long key, Thread thread) {
      super(key);
      this.thread = thread;
    }

    @Override
    void wake() {
      notified = true;
      LockSupport.unpark(thread);
    }
  }

  WaitResult await(MemorySegment s, long off, boolean wide, long expected, long timeoutNanos) throws InterruptedException {
    SyncWaiter w;
    lock.lock();
    try {
      WAITING_COUNT.getAndAdd(this, 1); // before the check: see the overview's fast path
      if (!holds(s, off, wide, expected)) {
        WAITING_COUNT.getAndAdd(this, -1);
        return WaitResult.NOT_EQUAL;
      }
      if (timeoutNanos <= 0) {
        WAITING_COUNT.getAndAdd(this, -1);
        return WaitResult.TIMED_OUT;
      }
      w = new SyncWaiter(off, Thread.currentThread());
      append(w);
    } finally {
      lock.unlock();
    }
    return park(w, timeoutNanos);
  }

  private WaitResult park(SyncWaiter w, long timeoutNanos) throws InterruptedException {
    long deadline = timeoutNanos == FOREVER ? 0 : System.nanoTime() + timeoutNanos;
    while (!w.notified) {
      if (Thread.interrupted()) {
        return interrupted(w);
      }
      if (timeoutNanos == FOREVER) {
        LockSupport.park(this);
      } else {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return cancel(w) ? WaitResult.TIMED_OUT : WaitResult.OK;
        }
        LockSupport.parkNanos(this, left);
      }
    }
    return WaitResult.OK;
  }

  private WaitResult interrupted(SyncWaiter w) throws InterruptedException {
    if (cancel(w)) {
      throw new InterruptedException("interrupted in Atomics.wait");
    }
    Thread.currentThread().interrupt();
    return WaitResult.OK;
  }

  // ------------------------------------------------------------------------------------------------
  // Asynchronous wait

  Promise<WaitResult> awaitAsync(EventLoop loop, MemorySegment s, long off, boolean wide, long expected, long timeoutMs,
      @Nullable AbortSignal signal) {
    if (signal != null && signal.aborted()) {
      return Promise.reject(requireReason(signal));
    }
    AsyncWaiter w;
    lock.lock();
    try {
      WAITING_COUNT.getAndAdd(this, 1); // before the check: see the overview's fast path
      if (!holds(s, off, wide, expected)) {
        WAITING_COUNT.getAndAdd(this, -1);
        return Promise.resolve(WaitResult.NOT_EQUAL);
      }
      if (timeoutMs <= 0) {
        WAITING_COUNT.getAndAdd(this, -1);
        return Promise.resolve(WaitResult.TIMED_OUT);
      }
      w = new AsyncWaiter(this, off, loop);
      append(w);
    } finally {
      lock.unlock();
    }
    w.arm(timeoutMs, signal);
    return w.resolvers.promise();
  }

  /** The reason of an aborted {@code signal} (also SharedMutex's). */
  static Throwable requireReason(AbortSignal signal) {
    Throwable r = signal.reason();
    if (r == null) {
      throw new IllegalStateException("signal reported aborted without a reason");
    }
    return r;
  }

  /** A promise waiting in {@code Atomics.waitAsync}; every field but {@code state} is loop-confined. */
  private static final class AsyncWaiter extends Waiter {
    private final Waiters owner;
    private final EventLoop loop;
    final Resolvers<WaitResult> resolvers = Promise.withResolvers();
    private @Nullable Timer timer;
    private AbortSignal.@Nullable Registration registration;
    private boolean settled;

    AsyncWaiter(Waiters owner, long key, EventLoop loop) {
      super(key);
      this.owner = owner;
      this.loop = loop;
    }

    /**
     * On the loop, right after the enqueue: the timeout timer — unreferenced, since a pending waitAsync keeps
     * no loop alive in Node — and the abort listener.
     */
    void arm(long timeoutMs, @Nullable AbortSignal signal) {
      if (timeoutMs < Integer.MAX_VALUE) {
        timer = loop.setTimeout(this::onTimeout, timeoutMs).unref();
      }
      if (signal != null) {
        registration = signal.addListener(() -> onAbort(signal));
        if (signal.aborted()) {
          onAbort(signal);
        }
      }
    }

    private void onTimeout() {
      timer = null;
      if (owner.cancel(this)) {
        settle(WaitResult.TIMED_OUT, null);
      }
    }

    private void onAbort(AbortSignal signal) {
      if (owner.cancel(this)) {
        settle(null, requireReason(signal));
      }
    }

    @Override
    void wake() {
      if (EventLoop.tryCurrent() == loop) {
        settle(WaitResult.OK, null);
        return;
      }
      try {
        loop.execute(() -> settle(WaitResult.OK, null));
      } catch (RejectedExecutionException e) {
        LOG.log(System.Logger.Level.DEBUG, "Atomics.waitAsync woken after its event loop " + loop.name() + " closed", e);
      }
    }

    /** On the loop: tears down the timer and the listener, then settles. */
    private void settle(@Nullable WaitResult result, @Nullable Throwable error) {
      if (settled) {
        return;
      }
      settled = true;
      if (timer != null) {
        timer.clear();
      }
      if (registration != null) {
        registration.close();
      }
      if (error != null) {
        resolvers.reject(error);
      } else {
        resolvers.resolve(result);
      }
    }
  }
}
