package org.eventloop4j.sync;

import java.util.ArrayDeque;
import org.eventloop4j.AbortController;
import org.eventloop4j.Promise;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Stress-tests (Lincheck's stress mode, real threads, each with its own event loop) {@link Semaphore}
 * (and so the {@link PermitCore} under {@link Mutex} and {@link
 * ReadWriteMutex}) against a sequential weighted FIFO semaphore, including waiting acquires, abort of a
 * waiting acquire, resize and close. Each thread runs its own event loop; what an acquire returns is read
 * synchronously (granted at once, queued, rejected), and what happened to a queued acquire is observed
 * through {@code available()}, {@code waiting()} and the outcome of its abort (did the abort reject it,
 * or had it been granted or closed first). The model checking of the same core, without loops (which
 * Lincheck's model checker cannot follow: their strands are virtual threads handing a baton on), is
 * {@link SemaphoreCoreLincheckTest}.
 */
@Param(name = "n", gen = IntGen.class, conf = "1:2")
@Param(name = "permits", gen = IntGen.class, conf = "1:3")
@SuppressWarnings("exports") // Lincheck needs public test classes; this package is exported
public class SemaphoreLincheckTest {
  static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);
  static final int GRANTED = 0;
  static final int QUEUED = 1;
  static final int REJECTED = 2;
  static final int BAD_WEIGHT = 3;
  static final int BUSY = 4;
  static final int THREADS = 8; // thread ids, including the init and post parts

  private final Semaphore semaphore = new Semaphore(2);
  private final ThreadLoops loops = new ThreadLoops();
  private final Entry[] last = new Entry[THREADS];

  /** Lincheck makes one instance per scenario. */
  public SemaphoreLincheckTest() {}

  /** One acquire: its promise, its controller, and the reason it was rejected with, once it was. */
  private static final class Entry {
    final AbortController controller = new AbortController();
    final IllegalStateException abortReason = new IllegalStateException("aborted");
    @Nullable Throwable rejection;
    boolean abortTried;
  }

  @Operation
  public int acquire(@Param(gen = ThreadIdGen.class) int thread, @Param(name = "n") int n) {
    return loops.call(() -> {
      Entry e = new Entry();
      last[thread] = e;
      Promise<?> p;
      try {
        p = semaphore.acquire(n, e.controller.signal());
      } catch (IllegalArgumentException tooHeavy) {
        return BAD_WEIGHT;
      }
      p.catchError(t -> {
        e.rejection = t;
        return null;
      });
      return switch (p.state()) {
        case FULFILLED -> GRANTED;
        case PENDING -> QUEUED;
        case REJECTED -> REJECTED;
      };
    });
  }

  @Operation
  public boolean abort(@Param(gen = ThreadIdGen.class) int thread) {
    return loops.call(() -> {
      Entry e = last[thread];
      if (e == null || e.abortTried) {
        return false;
      }
      e.abortTried = true;
      e.controller.abort(e.abortReason);
      return Boolean.TRUE;
    }) && rejectedByAbort(thread);
  }

  private boolean rejectedByAbort(int thread) {
    Entry e = last[thread];
    return e != null && e.rejection == e.abortReason;
  }

  @Operation
  public int tryAcquire(@Param(name = "n") int n) {
    return PermitCoreDriver.attempt(() -> semaphore.tryAcquire(n));
  }

  @Operation
  public boolean release(@Param(name = "n") int n) {
    try {
      semaphore.release(n);
      return true;
    } catch (IllegalStateException overRelease) {
      return false;
    }
  }

  @Operation
  public int available() {
    return semaphore.available();
  }

  @Operation
  public int waiting() {
    return semaphore.waiting();
  }

  @Operation
  public void setPermits(@Param(name = "permits") int permits) {
    semaphore.setPermits(permits);
  }

  @Operation
  public void close() {
    semaphore.close();
  }

  @Test
  public void stress() {
    new StressOptions().threads(3).actorsPerThread(4).iterations(8 * STRESS).invocationsPerIteration(500)
        .sequentialSpecification(Spec.class).check(getClass());
  }

  /** The sequential specification: a weighted FIFO semaphore. */
  public static final class Spec {
    private int capacity = 2;
    private int held;
    private boolean closed;
    private final ArrayDeque<Ticket> queue = new ArrayDeque<>();
    private final Ticket[] last = new Ticket[THREADS];

    /** The initial state: 2 permits, none held. */
    public Spec() {}

    private static final class Ticket {
      final int n;
      boolean queued;
      boolean rejectedByAbort;
      boolean abortTried;

      Ticket(int n) {
        this.n = n;
      }
    }

    public int acquire(int thread, int n) {
      if (n > capacity) {
        return BAD_WEIGHT;
      }
      Ticket t = new Ticket(n);
      last[thread] = t;
      if (closed) {
        return REJECTED;
      }
      if (queue.isEmpty() && held + n <= capacity) {
        held += n;
        return GRANTED;
      }
      t.queued = true;
      queue.add(t);
      return QUEUED;
    }

    public boolean abort(int thread) {
      Ticket t = last[thread];
      if (t == null || t.abortTried) {
        return false;
      }
      t.abortTried = true;
      if (t.queued) {
        queue.remove(t);
        t.queued = false;
        t.rejectedByAbort = true;
        drain();
      }
      return t.rejectedByAbort;
    }

    public int tryAcquire(int n) {
      if (n > capacity) {
        return BAD_WEIGHT;
      }
      if (closed) {
        return REJECTED;
      }
      if (!queue.isEmpty() || held + n > capacity) {
        return BUSY;
      }
      held += n;
      return GRANTED;
    }

    public boolean release(int n) {
      if (held < n) {
        return false;
      }
      held -= n;
      drain();
      return true;
    }

    public int available() {
      return Math.max(0, capacity - held);
    }

    public int waiting() {
      return queue.size();
    }

    public void setPermits(int permits) {
      capacity = permits;
      queue.removeIf(t -> {
        boolean heavy = t.n > permits;
        if (heavy) {
          t.queued = false;
        }
        return heavy;
      });
      drain();
    }

    public void close() {
      if (!closed) {
        closed = true;
        queue.forEach(t -> t.queued = false);
        queue.clear();
      }
    }

    private void drain() {
      while (!queue.isEmpty() && held + queue.peek().n <= capacity) {
        Ticket t = queue.poll();
        t.queued = false;
        held += t.n;
      }
    }
  }
}
