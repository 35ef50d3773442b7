package org.eventloop4j.worker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Supplier;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * One thread of a {@link WorkerPool}: takes tasks until the pool lets it go, runs each, settles it, and
 * records its statistics.
 */
final class PoolThread implements Runnable {
  /*
   * Overview. Park protocol (the `park` field, a VarHandle int):
   *
   *   ACTIVE --park()--> PARKED --signal() by a submitter--> SIGNALLED --(woken)--> ACTIVE
   *                        +--own re-check found work / spurious wake handling--> ACTIVE
   *                        +--idle timeout, pool above its minimum--> EXITING
   *
   * Whoever moves the thread out of PARKED decrements the pool's idle count, exactly once. Lost wake-ups
   * are excluded by ordering: the thread publishes PARKED and the idle count, then re-checks the queue;
   * a submitter offers, then reads the idle count (all sequentially consistent), so one of them sees the
   * other. Before parking, the thread spins for the pool's spin time if no other thread of the pool is
   * spinning (WorkerPool.spin), so a task that arrives within microseconds is taken without a futex wake
   * (≈ 17–20 µs on a small VM) while at most one core is spent waiting. While some loop has finished
   * tasks of the pool waiting for its drain (WorkerPool.awaitingDrain), the spinner then yields instead
   * of parking, up to MAX_SPIN_NANOS: that loop is about to settle them and submit the next tasks, and
   * without this both sides paid a futex wake per batch (a convoy: 256 tasks in flight ran at a quarter
   * of the pipelined speed whenever the loop's wake-up took longer than the spin). Yielding, not
   * spinning, so that the loop's carrier thread gets a core on a loaded 2-core machine.
   *
   * Clock: one System.nanoTime() per task (≈ 20–40 ns on a VM): a task taken without waiting starts, for
   * the wait- and run-time statistics, when the previous one ended (so a run time includes the take,
   * tens of nanoseconds); after a spin or park the start is read afresh (unchain()). None with
   * recordTiming(false): no wait or run time, no busy time.
   *
   * `current` is the task being run, published before the claim so that terminate() finds it (see
   * WorkerPool.terminate). Statistics are single-writer (this thread) and read racily by snapshots.
   *
   * Broadcast parts: `parts` (under `partsLock`) holds this thread's shares of broadcasts, which take()
   * runs before the pool's queue; `hasParts` mirrors "not empty" for lock-free checks on every take, in
   * spin() and in park(). `partsClosed` is set, under the lock, at the one moment the thread commits to
   * ending, so a broadcast either lands here before that (and this thread runs it, or hands it over, or
   * terminate rejects it) or finds the thread gone and leaves it out:
   *   - idle timeout: retire() is decided under the lock and only with no part waiting (retireIdle);
   *   - closing or terminating, nothing left (WorkerPool.take): closeParts() refuses while a part waits
   *     (closing: run it first) or takes the rest to reject it (terminating);
   *   - killed by an Error, recycled, or a bug: run()'s finally takes what is left (takeParts) and the pool
   *     hands it to the replacement, which runs it first, or rejects it.
   * Wake-ups: a broadcaster writes `hasParts` (under the lock) then signal()s; the thread writes PARKED,
   * then reads `hasParts` (all volatile, so sequentially consistent): one of them sees the other.
   * Tests: WorkerPoolBroadcastTest, WorkerPoolStressTest.broadcasts.
   */
  private static final System.Logger LOG = System.getLogger(PoolThread.class.getName());
  private static final VarHandle PARK;
  private static final VarHandle CURRENT;
  private static final VarHandle QUIET;
  private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final int COMPLETED = 0;
  private static final int FAILED = 1;
  private static final int BUSY_NANOS = 2;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      PARK = l.findVarHandle(PoolThread.class, "park", int.class);
      CURRENT = l.findVarHandle(PoolThread.class, "current", PoolTask.class);
      QUIET = l.findVarHandle(PoolThread.class, "quiet", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The longest wait without parking while loops have finished tasks to drain (see spin). */
  static final long MAX_SPIN_NANOS = 1_000_000;

  static final int ACTIVE = 0;
  static final int PARKED = 1;
  static final int SIGNALLED = 2;
  static final int EXITING = 3;

  final WorkerPool pool;
  final Thread thread;
  /** The creation number (its name's suffix): the order of a broadcast's results. */
  final int seq;
  final LatencyRecorder waitTimes = new LatencyRecorder();
  final LatencyRecorder runTimes = new LatencyRecorder();
  private volatile int park;
  private volatile @Nullable PoolTask current;
  /**
   * False from a claim until this thread next finds nothing to take, so also while it publishes the outcome
   * of its last task (WorkerPool.onIdle; its overview has the wake-up argument).
   */
  private volatile boolean quiet = true;
  /** completed, failed, busy nanoseconds: written by this thread only, with opaque writes (no fences). */
  private final long[] counts = new long[3];
  private int tasksRun;
  private boolean shrunk;
  /** When the previous task ended, if this thread took the current one without waiting in between. */
  private long chainedStart;
  private boolean chained;
  private final Object partsLock = new Object();
  private final ArrayDeque<PoolTask> parts = new ArrayDeque<>();
  private boolean partsClosed;
  private volatile boolean hasParts;

  PoolThread(WorkerPool pool, int seq) {
    this.pool = pool;
    this.seq = seq;
    Thread.Builder.OfPlatform builder = Thread.ofPlatform().name(pool.name + "-" + seq).daemon();
    this.thread = (pool.stackSize > 0 ? builder.stackSize(pool.stackSize) : builder).unstarted(this);
  }

  @Override
  public void run() {
    boolean replace = false;
    try {
      replace = loop();
    } catch (Throwable bug) {
      LOG.log(System.Logger.Level.ERROR, "WorkerPool thread " + thread.getName() + " failed; replacing it", bug);
      replace = true;
    } finally {
      pool.threadExited(this, replace, shrunk, takeParts());
    }
  }

  /** Runs tasks; answers whether the thread must be replaced (killed by an Error, or recycled). */
  private boolean loop() {
    while (true) {
      PoolTask t = pool.take(this);
      if (t == null) {
        return false;
      }
      if (!runTask(t)) {
        return true;
      }
      if (!t.broadcastPart && pool.recycleAfter > 0 && ++tasksRun >= pool.recycleAfter) {
        return true;
      }
    }
  }

  /**
   * Claims {@code t} for this thread; false if it was cancelled meanwhile. {@code current} is published with
   * a release store before the claim's CAS (a full fence), so terminate() — which sets the pool's state and
   * then reads {@code current} — either finds the task or this thread sees the state after claiming.
   */
  boolean claim(PoolTask t) {
    QUIET.setRelease(this, false);
    CURRENT.setRelease(this, t);
    if (t.claim(thread)) {
      return true;
    }
    CURRENT.setRelease(this, null);
    return false;
  }

  /** Whether this thread has finished its tasks, published their outcomes and found nothing more (onIdle). */
  boolean quiet() {
    return quiet;
  }

  /** This thread found nothing to take (WorkerPool.foundNothing, which fences after it). */
  void markQuiet() {
    QUIET.setRelease(this, true);
  }

  /** The task this thread runs, if any (terminate). */
  @Nullable PoolTask current() {
    return current;
  }

  /** Runs a claimed task; false if it threw an {@link Error} (the thread is then replaced). */
  private boolean runTask(PoolTask t) {
    if (pool.terminating()) {
      t.interruptRunning(TaskAbortedException.terminated(TaskAbortedException.Phase.RUNNING, pool.name));
      t.finish();
      CURRENT.setRelease(this, null);
      pool.taskEnded();
      bump(FAILED, 1);
      return true;
    }
    boolean timed = pool.recordTiming;
    long start = !timed ? 0 : chained ? chainedStart : System.nanoTime();
    if (timed) {
      waitTimes.record(start - t.enqueuedNanos);
    }
    ScheduledFuture<?> timeout = pool.armTimeout(t);
    Object value = null;
    Throwable error = null;
    try {
      value = t.call();
    } catch (Throwable e) {
      error = e;
    }
    long end = timed ? System.nanoTime() : 0;
    chainedStart = end;
    chained = timed;
    if (timeout != null) {
      timeout.cancel(false);
    }
    boolean settles = t.finish();
    CURRENT.setRelease(this, null);
    pool.taskEnded();
    account(timed, end - start, settles && error == null);
    if (settles) {
      t.publish(value, error); // after the accounting: a caller that saw the promise settle sees the stats
    }
    return !(error instanceof Error);
  }

  /**
   * The thread is about to wait for work: the next task's start is read from the clock. (A task taken
   * right after another starts, for the statistics, when that other ended: one clock read per task.)
   */
  void unchain() {
    chained = false;
  }

  private void account(boolean timed, long ran, boolean ok) {
    if (timed) {
      runTimes.record(ran);
      bump(BUSY_NANOS, ran);
    }
    bump(ok ? COMPLETED : FAILED, 1);
  }

  private void bump(int i, long delta) {
    COUNTS.setOpaque(counts, i, (long) COUNTS.getOpaque(counts, i) + delta);
  }

  long completed() {
    return (long) COUNTS.getOpaque(counts, COMPLETED);
  }

  long failed() {
    return (long) COUNTS.getOpaque(counts, FAILED);
  }

  long busyNanos() {
    return (long) COUNTS.getOpaque(counts, BUSY_NANOS);
  }

  // ------------------------------------------------------------------------------------------------
  // Broadcast parts

  /**
   * Queues a broadcast part for this thread, made by {@code part} only if the thread takes it (the caller
   * then signals it); false if the thread is ending. On the broadcaster's loop.
   */
  boolean offerPart(Supplier<PoolTask> part) {
    synchronized (partsLock) {
      if (partsClosed) {
        return false;
      }
      parts.add(part.get());
      hasParts = true;
      return true;
    }
  }

  /** Parts inherited from the thread this one replaces; before it starts. */
  void inheritParts(List<PoolTask> inherited) {
    synchronized (partsLock) {
      parts.addAll(inherited);
      hasParts = !parts.isEmpty();
    }
  }

  /** The oldest waiting part, if any (this thread). */
  @Nullable PoolTask pollPart() {
    if (!hasParts) {
      return null;
    }
    synchronized (partsLock) {
      PoolTask t = parts.poll();
      hasParts = !parts.isEmpty();
      return t;
    }
  }

  boolean hasParts() {
    return hasParts;
  }

  /**
   * The thread commits to ending (closing or terminating): refuses further parts; false, and stays open, if
   * a part waits and {@code keepIfWaiting} (a closing pool runs it first).
   */
  boolean closeParts(boolean keepIfWaiting) {
    synchronized (partsLock) {
      if (keepIfWaiting && !parts.isEmpty()) {
        return false;
      }
      partsClosed = true;
      return true;
    }
  }

  /** Every waiting part, removed; with {@code close}, the thread also refuses further ones. */
  List<PoolTask> takeParts(boolean close) {
    synchronized (partsLock) {
      partsClosed |= close;
      List<PoolTask> list = new ArrayList<>(parts);
      parts.clear();
      hasParts = false;
      return list;
    }
  }

  private List<PoolTask> takeParts() {
    return takeParts(true);
  }

  /** Past the idle timeout: ends (giving up its slot) only if no part waits; decided under the parts lock. */
  private boolean retireIdle() {
    synchronized (partsLock) {
      if (!parts.isEmpty() || !pool.retire(this)) {
        return false;
      }
      partsClosed = true;
      return true;
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Parking

  /**
   * Waits for work without parking while the queue is empty: spins for {@code nanos}, then yields its core
   * for as long as some loop still has finished tasks of the pool to drain (at most {@link #MAX_SPIN_NANOS}
   * in all); true if work appeared. A loop settling a batch is likely to submit more at once, and parking
   * now would make both sides pay a wake-up for every batch; yielding (not spinning) leaves the core to
   * that loop, which on a small machine may need it to run at all.
   */
  boolean spin(long nanos) {
    long now = System.nanoTime();
    long until = now + nanos;
    long cap = now + Math.max(nanos, MAX_SPIN_NANOS);
    do {
      for (int i = 0; i < 16; i++) {
        Thread.onSpinWait();
      }
      if (pool.likelyQueuedWork() || hasParts) {
        return true;
      }
      now = System.nanoTime();
    } while (now - until < 0);
    while (pool.awaitingDrain() && now - cap < 0) {
      Thread.yield();
      if (pool.likelyQueuedWork() || hasParts) {
        return true;
      }
      now = System.nanoTime();
    }
    return false;
  }

  /**
   * Parks until signalled; answers false if the thread should exit because it was idle for the pool's idle
   * timeout while the pool was above its minimum size.
   */
  boolean park(long idleTimeoutNanos) {
    park = PARKED;
    pool.announceIdle(this);
    if (pool.hasQueuedWork() || !pool.open() || hasParts) {
      unparkSelf();
      return true;
    }
    long deadline = pool.mayShrink() ? System.nanoTime() + idleTimeoutNanos : 0;
    while (park == PARKED) {
      if (deadline == 0) {
        LockSupport.park(this);
        continue;
      }
      long left = deadline - System.nanoTime();
      if (left > 0) {
        LockSupport.parkNanos(this, left);
      } else if (PARK.compareAndSet(this, PARKED, EXITING)) {
        pool.idleCount.decrementAndGet();
        if (retireIdle()) {
          shrunk = true;
          return false;
        }
        park = ACTIVE;
        return true;
      }
    }
    park = ACTIVE;
    return true;
  }

  private void unparkSelf() {
    if (PARK.compareAndSet(this, PARKED, ACTIVE)) {
      pool.idleCount.decrementAndGet();
    } else {
      park = ACTIVE;
    }
  }

  /** A submitter wakes this thread if it is parked; true if it did. */
  boolean signal() {
    if (PARK.compareAndSet(this, PARKED, SIGNALLED)) {
      pool.idleCount.decrementAndGet();
      LockSupport.unpark(thread);
      return true;
    }
    return false;
  }

  @Override
  public String toString() {
    return "PoolThread[" + thread.getName() + "]";
  }
}
