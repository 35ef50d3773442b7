package org.eventloop4j.sync;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.api.Test;

/**
 * Model checks the priority order of {@link PermitCore} with a few operations only, so that the random
 * scenarios often queue waiters of different priorities and then tell their order apart: acquires at
 * priority -1, 0 or 1 (through {@link Semaphore} with 2 permits and {@link Mutex}, one scenario class each),
 * the abort of a thread's queued acquire (whose answer says whether it was still waiting, so which waiter a
 * release granted), release, tryAcquire and the counts. The specification is {@link PermitModel}: served
 * by priority, FIFO within one. {@link SemaphoreCoreLincheckTest} and {@link MutexCoreLincheckTest} run the
 * priority acquires among all their other operations, where a scenario that orders two of them is rare.
 */
@SuppressWarnings("exports") // Lincheck needs public test classes; this package is exported
public class PriorityCoreLincheckTest {
  static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);

  /** JUnit's instance. */
  public PriorityCoreLincheckTest() {}

  @Test
  void semaphore_priorities_servedAsTheModel() {
    options().sequentialSpecification(SemaphoreSpec.class).check(SemaphoreScenarios.class);
  }

  @Test
  void mutex_priorities_servedAsTheModel() {
    options().sequentialSpecification(MutexSpec.class).check(MutexScenarios.class);
  }

  private static ModelCheckingOptions options() {
    return new ModelCheckingOptions().threads(2).actorsPerThread(3).actorsBefore(2).actorsAfter(1)
        .iterations(60 * STRESS).invocationsPerIteration(20);
  }

  /** A semaphore with 2 permits: weighted acquires at a priority, abort, release, tryAcquire, available. */
  @Param(name = "n", gen = IntGen.class, conf = "1:2")
  @Param(name = "priority", gen = IntGen.class, conf = "-1:1")
  public static class SemaphoreScenarios {
    private final Semaphore semaphore = new Semaphore(2, new RecordingSettler());
    private final PermitCoreDriver driver = new PermitCoreDriver(semaphore.core());

    /** Lincheck makes one instance per scenario. */
    public SemaphoreScenarios() {}

    @Operation
    public int acquire(
        @Param(gen = ThreadIdGen.class) int thread, @Param(name = "n") int n, @Param(name = "priority") int priority) {
      return driver.enter(thread, n, priority);
    }

    @Operation
    public boolean abort(@Param(gen = ThreadIdGen.class) int thread) {
      return driver.abort(thread);
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
    public int tryAcquire(@Param(name = "n") int n) {
      return PermitCoreDriver.attempt(() -> semaphore.tryAcquire(n));
    }

    @Operation
    public int available() {
      return semaphore.available();
    }
  }

  /**
   * A mutex, locked at the start (so that the first locks queue): locks at a priority, abort, unlock
   * (tryLock cannot tell priorities apart: with one permit, nobody waits while the mutex is free).
   */
  public static class MutexScenarios {
    private final Mutex mutex = new Mutex(new RecordingSettler());
    private final PermitCoreDriver driver = new PermitCoreDriver(mutex.core());

    /** Lincheck makes one instance per scenario. */
    public MutexScenarios() {
      mutex.tryLock();
    }

    @Operation
    public int lock(
        @Param(gen = ThreadIdGen.class) int thread, @Param(gen = IntGen.class, conf = "-1:1") int priority) {
      return driver.enter(thread, 1, priority);
    }

    @Operation
    public boolean abort(@Param(gen = ThreadIdGen.class) int thread) {
      return driver.abort(thread);
    }

    @Operation
    public boolean unlock() {
      try {
        mutex.unlock();
        return true;
      } catch (IllegalStateException notLocked) {
        return false;
      }
    }
  }

  /** {@link PermitModel} with 2 permits, in {@link SemaphoreScenarios}' vocabulary. */
  public static final class SemaphoreSpec extends PermitModel {
    /** 2 permits, none held. */
    public SemaphoreSpec() {
      super(2);
    }

    public int acquire(int thread, int n, int priority) {
      return enter(thread, n, priority);
    }

    @Override
    public boolean abort(int thread) {
      return super.abort(thread);
    }

    public boolean release(int n) {
      return release(n, n, Integer.MAX_VALUE);
    }

    @Override
    public int tryAcquire(int n) {
      return super.tryAcquire(n);
    }

    @Override
    public int available() {
      return super.available();
    }
  }

  /** {@link PermitModel} with 1 permit, in {@link MutexScenarios}' vocabulary. */
  public static final class MutexSpec extends PermitModel {
    /** Locked. */
    public MutexSpec() {
      super(1);
      tryAcquire(1);
    }

    public int lock(int thread, int priority) {
      return enter(thread, 1, priority);
    }

    @Override
    public boolean abort(int thread) {
      return super.abort(thread);
    }

    public boolean unlock() {
      return release(1, 1, 1);
    }
  }
}
