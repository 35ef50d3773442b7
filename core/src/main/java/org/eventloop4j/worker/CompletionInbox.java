package org.eventloop4j.worker;

import static java.util.Objects.requireNonNull;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.RejectedExecutionException;
import org.eventloop4j.EventLoop;
import org.eventloop4j.internal.LinePad;
import org.eventloop4j.internal.MpscQueue;
import org.jspecify.annotations.Nullable;

/**
 * The finished tasks of one {@link WorkerPool} on their way back to one caller loop: any thread
 * {@linkplain #push pushes} a task whose outcome is decided; one drain macrotask on the loop settles the
 * pushed tasks, in push order. While the loop has tasks of the pool in flight, the inbox holds one
 * keep-alive on it.
 *
 * <p>Threads: {@link #push} from any thread, lock-free; everything else on the loop.
 */
final class CompletionInbox extends CompletionInboxPad implements Runnable {
  /*
   * Overview. Finished tasks queue in `done`, an MpscQueue: a push is one atomic add and a store into an
   * array slot, and the drain reads consecutive slots, so the loop's walk over a batch does not chase
   * pointers through objects that the pool threads have just written (one cache miss after another: a
   * Treiber stack measured 75 ns per task for that walk when the two cores were far apart, against
   * 25-40 ns for the array).
   *
   * `mailbox` (the actor-mailbox pattern) keeps exactly one drain posted while anything waits, and makes
   * sure that one thread at a time takes from `done`:
   *
   *   IDLE --push--> POSTED --drain starts--> DRAINING --drain ends--> IDLE
   *                    ^                         | push
   *                    |                         v
   *                    +--drain ends, reposts-- DIRTY
   *   a post rejected (the loop is closed) --> DEAD
   *
   * A push offers first and reads the mailbox after (both sequentially consistent); the drain writes
   * DRAINING before it counts what is queued, and CASes DRAINING -> IDLE when done. So a task offered
   * after that count either finds DRAINING and marks DIRTY (the drain reposts itself: one macrotask per
   * batch) or finds IDLE and posts a new drain. A drain settles only what was queued when it started:
   * later tasks wait for the next macrotask, as if each batch were one message. Per-thread order: `done`
   * is FIFO, so the tasks one thread pushes settle in that order (CompletionInboxTest). The pusher that
   * posts a drain and the drain that starts tell the pool (batchPosted / batchTaken), so that its
   * spinning thread knows a loop is about to settle tasks and probably submit more.
   *
   * A closed loop rejects the post. The party whose post was rejected (a pusher that moved IDLE -> POSTED,
   * or the drain reposting from DIRTY) knows that no drain runs or will run; it publishes DEAD and drops
   * everything queued, with one log line. Pushes that find DEAD drop what is queued too. Dropping is the
   * consumer's role, so it is guarded by `dropping` (a CAS lock): a pusher that cannot take the lock
   * leaves its task to the holder, which re-checks the queue after releasing it. Every task is reported
   * exactly once; nothing is left behind.
   *
   * Loop-confined: `inFlight` (tasks submitted through this inbox and not yet settled), `keepAlive` (held
   * while inFlight > 0) and `retired` (set when inFlight drops to 0; the pool then forgets the inbox and
   * the next submission from that loop makes a new one, so a pool never pins loops that stopped using it).
   * `mailbox`, read by pool threads on every push, sits between two 64-byte paddings (the superclasses) so
   * that the loop-confined fields, touched on every submission and settlement, do not share its cache line.
   * Tests: CompletionInboxTest (order, several loops, nothing lost, a loop closed with tasks running).
   */
  private static final System.Logger LOG = System.getLogger(CompletionInbox.class.getName());
  private static final VarHandle DROPPING;

  static {
    try {
      DROPPING = MethodHandles.lookup().findVarHandle(CompletionInbox.class, "dropping", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final EventLoop loop;
  private final WorkerPool pool;
  private final MpscQueue<PoolTask> done = new MpscQueue<>();
  private volatile int dropping;
  private volatile @Nullable RejectedExecutionException closed;
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
    done.offer(t);
    while (true) {
      int m = mailbox;
      if (m == POSTED || m == DIRTY) {
        return;
      }
      if (m == DEAD) {
        dropAll();
        return;
      }
      int next = m == IDLE ? POSTED : DIRTY;
      if (MAILBOX.compareAndSet(this, m, next)) {
        if (next == POSTED) {
          post();
        }
        return;
      }
    }
  }

  /** Posts the drain; the caller moved the mailbox to POSTED. */
  private void post() {
    pool.batchPosted();
    try {
      loop.execute(this);
    } catch (RejectedExecutionException e) {
      pool.batchTaken();
      closed = e;
      mailbox = DEAD;
      dropAll();
    }
  }

  /** In the DEAD state: takes everything queued and reports it, one taker at a time (see the overview). */
  private void dropAll() {
    do {
      if (!DROPPING.compareAndSet(this, 0, 1)) {
        return; // the holder re-checks the queue after releasing the lock
      }
      int n = 0;
      while (done.poll() != null) {
        n++;
      }
      dropping = 0;
      report(n);
    } while (done.pending() > 0);
  }

  private void report(int n) {
    if (n > 0) {
      LOG.log(System.Logger.Level.WARNING, n + " WorkerPool task(s) of " + pool.name + " finished after their caller's "
          + "event loop " + loop.name() + " closed; their outcomes are dropped", closed);
    }
  }

  /** The drain, on the loop: settles the tasks queued when it started, oldest first. */
  @Override
  public void run() {
    mailbox = DRAINING;
    pool.batchTaken();
    Throwable first = settle(done.pending());
    if (!MAILBOX.compareAndSet(this, DRAINING, IDLE)) {
      mailbox = POSTED; // DIRTY: tasks came in meanwhile
      post();
    }
    if (first != null) {
      rethrow(first);
    }
  }

  /** Settles the next {@code n} tasks; answers the first exception a settle step threw (a bug), if any. */
  private @Nullable Throwable settle(long n) {
    Throwable first = null;
    for (long i = 0; i < n; i++) {
      try {
        requireNonNull(done.poll(), "counted task").run();
      } catch (RuntimeException | Error e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    return first;
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

/** The mailbox state of a {@link CompletionInbox}, after 64 bytes of padding. */
abstract class CompletionInboxHead extends LinePad {
  static final VarHandle MAILBOX;

  static {
    try {
      MAILBOX = MethodHandles.lookup().findVarHandle(CompletionInboxHead.class, "mailbox", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static final int IDLE = 0;
  static final int POSTED = 1;
  static final int DRAINING = 2;
  static final int DIRTY = 3;
  static final int DEAD = 4;

  volatile int mailbox;
}

/** Padding after {@link CompletionInboxHead#mailbox}. */
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
