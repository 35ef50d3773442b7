package org.eventloop4j.sync;

import java.util.ArrayDeque;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.api.Test;

/**
 * Stress-tests (Lincheck's stress mode, real threads, each with its own event loop) {@link KeyedMutex}
 * against a sequential map of FIFO mutexes ({@link Spec}) on two keys: a lock granted at once, waiting or
 * rejected (closed), the abort of a thread's waiting lock, tryLock, unlock (refused when the key is not
 * locked, else handing it to its oldest waiter), isLocked, size (the keys held or waited for: it checks that
 * an entry is dropped exactly when it becomes idle and never while a lock of the same key races with it),
 * and close. Lock requests go through {@link LoopPermitDriver}, whose answers are {@link PermitModel}'s
 * codes.
 */
@Param(name = "key", gen = IntGen.class, conf = "0:1")
@SuppressWarnings("exports") // Lincheck needs public test classes; this package is exported
public class KeyedMutexLincheckTest extends KeyedMutexOperations {
  static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);

  private final LoopPermitDriver driver = new LoopPermitDriver();

  /** Lincheck makes one instance per scenario. */
  public KeyedMutexLincheckTest() {}

  @Operation
  public int lock(@Param(gen = ThreadIdGen.class) int thread, @Param(name = "key") int key) {
    return driver.enter(thread, signal -> keyed.lock(key, signal));
  }

  @Operation
  public boolean abort(@Param(gen = ThreadIdGen.class) int thread) {
    return driver.abort(thread);
  }

  @Test
  public void stress() {
    new StressOptions().threads(3).actorsPerThread(4).iterations(8 * STRESS).invocationsPerIteration(500)
        .sequentialSpecification(Spec.class).check(getClass());
  }

  /** The sequential specification: per key a held flag and a FIFO of waiting requests. */
  public static final class Spec {
    private final boolean[] held = new boolean[2];
    private final java.util.List<ArrayDeque<boolean[]>> queues = java.util.List.of(new ArrayDeque<>(), new ArrayDeque<>());
    private final boolean[][] last = new boolean[PermitModel.THREADS][];
    private final int[] lastKey = new int[PermitModel.THREADS];
    private boolean closed;

    /** No key locked. */
    public Spec() {}

    public int lock(int thread, int key) {
      if (closed) {
        return PermitModel.REJECTED;
      }
      if (!held[key]) {
        held[key] = true;
        return PermitModel.GRANTED;
      }
      boolean[] w = {true};
      queues.get(key).add(w);
      last[thread] = w;
      lastKey[thread] = key;
      return PermitModel.QUEUED;
    }

    public boolean abort(int thread) {
      boolean[] w = last[thread];
      last[thread] = null;
      if (w == null || !w[0]) {
        return false;
      }
      w[0] = false;
      queues.get(lastKey[thread]).remove(w);
      return true;
    }

    public int tryLock(int key) {
      if (closed) {
        return PermitModel.REJECTED;
      }
      if (held[key]) {
        return PermitModel.BUSY;
      }
      held[key] = true;
      return PermitModel.GRANTED;
    }

    public boolean unlock(int key) {
      if (!held[key]) {
        return false;
      }
      boolean[] next = queues.get(key).poll();
      if (next != null) {
        next[0] = false; // handed on: still held
      } else {
        held[key] = false;
      }
      return true;
    }

    public boolean isLocked(int key) {
      return held[key];
    }

    public int size() {
      return (held[0] ? 1 : 0) + (held[1] ? 1 : 0);
    }

    public void close() {
      closed = true;
      for (ArrayDeque<boolean[]> q : queues) {
        q.forEach(w -> w[0] = false);
        q.clear();
      }
    }
  }
}
