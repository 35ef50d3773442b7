package org.eventloop4j.internal;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A single-threaded FIFO of jobs: a growable ring buffer, so that queueing and taking a job allocates
 * nothing once the buffer has grown to the working size.
 *
 * <p>Used for the nextTick queue, the microtask queue and the immediate queue of one loop; only the thread
 * that runs the loop touches it.
 */
public final class JobQueue<E> {
  /*
   * Overview: elements live in [head, tail) modulo the power-of-two capacity; head == tail means empty.
   * The buffer doubles when full and never shrinks below its initial size; it shrinks back to 1024 slots
   * when a drain empties a buffer that grew past 64 Ki slots, so a one-off burst of 10^6 jobs does not pin
   * megabytes for the loop's lifetime.
   */
  private static final int SHRINK_ABOVE = 1 << 16;
  private static final int SHRUNK_SIZE = 1 << 10;

  private @Nullable Object[] elements;
  private int head;
  private int tail;

  /** Creates an empty queue with room for {@code 16} jobs before it grows. */
  public JobQueue() {
    elements = new Object[16];
  }

  /** Appends {@code job} at the tail. */
  public void add(E job) {
    @Nullable Object[] es = elements;
    es[tail] = job;
    tail = (tail + 1) & (es.length - 1);
    if (tail == head) {
      grow();
    }
  }

  /** Removes and returns the head, or {@code null} when empty. */
  @SuppressWarnings("unchecked")
  public @Nullable E poll() {
    @Nullable Object[] es = elements;
    int h = head;
    Object job = es[h];
    if (job == null) {
      return null;
    }
    es[h] = null;
    head = (h + 1) & (es.length - 1);
    if (head == tail && es.length > SHRINK_ABOVE) {
      elements = new Object[SHRUNK_SIZE];
      head = tail = 0;
    }
    return (E) job;
  }

  /** Whether no job is queued. */
  public boolean isEmpty() {
    return head == tail;
  }

  /** The number of queued jobs. */
  public int size() {
    return (tail - head) & (elements.length - 1);
  }

  /** Drops every queued job. */
  public void clear() {
    Arrays.fill(elements, null);
    head = tail = 0;
  }

  private void grow() {
    @Nullable Object[] es = elements;
    int n = es.length;
    @Nullable Object[] bigger = new Object[n << 1];
    int front = n - head;
    System.arraycopy(es, head, bigger, 0, front);
    System.arraycopy(es, 0, bigger, front, head);
    elements = bigger;
    head = 0;
    tail = n;
  }
}
