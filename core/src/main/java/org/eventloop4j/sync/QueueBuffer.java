package org.eventloop4j.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The item storage of an {@link AsyncQueue}. The queue's state word decides who may put and take: a
 * producer calls {@link #put} only after reserving a place, a consumer calls {@link #take} only after
 * claiming an item, so neither ever fails; each may spin for the few instructions another thread needs to
 * finish a put or take it has already committed to.
 *
 * @param <T> the item type
 */
abstract class QueueBuffer<T> {
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

  /** Backs off while another thread finishes the put or take this one waits for. */
  static void backOff(int spins) {
    if (spins < 128) {
      Thread.onSpinWait();
    } else {
      Thread.yield();
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
     * `capacity` <= size ahead of the claims, so a put waits
     * only for a take of the previous lap that has already claimed its index (and vice versa): spinning,
     * never deadlock. Tests: AsyncQueueLincheckTest, SyncStressTest.
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
      for (int spins = 0; (long) SEQ.getAcquire(seq, i) != t; spins++) {
        backOff(spins);
      }
      items[i] = item;
      SEQ.setRelease(seq, i, (t + 1) & M31);
    }

    @Override
    @SuppressWarnings("unchecked")
    T take(long h) {
      int i = (int) h & mask;
      long full = (h + 1) & M31;
      for (int spins = 0; (long) SEQ.getAcquire(seq, i) != full; spins++) {
        backOff(spins);
      }
      T item = (T) items[i];
      items[i] = null;
      SEQ.setRelease(seq, i, (h + mask + 1) & M31);
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
      for (int spins = 0; (item = queue.poll()) == null; spins++) {
        backOff(spins);
      }
      return item;
    }
  }
}
