package org.eventloop4j.sync;

import org.eventloop4j.EventLoop;
import org.jspecify.annotations.Nullable;

/**
 * A waiter of an {@link AsyncQueue} or an {@link AsyncCondition} that sits in a {@link WaitList}.
 *
 * @param <V> the promise's value type
 */
abstract class QueueNode<V> extends WaitNode<V> {
  /** Links, guarded by the queue's lock. */
  @Nullable QueueNode<?> prev;
  @Nullable QueueNode<?> next;
  boolean queued;

  QueueNode(Settler settler, @Nullable EventLoop loop, boolean keepLoopAlive) {
    super(settler, loop, keepLoopAlive);
  }

  /**
   * Under the list owner's lock: serves this node (WAITING -> GRANTED), false if it was cancelled first.
   * A {@linkplain Select select}'s node must also win its select, which only one of its nodes does.
   */
  boolean grant() {
    return cas(WAITING, GRANTED);
  }

  /**
   * A FIFO of waiters with O(1) removal from the middle (for aborts). Not thread-safe: the owner guards it
   * with its lock.
   *
   * @param <N> the node type
   */
  static final class WaitList<N extends QueueNode<?>> {
    private @Nullable N head;
    private @Nullable N tail;
    private int size;

    boolean isEmpty() {
      return head == null;
    }

    int size() {
      return size;
    }

    /** The oldest node listed, or null. */
    @Nullable N first() {
      return head;
    }

    void add(N n) {
      n.queued = true;
      n.prev = tail;
      if (tail == null) {
        head = n;
      } else {
        tail.next = n;
      }
      tail = n;
      size++;
    }

    /** Removes {@code n} if it is still listed. */
    @SuppressWarnings("unchecked")
    void remove(N n) {
      if (!n.queued) {
        return;
      }
      n.queued = false;
      N p = (N) n.prev;
      N x = (N) n.next;
      if (p == null) {
        head = x;
      } else {
        p.next = x;
      }
      if (x == null) {
        tail = p;
      } else {
        x.prev = p;
      }
      n.prev = null;
      n.next = null;
      size--;
    }

    /**
     * Removes and returns the oldest node still WAITING, after moving it to GRANTED; nodes being cancelled
     * meanwhile are dropped on the way (their canceller finds them unlisted). Null if none.
     */
    @Nullable N grantFirst() {
      for (N n = head; n != null; n = head) {
        remove(n);
        if (n.grant()) {
          return n;
        }
      }
      return null;
    }

    /** Removes every node, moving the WAITING ones to CANCELLED; returns those, oldest first, in a list. */
    java.util.List<N> cancelAll() {
      java.util.List<N> out = new java.util.ArrayList<>(size);
      for (N n = head; n != null; n = head) {
        remove(n);
        if (n.cas(WAITING, CANCELLED)) {
          out.add(n);
        }
      }
      return out;
    }
  }
}
