package org.eventloop4j.sync;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.api.Test;

/**
 * Stress-tests (Lincheck's stress mode, real threads, each with its own event loop) {@link KeyedSemaphore}
 * against a sequential map of weighted FIFO semaphores ({@link Spec}: a {@link PermitModel} of 2 permits per
 * key, two keys): an acquire of 1 or 2 permits granted at once, waiting or rejected (closed), the abort of a
 * thread's waiting acquire, tryAcquire, release (refused beyond what is held, else granting the waiters that
 * now fit), available, size (the keys held or waited for: an entry is dropped exactly when it becomes idle,
 * never while an acquire of the same key races with it) and close. Acquires go through {@link
 * LoopPermitDriver}, whose answers are {@link PermitModel}'s codes.
 */
@Param(name = "key", gen = IntGen.class, conf = "0:1")
@Param(name = "n", gen = IntGen.class, conf = "1:2")
@SuppressWarnings("exports") // Lincheck needs public test classes; this package is exported
public class KeyedSemaphoreLincheckTest extends KeyedSemaphoreOperations {
  static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);

  private final LoopPermitDriver driver = new LoopPermitDriver();

  /** Lincheck makes one instance per scenario. */
  public KeyedSemaphoreLincheckTest() {}

  @Operation
  public int acquire(@Param(gen = ThreadIdGen.class) int thread, @Param(name = "key") int key,
      @Param(name = "n") int n) {
    return driver.enter(thread, signal -> keyed.acquire(key, n, signal));
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

  /** The sequential specification: a weighted FIFO semaphore per key; a key counts while held or waited for. */
  public static final class Spec {
    private final PermitModel[] keys = {new PermitModel(PERMITS), new PermitModel(PERMITS)};
    /** The key of each thread's last acquire (-1: none, or already aborted). */
    private final int[] lastKey = new int[PermitModel.THREADS];

    /** No permit held. */
    public Spec() {
      java.util.Arrays.fill(lastKey, -1);
    }

    public int acquire(int thread, int key, int n) {
      for (PermitModel k : keys) {
        k.forget(thread); // the driver aborts only the thread's latest request
      }
      lastKey[thread] = key;
      return keys[key].enter(thread, n);
    }

    public boolean abort(int thread) {
      int key = lastKey[thread];
      lastKey[thread] = -1;
      return key >= 0 && keys[key].abort(thread);
    }

    public int tryAcquire(int key, int n) {
      return keys[key].tryAcquire(n);
    }

    public boolean release(int key, int n) {
      return keys[key].release(n, n, Integer.MAX_VALUE);
    }

    public int available(int key) {
      return keys[key].available();
    }

    public int size() {
      int size = 0;
      for (PermitModel k : keys) {
        size += k.held() > 0 || k.waiting() > 0 ? 1 : 0;
      }
      return size;
    }

    public void close() {
      for (PermitModel k : keys) {
        k.close();
      }
    }
  }
}
