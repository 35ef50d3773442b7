package org.eventloop4j.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.jspecify.annotations.Nullable;

/**
 * The engine of {@link Semaphore}, {@link Mutex} and {@link ReadWriteMutex}: a weighted, closeable,
 * resizable count of permits with an async waiter queue, served by priority (higher first), strictly FIFO
 * within a priority. Thread-safe.
 */
final class PermitCore extends WaiterList<Waiter> {
  /*
   * Overview for maintainers.
   *
   * State word (`state`, one volatile long, changed only by CAS or atomic add/or):
   *
   *   bit 63 CLOSED | bit 62 SLOW | bits 31..61 capacity | bits 0..30 held
   *
   * `held` is the number of permits handed out; `capacity` the permit count (held may exceed it after a
   * shrink, until holders release). SLOW means "the lock must be taken": there are queued acquirers or idle
   * watchers. It is set (under `lock`) before the first waiter is linked and cleared (under `lock`) when the
   * last one is gone, so `head != null` implies SLOW.
   *
   * Fast paths (no lock, no allocation on the home loop): acquire/tryAcquire CAS held += n when SLOW and
   * CLOSED are clear and the permits fit; release CASes held -= n when SLOW is clear. Every other case takes
   * `lock`, under which the waiter list (`head`..`tail`, doubly linked so that an abort unlinks in O(1)) is
   * read and written.
   *
   * Priorities: each waiter carries an int priority (0 unless the caller gave one). The list is sorted by
   * priority, descending, and FIFO within a priority: linkLocked scans from the tail past the waiters of a
   * lower priority and links the newcomer behind the last one of its own priority or higher, so an enqueue
   * at one priority (the default, or any program that uses a single priority) stops at the tail: O(1), as
   * before; only a newcomer that overtakes k lower waiters pays k steps. Everything else reads the list from
   * the head as before (grants, resize, close), so "grant from the head while the permits fit" now means
   * "in priority order, FIFO within, head-of-line blocking": the first waiting waiter never fits after a
   * locked section, and nobody behind it is granted before it. An arrival is granted at once (without
   * queueing) when its permits fit and it would become the head: the list is empty or the head's priority is
   * lower (grabOrFlagLocked; tryAcquire is an arrival of priority 0). A newcomer that would be the head but
   * does not fit becomes the head, and blocks the lower waiters behind it. Priorities only matter once a
   * waiter queues, that is with SLOW set: the fast paths (grabFast, the release CAS) never look at them.
   * Nothing ages a waiter: a steady stream of higher-priority acquires starves lower ones (as async-mutex;
   * WorkerPool's TaskQueue ages by its clock, but waiters here come from loops with clocks of their own, and
   * the core is loop-free). A cancelled waiter still linked (its aborter waits for the lock) keeps its place,
   * so an arrival it outranks queues behind it and is granted by the aborter's drain: the same order as an
   * abort that came after the arrival.
   *
   * Lost wake-ups are impossible: a waiter sets SLOW by a CAS on the very state it found insufficient, so a
   * fast release either happened before (the waiter's CAS fails and it re-reads the permits) or sees SLOW
   * and goes to the lock, where it grants the queue head. While SLOW is set only lock holders change
   * `held` (fast paths need SLOW clear), which is why grants may use a plain atomic add after the check.
   *
   * Atomicity: a release (or resize, or abort) and the grants it allows are one CAS of the state word
   * (grantLocked), and the waiting count is read under the lock, so no reader ever sees permits free that
   * a queued waiter is owed (SemaphoreLincheckTest found exactly that with separate steps).
   *
   * Waiter status: WAITING -> GRANTED (by grantLocked, under the lock) or WAITING -> CANCELLED (by an abort,
   * close or resize, the abort without the lock). The CAS decides every race: an abort that loses finds the
   * waiter granted and does nothing (the caller holds the permits); a drain that finds a waiter CANCELLED
   * just unlinks it (the aborter's unlink is idempotent) and goes on to the next, so no permit is lost.
   *
   *   WAITING --grant (lock)--> GRANTED --settle--> fulfilled on the waiter's loop (or permits given back)
   *      \--abort / close / resize (CAS)--> CANCELLED --unlink (lock), reject--> rejected
   *
   * The lock is a spin lock on `lockWord` (lock(): one CAS; unlock(): a release store), not a monitor, whose
   * enter and exit are an atomic instruction each: a same-loop hand-off takes the lock twice (the queued
   * acquire, the release), so this saves two of its four atomic instructions (MutexHandoff, 100 waiters: 42-44
   * -> 31 ns per hand-off, where an atomic instruction costs about 4.5 ns: j.u.c.Semaphore's acquire+release,
   * two CASes, 9.5 ns). Its sections never block, park, run user code or wait for another thread, so a holder
   * is always running (virtual threads are not preempted, and it never unmounts inside); contenders spin, then
   * yield between tries, and never park (AsyncQueue keeps a monitor because its sections may wait for a slot,
   * and a timed park there made the cross-thread queue bimodal; see its overview). A waiter without a signal
   * changes status only under the lock, so its grant is a plain write (Waiter.grantLocked); a hand-off leaves
   * the state word unchanged, so grantLocked skips its CAS then; SLOW is cleared by a release store, since
   * while it is set only lock holders write the word.
   *
   * Settling happens after the lock is released, through the Settler (ON_LOOP: the waiter's promise itself,
   * made and settled through the internal promise bridge): on the waiter's own loop it settles at
   * once (its reactions are microtasks: a release never runs user code and never recurses, so 10^5 waiters
   * handed a permit one after another use constant stack); from any other thread it posts to that loop. If
   * the loop is closed the post throws, and the permits are given back and granted to the next waiters —
   * iteratively (deliver's loop), not recursively.
   *
   * Loop-free core: everything above happens in enter(), tryAcquire(), release(), abort(Waiter, reason),
   * close() and resize(), which never touch an event loop themselves: a waiter learns its outcome through
   * the core's Settler (Settler.ON_LOOP in production: its promise, settled on its loop). acquire() and
   * onIdle() are the loop-affine wrappers (the cached fulfilled promise, the abort listener).
   * SemaphoreCoreLincheckTest, MutexCoreLincheckTest and ReadWriteMutexCoreLincheckTest model-check that
   * core with a recording settler, no loop involved.
   *
   * Tests: SemaphoreTest, MutexTest, ReadWriteMutexTest (behaviour), the three *CoreLincheckTest (model
   * checking against PermitModel, a sequential weighted semaphore served by priority and FIFO within, with
   * abort, resize and close; the Semaphore and Mutex ones also acquire with priorities),
   * SemaphoreLincheckTest, MutexLincheckTest and ReadWriteMutexLincheckTest (the same in Lincheck's stress
   * mode, through real loops), SemaphorePropertyTest (random operation sequences with priorities, shrunk when
   * one fails: no waiter overtaken by a later one of its priority or lower, permits conserved, outcomes as a
   * sequential model's), SyncStressTest (loops and
   * threads), SeedProgramsTest.
   */
  private static final System.Logger LOG = System.getLogger(PermitCore.class.getName());
  private static final VarHandle STATE;
  private static final VarHandle LOCK_WORD;
  /** Busy-wait rounds of a contended lock before each round also yields the thread. */
  private static final int SPINS = 100;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(PermitCore.class, "state", long.class);
      LOCK_WORD = MethodHandles.lookup().findVarHandle(PermitCore.class, "lockWord", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static final int MAX_PERMITS = Integer.MAX_VALUE;
  private static final long HELD_MASK = (1L << 31) - 1;
  private static final int CAP_SHIFT = 31;
  private static final long CAP_MASK = HELD_MASK << CAP_SHIFT;
  private static final long SLOW = 1L << 62;
  private static final long CLOSED = 1L << 63;

  private static final int GRABBED = 0;
  private static final int QUEUE = 1;
  private static final int IS_CLOSED = 2;
  private static final int TOO_HEAVY = 3;

  /** What {@link #enter} answers when the permits were taken at once. */
  static final Object GRANTED = new Object();

  private final String what;
  private final Settler settler;
  /** The lock guarding the waiter list (see the overview): 0 free, 1 held. */
  private volatile int lockWord;
  private final LoopHome home = new LoopHome();
  private volatile long state;
  private volatile @Nullable Throwable closeReason;
  private @Nullable ArrayList<Waiter> idleWatchers;
  private @Nullable Waiter granted;

  /** A core with {@code capacity} permits; {@code what} names the primitive in error messages. */
  PermitCore(String what, int capacity) {
    this(what, capacity, Settler.ON_LOOP);
  }

  /** A core whose waiters are settled by {@code settler} (model-checking tests pass a recording one). */
  PermitCore(String what, int capacity, Settler settler) {
    this.what = what;
    this.settler = settler;
    this.state = (long) capacity << CAP_SHIFT;
  }

  Settler settler() {
    return settler;
  }

  private static long held(long s) {
    return s & HELD_MASK;
  }

  private static long cap(long s) {
    return (s & CAP_MASK) >>> CAP_SHIFT;
  }

  private boolean cas(long expected, long next) {
    return STATE.compareAndSet(this, expected, next);
  }

  // ------------------------------------------------------------------------------------------------
  // The lock

  /** Takes the lock: one CAS when free. */
  private void lock() {
    if (!LOCK_WORD.compareAndSet(this, 0, 1)) {
      lockContended();
    }
  }

  /**
   * Waits for the lock: its holder never runs user code or blocks inside, so it is held for a few dozen
   * instructions; spins briefly, then yields the thread (the carrier, for a virtual thread) between tries,
   * and never parks — a timed park would stall the contender long after the lock came free.
   */
  private void lockContended() {
    for (int round = 0;; round++) {
      if (lockWord == 0 && LOCK_WORD.compareAndSet(this, 0, 1)) {
        return;
      }
      if (round < SPINS) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
    }
  }

  /** Releases the lock: a release store, no atomic instruction. */
  private void unlock() {
    LOCK_WORD.setRelease(this, 0);
  }

  // ------------------------------------------------------------------------------------------------
  // Introspection

  int capacity() {
    return (int) cap(state);
  }

  long held() {
    return held(state);
  }

  /** The permits free now (capacity minus held, at least 0), from one read of the state word. */
  int available() {
    long s = state;
    return (int) Math.max(0, cap(s) - held(s));
  }

  /** Under the lock, so that it agrees with the state word: both change in one locked section. */
  int waiting() {
    lock();
    try {
      return waiting;
    } finally {
      unlock();
    }
  }

  boolean isClosed() {
    return (state & CLOSED) != 0;
  }

  String what() {
    return what;
  }

  // ------------------------------------------------------------------------------------------------
  // Acquiring

  /** Acquires {@code n} permits (1 <= n <= capacity, checked by the caller) at priority 0; loop-affine. */
  Promise<@Nullable Void> acquire(int n, @Nullable AbortSignal signal) {
    return acquire(n, 0, signal);
  }

  /**
   * Acquires {@code n} permits (1 <= n <= capacity, checked by the caller) at {@code priority}; loop-affine.
   * The priority is not read unless the acquire has to take the lock.
   */
  Promise<@Nullable Void> acquire(int n, int priority, @Nullable AbortSignal signal) {
    LoopHome.Home here;
    if (signal == null && (here = home.here()) != null) {
      if (grabFast(n)) {
        return here.resolved();
      }
      return answer(enterSlow(n, priority, here.loop(), false), here.resolved());
    }
    return acquireSlow(n, priority, signal);
  }

  /** What an acquire answers for {@code entered}: {@code done}, the waiter's promise, or the refusal. */
  private static Promise<@Nullable Void> answer(Object entered, Promise<@Nullable Void> done) {
    if (entered == GRANTED) {
      return done;
    }
    return entered instanceof Waiter w ? w.promise() : refused((Throwable) entered);
  }

  /**
   * An acquire refused at entry: closed rejects; heavier than the permits throws, as the caller's own
   * weight check does — a resize between that check and the entry must not change the kind of answer.
   */
  private static Promise<@Nullable Void> refused(Throwable refusal) {
    if (refusal instanceof IllegalArgumentException overCapacity) {
      throw overCapacity;
    }
    return Promise.reject(refusal);
  }

  /** The lock-free grant: takes {@code n} permits if nobody queues, it is open and they fit. */
  private boolean grabFast(int n) {
    long s = state;
    return (s & (SLOW | CLOSED)) == 0 && held(s) + n <= cap(s) && cas(s, s + n);
  }

  private Promise<@Nullable Void> acquireSlow(int n, int priority, @Nullable AbortSignal signal) {
    EventLoop loop = EventLoop.current();
    if (signal != null && signal.aborted()) {
      return Promise.reject(WaitNode.abortReason(signal));
    }
    Promise<@Nullable Void> done = home.resolved(loop);
    Object entered = enter(n, priority, loop, signal != null);
    if (entered == GRANTED) {
      return done;
    }
    if (entered instanceof Waiter w) {
      if (signal != null) {
        w.listen(signal);
      }
      return w.promise();
    }
    return refused((Throwable) entered);
  }

  /**
   * The loop-free core of an acquire of {@code n} permits (1 <= n, checked by the caller): {@link #GRANTED}
   * if they were taken at once, else the queued {@link Waiter} (settled later by the settler), else the
   * refusal (closed, or heavier than the capacity). {@code loop} is the waiting loop, null for a loop-free
   * settler. Any thread.
   */
  Object enter(int n, @Nullable EventLoop loop) {
    return enter(n, 0, loop, true);
  }

  /** {@link #enter(int, EventLoop)} at {@code priority} (higher is served first). */
  Object enter(int n, int priority, @Nullable EventLoop loop) {
    return enter(n, priority, loop, true);
  }

  /**
   * {@link #enter(int, int, EventLoop)}; a waiter that is not {@code abortable} (no signal will ever cancel
   * it) changes status only under the lock, so its grant is a plain write instead of a CAS.
   */
  private Object enter(int n, int priority, @Nullable EventLoop loop, boolean abortable) {
    if (grabFast(n)) {
      return GRANTED;
    }
    return enterSlow(n, priority, loop, abortable);
  }

  private Object enterSlow(int n, int priority, @Nullable EventLoop loop, boolean abortable) {
    lock();
    try {
      int outcome = grabOrFlagLocked(n, priority);
      if (outcome != QUEUE) {
        return outcome == GRABBED ? GRANTED : refusal(outcome, n);
      }
      Waiter w = new Waiter(this, n, priority, loop, home.isShared(), abortable);
      linkLocked(w);
      return w;
    } finally {
      unlock();
    }
  }

  /**
   * Under the lock: takes the permits if nobody queues ahead of an arrival of {@code priority} and they fit,
   * else sets SLOW so that the caller may queue.
   */
  private int grabOrFlagLocked(int n, int priority) {
    for (;;) {
      long s = state;
      if (n > cap(s)) {
        return TOO_HEAVY; // first, as the callers' own weight check: a resize raced with it
      }
      if ((s & CLOSED) != 0) {
        return IS_CLOSED;
      }
      if (headBelowLocked(priority) && held(s) + n <= cap(s)) {
        if (cas(s, s + n)) {
          return GRABBED;
        }
      } else if ((s & SLOW) != 0 || cas(s, s | SLOW)) {
        return QUEUE;
      }
    }
  }

  /** Under the lock: whether an arrival of {@code priority} would be the head (nobody queued ranks as high). */
  private boolean headBelowLocked(int priority) {
    Waiter h = head;
    return h == null || h.priority < priority;
  }

  private Throwable refusal(int outcome, int n) {
    return outcome == IS_CLOSED ? closedReason() : overCapacity(n, capacity());
  }

  private IllegalArgumentException overCapacity(int n, long permits) {
    return new IllegalArgumentException(
        "permits must be between 1 and the " + what + "'s " + permits + " permits, was " + n);
  }

  private IllegalStateException tooHeavy(int n, int permits) {
    return new IllegalStateException(
        "an acquire of " + n + " permits can never be granted: the " + what + " has " + permits + " permits");
  }

  /** What an acquire of a closed core rejects with: the reason given to close, else a new ClosedError. */
  private Throwable closedReason() {
    Throwable r = closeReason;
    return r != null ? r : new ClosedError("the " + what + " is closed");
  }

  /**
   * Takes {@code n} permits (1 <= n, checked by the caller) if an acquire of priority 0 would take them at
   * once (they fit and no waiter of priority 0 or higher queues); any thread. The refusals are acquire's,
   * in its order, judged on the same read of the state word as the grant: a weight above the permit count
   * then throws {@link IllegalArgumentException}, a closed core {@link
   * ClosedError} (its cause the reason given to close, if any).
   */
  boolean tryAcquire(int n) {
    home.noteCaller();
    for (;;) {
      long s = state;
      checkTry(s, n);
      if (held(s) + n > cap(s)) {
        return false;
      }
      if ((s & SLOW) != 0) {
        return tryAcquireSlow(n);
      }
      if (cas(s, s + n)) {
        return true;
      }
    }
  }

  /** Throws what a try of {@code n} permits in state {@code s} is refused with, if it is. */
  private void checkTry(long s, int n) {
    if (n > cap(s)) {
      throw overCapacity(n, cap(s));
    }
    if ((s & CLOSED) != 0) {
      throw new ClosedError("the " + what + " is closed", closeReason);
    }
  }

  private boolean tryAcquireSlow(int n) {
    lock();
    try {
      for (;;) {
        long s = state;
        checkTry(s, n);
        if (!headBelowLocked(0) || held(s) + n > cap(s)) {
          return false;
        }
        if (cas(s, s + n)) {
          return true;
        }
      }
    } finally {
      unlock();
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Releasing

  /**
   * Returns {@code n} permits if the number held is within {@code [minHeld, maxHeld]}; answers false (and
   * changes nothing) otherwise. Any thread.
   */
  boolean release(int n, long minHeld, long maxHeld) {
    for (;;) {
      long s = state;
      long h = held(s);
      if (h < minHeld || h > maxHeld) {
        return false;
      }
      if ((s & SLOW) != 0) {
        return releaseSlow(n, minHeld, maxHeld);
      }
      if (cas(s, s - n)) {
        return true;
      }
    }
  }

  private boolean releaseSlow(int n, long minHeld, long maxHeld) {
    Waiter out;
    lock();
    try {
      if (!grantLocked(n, minHeld, maxHeld, -1)) {
        return false;
      }
      out = takeGranted();
    } finally {
      unlock();
    }
    deliver(out);
    return true;
  }

  /**
   * Under the lock: returns {@code released} permits (if the number held is within [minHeld, maxHeld];
   * else changes nothing and answers REFUSED), sets the capacity to {@code newCapacity} (unless negative),
   * and grants the queued waiters from the head while their permits fit — all in one atomic change of the
   * state word, so that no reader sees the permits free in between. Then fires the idle watchers if
   * nothing is held or queued, and clears SLOW when nobody is left. Leaves the waiters to settle (outside
   * the lock) in {@code granted}, chained through {@code nextOut} (see {@link #takeGranted()}).
   */
  private boolean grantLocked(long released, long minHeld, long maxHeld, long newCapacity) {
    Waiter out = null;
    Waiter last = null;
    for (;;) {
      long s = state;
      if (held(s) < minHeld || held(s) > maxHeld) {
        return false;
      }
      long cap = newCapacity >= 0 ? newCapacity : cap(s);
      long held = held(s) - released;
      for (Waiter w = head; w != null; w = head) {
        if (w.status == Waiter.WAITING) {
          if (held + w.weight > cap) {
            break;
          }
          if (w.grantLocked()) {
            held += w.weight;
            unlinkLocked(w);
            last = append(last, w);
            out = out == null ? w : out;
            continue;
          }
        }
        unlinkLocked(w);
      }
      long next = (s & ~(HELD_MASK | CAP_MASK)) | (cap << CAP_SHIFT) | held;
      // An unchanged word needs no write (a hand-off: the permits released are the permits granted). Then
      // a waiter was granted, so SLOW is set and only lock holders change the word: it still reads s.
      if (next == s || cas(s, next)) {
        break;
      }
      if (out != null) {
        // Not reached: with a waiter queued SLOW is set, and then only lock holders change the state.
        STATE.getAndAdd(this, next - s);
        break;
      }
    }
    Waiter idle = settleIdleLocked();
    if (idle != null) {
      if (last == null) {
        out = idle;
      } else {
        last.nextOut = idle;
      }
    }
    granted = out;
    return true;
  }

  /** Under the lock: the chain the last grantLocked left, which it hands over. */
  private @Nullable Waiter takeGranted() {
    Waiter out = granted;
    granted = null;
    return out;
  }

  /** Under the lock: {@link #grantLocked} with nothing released and the capacity unchanged. */
  private @Nullable Waiter drainLocked() {
    grantLocked(0, 0, Long.MAX_VALUE, -1);
    return takeGranted();
  }

  private static Waiter append(@Nullable Waiter last, Waiter w) {
    if (last != null) {
      last.nextOut = w;
    }
    return w;
  }

  /** Under the lock: the idle watchers to fire if now idle (chained); clears SLOW when nobody waits. */
  private @Nullable Waiter settleIdleLocked() {
    Waiter out = null;
    ArrayList<Waiter> watchers = idleWatchers;
    if (head == null && watchers != null && held(state) == 0) {
      idleWatchers = null;
      for (int i = watchers.size() - 1; i >= 0; i--) {
        Waiter w = watchers.get(i);
        w.status = Waiter.GRANTED;
        w.nextOut = out;
        out = w;
      }
    }
    long s = state;
    if ((s & SLOW) != 0 && head == null && idleWatchers == null) {
      // With SLOW set only lock holders change the word, so a release store cannot lose an update.
      STATE.setRelease(this, s & ~SLOW);
    }
    return out;
  }

  /** Settles granted waiters; permits of those whose loop is closed go back and on to the next waiters. */
  private void deliver(@Nullable Waiter first) {
    Waiter w = first;
    while (w != null) {
      long back = 0;
      while (w != null) {
        Waiter next = w.nextOut;
        w.nextOut = null;
        if (!w.fulfil()) {
          back += w.weight;
        }
        w = next;
      }
      if (back == 0) {
        return;
      }
      lock();
      try {
        grantLocked(back, 0, Long.MAX_VALUE, -1);
        w = takeGranted();
      } finally {
        unlock();
      }
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Abort, close, resize, idle

  /**
   * The abort of {@code w}: removes exactly that waiter and rejects it with {@code reason}, unless it was
   * granted first (then it does nothing). Any thread.
   */
  void abort(Waiter w, Throwable reason) {
    if (!w.cas(Waiter.WAITING, Waiter.CANCELLED)) {
      return;
    }
    Waiter out;
    lock();
    try {
      unlinkLocked(w);
      out = drainLocked();
    } finally {
      unlock();
    }
    w.fail(reason);
    deliver(out);
  }

  /**
   * Rejects every queued waiter and every later acquire with {@code reason} (null: a {@link ClosedError}
   * "the ... is closed"); later tries throw a ClosedError whose cause is {@code reason}. Idempotent: the
   * first call decides. Any thread.
   */
  void close(@Nullable Throwable reason) {
    Waiter victims = null;
    Waiter idle;
    Throwable failure;
    lock();
    try {
      if ((state & CLOSED) != 0) {
        return;
      }
      closeReason = reason;
      failure = closedReason();
      STATE.getAndBitwiseOr(this, CLOSED);
      for (Waiter w = head; w != null; w = head) {
        unlinkLocked(w);
        if (w.cas(Waiter.WAITING, Waiter.CANCELLED)) {
          w.nextOut = victims;
          victims = w;
        }
      }
      idle = settleIdleLocked();
    } finally {
      unlock();
    }
    failAll(reverse(victims), failure);
    deliver(idle);
  }

  /** Sets the permit count; waiters heavier than the new count are rejected. Any thread. */
  void resize(int permits) {
    home.noteCaller();
    Waiter rejected = null;
    Waiter out;
    lock();
    try {
      for (Waiter w = head, next; w != null; w = next) {
        next = w.next;
        if (w.weight > permits && w.cas(Waiter.WAITING, Waiter.CANCELLED)) {
          unlinkLocked(w);
          w.nextOut = rejected;
          rejected = w;
        }
      }
      grantLocked(0, 0, Long.MAX_VALUE, permits);
      out = takeGranted();
    } finally {
      unlock();
    }
    for (Waiter w = reverse(rejected); w != null; w = w.nextOut) {
      w.fail(tooHeavy(w.weight, permits));
    }
    deliver(out);
  }

  /** Resolves once nothing is held and nobody waits (at once if so now); does not acquire. Loop-affine. */
  Promise<@Nullable Void> onIdle() {
    EventLoop loop = EventLoop.current();
    Promise<@Nullable Void> done = home.resolved(loop);
    long s = state;
    if (held(s) == 0 && (s & SLOW) == 0) {
      return done;
    }
    Waiter w;
    lock();
    try {
      if (held(state) == 0 && head == null) {
        return done;
      }
      w = new Waiter(this, 0, 0, loop, home.isShared(), false);
      ArrayList<Waiter> list = idleWatchers != null ? idleWatchers : (idleWatchers = new ArrayList<>());
      list.add(w);
      STATE.getAndBitwiseOr(this, SLOW);
    } finally {
      unlock();
    }
    return w.promise();
  }

  private static void failAll(@Nullable Waiter first, Throwable reason) {
    for (Waiter w = first; w != null; w = w.nextOut) {
      w.fail(reason);
    }
  }

  private static @Nullable Waiter reverse(@Nullable Waiter first) {
    Waiter reversed = null;
    for (Waiter w = first, next; w != null; w = next) {
      next = w.nextOut;
      w.nextOut = reversed;
      reversed = w;
    }
    return reversed;
  }

  // ------------------------------------------------------------------------------------------------
  // The list (under the lock)

  /**
   * Links {@code w} behind the last waiter of its priority or higher (the list stays sorted by priority,
   * descending, FIFO within one): scans from the tail, so at one priority it is O(1).
   */
  private void linkLocked(Waiter w) {
    Waiter p = tail;
    while (p != null && p.priority < w.priority) {
      p = p.prev;
    }
    linkAfterLocked(w, p);
  }

  static System.Logger log() {
    return LOG;
  }

  @Override
  public String toString() {
    long s = state;
    return what + "[permits=" + cap(s) + ", held=" + held(s) + ", waiting=" + waiting()
        + ((s & CLOSED) != 0 ? ", closed" : "") + "]";
  }
}
