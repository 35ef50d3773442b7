package org.eventloop4j.sync;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.api.Test;

/**
 * Model checks {@link Mutex} (its {@link PermitCore} with one permit, and the facade's unlock check)
 * against a sequential FIFO mutex: lock (at priority 0, or at -1, 0 or 1: served by priority, FIFO within
 * one) granted at once or queued, abort of a queued lock, tryLock
 * (throwing once closed), unlock (refused when not locked, else handing the lock to the oldest waiter),
 * isLocked, waiting, close. No event loop runs: waiters are settled by a {@link RecordingSettler}. {@link
 * MutexLincheckTest} stress-tests the same operations through real loops.
 */
@SuppressWarnings("exports") // Lincheck needs public test classes; this package is exported
public class MutexCoreLincheckTest extends MutexOperations {
  static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);

  private final PermitCoreDriver driver = new PermitCoreDriver(mutex.core());

  /** Lincheck makes one instance per scenario. */
  public MutexCoreLincheckTest() {
    super(new Mutex(new RecordingSettler()));
  }

  @Override
  boolean abortWaiter(int thread) {
    return driver.abort(thread);
  }

  @Operation
  public int lock(@Param(gen = ThreadIdGen.class) int thread) {
    return driver.enter(thread, 1);
  }

  @Operation
  public int lockWithPriority(
      @Param(gen = ThreadIdGen.class) int thread, @Param(gen = IntGen.class, conf = "-1:1") int priority) {
    return driver.enter(thread, 1, priority);
  }

  @Test
  public void modelCheck() {
    new ModelCheckingOptions().threads(2).actorsPerThread(3).actorsBefore(2).actorsAfter(2)
        .iterations(20 * STRESS).invocationsPerIteration(500).sequentialSpecification(Spec.class).check(getClass());
  }

  /** The sequential specification: {@link PermitModel} with 1 permit, in the mutex's vocabulary. */
  public static final class Spec extends PermitModel {
    /** Unlocked. */
    public Spec() {
      super(1);
    }

    public int lock(int thread) {
      return enter(thread, 1);
    }

    public int lockWithPriority(int thread, int priority) {
      return enter(thread, 1, priority);
    }

    @Override
    public boolean abort(int thread) {
      return super.abort(thread);
    }

    public int tryLock() {
      return tryAcquire(1);
    }

    public boolean unlock() {
      return release(1, 1, 1);
    }

    public boolean isLocked() {
      return held() != 0;
    }

    @Override
    public int waiting() {
      return super.waiting();
    }

    @Override
    public void close() {
      super.close();
    }
  }
}
