package org.eventloop4j.worker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.RejectedExecutionException;
import org.eventloop4j.EventLoop;
import org.eventloop4j.internal.LinePad;
import org.jspecify.annotations.Nullable;

/**
 * The finished tasks of one {@link WorkerPool} on their way back to one caller loop: any thread
 * {@linkplain #push pushes} a task whose outcome is decided; one drain macrotask on the loop settles every
 * pushed task, in push order. While the loop has tasks of the pool in flight, the inbox holds one
 * keep-alive on it.
 *
 * <p>Threads: {@link #push} from any thread, lock-free; everything else on the loop.
 */
final class CompletionInbox extends CompletionInboxPad implements Runnable {
  /*
   * Overview. `head` is a Treiber stack of PoolTasks linked through PoolTask.nextDone (newest first). A
   * push CASes itself on top; the push that finds the stack EMPTY posts this object to the loop with
   * EventLoop.execute — one macrotask and at most one loop wake-up per batch instead of one per task. The
   * drain (run) takes the whole stack with one getAndSet(null), reverses it into push order and settles
   * each task. A push racing with the drain either lands in the batch taken or finds the stack empty and
   * posts a new drain, so nothing waits without a drain posted. Per-thread order: a push onto a non-empty
   * stack joins a batch whose drain was posted earlier and has not taken it yet, so the tasks one thread
   * pushes settle in that order (tested by CompletionInboxTest). The pusher that posts a drain and the take that
   * empties the stack tell the pool (batchPosted / batchTaken), so that its spinning thread knows a loop
   * is about to settle tasks and probably submit more.
   *
   * A closed loop rejects the post: the pusher that got the rejection takes the stack and drops it (with
   * one log line); later pushes find the stack empty, get rejected too and drop theirs. Nothing is left
   * behind.
   *
   * Loop-confined: `inFlight` (tasks submitted through this inbox and not yet settled), `keepAlive` (held
   * while inFlight > 0) and `retired` (set when inFlight drops to 0; the pool then forgets the inbox and
   * the next submission from that loop makes a new one, so a pool never pins loops that stopped using it).
   * The nextDone link is written before the CAS that publishes the task and read after the getAndSet that
   * takes it, so the drain sees every field the finishing thread wrote. `head`, CASed by pool threads on
   * every task, sits between two 64-byte paddings (the superclasses) so that the loop-confined fields,
   * touched on every submission and settlement, do not share its cache line.
   */
  private static final System.Logger LOG = System.getLogger(CompletionInbox.class.getName());

  final EventLoop loop;
  private final WorkerPool pool;
  private int inFlight;
  private EventLoop.@Nullable KeepAlive keepAlive;
  private boolean retired;

  CompletionInbox(EventLoop loop, WorkerPool pool) {
    this.loop = loop;
    this.pool = pool;
  }

  /** Whether the inbox still takes submissions (loop-confined). */
  boolean usable() {
    return !retired;
  }

  /** A task was submitted through this inbox (on the loop). */
  void submitted() {
    if (inFlight++ == 0) {
      keepAlive = loop.keepAlive();
    }
  }

  /** A task of this inbox was settled (on the loop): the last one releases the loop and retires the inbox. */
  void settled() {
    if (--inFlight > 0) {
      return;
    }
    retired = true;
    EventLoop.KeepAlive k = keepAlive;
    keepAlive = null;
    pool.forget(this);
    if (k != null) {
      k.close();
    }
  }

  /** Hands over a task whose outcome is decided; any thread, lock-free. */
  void push(PoolTask t) {
    PoolTask h;
    do {
      h = head;
      t.nextDone = h;
    } while (!HEAD.compareAndSet(this, h, t));
    if (h == null) {
      pool.batchPosted();
      post();
    }
  }

  private void post() {
    try {
      loop.execute(this);
    } catch (RejectedExecutionException closed) {
      drop(closed);
    }
  }

  private void drop(RejectedExecutionException closed) {
    int n = 0;
    for (PoolTask t = take(); t != null; t = t.nextDone) {
      n++;
    }
    if (n > 0) {
      LOG.log(System.Logger.Level.WARNING, n + " WorkerPool task(s) of " + pool.name + " finished after their caller's "
          + "event loop " + loop.name() + " closed; their outcomes are dropped", closed);
    }
  }

  /** Takes the whole stack, in push order (oldest first). */
  private @Nullable PoolTask take() {
    PoolTask t = (PoolTask) HEAD.getAndSet(this, null);
    if (t != null) {
      pool.batchTaken();
    }
    PoolTask ordered = null;
    while (t != null) {
      PoolTask next = t.nextDone;
      t.nextDone = ordered;
      ordered = t;
      t = next;
    }
    return ordered;
  }

  /** The drain, on the loop: settles every task pushed so far, oldest first. */
  @Override
  public void run() {
    PoolTask t = take();
    Throwable first = null;
    while (t != null) {
      PoolTask next = t.nextDone;
      t.nextDone = null;
      try {
        t.run();
      } catch (RuntimeException | Error e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
      t = next;
    }
    if (first != null) {
      rethrow(first);
    }
  }

  /** A settle step threw (a bug): the loop's uncaught-exception handling reports it after the batch settled. */
  private static void rethrow(Throwable e) {
    if (e instanceof Error err) {
      throw err;
    }
    throw (RuntimeException) e;
  }

  @Override
  public String toString() {
    return "CompletionInbox[" + pool.name + " -> " + loop.name() + "]";
  }
}

/** The Treiber stack of a {@link CompletionInbox}. */
abstract class CompletionInboxHead extends LinePad {
  static final VarHandle HEAD;

  static {
    try {
      HEAD = MethodHandles.lookup().findVarHandle(CompletionInboxHead.class, "head", PoolTask.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  volatile @Nullable PoolTask head;
}

/** Padding after {@link CompletionInboxHead#head}. */
abstract class CompletionInboxPad extends CompletionInboxHead {
  long q0;
  long q1;
  long q2;
  long q3;
  long q4;
  long q5;
  long q6;
  long q7;
}
