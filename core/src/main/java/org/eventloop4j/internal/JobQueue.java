package org.eventloop4j.internal;

import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A single-threaded FIFO of jobs: a linked list of fixed-size chunks, so that queueing and taking a job
 * allocates nothing in the steady state, and a burst of 10^6 jobs allocates small chunks instead of doubling
 * (and copying, and zeroing) one huge array.
 *
 * <p>Used for the nextTick queue, the microtask queue and the immediate queue of one loop; only the thread
 * that runs the loop touches it.
 */
public final class JobQueue<E> {
  /*
   * Overview: jobs live from (head, headIndex) to (tail, tailIndex), chunk by chunk. A chunk is appended
   * only by an add, so the tail chunk is never empty unless it is also the head; when a poll takes the last
   * job both indexes go back to 0, so a queue that holds one job at a time (a chain) keeps reusing the
   * first slots of one chunk. A drained chunk is kept as the one spare for the next append; the others are
   * garbage at once (young-generation garbage: a chunk is 1 KB), so a burst pins nothing afterwards.
   */
  private static final int CHUNK = 256;

  private static final class Chunk {
    final @Nullable Object[] slots = new Object[CHUNK];
    @Nullable Chunk next;
  }

  private Chunk head = new Chunk();
  private Chunk tail = head;
  private @Nullable Chunk spare;
  private int headIndex;
  private int tailIndex;
  private int size;

  /** Creates an empty queue. */
  public JobQueue() {}

  /** Appends {@code job} at the tail. */
  public void add(E job) {
    if (tailIndex == CHUNK) {
      appendChunk();
    }
    tail.slots[tailIndex++] = job;
    size++;
  }

  private void appendChunk() {
    Chunk c = spare;
    if (c == null) {
      c = new Chunk();
    } else {
      spare = null;
    }
    tail.next = c;
    tail = c;
    tailIndex = 0;
  }

  /** Removes and returns the head, or {@code null} when empty. */
  @SuppressWarnings("unchecked")
  public @Nullable E poll() {
    if (size == 0) {
      return null;
    }
    if (headIndex == CHUNK) {
      dropHeadChunk();
    }
    Chunk h = head;
    Object job = h.slots[headIndex];
    h.slots[headIndex++] = null;
    if (--size == 0) {
      headIndex = tailIndex = 0;
    }
    return (E) job;
  }

  private void dropHeadChunk() {
    Chunk old = head;
    head = Objects.requireNonNull(old.next, "a full head chunk with jobs left has a successor");
    old.next = null;
    spare = old;
    headIndex = 0;
  }

  /** Whether no job is queued. */
  public boolean isEmpty() {
    return size == 0;
  }

  /** The number of queued jobs. */
  public int size() {
    return size;
  }

  /** Drops every queued job. */
  public void clear() {
    Chunk c = head;
    Arrays.fill(c.slots, null);
    c.next = null;
    tail = c;
    spare = null;
    headIndex = tailIndex = size = 0;
  }
}
