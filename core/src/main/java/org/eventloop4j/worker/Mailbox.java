package org.eventloop4j.worker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.IntConsumer;
import org.eventloop4j.internal.LinePad;
import org.eventloop4j.internal.MpscQueue;

/**
 * A queue that is drained in batches by macrotasks that its owner posts to a loop (the actor-mailbox
 * pattern): it tells each producer whether to post a drain, so that exactly one drain is posted while
 * anything waits, and it keeps one thread at a time taking items.
 *
 * <p>Threads: {@link #offer} and {@link #dropAll} from any thread, lock-free; {@link #beginDrain}, {@link
 * #take} and {@link #endDrain} from the drain, on the loop. Everything a producer did before {@code
 * offer(e)} happens-before the take that returns {@code e}.
 *
 * @param <E> the item type
 */
final class Mailbox<E> extends MailboxFields {
  /*
   * Overview. Items queue in an MpscQueue: an offer is one atomic add and a store into an array slot, and
   * a drain reads consecutive slots, not a chain of objects just written by other cores (one cache miss
   * after another: a Treiber stack measured 75 ns per item for that walk when the two cores were far
   * apart, against 25-40 ns for the array). `state`:
   *
   *   IDLE --offer--> POSTED --beginDrain--> DRAINING --endDrain--> IDLE
   *                     ^                        | offer
   *                     |                        v
   *                     +--endDrain, reposts-- DIRTY
   *   die() (a post was rejected: the loop is closed) --> DEAD
   *
   * An offer enqueues first and reads the state after (both sequentially consistent); beginDrain writes
   * DRAINING before it counts what is queued, and endDrain CASes DRAINING -> IDLE. So an item enqueued
   * after that count either finds DRAINING and marks DIRTY (the drain then posts the next one) or finds
   * IDLE and posts a new drain itself: nothing waits without a drain posted, and at most one is posted at a
   * time. A drain takes only what was queued when it began, so later items wait for the next macrotask.
   * The queue is FIFO, so the items one thread offers are taken in that order.
   *
   * A party whose post was rejected (an offer that moved IDLE -> POSTED, or a drain reposting from DIRTY)
   * knows that no drain runs or will run: it calls die(), then dropAll(). Offers that find DEAD tell their
   * caller to dropAll() too. Taking is the consumer's role, so dropAll() takes a CAS lock (`dropping`); an
   * offer that cannot get it leaves its item to the holder, which re-checks the queue after releasing it.
   * Every item is taken exactly once, by a drain or by a drop.
   *
   * Tests: MailboxLincheckTest (model checking: items delivered exactly once and in per-producer order,
   * one drain posted at a time, a dead mailbox drops everything), CompletionInboxTest.
   */
  /** What an {@link #offer} asks of its caller. */
  static final int NOTHING = 0;
  static final int POST = 1;
  static final int DROP = 2;

  private static final VarHandle DROPPING;

  static {
    try {
      DROPPING = MethodHandles.lookup().findVarHandle(Mailbox.class, "dropping", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final MpscQueue<E> items = new MpscQueue<>();
  private volatile int dropping;
  long q0;
  long q1;
  long q2;
  long q3;
  long q4;
  long q5;
  long q6;
  long q7;

  /** Queues {@code e}; answers {@link #POST} (post a drain), {@link #DROP} (call dropAll) or NOTHING. */
  int offer(E e) {
    items.offer(e);
    while (true) {
      int s = state;
      if (s == POSTED || s == DIRTY) {
        return NOTHING;
      }
      if (s == DEAD) {
        return DROP;
      }
      int next = s == IDLE ? POSTED : DIRTY;
      if (STATE.compareAndSet(this, s, next)) {
        return next == POSTED ? POST : NOTHING;
      }
    }
  }

  /** A posted drain begins: answers how many items it takes now. */
  long beginDrain() {
    state = DRAINING;
    return items.pending();
  }

  /** The next item, within the count {@link #beginDrain} gave. */
  E take() {
    E e = items.poll();
    if (e == null) {
      throw new IllegalStateException("take() beyond the count beginDrain() gave");
    }
    return e;
  }

  /** The drain ends: true if items came in meanwhile and the caller must post the next drain. */
  boolean endDrain() {
    if (STATE.compareAndSet(this, DRAINING, IDLE)) {
      return false;
    }
    state = POSTED; // from DIRTY, which no offer changes
    return true;
  }

  /** A post was rejected: from now on nothing is drained; the caller goes on with {@link #dropAll}. */
  void die() {
    state = DEAD;
  }

  /** After {@link #die}: takes everything queued, one taker at a time, telling {@code report} each count > 0. */
  void dropAll(IntConsumer report) {
    do {
      if (!DROPPING.compareAndSet(this, 0, 1)) {
        return; // the holder re-checks the queue after releasing the lock
      }
      int n = 0;
      while (items.poll() != null) {
        n++;
      }
      dropping = 0;
      if (n > 0) {
        report.accept(n);
      }
    } while (items.pending() > 0);
  }

  @Override
  public String toString() {
    return "Mailbox[" + STATE_NAMES[state] + ", " + items.pending() + " queued]";
  }

  private static final String[] STATE_NAMES = {"idle", "posted", "draining", "dirty", "dead"};
}

/** The state word of a {@link Mailbox}, after 64 bytes of padding: offers read it on every item. */
abstract class MailboxFields extends LinePad {
  static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(MailboxFields.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static final int IDLE = 0;
  static final int POSTED = 1;
  static final int DRAINING = 2;
  static final int DIRTY = 3;
  static final int DEAD = 4;

  volatile int state;
}
