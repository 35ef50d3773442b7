package org.eventloop4j.sync;

import java.util.ArrayDeque;
import org.eventloop4j.AbortController;
import org.eventloop4j.EventLoop;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Stress-tests (Lincheck's stress mode, real threads, each with its own event loop) the waiter queue of
 * {@link AsyncCondition} against a sequential FIFO ({@link Spec}): a thread's wait is queued or rejected
 * (the mutex closed), {@code signal} wakes the oldest waiter (answering whether there was one), {@code
 * signalAll} every one (answering how many), an abort of the thread's last wait answers whether it took the
 * waiter (it was still waiting) or found it signalled or closed first, {@code waiting}, and the mutex's
 * close. The wait is {@link AsyncCondition#enter} plus {@link AsyncCondition#wake}, the part of {@code
 * await} between its lock check and its unlock: the re-lock that follows a wake-up happens when the waiting
 * loop next runs, which no sequential specification can place (AsyncConditionTest and
 * AsyncConditionStressTest check it).
 */
@SuppressWarnings("exports") // Lincheck needs public test classes; this package is exported
public class AsyncConditionLincheckTest extends AsyncConditionOperations {
  static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);
  static final int QUEUED = 1;
  static final int REJECTED = 2;

  private final ThreadLoops loops = new ThreadLoops();
  private final Entry[] last = new Entry[PermitModel.THREADS];

  /** Lincheck makes one instance per scenario. */
  public AsyncConditionLincheckTest() {
    super(new Mutex());
  }

  /** One wait: its controller, and what its wake-up said (the abort reason, or SIGNALLED). */
  private static final class Entry {
    static final Object SIGNALLED = new Object();
    final AbortController controller = new AbortController();
    final IllegalStateException abortReason = new IllegalStateException("aborted");
    @Nullable Object woken;
    boolean abortTried;
  }

  @Operation
  public int await(@Param(gen = ThreadIdGen.class) int thread) {
    return loops.call(() -> {
      Entry e = new Entry();
      last[thread] = e;
      Object entered = condition.enter(EventLoop.current());
      if (!(entered instanceof AsyncCondition.Node)) {
        return REJECTED;
      }
      AsyncCondition.wake(entered, e.controller.signal()).then(v -> e.woken = v == null ? Entry.SIGNALLED : v,
          err -> e.woken = err);
      return QUEUED;
    });
  }

  /** Aborts the thread's last wait (once): true if the abort took it. */
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
    return e.woken == e.abortReason; // the wake-up settles on this very loop, before it went idle
  }

  @Test
  public void stress() {
    new StressOptions().threads(3).actorsPerThread(4).iterations(8 * STRESS).invocationsPerIteration(500)
        .sequentialSpecification(Spec.class).check(getClass());
  }

  /** The sequential specification: a FIFO of waits, each signalled, aborted or closed exactly once. */
  public static final class Spec {
    private final ArrayDeque<boolean[]> queue = new ArrayDeque<>(); // each: {still queued}
    private final boolean[][] last = new boolean[PermitModel.THREADS][];
    private boolean closed;

    /** Nobody waits. */
    public Spec() {}

    public int await(int thread) {
      last[thread] = null;
      if (closed) {
        return REJECTED;
      }
      boolean[] w = {true};
      queue.add(w);
      last[thread] = w;
      return QUEUED;
    }

    public boolean abort(int thread) {
      boolean[] w = last[thread];
      last[thread] = null;
      if (w == null || !w[0]) {
        return false;
      }
      w[0] = false;
      queue.remove(w);
      return true;
    }

    public boolean signal() {
      boolean[] w = queue.poll();
      if (w == null) {
        return false;
      }
      w[0] = false;
      return true;
    }

    public int signalAll() {
      int n = queue.size();
      queue.forEach(w -> w[0] = false);
      queue.clear();
      return n;
    }

    public int waiting() {
      return queue.size();
    }

    public void close() {
      closed = true;
      signalAll();
    }
  }
}
