package org.eventloop4j.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * The item storage of an {@link AsyncQueue}. The queue's state word decides who may put and take: a
 * producer calls {@link #put} only after reserving a place, a consumer calls {@link #take} only after
 * claiming an item, so neither ever fails; each may wait for the few instructions another thread needs to
 * finish a put or take it has already committed to ({@link #backOff}: spinning, then parking, so that the
 * waiter never keeps that thread from running).
 *
 * @param <T> the item type
 */
abstract class QueueBuffer<T> {
  /*
   * Overview: why a waiter must end up parked. The step waited for belongs to a thread that passed the
   * state word's CAS; if that thread is a virtual thread (an event loop's), it runs only when a carrier
   * picks it up. Virtual threads are not preempted, and the JDK's scheduler re-runs a yielding virtual
   * thread from its carrier's local queue whenever that queue holds other work: two spinners that only
   * yield keep each other, and nothing else, on a carrier for ever. So, with as many spinners as carriers
   * (SyncStressTest on 2 vCPUs: two producer loops in put, two consumer loops in take), the thread
   * holding the step everybody waits for was never run again and every loop of the JVM hung. A waiter
   * therefore spins, yields a little, then parks for a growing time: a parked virtual thread leaves its
   * carrier, whose scheduler then runs the rest of its work, the late thread among it. The park is
   * timed (nobody unparks it), so put and take pay nothing when nobody waits. Regression test:
   * RingStarvationTest (one carrier; two waiters, and the thread they wait for started after them).
   */
  /** Stores {@code item} at {@code index} (mod 2^31), which the caller reserved. Any thread. */
  abstract void put(long index, T item);

  /** Removes the item at {@code index} (mod 2^31), which the caller claimed. Any thread. */
  abstract T take(long index);

  private static final long M31 = (1L << 31) - 1;

  /** Rings above this capacity would preallocate too much; larger bounded queues use linked storage. */
  private static final int MAX_RING = 1 << 16;

  static <T> QueueBuffer<T> bounded(int capacity) {
    return capacity <= MAX_RING ? new Ring<>(capacity) : new Linked<>();
  }

  static <T> QueueBuffer<T> unbounded() {
    return new Linked<>();
  }

  private static final int SPIN_LIMIT = 128;
  private static final int YIELD_LIMIT = SPIN_LIMIT + 16;
  private static final long MIN_PARK_NANOS = 1_000;
  private static final long MAX_PARK_NANOS = 1_000_000;

  /**
   * The {@code spins}-th step of waiting for another thread to finish the put or take this one waits for:
   * spin, then yield, then park for a growing time (1 µs to 1 ms) — see the overview for why it must
   * park. Answers whether it consumed the caller's interrupt (a set flag would make the park return at
   * once), to be restored with {@link #restoreInterrupt} when the wait is over.
   */
  static boolean backOff(int spins) {
    if (spins < SPIN_LIMIT) {
      Thread.onSpinWait();
      return false;
    }
    if (spins < YIELD_LIMIT) {
      Thread.yield();
      return false;
    }
    boolean interrupted = Thread.interrupted();
    LockSupport.parkNanos(Math.min(MAX_PARK_NANOS, MIN_PARK_NANOS << Math.min(10, spins - YIELD_LIMIT)));
    return interrupted;
  }

  /** After a wait: sets the interrupt flag again if {@link #backOff} consumed it. */
  static void restoreInterrupt(boolean interrupted) {
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A power-of-two ring with one sequence number per slot (Vyukov's bounded MPMC scheme), where the
   * indexes come from the queue's state word, which admitted the caller.
   */
  static final class Ring<T> extends QueueBuffer<T> {
    /*
     * Overview: slot i of lap k is free for the put of index t = k * size + i when seq[i] == t, and holds
     * that item for the take of index t when seq[i] == t + 1; the take then sets seq[i] = t + size, freeing
     * it for the next lap (all mod 2^31, which size divides, as the indexes wrap). Reservations are at most
     * `capacity` <= size ahead of the claims, so a put waits only for a take of the previous lap that has
     * already claimed its index, and a take only for the put of its own index, already reserved: each
     * waits for a step that a thread committed to by its CAS and performs right after it — no callback, no
     * lock to take in between; at most its own steps for older indexes first (popMany's earlier items,
     * drop-oldest's take before its put) — and every step waits only for an older index: never a cycle. The wait parks (backOff), so the late thread gets a carrier even if it is a
     * virtual thread. Tests: AsyncQueueCoreLincheckTest, AsyncQueueLincheckTest, RingStarvationTest,
     * SyncStressTest.
     */
    private static final VarHandle SEQ = MethodHandles.arrayElementVarHandle(long[].class);

    private final Object[] items;
    private final long[] seq;
    private final int mask;

    Ring(int capacity) {
      int size = Integer.highestOneBit(Math.max(1, capacity - 1)) << 1;
      items = new Object[size];
      seq = new long[size];
      mask = size - 1;
      for (int i = 0; i < size; i++) {
        seq[i] = i;
      }
    }

    @Override
    void put(long t, T item) {
      int i = (int) t & mask;
      boolean interrupted = false;
      for (int spins = 0; (long) SEQ.getAcquire(seq, i) != t; spins++) {
        interrupted |= backOff(spins);
      }
      items[i] = item;
      SEQ.setRelease(seq, i, (t + 1) & M31);
      restoreInterrupt(interrupted);
    }

    @Override
    @SuppressWarnings("unchecked")
    T take(long h) {
      int i = (int) h & mask;
      long full = (h + 1) & M31;
      boolean interrupted = false;
      for (int spins = 0; (long) SEQ.getAcquire(seq, i) != full; spins++) {
        interrupted |= backOff(spins);
      }
      T item = (T) items[i];
      items[i] = null;
      SEQ.setRelease(seq, i, (h + mask + 1) & M31);
      restoreInterrupt(interrupted);
      return item;
    }
  }

  /**
   * Unbounded (and bounded above 2^16): the JDK's lock-free linked queue, one node per item. It ignores the
   * indexes, so two consumers whose calls overlap may get their items in the other order than they
   * claimed them; with a capacity, that is observable in one rare interleaving (full queue, a claim, a push
   * into the freed place, a second claim), which is why rings are used up to 2^16.
   */
  static final class Linked<T> extends QueueBuffer<T> {
    private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();

    /*
     * The indexes are not needed here: concurrent claims may take items in another order than they were
     * claimed, but only among overlapping calls, and this queue has no capacity that could tell.
     */
    @Override
    void put(long index, T item) {
      queue.offer(item);
    }

    @Override
    T take(long index) {
      T item;
      boolean interrupted = false;
      for (int spins = 0; (item = queue.poll()) == null; spins++) {
        interrupted |= backOff(spins);
      }
      restoreInterrupt(interrupted);
      return item;
    }
  }
}
