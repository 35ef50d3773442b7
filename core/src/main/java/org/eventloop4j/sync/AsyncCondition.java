package org.eventloop4j.sync;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.jspecify.annotations.Nullable;

/**
 * An async condition variable of a {@link Mutex}, made by {@link Mutex#newCondition()} (as {@link
 * java.util.concurrent.locks.ReentrantLock#newCondition()}): code that holds the mutex waits until another
 * party changes the guarded state and signals.
 *
 * <pre>{@code
 * AsyncCondition notEmpty = mutex.newCondition();
 * Promise<Item> take() {                    // locks, waits for an item, takes it, unlocks
 *   return mutex.lock().thenCompose(v -> takeLocked());
 * }
 * Promise<Item> takeLocked() {              // called holding the mutex
 *   if (items.isEmpty()) {
 *     return notEmpty.await().thenCompose(v -> takeLocked());
 *   }
 *   Item i = items.poll();
 *   mutex.unlock();
 *   return Promise.resolve(i);
 * }
 * }</pre>
 *
 * <p><b>Await.</b> {@link #await()} must be called holding the mutex. It joins this condition's queue,
 * then unlocks the mutex, and waits for a signal; once signalled it locks the mutex again with an ordinary
 * {@link Mutex#lock()} made on the waiting loop when the wake-up reaches it (so it queues behind the lock
 * requests made before that), and only then fulfils: code after the await holds the lock again. There are
 * no spurious wake-ups — only {@link #signal()} and {@link #signalAll()} wake a waiter — but a woken waiter
 * re-checks its condition anyway, since other lock holders may run between the signal and its re-lock.
 *
 * <p><b>Signal.</b> {@link #signal()} wakes the oldest waiter (FIFO), {@link #signalAll()} every waiter
 * queued at that moment. They work on any thread and do not require the mutex; signal while holding it
 * (after changing the guarded state) so that a signal cannot fall between a waiter's check and its await.
 * Signalling with nobody waiting does nothing: no permit is stored for a later await, unlike tokio's
 * {@code Notify}, whose {@code notify_one} lets the next {@code notified()} complete at once.
 *
 * <p><b>Whether the caller holds the lock when the promise settles:</b> fulfilled — yes; rejected with the
 * signal's reason (abort) — yes; rejected with anything else (the mutex's close reason) — no, so code that
 * unlocks after a rejected await (a {@code finally}) must not unlock then. {@link Mutex#execute} unlocks
 * unconditionally, so an execute whose task awaits ends with an IllegalStateException of that unlock if
 * the mutex is closed while the task waits.
 *
 * <p><b>Abort.</b> With {@link #await(AbortSignal)}, a signal already aborted rejects at once with its
 * reason and changes nothing (the caller still holds the lock). An abort while waiting removes the waiter,
 * re-locks the mutex and then rejects with the signal's reason — as {@link
 * java.util.concurrent.locks.Condition#await()} re-acquires its lock before throwing InterruptedException.
 * An abort after the waiter was signalled does nothing and the await fulfils: a signal is never lost to an
 * abort; a signal that finds its oldest waiter aborted (or its loop closed) goes on to the next one.
 *
 * <p><b>Close.</b> When the mutex is closed, every waiter rejects with the mutex's close reason (the one
 * its lock requests reject with) without re-locking, since a closed mutex cannot be locked; a later await
 * unlocks the mutex and rejects likewise. A waiter already signalled and re-locking rejects with that
 * reason too, from its lock request.
 *
 * <p><b>Threads.</b> Thread-safe; {@code await} is loop-affine (its promise settles on the calling loop),
 * the other methods work on any thread. Everything a thread did before {@code signal} happens-before the
 * waiter's reactions. The package's liveness rules apply to the wait for the signal as to a lock request.
 *
 * <p><b>Errors.</b> {@code await} of a mutex that is not locked throws {@link IllegalStateException}.
 */
public final class AsyncCondition {
  /*
   * Overview for maintainers.
   *
   * Data: the FIFO of Nodes (`waiters`, the AsyncQueue's QueueNode.WaitList: O(1) unlink on abort), guarded
   * by the monitor `lock`. A Node is a QueueNode whose promise (of the waiting loop) is the *wake-up*: fulfilled
   * with null when signalled, fulfilled with the abort reason when aborted, rejected when the mutex closes.
   * await() chains the re-lock on it (relock): mutex.lock(), then fulfil, or reject with the abort reason.
   * So the only state machine is WaitNode's status, and every change of it happens under `lock`:
   *
   *   WAITING --signal--> GRANTED   (unlinked; settle(null) outside the lock)
   *      \----abort-----> CANCELLED (unlinked; settle(reason) outside the lock: re-lock, then reject)
   *       \---close-----> CANCELLED (unlinked; fail(closeReason): reject, no re-lock)
   *
   * Races and how they are closed:
   * - Lost wake-up: await links its node *before* it unlocks the mutex, so a signaller that locks after
   *   the unlock finds the node. Tested: AsyncConditionStressTest
   *   .await_plainThreadSignalsTheMomentTheMutexIsFree_noSignalLost (a plain thread tryLocks and signals
   *   the moment an await unlocks; with the unlock before the link it loses a signal within seconds).
   * - Signal vs abort: whichever changes the status first (under `lock`) wins; the abort that loses does
   *   nothing (the await fulfils), the signal that loses never sees the node. A signalled node whose loop is
   *   closed (settle answers false) passes the signal on to the next node. AsyncConditionLincheckTest.
   * - Close vs await: the mutex tells its conditions through a Hub (one per mutex, in Mutex.close). A
   *   condition is in its hub's set while it has waiters; await joins the hub under `lock` before linking
   *   (Hub.join checks "closed" and adds in one section of the hub's monitor), so either the close sees the
   *   condition and rejects the node (closeWaiters, which takes `lock` after the hub's monitor was left), or
   *   the await sees the hub closed and rejects at once. Lock order: `lock` then the hub's monitor; the hub
   *   never calls a condition while holding its monitor. The hub decides the close reason first and passes
   *   it to the mutex's core, so condition waiters and lock waiters reject with the same reason.
   * - Close is one step: it takes effect when the hub is marked closed, and rejects the nodes after that,
   *   so observers must not see those nodes as still waiting in between: under `lock`, signal, signalAll,
   *   abort and waiting treat a condition whose hub is closed as having no waiter (the closer rejects every
   *   node still linked), and await is refused by Hub.join. A second close, which returns at once, thus
   *   already sees every waiter gone. AsyncConditionCoreLincheckTest found both halves: waiting() 1 after a
   *   close had returned, and after an await had been refused as closed.
   * - await on a mutex someone else unlocks concurrently (misuse): unlock throws; the node is withdrawn,
   *   and if it was signalled in between the signal is passed on.
   *
   * Keep-alive: a LoopHome as in the other primitives; await notes its loop, signal its caller, before a
   * node is made, so a node made after a foreign signaller touched the condition keeps its loop alive.
   *
   * Tests: AsyncConditionTest (behaviour, virtual time), AsyncConditionCoreLincheckTest (model checking of
   * the queue with a recording settler, no loop: await, signal, signalAll, abort, waiting, close),
   * AsyncConditionLincheckTest (the queue: await,
   * signal, signalAll, abort, waiting, close, stress mode through loops, against a sequential FIFO),
   * AsyncConditionStressTest (producers and consumers on several loops and a plain thread).
   */
  private final Mutex mutex;
  private final Hub hub;
  /** How waiters learn their wake-up: the mutex core's settler (Settler.ON_LOOP in production). */
  private final Settler settler;
  private final LoopHome home = new LoopHome();
  private final Object lock = new Object();
  private final QueueNode.WaitList<Node> waiters = new QueueNode.WaitList<>();

  AsyncCondition(Mutex mutex, Hub hub, Settler settler) {
    this.mutex = mutex;
    this.hub = hub;
    this.settler = settler;
  }

  /**
   * Unlocks the mutex, waits for a signal, then locks the mutex again; the promise fulfils once the lock is
   * held again. Loop-affine; the caller must hold the mutex.
   *
   * @return fulfilled holding the lock; rejected with the mutex's close reason (not holding it) if the mutex
   *     is or gets closed
   * @throws IllegalStateException if the mutex is not locked
   */
  public Promise<@Nullable Void> await() {
    return await(EventLoop.current(), null);
  }

  /**
   * {@link #await()}, giving up if {@code signal} aborts before a signal arrives: the waiter leaves the
   * queue, re-locks the mutex, and then rejects with the signal's reason (holding the lock). An already
   * aborted signal rejects at once and leaves the mutex locked.
   */
  public Promise<@Nullable Void> await(AbortSignal signal) {
    requireNonNull(signal, "signal");
    EventLoop loop = EventLoop.current();
    if (signal.aborted()) {
      return Promise.reject(WaitNode.abortReason(signal));
    }
    return await(loop, signal);
  }

  private Promise<@Nullable Void> await(EventLoop loop, @Nullable AbortSignal signal) {
    if (!mutex.isLocked()) {
      throw new IllegalStateException("await() on a condition whose mutex is not locked: lock the mutex first");
    }
    Object entered = enter(loop);
    try {
      mutex.unlock();
    } catch (IllegalStateException unlockedMeanwhile) {
      withdraw(entered);
      throw unlockedMeanwhile;
    }
    Promise<@Nullable Throwable> woken = wake(entered, signal);
    return woken.thenCompose(this::relock);
  }

  /**
   * The queue part of an await (no mutex check, no unlock): the queued Node, or the close reason. {@code
   * loop} is the waiting loop, null only with a loop-free settler (AsyncConditionCoreLincheckTest).
   */
  Object enter(@Nullable EventLoop loop) {
    if (loop != null) {
      home.note(loop);
    }
    synchronized (lock) {
      Throwable closed = hub.join(this);
      if (closed != null) {
        return closed;
      }
      Node n = new Node(this, loop, home.isShared());
      link(n);
      return n;
    }
  }

  /** The wake-up promise of what {@link #enter} answered, listening to {@code signal} if given. */
  static Promise<@Nullable Throwable> wake(Object entered, @Nullable AbortSignal signal) {
    if (entered instanceof Node n) {
      if (signal != null) {
        n.listen(signal);
      }
      return n.promise();
    }
    return Promise.reject((Throwable) entered);
  }

  private Promise<@Nullable Void> relock(@Nullable Throwable abortReason) {
    Promise<@Nullable Void> locked = mutex.lock();
    return abortReason == null ? locked : locked.thenCompose(v -> Promise.reject(abortReason));
  }

  /** Takes back an await whose unlock failed; a signal it received meanwhile goes to the next waiter. */
  private void withdraw(Object entered) {
    if (!(entered instanceof Node n)) {
      return;
    }
    boolean signalled;
    boolean withdrawn;
    synchronized (lock) {
      signalled = n.status == WaitNode.GRANTED;
      withdrawn = n.cas(WaitNode.WAITING, WaitNode.CANCELLED);
      if (withdrawn) {
        unlink(n);
      }
    }
    if (withdrawn) {
      n.settle(null); // releases what the node holds; nobody reacts: the caller got the exception
    } else if (signalled) {
      signal();
    }
  }

  /**
   * Wakes the oldest waiter, if any; it fulfils once it holds the mutex again. Any thread.
   *
   * @return whether a waiter was woken (false: nobody waits, and nothing is stored for a later await)
   */
  public boolean signal() {
    home.noteCaller();
    for (;;) {
      Node n;
      synchronized (lock) {
        n = takeLocked(WaitNode.GRANTED, false);
      }
      if (n == null) {
        return false;
      }
      if (n.settle(null)) {
        return true;
      }
      // Its loop is closed, so it can never re-lock: the signal goes on to the next waiter.
    }
  }

  /**
   * Wakes every waiter queued now, oldest first; each fulfils once it holds the mutex again. Any thread.
   *
   * @return how many waiters were woken (those whose loop is closed are not counted)
   */
  public int signalAll() {
    home.noteCaller();
    Node first;
    synchronized (lock) {
      first = takeLocked(WaitNode.GRANTED, true);
    }
    int woken = 0;
    for (Node n = first, next; n != null; n = next) {
      next = n.nextOut;
      n.nextOut = null;
      if (n.settle(null)) {
        woken++;
      }
    }
    return woken;
  }

  /** The number of awaits waiting for a signal (not those signalled and re-locking). Any thread. */
  public int waiting() {
    synchronized (lock) {
      return hub.isClosed() ? 0 : waiters.size();
    }
  }

  /** The mutex this condition belongs to. */
  public Mutex mutex() {
    return mutex;
  }

  /** The abort of {@code n}: unless it was signalled or closed first, unlinks it and wakes it with the reason. */
  void abort(Node n, Throwable reason) {
    synchronized (lock) {
      if (hub.isClosed() || !n.cas(WaitNode.WAITING, WaitNode.CANCELLED)) {
        return; // signalled first, or the closer's to reject
      }
      unlink(n);
    }
    n.settle(reason); // false if its loop is closed: then nobody is left to re-lock
  }

  /** Called by the hub when the mutex closes: rejects every waiter with {@code reason}. */
  void closeWaiters(Throwable reason) {
    Node first;
    synchronized (lock) {
      first = takeLocked(WaitNode.CANCELLED, true);
    }
    for (Node n = first, next; n != null; n = next) {
      next = n.nextOut;
      n.nextOut = null;
      n.fail(reason);
    }
  }

  /**
   * Under the lock: unlinks waiting nodes from the head, moving each to {@code status}, and answers the
   * first of them — or, if {@code all}, every one, chained through nextOut in FIFO order. (Every status
   * change happens under the lock and unlinks, so each linked node is WAITING; the CAS is a guard.)
   */
  private @Nullable Node takeLocked(int status, boolean all) {
    if (status == WaitNode.GRANTED && hub.isClosed()) {
      return null; // closed: every node still linked is the closer's to reject (see the overview)
    }
    Node first = null;
    Node last = null;
    for (Node n; (n = waiters.first()) != null;) {
      unlink(n);
      if (n.cas(WaitNode.WAITING, status)) {
        if (last == null) {
          first = n;
        } else {
          last.nextOut = n;
        }
        last = n;
        if (!all) {
          break;
        }
      }
    }
    return first;
  }

  private void link(Node n) {
    waiters.add(n);
  }

  /** Unlinks {@code n} if it is still listed; the last one out takes this condition off the hub. */
  private void unlink(Node n) {
    if (n.queued) {
      waiters.remove(n);
      if (waiters.isEmpty()) {
        hub.leave(this);
      }
    }
  }

  @Override
  public String toString() {
    return "condition[waiting=" + waiting() + ", " + mutex + "]";
  }

  /** One await waiting for a signal; its promise is the wake-up (null, or the abort reason). */
  static final class Node extends QueueNode<@Nullable Throwable> {
    final AsyncCondition owner;
    /** Chains the nodes one signalAll or close takes, to be settled outside the lock. */
    @Nullable Node nextOut;

    Node(AsyncCondition owner, @Nullable EventLoop loop, boolean keepLoopAlive) {
      super(owner.settler, loop, keepLoopAlive);
      this.owner = owner;
    }

    @Override
    void aborted(Throwable reason) {
      owner.abort(this, reason);
    }
  }

  /**
   * The conditions of one mutex that have waiters, told when it closes; it decides the close reason. Guarded
   * by its own monitor, which is taken after a condition's lock and never held while calling a condition.
   */
  static final class Hub {
    private @Nullable HashSet<AsyncCondition> waiting;
    /** Written under this hub's monitor; read without it by the conditions' operations. */
    private volatile boolean closed;
    private @Nullable Throwable reason;

    /** Adds {@code c} (under its lock) unless closed; answers what its waiters reject with if closed. */
    synchronized @Nullable Throwable join(AsyncCondition c) {
      if (closed) {
        return failure();
      }
      HashSet<AsyncCondition> set = waiting;
      (set != null ? set : (waiting = new HashSet<>())).add(c);
      return null;
    }

    /** Whether the mutex closed (from the moment its close began). */
    boolean isClosed() {
      return closed;
    }

    /** Removes {@code c}, which has no waiter left (called under its lock). */
    synchronized void leave(AsyncCondition c) {
      HashSet<AsyncCondition> set = waiting;
      if (set != null) {
        set.remove(c);
      }
    }

    /**
     * Closes (the first call decides the reason; null: a {@link ClosedError}), rejects every condition
     * waiter, and answers the reason in force, for the mutex's core to close with.
     */
    @Nullable Throwable close(@Nullable Throwable closeReason) {
      AsyncCondition[] victims;
      Throwable failure;
      synchronized (this) {
        if (closed) {
          return reason;
        }
        closed = true;
        reason = closeReason;
        HashSet<AsyncCondition> set = waiting;
        victims = set == null ? new AsyncCondition[0] : set.toArray(new AsyncCondition[0]);
        waiting = null;
        failure = failure();
      }
      for (AsyncCondition c : victims) {
        c.closeWaiters(failure);
      }
      return closeReason;
    }

    private Throwable failure() {
      Throwable r = reason;
      return r != null ? r : new ClosedError("the mutex is closed");
    }
  }
}
