package org.eventloop4j.worker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.eventloop4j.internal.LinePad;
import org.jspecify.annotations.Nullable;

/** The consumers' end of a {@link TaskFifo}. */
abstract class TaskFifoHead extends LinePad {
  /** The dummy: the last link taken (or the initial stub); the next link to take is its successor. */
  volatile TaskLink head = new TaskLink();
}

/** Padding between the head and the tail of a {@link TaskFifo}. */
abstract class TaskFifoPad1 extends TaskFifoHead {
  long q0;
  long q1;
  long q2;
  long q3;
  long q4;
  long q5;
  long q6;
  long q7;
}

/** The producers' end of a {@link TaskFifo}. */
abstract class TaskFifoTail extends TaskFifoPad1 {
  /** The last link offered (the head when empty). */
  volatile TaskLink tail = head;
}

/** Padding after the tail of a {@link TaskFifo}. */
abstract class TaskFifoPad2 extends TaskFifoTail {
  long r0;
  long r1;
  long r2;
  long r3;
  long r4;
  long r5;
  long r6;
  long r7;
}

/**
 * The unbounded multi-producer, multi-consumer FIFO of {@link TaskQueue}, linked through the links
 * themselves. Any thread; each link is offered at most once. Linearizable; offer is wait-free, poll and
 * peek may wait for an offer that is between its two steps (a few instructions).
 */
final class TaskFifo extends TaskFifoPad2 {
  /*
   * Overview. An offer is two steps: swap the tail (getAndSet), then link the previous tail to the new
   * link. Its linearization point is the swap: from then on the link is in the queue, even though a
   * consumer cannot reach it until the second step. A consumer CASes the head from the current dummy to
   * its successor, which is the link taken and becomes the next dummy (so the head keeps one taken link
   * reachable; PoolTask drops its references once settled).
   *
   * Empty or not is decided by `head == tail`, never by `head.nextQueued == null` alone:
   *   - head == tail (tail read after head): the tail never returns to a link it left and the head never
   *     passes the tail, so at the moment of the tail read the head was still that link: empty then;
   *   - head != tail: some producer swapped the tail away from that head link, so the queue is not empty
   *     (at that swap, if the head has moved since), and that producer links head.nextQueued next.
   * So poll() and peek(), finding head != tail with no successor yet, wait for the link (awaitLink) instead
   * of answering "empty" for a queue that already holds a task (a lost-wake-up risk: a pool thread would
   * park while the submitter, having seen it spinning, wakes nobody). The wait lasts as long as the
   * producer takes between its swap and its store; a descheduled producer makes the consumer yield.
   * The link is a release store (no fence): the swap before it is the sequentially consistent step that
   * the pool's wake-up protocol pairs with, and consumers read the link with acquire semantics.
   *
   * Tests: TaskFifoLincheckTest (against a sequential FIFO; concurrent offers, polls, peeks, isEmpty).
   */
  private static final VarHandle HEAD;
  private static final VarHandle TAIL;
  private static final VarHandle NEXT;
  private static final int SPINS_BEFORE_YIELD = 64;

  static {
    try {
      HEAD = MethodHandles.lookup().findVarHandle(TaskFifoHead.class, "head", TaskLink.class);
      TAIL = MethodHandles.lookup().findVarHandle(TaskFifoTail.class, "tail", TaskLink.class);
      NEXT = MethodHandles.lookup().findVarHandle(TaskLink.class, "nextQueued", TaskLink.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  void offer(TaskLink t) {
    TaskLink prev = (TaskLink) TAIL.getAndSet(this, t);
    NEXT.setRelease(prev, t);
  }

  /** Takes the oldest link; null if the queue was empty. */
  @Nullable TaskLink poll() {
    while (true) {
      TaskLink h = head;
      TaskLink next = h.nextQueued;
      if (next == null) {
        if (h == tail) {
          return null;
        }
        next = awaitLink(h);
      }
      if (HEAD.compareAndSet(this, h, next)) {
        return next;
      }
    }
  }

  /** The oldest link, not taken; null if the queue was empty. */
  @Nullable TaskLink peek() {
    TaskLink h = head;
    TaskLink next = h.nextQueued;
    if (next == null && h != tail) {
      next = awaitLink(h);
    }
    return next;
  }

  boolean isEmpty() {
    TaskLink h = head;
    return h == tail;
  }

  /**
   * A hint for a consumer that polls for work: true if the oldest link is reachable, so a poll will find
   * it. Unlike {@link #isEmpty} it reads only the head's side, never the tail, whose line the producer then
   * keeps to itself; false may still be a queue with an offer between its two steps, so a thread about to
   * park must ask isEmpty().
   */
  boolean headLinked() {
    return head.nextQueued != null;
  }

  /** The successor of {@code h}, which the producer that swapped the tail away from {@code h} is storing. */
  private static TaskLink awaitLink(TaskLink h) {
    int spins = 0;
    TaskLink next;
    while ((next = h.nextQueued) == null) {
      if (++spins < SPINS_BEFORE_YIELD) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
    }
    return next;
  }
}
