package org.eventloop4j.worker;

import java.util.concurrent.RejectedExecutionException;
import org.eventloop4j.EventLoop;
import org.eventloop4j.internal.LinePad;
import org.jspecify.annotations.Nullable;

/**
 * The finished tasks of one {@link WorkerPool} on their way back to one caller loop: any thread
 * {@linkplain #push pushes} a task whose outcome is decided; one drain macrotask on the loop settles the
 * pushed tasks, in push order. While the loop has tasks of the pool in flight, the inbox holds one
 * keep-alive on it.
 *
 * <p>Threads: {@link #push} from any thread, lock-free; everything else on the loop.
 */
final class CompletionInbox extends CompletionInboxShared implements Runnable {
  /*
   * Overview. Finished tasks travel in a Mailbox (see its overview): a push that the mailbox asks to post
   * a drain posts this object to the loop with EventLoop.execute — one macrotask and at most one loop
   * wake-up per batch instead of one per task — and the drain settles the tasks queued when it began, in
   * push order, so the tasks one thread pushes settle in that order (CompletionInboxTest). The pusher that
   * posts a drain and the drain that begins tell the pool (batchPosted / batchTaken), so that its
   * spinning thread knows a loop is about to settle tasks and probably submit more.
   *
   * Progress reports (ProgressSink) share the mailbox, so the reports a thread pushes before the outcome of
   * its task are settled before it; they never count in `inFlight`.
   *
   * A closed loop rejects the post: the mailbox dies and the tasks still queued, and any pushed later, are
   * dropped, each reported exactly once in a log line. Nothing is left behind.
   *
   * Loop-confined: `inFlight` (tasks submitted through this inbox and not yet settled), `keepAlive` (held
   * while inFlight > 0) and `retired` (set when inFlight drops to 0; the pool then forgets the inbox and
   * the next submission from that loop makes a new one, so a pool never pins loops that stopped using it).
   * They are written on every submission and settlement, so they sit after 64 bytes of padding, away from
   * the fields that pool threads read on every push (the superclass).
   */
  private static final System.Logger LOG = System.getLogger(CompletionInbox.class.getName());

  private volatile @Nullable RejectedExecutionException closed;
  private int inFlight;
  private EventLoop.@Nullable KeepAlive keepAlive;
  private boolean retired;

  CompletionInbox(EventLoop loop, WorkerPool pool) {
    super(loop, pool);
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

  /**
   * Hands over a task whose outcome is decided, or a progress report of a running task (a {@link
   * ProgressSink} item); any thread, lock-free.
   */
  void push(Runnable t) {
    int action = mailbox.offer(t);
    if (action == Mailbox.POST) {
      post();
    } else if (action == Mailbox.DROP) {
      mailbox.dropAll(this::report);
    }
  }

  /** Posts the drain, as the mailbox asked. */
  private void post() {
    pool.batchPosted();
    try {
      loop.execute(this);
    } catch (RejectedExecutionException e) {
      pool.batchTaken();
      closed = e;
      mailbox.die();
      mailbox.dropAll(this::report);
    }
  }

  private void report(int n) {
    LOG.log(System.Logger.Level.WARNING, n + " WorkerPool task(s) or progress report(s) of " + pool.name + " came back "
        + "after their caller's event loop " + loop.name() + " closed; their outcomes are dropped", closed);
  }

  /** The drain, on the loop: settles the tasks queued when it began, oldest first. */
  @Override
  public void run() {
    long n = mailbox.beginDrain();
    pool.batchTaken();
    Throwable first = settle(n);
    if (mailbox.endDrain()) {
      post();
    }
    if (first != null) {
      rethrow(first);
    }
  }

  /**
   * Settles the next {@code n} items; answers the first exception one threw (a bug, or a progress callback
   * of the user), if any.
   */
  private @Nullable Throwable settle(long n) {
    Throwable first = null;
    for (long i = 0; i < n; i++) {
      try {
        mailbox.take().run();
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

  /**
   * An item threw (a progress callback, or a bug): the loop's uncaught-exception handling reports it after the
   * batch settled, with any later ones of the batch suppressed in it.
   */
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

/** What pool threads read of a {@link CompletionInbox} on every push, after 64 bytes of padding. */
abstract class CompletionInboxFields extends LinePad {
  final EventLoop loop;
  final WorkerPool pool;
  final Mailbox<Runnable> mailbox = new Mailbox<>();

  CompletionInboxFields(EventLoop loop, WorkerPool pool) {
    this.loop = loop;
    this.pool = pool;
  }
}

/** Padding between the fields pool threads read and the loop-confined ones of a {@link CompletionInbox}. */
abstract class CompletionInboxShared extends CompletionInboxFields {
  long q0;
  long q1;
  long q2;
  long q3;
  long q4;
  long q5;
  long q6;
  long q7;

  CompletionInboxShared(EventLoop loop, WorkerPool pool) {
    super(loop, pool);
  }
}
