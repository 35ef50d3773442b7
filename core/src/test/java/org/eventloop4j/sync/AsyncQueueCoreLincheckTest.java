package org.eventloop4j.sync;

import java.util.ArrayDeque;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
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
@SuppressWarnings("exports") // Lincheck needs public test classes; this package is exported
public class AsyncQueueCoreLincheckTest extends AsyncQueueOperations {
  static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);
  static final int NOW = 0;
  static final int WAITING = 1;
  static final int REJECTED = 2;
  /** tryReserve: no room. */
  static final int FULL = 3;
  /** send or release without a permit granted to the thread. */
  static final int NONE = 4;
  static final int POP_WAITING = -1;
  static final int POP_DONE = -2;
  static final int POP_REJECTED = -3;
  static final int THREADS = 8;

  /** A bounded queue of capacity 1. */
  public AsyncQueueCoreLincheckTest() {}

  @Override
  AsyncQueue.Builder<Integer> configure(AsyncQueue.Builder<Integer> b) {
    return b.capacity(1);
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

  /**
   * The sequential specification: a FIFO queue with waiting producers and consumers, and permits. Waiting
   * pushes and reserves share one FIFO of producers; room goes to the oldest. On a bounded queue without a
   * drop policy a permit holds room from its grant until it is sent or released (a consumer then waits
   * for its item too: only a rendezvous queue hands a waiting push's item straight over); on a drop-oldest
   * queue a permit holds none and its send is a push under the policy.
   */
  public static class Spec {
    private final int capacity;
    private final boolean dropOldest;
    private final ArrayDeque<Integer> buffer = new ArrayDeque<>();
    private final ArrayDeque<Ticket> putters = new ArrayDeque<>();
    private final ArrayDeque<Ticket> takers = new ArrayDeque<>();
    private final Ticket[] last = new Ticket[THREADS];
    /** Each thread's last permit (granted, or its reserve still waiting). */
    private final Ticket[] held = new Ticket[THREADS];
    private int reserved;
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
      final boolean reserve;
      boolean waiting = true;
      boolean granted;

      Ticket(int item, boolean reserve) {
        this.item = item;
        this.reserve = reserve;
      }
    }

    public int push(int thread, int v) {
      if (closed) {
        return REJECTED;
      }
      if (place(v, false)) {
        return NOW;
      }
      Ticket t = new Ticket(v, false);
      putters.add(t);
      last[thread] = t;
      return WAITING;
    }

    /** Places {@code v} unless it must wait; a permit's send ({@code permitted}) has its room. */
    private boolean place(int v, boolean permitted) {
      if (permitted || putters.isEmpty()) {
        if (!takers.isEmpty()) {
          takers.poll().waiting = false;
          return true;
        }
        if (buffer.size() + held() < capacity) {
          buffer.add(v);
          return true;
        }
      }
      if (dropOldest) {
        buffer.poll();
        buffer.add(v);
        return true;
      }
      return false;
    }

    private boolean holdsRoom() {
      return !dropOldest && capacity > 0;
    }

    private int held() {
      return holdsRoom() ? reserved : 0;
    }

    /** Serves the oldest waiting producers while there is room. */
    private void admit() {
      while (!putters.isEmpty() && buffer.size() + held() < capacity) {
        Ticket p = putters.poll();
        p.waiting = false;
        if (p.reserve) {
          p.granted = true;
          reserved++;
        } else if (!takers.isEmpty()) {
          takers.poll().waiting = false;
        } else {
          buffer.add(p.item);
        }
      }
    }

    public int pop(int thread) {
      Integer v = take();
      if (v != null) {
        return v;
      }
      if (closed) {
        return cancelled ? POP_REJECTED : POP_DONE;
      }
      Ticket t = new Ticket(0, false);
      takers.add(t);
      last[thread] = t;
      return POP_WAITING;
    }

    private @Nullable Integer take() {
      Integer v = buffer.poll();
      if (v != null) {
        admit();
        return v;
      }
      Ticket p = capacity == 0 ? putters.poll() : null;
      if (p != null) {
        p.waiting = false;
        return p.item; // rendezvous: straight from the putter
      }
      return null;
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
      return !closed && place(v, false);
    }

    public @Nullable Integer poll() {
      return take();
    }

    public int size() {
      return buffer.size();
    }

    private boolean grantable() {
      return !holdsRoom() || (putters.isEmpty() && buffer.size() + reserved < capacity);
    }

    public int reserve(int thread) {
      if (closed) {
        return REJECTED;
      }
      Ticket t = new Ticket(0, true);
      held[thread] = t;
      if (grantable()) {
        t.waiting = false;
        t.granted = true;
        reserved++;
        return NOW;
      }
      putters.add(t);
      last[thread] = t;
      return WAITING;
    }

    public int tryReserve(int thread) {
      if (closed) {
        return REJECTED;
      }
      if (!grantable()) {
        return FULL;
      }
      Ticket t = new Ticket(0, true);
      t.waiting = false;
      t.granted = true;
      held[thread] = t;
      reserved++;
      return NOW;
    }

    public int send(int thread, int v) {
      Ticket t = held[thread];
      if (t == null || !t.granted) {
        return NONE;
      }
      held[thread] = null;
      reserved--;
      if (closed) {
        return REJECTED;
      }
      place(v, true);
      admit();
      return NOW;
    }

    public boolean release(int thread) {
      Ticket t = held[thread];
      if (t == null || !t.granted) {
        return false;
      }
      held[thread] = null;
      reserved--;
      admit();
      return true;
    }

    public int reserved() {
      return reserved;
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

  /** The specification of a bounded queue of capacity 2. */
  public static final class Capacity2Spec extends Spec {
    /** Capacity 2, pushes wait for room. */
    public Capacity2Spec() {
      super(2, false);
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
