package org.eventloop4j.worker;

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The queue of a {@link WorkerPool}: tasks of priority 0 in a lock-free FIFO, the others in a heap, both
 * ordered by the aging key {@code enqueuedNanos − priority × agingInterval}. Any thread may offer and poll.
 */
final class TaskQueue {
  /*
   * Overview. Aging: a task of priority p enqueued at t is ordered by t − p·A (A = agingInterval), ties by
   * submission number. A task that waits A longer than another is treated as one priority level higher,
   * so a low-priority task is overtaken only by tasks submitted less than Δp·A after it: it is delayed by
   * a bounded amount, never starved. All priority-0 keys are enqueue times, so the FIFO is already in key
   * order; only tasks with a priority pay for the heap and its lock.
   *
   * The FIFO (TaskFifo, see its overview) is linked through the tasks themselves (TaskLink.nextQueued), so
   * queueing allocates nothing, and its head and tail sit on separate cache lines, so the submitting loop
   * and the pool threads do not write one line on every task. It is linearizable, with an offer's
   * linearization point at its tail swap, so isEmpty() turns false at the swap, before the submitter reads
   * the pool's spinning and idle counts: the pool's Dekker argument against lost wake-ups (WorkerPool's
   * overview) holds.
   *
   * poll() takes the FIFO head directly while the heap is empty (`heapSize`, volatile, read without the
   * lock); otherwise, under the lock, whichever head has the smaller key. A FIFO head taken by another
   * thread between the peek and the poll only means this poll returns the next FIFO task, an allowed
   * order under concurrency. Cancelled tasks stay queued (lazy deletion) and are skipped by the consumer,
   * whose claim() fails. Tests: WorkerPoolTest (priority order, aging with an injected clock).
   *
   * Unstamped tasks: a pool built with recordTiming(false) reads no clock for a priority-0 task until its
   * first task with a priority arrives (prioritiesInUse, called by that submitter before it stamps its own
   * task). Until then only the FIFO is used, whose order needs no key; tasks queued without a stamp (key
   * UNSTAMPED) then count as enqueued at the first prioritized task's time (`unstampedKey`, written before
   * `stamping`, both before that task enters the heap): later than they really were, so a prioritized
   * task may overtake them somewhat more than exact aging would allow, but from that moment on they age
   * like every task, and none is starved. A priority-0 submit racing with the switch may go unstamped
   * too; it counts as enqueued at that moment, which it was. Tests: WorkerPoolTimingTest.
   */
  static final long UNSTAMPED = Long.MIN_VALUE;
  private static final Comparator<PoolTask> ORDER =
      Comparator.<PoolTask>comparingLong(t -> t.key).thenComparingLong(t -> t.seq);

  private final TaskFifo fifo = new TaskFifo();
  private final PriorityQueue<PoolTask> heap = new PriorityQueue<>(ORDER);
  private final ReentrantLock lock = new ReentrantLock();
  private volatile int heapSize;
  private volatile boolean stamping;
  private volatile long unstampedKey;

  /** Whether priority-0 tasks are stamped with their enqueue time now (see the overview); any thread. */
  boolean stampsTasks() {
    return stamping;
  }

  /** A task with a priority is about to be stamped with aging time {@code age}: stamp everything from now on. */
  void prioritiesInUse(long age) {
    if (stamping) {
      return;
    }
    lock.lock();
    try {
      if (!stamping) {
        unstampedKey = age;
        stamping = true;
      }
    } finally {
      lock.unlock();
    }
  }

  void offer(PoolTask t) {
    if (t.priority == 0) {
      fifo.offer(t);
      return;
    }
    lock.lock();
    try {
      heap.add(t);
      heapSize = heap.size();
    } finally {
      lock.unlock();
    }
  }

  @Nullable PoolTask poll() {
    if (heapSize == 0) {
      return (PoolTask) fifo.poll();
    }
    lock.lock();
    try {
      PoolTask h = heap.peek();
      PoolTask f = (PoolTask) fifo.peek();
      if (h == null || f != null && fifoFirst(f, h)) {
        return (PoolTask) fifo.poll();
      }
      heap.poll();
      heapSize = heap.size();
      return h;
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock: whether the FIFO's head {@code f} goes before the heap's head {@code h}. */
  private boolean fifoFirst(PoolTask f, PoolTask h) {
    long key = f.key == UNSTAMPED ? unstampedKey : f.key;
    return key < h.key || key == h.key && f.seq < h.seq;
  }

  boolean isEmpty() {
    return heapSize == 0 && fifo.isEmpty();
  }

  /** {@link TaskFifo#headLinked}'s hint for the whole queue: true if a poll will find a task. */
  boolean likelyNonEmpty() {
    return heapSize != 0 || fifo.headLinked();
  }
}

