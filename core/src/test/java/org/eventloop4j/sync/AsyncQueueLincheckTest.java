package org.eventloop4j.sync;

import java.util.ArrayDeque;
import org.eventloop4j.AbortController;
import org.eventloop4j.Promise;
import org.eventloop4j.stream.IteratorResult;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Stress-tests (Lincheck's stress mode, real threads, each with its own event loop) {@link AsyncQueue}
 * (bounded with capacity 1 here; {@link Rendezvous} checks capacity 0)
 * against a sequential FIFO queue with waiting producers and consumers, abort and close. Each thread runs
 * its own event loop. What a push or pop returns is read synchronously (done at once, waiting, rejected);
 * where a waiting call's item went is observed through later polls, pops, {@code size()} and the outcome
 * of its abort. The model checking of the same core, without loops (which Lincheck's model checker cannot
 * follow: their strands are virtual threads handing a baton on), is {@link AsyncQueueCoreLincheckTest}.
 */
@Param(name = "v", gen = IntGen.class, conf = "1:3")
// Lincheck needs public test classes (this package is exported); capacity() is a constant per subclass
@SuppressWarnings({"exports", "this-escape"})
public class AsyncQueueLincheckTest {
  static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);
  static final int NOW = 0;
  static final int WAITING = 1;
  static final int REJECTED = 2;
  static final int POP_WAITING = -1;
  static final int POP_DONE = -2;
  static final int POP_REJECTED = -3;
  static final int THREADS = 8;

  private final AsyncQueue<Integer> queue = AsyncQueue.bounded(capacity());
  private final ThreadLoops loops = new ThreadLoops();
  private final Entry[] last = new Entry[THREADS];

  /** A bounded queue of {@link #capacity()}. */
  public AsyncQueueLincheckTest() {}

  /** The capacity of the queue under test (read during construction). */
  int capacity() {
    return 1;
  }

  private static final class Entry {
    final AbortController controller = new AbortController();
    final IllegalStateException abortReason = new IllegalStateException("aborted");
    @Nullable Throwable rejection;
    @Nullable Integer value;
    boolean abortTried;

    void watch(Promise<?> p) {
      p.catchError(t -> {
        rejection = t;
        return null;
      });
    }
  }

  @Operation
  public int push(@Param(gen = ThreadIdGen.class) int thread, @Param(name = "v") int v) {
    return loops.call(() -> {
      Entry e = new Entry();
      last[thread] = e;
      Promise<?> p = queue.push(v, e.controller.signal());
      e.watch(p);
      return switch (p.state()) {
        case FULFILLED -> NOW;
        case PENDING -> WAITING;
        case REJECTED -> REJECTED;
      };
    });
  }

  @Operation
  public int pop(@Param(gen = ThreadIdGen.class) int thread) {
    Entry e = new Entry();
    last[thread] = e;
    return loops.call(() -> {
      Promise<IteratorResult<Integer>> p = queue.pop(e.controller.signal());
      int[] value = {POP_WAITING};
      p.then(r -> e.value = r.done() ? POP_DONE : r.value(), t -> {
        e.rejection = t;
        return null;
      });
      // Read the outcome now: a hand-over posted by another thread may still arrive during this call.
      if (p.state() == Promise.State.FULFILLED) {
        p.thenAccept(r -> value[0] = r.done() ? POP_DONE : r.value());
        return value;
      }
      value[0] = p.state() == Promise.State.REJECTED ? POP_REJECTED : POP_WAITING;
      return value;
    })[0];
  }

  @Operation
  public boolean abort(@Param(gen = ThreadIdGen.class) int thread) {
    Entry e = last[thread];
    if (e == null || e.abortTried) {
      return false;
    }
    e.abortTried = true;
    loops.call(() -> {
      e.controller.abort(e.abortReason);
      return null;
    });
    return e.rejection == e.abortReason;
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

  @Test
  public void stress() {
    new StressOptions().threads(3).actorsPerThread(4).iterations(6 * STRESS).invocationsPerIteration(400)
        .sequentialSpecification(specification()).check(getClass());
  }

  Class<?> specification() {
    return Spec.class;
  }

  /** The same checks on a rendezvous queue (capacity 0). */
  public static class Rendezvous extends AsyncQueueLincheckTest {
    /** A rendezvous queue. */
    public Rendezvous() {}

    @Override
    int capacity() {
      return 0;
    }

    @Override
    Class<?> specification() {
      return RendezvousSpec.class;
    }
  }

  /** The sequential specification: a FIFO queue with waiting producers and consumers. */
  public static class Spec {
    private final int capacity;
    private final ArrayDeque<Integer> buffer = new ArrayDeque<>();
    private final ArrayDeque<Ticket> putters = new ArrayDeque<>();
    private final ArrayDeque<Ticket> takers = new ArrayDeque<>();
    private final Ticket[] last = new Ticket[THREADS];
    private boolean closed;

    /** Capacity 1. */
    public Spec() {
      this(1);
    }

    Spec(int capacity) {
      this.capacity = capacity;
    }

    private static final class Ticket {
      final int item;
      boolean waiting;
      boolean abortTried;

      Ticket(int item) {
        this.item = item;
      }
    }

    public int push(int thread, int v) {
      Ticket t = new Ticket(v);
      last[thread] = t;
      if (closed) {
        return REJECTED;
      }
      if (!takers.isEmpty()) {
        takers.poll().waiting = false;
        return NOW;
      }
      if (buffer.size() < capacity) {
        buffer.add(v);
        return NOW;
      }
      t.waiting = true;
      putters.add(t);
      return WAITING;
    }

    public int pop(int thread) {
      Ticket t = new Ticket(0);
      last[thread] = t;
      Integer v = take();
      if (v != null) {
        return v;
      }
      if (closed) {
        return POP_DONE;
      }
      t.waiting = true;
      takers.add(t);
      return POP_WAITING;
    }

    private @Nullable Integer take() {
      Integer v = buffer.poll();
      if (v != null) {
        Ticket p = putters.poll();
        if (p != null) {
          p.waiting = false;
          buffer.add(p.item);
        }
        return v;
      }
      Ticket p = putters.poll();
      if (p != null) {
        p.waiting = false;
        return p.item;
      }
      return null;
    }

    public boolean abort(int thread) {
      Ticket t = last[thread];
      if (t == null || t.abortTried) {
        return false;
      }
      t.abortTried = true;
      if (!t.waiting) {
        return false;
      }
      t.waiting = false;
      putters.remove(t);
      takers.remove(t);
      return true;
    }

    public boolean offer(int v) {
      if (closed) {
        return false;
      }
      if (!takers.isEmpty()) {
        takers.poll().waiting = false;
        return true;
      }
      if (buffer.size() < capacity) {
        buffer.add(v);
        return true;
      }
      return false;
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
        putters.forEach(p -> p.waiting = false);
        putters.clear();
        takers.forEach(p -> p.waiting = false);
        takers.clear();
      }
    }
  }

  /** The specification of a rendezvous queue. */
  public static final class RendezvousSpec extends Spec {
    /** Capacity 0. */
    public RendezvousSpec() {
      super(0);
    }
  }
}
