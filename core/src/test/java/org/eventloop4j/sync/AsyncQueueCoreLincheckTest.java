package org.eventloop4j.sync;

import java.util.ArrayDeque;
import org.eventloop4j.stream.IteratorResult;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Model checks the concurrent core of {@link AsyncQueue} — the state word with both ring indexes, the
 * ring, and the waiting producers and consumers — against a sequential FIFO queue: push (done at once,
 * waiting, or rejected once closed), pop (an item, waiting, done once closed and drained, or rejected once
 * cancelled), the abort of a waiting push or pop (which must reject it exactly when it was still waiting,
 * so that no item is lost or duplicated), offer, poll, size, close and cancel. Bounded with capacity 1
 * here; {@link Rendezvous} checks capacity 0 and {@link DropOldest} a conflated queue. No event loop
 * runs: waiters are settled by a {@link RecordingSettler}, a push goes through the loop-free
 * {@link AsyncQueue#place}, a pop through {@link AsyncQueue#claim}. {@link AsyncQueueLincheckTest}
 * stress-tests the same operations through real loops.
 */
@Param(name = "v", gen = IntGen.class, conf = "1:3")
// Lincheck needs public test classes (this package is exported); the queue's kind is fixed per subclass
@SuppressWarnings({"exports", "this-escape"})
public class AsyncQueueCoreLincheckTest {
  static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);
  static final int NOW = 0;
  static final int WAITING = 1;
  static final int REJECTED = 2;
  static final int POP_WAITING = -1;
  static final int POP_DONE = -2;
  static final int POP_REJECTED = -3;
  static final int THREADS = 8;

  // The hook takes what cancel() discards, which the specification does not observe; without one the queue
  // would log each loss at WARNING, and the model checker would trace into java.util.logging.
  private final AsyncQueue<Integer> queue = configure(AsyncQueue.<Integer>builder()).settler(new RecordingSettler())
      .onUndelivered(discarded -> {}).build();
  private final Taker.Shape<Integer, IteratorResult<Integer>> single = Taker.single();
  private final QueueNode<?>[] last = new QueueNode<?>[THREADS];

  /** A bounded queue of capacity 1. */
  public AsyncQueueCoreLincheckTest() {}

  AsyncQueue.Builder<Integer> configure(AsyncQueue.Builder<Integer> b) {
    return b.capacity(1);
  }

  @Operation
  public int push(@Param(gen = ThreadIdGen.class) int thread, @Param(name = "v") int v) {
    Object r = queue.place(v, true, null);
    if (r instanceof Putter<?> p) {
      last[thread] = p;
      return WAITING;
    }
    return r instanceof ClosedError ? REJECTED : NOW;
  }

  @Operation
  public int pop(@Param(gen = ThreadIdGen.class) int thread) {
    Object r = queue.claim(1, single, null);
    if (r instanceof Taker<?, ?> t) {
      last[thread] = t;
      return POP_WAITING;
    }
    if (r instanceof Throwable) {
      return POP_REJECTED;
    }
    IteratorResult<?> got = (IteratorResult<?>) r;
    return got.done() ? POP_DONE : (Integer) got.value();
  }

  @Operation
  @SuppressWarnings("unchecked")
  public boolean abort(@Param(gen = ThreadIdGen.class) int thread) {
    QueueNode<?> node = last[thread];
    last[thread] = null;
    if (node == null) {
      return false;
    }
    IllegalStateException reason = new IllegalStateException("aborted");
    if (node instanceof Putter<?> p) {
      queue.abort((Putter<Integer>) p, reason);
    } else {
      queue.abort((Taker<Integer, ?>) node, reason);
    }
    return RecordingSettler.of(node).reason == reason;
  }

  @Operation
  public boolean offer(@Param(name = "v") int v) {
    try {
      return queue.offer(v);
    } catch (ClosedError closed) {
      return false;
    }
  }

  @Operation
  public @Nullable Integer poll() {
    return queue.poll();
  }

  @Operation
  public int size() {
    return queue.size();
  }

  @Operation
  public void close() {
    queue.close();
  }

  @Operation
  public void cancel() {
    queue.cancel(new IllegalStateException("cancelled"));
  }

  @Test
  public void modelCheck() {
    new ModelCheckingOptions().threads(2).actorsPerThread(3).actorsBefore(2).actorsAfter(2)
        .iterations(8 * STRESS).invocationsPerIteration(500).sequentialSpecification(specification()).check(getClass());
  }

  Class<?> specification() {
    return Spec.class;
  }

  /** The same checks on a rendezvous queue (capacity 0). */
  public static class Rendezvous extends AsyncQueueCoreLincheckTest {
    /** A rendezvous queue. */
    public Rendezvous() {}

    @Override
    AsyncQueue.Builder<Integer> configure(AsyncQueue.Builder<Integer> b) {
      return b.capacity(0);
    }

    @Override
    Class<?> specification() {
      return RendezvousSpec.class;
    }
  }

  /** The same checks on a conflated queue (capacity 1, drop oldest: a push never waits). */
  public static class DropOldest extends AsyncQueueCoreLincheckTest {
    /** A conflated queue. */
    public DropOldest() {}

    @Override
    AsyncQueue.Builder<Integer> configure(AsyncQueue.Builder<Integer> b) {
      return b.capacity(1).overflow(AsyncQueue.Overflow.DROP_OLDEST);
    }

    @Override
    Class<?> specification() {
      return DropOldestSpec.class;
    }
  }

  /** The sequential specification: a FIFO queue with waiting producers and consumers. */
  public static class Spec {
    private final int capacity;
    private final boolean dropOldest;
    private final ArrayDeque<Integer> buffer = new ArrayDeque<>();
    private final ArrayDeque<Ticket> putters = new ArrayDeque<>();
    private final ArrayDeque<Ticket> takers = new ArrayDeque<>();
    private final Ticket[] last = new Ticket[THREADS];
    private boolean closed;
    private boolean cancelled;

    /** Capacity 1, pushes wait for room. */
    public Spec() {
      this(1, false);
    }

    Spec(int capacity, boolean dropOldest) {
      this.capacity = capacity;
      this.dropOldest = dropOldest;
    }

    private static final class Ticket {
      final int item;
      boolean waiting = true;

      Ticket(int item) {
        this.item = item;
      }
    }

    public int push(int thread, int v) {
      if (closed) {
        return REJECTED;
      }
      if (place(v)) {
        return NOW;
      }
      Ticket t = new Ticket(v);
      putters.add(t);
      last[thread] = t;
      return WAITING;
    }

    private boolean place(int v) {
      if (!takers.isEmpty()) {
        takers.poll().waiting = false;
        return true;
      }
      if (buffer.size() < capacity) {
        buffer.add(v);
        return true;
      }
      if (dropOldest) {
        buffer.poll();
        buffer.add(v);
        return true;
      }
      return false;
    }

    public int pop(int thread) {
      Integer v = take();
      if (v != null) {
        return v;
      }
      if (closed) {
        return cancelled ? POP_REJECTED : POP_DONE;
      }
      Ticket t = new Ticket(0);
      takers.add(t);
      last[thread] = t;
      return POP_WAITING;
    }

    private @Nullable Integer take() {
      Integer v = buffer.poll();
      Ticket p = putters.poll();
      if (p != null) {
        p.waiting = false;
        if (v == null) {
          return p.item; // rendezvous: straight from the putter
        }
        buffer.add(p.item);
      }
      return v;
    }

    public boolean abort(int thread) {
      Ticket t = last[thread];
      last[thread] = null;
      if (t == null || !t.waiting) {
        return false;
      }
      t.waiting = false;
      putters.remove(t);
      takers.remove(t);
      return true;
    }

    public boolean offer(int v) {
      return !closed && place(v);
    }

    public @Nullable Integer poll() {
      return take();
    }

    public int size() {
      return buffer.size();
    }

    public void close() {
      if (!closed) {
        closed = true;
        refuseWaiters();
      }
    }

    public void cancel() {
      if (!cancelled) {
        closed = true;
        cancelled = true;
        buffer.clear();
        refuseWaiters();
      }
    }

    private void refuseWaiters() {
      putters.forEach(p -> p.waiting = false);
      putters.clear();
      takers.forEach(p -> p.waiting = false);
      takers.clear();
    }
  }

  /** The specification of a rendezvous queue. */
  public static final class RendezvousSpec extends Spec {
    /** Capacity 0. */
    public RendezvousSpec() {
      super(0, false);
    }
  }

  /** The specification of a conflated queue. */
  public static final class DropOldestSpec extends Spec {
    /** Capacity 1, drop oldest. */
    public DropOldestSpec() {
      super(1, true);
    }
  }
}
