package org.eventloop4j.worker;

import static java.util.Objects.requireNonNull;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Callable;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.internal.Bridge;
import org.jspecify.annotations.Nullable;

/**
 * One submitted task of a {@link WorkerPool}: the work, its promise on the caller's loop, and the state
 * machine that makes exactly one party settle it. As a {@link Runnable} it is the settle step, run on the
 * caller's loop by its {@link CompletionInbox}.
 */
final class PoolTask extends TaskLink implements Runnable {
  /*
   * Overview. State machine (a VarHandle int), each arrow one CAS; the party whose CAS succeeds into a
   * final state settles the promise, so it is settled exactly once:
   *
   *   QUEUED --claim (a pool thread)--> RUNNING --finish (the same thread)--> DONE
   *     |                                  |
   *     +--cancel (abort, terminate)--> CANCELLED
   *                                        +--interrupt (abort, timeout, terminate)--> INTERRUPTING --> INTERRUPTED
   *
   * `runner` is written (release) before the claim CAS, which publishes it to whoever later wins RUNNING ->
   * INTERRUPTING. Interrupt safety: the interrupter wins RUNNING -> INTERRUPTING, interrupts `runner`, then publishes
   * INTERRUPTED. A runner whose finish CAS fails waits until INTERRUPTED (a few instructions) and clears its
   * interrupt flag; a runner whose finish CAS succeeds clears the flag too. Since no interrupt can target a
   * task that is not RUNNING, an interrupt meant for one task never reaches the next task of the thread.
   *
   * Settling: the winner writes `value`/`failure` and pushes this object onto the CompletionInbox of the
   * caller's loop (or, for an abort or terminate on that loop, runs it there directly; a runner is a pool
   * thread, never a loop, so publish() pushes without asking); run() closes the abort
   * registration, settles the promise (Bridge.promises(): no resolving-functions object) and tells the inbox (which holds the loop's keep-alive
   * while tasks are in flight). Fields other than `state` and `runner` are written before that hand-off and
   * read after it (the inbox's CAS and getAndSet order them).
   *
   * A task is its own link in the pool's FIFO (TaskLink), and the FIFO's head keeps the last task taken
   * reachable until the next one is taken; so call() drops the work and its argument, and run() drops the
   * outcome, the promise and the inbox (which would pin the caller's loop).
   *
   * A broadcast part (broadcastPart) is the same state machine, offered to one thread's own part queue
   * instead of the pool's queue (see PoolThread); its promise is internal and a Broadcast combines it.
   * Progress reports of a task travel through the same inbox, before the outcome (see ProgressSink).
   *
   * Tests: WorkerPoolTest (abort queued/running, timeouts, terminate), WorkerPoolStressTest (random aborts:
   * every promise settles exactly once, counts add up), WorkerPoolBroadcastTest, WorkerPoolProgressTest.
   */
  private static final Bridge.Promises PROMISES = Bridge.promises();
  private static final VarHandle STATE;
  private static final VarHandle RUNNER;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(PoolTask.class, "state", int.class);
      RUNNER = MethodHandles.lookup().findVarHandle(PoolTask.class, "runner", Thread.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static final int QUEUED = 0;
  static final int RUNNING = 1;
  static final int DONE = 2;
  static final int CANCELLED = 3;
  static final int INTERRUPTING = 4;
  static final int INTERRUPTED = 5;

  private WorkerPool.@Nullable Task<Object, ?> fn;
  private @Nullable Object arg;
  private @Nullable Callable<?> callable;
  private @Nullable Promise<?> promise;
  private @Nullable CompletionInbox inbox;
  final int priority;
  final long enqueuedNanos;
  /** The aging order: earlier first; see TaskQueue. */
  final long key;
  final long seq;
  final long timeoutNanos;
  /** One thread's share of a broadcast: never in the pool's queue, not counted by recycleAfter. */
  final boolean broadcastPart;
  private AbortSignal.@Nullable Registration registration;
  @SuppressWarnings("unused") // through STATE
  private volatile int state;
  private volatile @Nullable Thread runner;
  private @Nullable Object value;
  private @Nullable Throwable failure;

  @SuppressWarnings("unchecked")
  PoolTask(WorkerPool.@Nullable Task<?, ?> fn, @Nullable Object arg, @Nullable Callable<?> callable,
      CompletionInbox inbox, Promise<?> promise, int priority, long enqueuedNanos, long key, long seq,
      long timeoutNanos, boolean broadcastPart) {
    this.fn = (WorkerPool.Task<Object, ?>) fn;
    this.arg = arg;
    this.callable = callable;
    this.promise = promise;
    this.inbox = inbox;
    inbox.submitted();
    this.priority = priority;
    this.enqueuedNanos = enqueuedNanos;
    this.key = key;
    this.seq = seq;
    this.timeoutNanos = timeoutNanos;
    this.broadcastPart = broadcastPart;
  }

  /** On the caller's loop, at submission. */
  void setRegistration(AbortSignal.Registration r) {
    registration = r;
  }

  int state() {
    return state;
  }

  /** Whether a pool thread runs the task now and nobody settled it yet (any thread; progress reports). */
  boolean running() {
    return state == RUNNING;
  }

  /** Whether the promise was settled (on the caller's loop only: run() clears it there). */
  boolean settledOnLoop() {
    return promise == null;
  }

  /** Runs the work once, on the pool thread that claimed the task, and drops it (see the overview). */
  @Nullable Object call() throws Exception {
    Callable<?> c = callable;
    WorkerPool.Task<Object, ?> f = fn;
    Object a = arg;
    callable = null;
    fn = null;
    arg = null;
    return c != null ? c.call() : requireNonNull(f, "fn").run(a);
  }

  // ------------------------------------------------------------------------------------------------
  // Transitions

  /** A pool thread takes the task; false if it was cancelled meanwhile. */
  boolean claim(Thread thread) {
    RUNNER.setRelease(this, thread);
    return STATE.compareAndSet(this, QUEUED, RUNNING);
  }

  /** Removes a queued task, rejecting it with {@code rejection}; false if it is no longer queued. */
  boolean cancelQueued(Throwable rejection) {
    if (!STATE.compareAndSet(this, QUEUED, CANCELLED)) {
      return false;
    }
    settle(null, rejection);
    return true;
  }

  /** Interrupts a running task, rejecting it with {@code rejection}; false if it is not running. */
  boolean interruptRunning(Throwable rejection) {
    if (!STATE.compareAndSet(this, RUNNING, INTERRUPTING)) {
      return false;
    }
    Thread t = runner;
    if (t != null) {
      t.interrupt();
    }
    state = INTERRUPTED;
    settle(null, rejection);
    return true;
  }

  /**
   * The runner's claim on the outcome: true if the runner settles the task (then with {@link #publish}),
   * false if an interrupter had settled it already. Either way the calling thread's interrupt flag is
   * clear afterwards.
   */
  boolean finish() {
    if (STATE.compareAndSet(this, RUNNING, DONE)) {
      Thread.interrupted();
      return true;
    }
    while (state == INTERRUPTING) {
      Thread.onSpinWait();
    }
    Thread.interrupted();
    return false;
  }

  /** After a successful {@link #finish()}: hands the outcome to the caller's loop. */
  void publish(@Nullable Object v, @Nullable Throwable e) {
    value = v;
    failure = e;
    requireNonNull(inbox, "inbox").push(this); // the runner is a pool thread, never a loop (see settle)
  }

  // ------------------------------------------------------------------------------------------------
  // Settling

  private void settle(@Nullable Object v, @Nullable Throwable e) {
    value = v;
    failure = e;
    CompletionInbox in = requireNonNull(inbox, "inbox");
    if (EventLoop.tryCurrent() == in.loop) {
      run();
    } else {
      in.push(this);
    }
  }

  /** On the caller's loop: settles the promise and releases the loop (through the inbox). */
  @Override
  public void run() {
    AbortSignal.Registration r = registration;
    Throwable e = failure;
    Object v = value;
    Promise<?> p = requireNonNull(promise, "promise");
    CompletionInbox in = requireNonNull(inbox, "inbox");
    registration = null;
    value = null;
    failure = null;
    promise = null;
    inbox = null;
    try {
      if (r != null) {
        r.close();
      }
      if (e != null) {
        PROMISES.reject(p, e);
      } else {
        PROMISES.resolve(p, v);
      }
    } finally {
      in.settled();
    }
  }

  @Override
  public String toString() {
    return "PoolTask[" + seq + ", priority " + priority + ", state " + state + "]";
  }
}
