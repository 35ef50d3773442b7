package org.eventloop4j.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * An unbounded, lock-free queue for many producer threads and one consumer thread: an array of slots in
 * linked chunks, producers claiming slots with one atomic add.
 *
 * <p>{@link #offer} may be called from any thread; {@link #poll}, {@link #pending} and {@link #isEmpty}
 * only from the consumer: one thread, or threads that hand the role on with a happens-before edge (a lock,
 * say). Everything a producer did before {@code offer(e)} happens-before the consumer's {@code poll()}
 * that returns {@code e}. Elements are never null.
 */
public final class MpscQueue<E> extends MpscQueueProducer {
  /*
   * Overview (the design of JCTools' MpscUnboundedXaddArrayQueue, without its chunk recycling).
   *
   * Index i lives in slot i - c.base of the chunk c with c.base <= i < c.base + size; chunks form a
   * singly linked list in index order. A producer reads the `producerChunk` hint, claims i with a
   * getAndAdd on `producerIndex`, walks forward from the hint to i's chunk — appending chunks by CAS on
   * `next` where they are missing, so whichever producer gets there first links the chunk and the others
   * use it — and publishes the element with a release store into its slot. The hint only moves forward
   * (CAS) and always satisfies hint.base <= producerIndex, which is why reading it *before* the claim is
   * enough: i >= producerIndex-then >= hint.base, so the walk never goes back.
   *
   * The consumer owns `consumerIndex` and `consumerChunk` and needs no atomics: it reads its slot with an
   * acquire load. A null slot means either the queue is empty (consumerIndex == producerIndex) or the
   * producer that claimed it is between its two steps; then it spins the few instructions until the store
   * (likewise for a chunk that is claimed but not linked yet). Taken slots are cleared, and a finished
   * chunk is dropped (unreachable once the hint has passed it).
   *
   * Chunks start small (16 slots, so an idle queue costs little) and double up to 1024 slots. Against the
   * linked-node queue this replaced (Vyukov's: a 24-byte node per element, and a cache-line transfer every
   * 2.7 elements for the consumer), an element costs 4 bytes of a 4 KB chunk and the consumer reads
   * consecutive slots; producerIndex sits on its own cache line (MpscQueueProducer), away
   * from the consumer's fields. `ExecuteThroughput` measures it.
   *
   * Waking (EventLoop): the claim is a sequentially consistent read-modify-write of producerIndex and
   * isEmpty() reads it, so a producer's claim followed by its read of the loop's `sleeping` flag, and the
   * loop's write of that flag followed by isEmpty(), cannot both miss each other.
   *
   * Tests: MpscQueueLincheckTest (model checking and stress, chunks of 1 and 2 slots so that most
   * operations cross a chunk), MpscQueueStressTest (no loss, no duplication, per-producer FIFO).
   */
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
  private static final VarHandle NEXT;

  static {
    try {
      NEXT = MethodHandles.lookup().findVarHandle(Chunk.class, "next", Chunk.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The first chunk's slots (an idle queue costs little) and the most a chunk grows to (4 KB of references). */
  private static final int FIRST_CHUNK = 16;
  private static final int MAX_CHUNK = 1024;

  static final class Chunk {
    final long base;
    final @Nullable Object[] slots;
    volatile @Nullable Chunk next;

    Chunk(long base, int size) {
      this.base = base;
      this.slots = new Object[size];
    }

    long end() {
      return base + slots.length;
    }
  }

  private final int maxChunk;
  private long consumerIndex;
  private Chunk consumerChunk;

  /** Creates an empty queue. */
  public MpscQueue() {
    this(FIRST_CHUNK, MAX_CHUNK);
  }

  /** Creates an empty queue whose chunks start at {@code firstChunk} slots and double up to {@code maxChunk}. */
  MpscQueue(int firstChunk, int maxChunk) {
    this(new Chunk(0, firstChunk), maxChunk);
  }

  private MpscQueue(Chunk first, int maxChunk) {
    super(first);
    this.maxChunk = maxChunk;
    this.consumerChunk = first;
  }

  /** Appends {@code e}; any thread, never blocks. */
  public void offer(E e) {
    Chunk hint = producerChunk;
    long i = claim();
    Chunk c = chunkOf(hint, i);
    SLOT.setRelease(c.slots, (int) (i - c.base), e);
  }

  /** The chunk holding index {@code i}, walking (and extending) the list from {@code c}. */
  private Chunk chunkOf(Chunk c, long i) {
    if (i < c.end()) {
      return c;
    }
    while (i >= c.end()) {
      Chunk n = c.next;
      if (n == null) {
        Chunk fresh = new Chunk(c.end(), Math.min(2 * c.slots.length, maxChunk));
        n = (Chunk) NEXT.compareAndExchange(c, (Chunk) null, fresh);
        if (n == null) {
          n = fresh;
        }
      }
      c = n;
    }
    advanceHint(c);
    return c;
  }

  /** Removes and returns the oldest element, or {@code null} if there is none; consumer thread only. */
  @SuppressWarnings("unchecked")
  public @Nullable E poll() {
    long i = consumerIndex;
    Chunk c = consumerChunk;
    if (i == c.end()) {
      Chunk n = c.next;
      if (n == null) {
        if (i == producerIndex()) {
          return null;
        }
        n = awaitNext(c);
      }
      consumerChunk = c = n;
    }
    int slot = (int) (i - c.base);
    Object value = SLOT.getAcquire(c.slots, slot);
    if (value == null) {
      if (i == producerIndex()) {
        return null;
      }
      value = awaitValue(c.slots, slot);
    }
    c.slots[slot] = null;
    consumerIndex = i + 1;
    return (E) value;
  }

  /**
   * How many elements the consumer can take now: the offers that claimed a slot, including those still
   * storing their element (a poll waits the few instructions for it). Exact for the consumer; anyone else
   * may see more than there are, never fewer.
   */
  public long pending() {
    return producerIndex() - consumerIndex;
  }

  /** Whether the queue is empty; exact for the consumer, a snapshot for anyone else. */
  public boolean isEmpty() {
    return consumerIndex == producerIndex();
  }

  /** A producer claimed the chunk's first index and is linking it: a few instructions. */
  private static Chunk awaitNext(Chunk c) {
    Chunk n;
    while ((n = c.next) == null) {
      Thread.onSpinWait();
    }
    return n;
  }

  /** A producer claimed the slot and is about to store into it: a few instructions. */
  private static Object awaitValue(@Nullable Object[] slots, int slot) {
    Object value;
    while ((value = SLOT.getAcquire(slots, slot)) == null) {
      Thread.onSpinWait();
    }
    return value;
  }
}

/** The producers' side of {@link MpscQueue}: the next index to claim and the chunk hint, padded apart. */
abstract class MpscQueueProducer extends LinePad {
  private static final VarHandle PRODUCER_INDEX;
  private static final VarHandle PRODUCER_CHUNK;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      PRODUCER_INDEX = l.findVarHandle(MpscQueueProducer.class, "producerIndex", long.class);
      PRODUCER_CHUNK = l.findVarHandle(MpscQueueProducer.class, "producerChunk", MpscQueue.Chunk.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private volatile long producerIndex;
  volatile MpscQueue.Chunk producerChunk;
  long q0;
  long q1;
  long q2;
  long q3;
  long q4;
  long q5;
  long q6;
  long q7;

  MpscQueueProducer(MpscQueue.Chunk first) {
    this.producerChunk = first;
  }

  final long claim() {
    return (long) PRODUCER_INDEX.getAndAdd(this, 1L);
  }

  final long producerIndex() {
    return producerIndex;
  }

  /** Moves the hint forward to {@code c} unless another producer moved it further already. */
  final void advanceHint(MpscQueue.Chunk c) {
    MpscQueue.Chunk h;
    while ((h = producerChunk).base < c.base) {
      if (PRODUCER_CHUNK.compareAndSet(this, h, c)) {
        return;
      }
    }
  }
}
