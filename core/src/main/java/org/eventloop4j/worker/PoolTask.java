package org.eventloop4j.worker;

import static java.util.Objects.requireNonNull;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Callable;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Resolvers;
import org.jspecify.annotations.Nullable;

/**
 * One submitted task of a {@link WorkerPool}: the work, its promise on the caller's loop, and the state
 * machine that makes exactly one party settle it. As a {@link Runnable} it is the settle step, run on the
 * caller's loop by its {@link CompletionInbox}.
 */
final class PoolTask implements Runnable {
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
   * caller's loop (or runs it there directly if it already is on that loop); run() closes the abort
   * registration, settles through the Resolvers and tells the inbox (which holds the loop's keep-alive
   * while tasks are in flight). Fields other than `state` and `runner` are written before that hand-off and
   * read after it (the inbox's CAS and getAndSet order them).
   *
   * Tests: WorkerPoolTest (abort queued/running, timeouts, terminate), WorkerPoolStressTest (random aborts:
   * every promise settles exactly once, counts add up).
   */
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

  private final WorkerPool.@Nullable Task<Object, ?> fn;
  private final @Nullable Object arg;
  private final @Nullable Callable<?> callable;
  final EventLoop loop;
  private final Resolvers<Object> resolvers;
  private final CompletionInbox inbox;
  final int priority;
  final long enqueuedNanos;
  /** The aging order: earlier first; see TaskQueue. */
  final long key;
  final long seq;
  final long timeoutNanos;
  private AbortSignal.@Nullable Registration registration;
  @SuppressWarnings("unused") // through STATE
  private volatile int state;
  private volatile @Nullable Thread runner;
  private @Nullable Object value;
  private @Nullable Throwable failure;
  /** The next task of an inbox batch (see CompletionInbox). */
  @Nullable PoolTask nextDone;

  @SuppressWarnings("unchecked")
  PoolTask(WorkerPool.@Nullable Task<?, ?> fn, @Nullable Object arg, @Nullable Callable<?> callable,
      CompletionInbox inbox, Resolvers<?> resolvers, int priority, long enqueuedNanos, long key, long seq,
      long timeoutNanos) {
    this.fn = (WorkerPool.Task<Object, ?>) fn;
    this.arg = arg;
    this.callable = callable;
    this.loop = inbox.loop;
    this.resolvers = (Resolvers<Object>) resolvers;
    this.inbox = inbox;
    inbox.submitted();
    this.priority = priority;
    this.enqueuedNanos = enqueuedNanos;
    this.key = key;
    this.seq = seq;
    this.timeoutNanos = timeoutNanos;
  }

  /** On the caller's loop, at submission. */
  void setRegistration(AbortSignal.Registration r) {
    registration = r;
  }

  int state() {
    return state;
  }

  @Nullable Object call() throws Exception {
    Callable<?> c = callable;
    return c != null ? c.call() : requireNonNull(fn, "fn").run(arg);
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
   * The runner's outcome; true if it settled the task, false if an interrupter had settled it already. Either
   * way the calling thread's interrupt flag is clear afterwards.
   */
  boolean finish(@Nullable Object v, @Nullable Throwable e) {
    if (STATE.compareAndSet(this, RUNNING, DONE)) {
      Thread.interrupted();
      settle(v, e);
      return true;
    }
    while (state == INTERRUPTING) {
      Thread.onSpinWait();
    }
    Thread.interrupted();
    return false;
  }

  // ------------------------------------------------------------------------------------------------
  // Settling

  private void settle(@Nullable Object v, @Nullable Throwable e) {
    value = v;
    failure = e;
    if (EventLoop.tryCurrent() == loop) {
      run();
    } else {
      inbox.push(this);
    }
  }

  /** On the caller's loop: settles the promise and releases the loop (through the inbox). */
  @Override
  public void run() {
    AbortSignal.Registration r = registration;
    Throwable e = failure;
    try {
      if (r != null) {
        registration = null;
        r.close();
      }
      if (e != null) {
        resolvers.reject(e);
      } else {
        resolvers.resolve(value);
      }
    } finally {
      inbox.settled();
    }
  }

  @Override
  public String toString() {
    return "PoolTask[" + seq + ", priority " + priority + ", state " + state + "]";
  }
}
