package org.eventloop4j.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * An unbounded, lock-free queue for many producer threads and one consumer thread (Vyukov's intrusive-less
 * linked MPSC queue).
 *
 * <p>{@link #offer} may be called from any thread; {@link #poll} and {@link #isEmpty} only from the one
 * consumer. Everything a producer did before {@code offer(e)} happens-before the consumer's {@code poll()}
 * that returns {@code e}.
 */
public final class MpscQueue<E> {
  /*
   * Overview: producers swap themselves in as the new tail with one atomic getAndSet, then link the old
   * tail to their node with a release store. Between those two steps the consumer can see a tail that is
   * not yet reachable from head: poll() then reports empty-for-now by returning null only if tail == head,
   * otherwise it spins the few nanoseconds until the link appears (the producer is between two
   * instructions). The consumer owns `head` (a stub node whose value is already taken) and needs no
   * atomics besides the acquire read of `next`. The stress test MpscQueueTest checks no loss, no
   * duplication and per-producer FIFO order.
   */
  private static final VarHandle TAIL;
  private static final VarHandle NEXT;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      TAIL = l.findVarHandle(MpscQueue.class, "tail", Node.class);
      NEXT = l.findVarHandle(Node.class, "next", Node.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final class Node {
    @Nullable Object value;
    volatile @Nullable Node next;

    Node(@Nullable Object value) {
      this.value = value;
    }
  }

  private Node head;
  @SuppressWarnings("unused") // accessed through TAIL
  private volatile Node tail;

  /** Creates an empty queue. */
  public MpscQueue() {
    Node stub = new Node(null);
    head = stub;
    tail = stub;
  }

  /** Appends {@code e}; any thread, never blocks. */
  public void offer(E e) {
    Node node = new Node(e);
    Node previous = (Node) TAIL.getAndSet(this, node);
    NEXT.setRelease(previous, node);
  }

  /** Removes and returns the oldest element, or {@code null} if there is none; consumer thread only. */
  @SuppressWarnings("unchecked")
  public @Nullable E poll() {
    Node h = head;
    Node next = (Node) NEXT.getAcquire(h);
    if (next == null) {
      if (h == tail) {
        return null;
      }
      next = awaitLink(h);
    }
    Object value = next.value;
    next.value = null;
    head = next;
    return (E) value;
  }

  /** Whether the queue is empty; exact for the consumer, a snapshot for anyone else. */
  public boolean isEmpty() {
    return head == tail;
  }

  private static Node awaitLink(Node h) {
    Node next;
    while ((next = (Node) NEXT.getAcquire(h)) == null) {
      Thread.onSpinWait();
    }
    return next;
  }
}
