package org.eventloop4j.sync;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.api.Test;

/**
 * Model checks the concurrent core of {@link Semaphore} — {@link PermitCore}'s state word and waiter queue
 * — against {@link PermitModel}, a sequential weighted FIFO semaphore: weighted acquires that are granted
 * at once, queue or are refused (closed, heavier than the permit count), at priority 0 or at -1, 0 or 1
 * (served by priority, FIFO within one: an arrival that outranks every waiter may take free permits at
 * once and queues at the head otherwise), the abort of a queued acquire
 * (which must reject it exactly when it was still waiting), tryAcquire (throwing where an acquire is
 * refused: too heavy, closed), release (over-release refused), resize and close. No event loop runs: the semaphore's waiters are settled by a {@link RecordingSettler}
 * (see {@link Settler}), so Lincheck's model checker follows every thread. {@link SemaphoreLincheckTest}
 * stress-tests the same operations through real loops.
 */
@Param(name = "n", gen = IntGen.class, conf = "1:2")
@Param(name = "permits", gen = IntGen.class, conf = "1:3")
@Param(name = "priority", gen = IntGen.class, conf = "-1:1")
@SuppressWarnings("exports") // Lincheck needs public test classes; this package is exported
public class SemaphoreCoreLincheckTest {
  static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);

  private final Semaphore semaphore = new Semaphore(2, new RecordingSettler());
  private final PermitCoreDriver driver = new PermitCoreDriver(semaphore.core());

  /** Lincheck makes one instance per scenario. */
  public SemaphoreCoreLincheckTest() {}

  @Operation
  public int acquire(@Param(gen = ThreadIdGen.class) int thread, @Param(name = "n") int n) {
    return driver.enter(thread, n);
  }

  @Operation
  public int acquireWithPriority(
      @Param(gen = ThreadIdGen.class) int thread, @Param(name = "n") int n, @Param(name = "priority") int priority) {
    return driver.enter(thread, n, priority);
  }

  @Operation
  public boolean abort(@Param(gen = ThreadIdGen.class) int thread) {
    return driver.abort(thread);
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
  public void modelCheck() {
    new ModelCheckingOptions().threads(2).actorsPerThread(3).actorsBefore(2).actorsAfter(2)
        .iterations(20 * STRESS).invocationsPerIteration(500).sequentialSpecification(Spec.class).check(getClass());
  }

  /** The sequential specification: {@link PermitModel} with 2 permits, in the semaphore's vocabulary. */
  public static final class Spec extends PermitModel {
    /** 2 permits, none held. */
    public Spec() {
      super(2);
    }

    public int acquire(int thread, int n) {
      return enter(thread, n);
    }

    public int acquireWithPriority(int thread, int n, int priority) {
      return enter(thread, n, priority);
    }

    @Override
    public boolean abort(int thread) {
      return super.abort(thread);
    }

    @Override
    public int tryAcquire(int n) {
      return super.tryAcquire(n);
    }

    public boolean release(int n) {
      return release(n, n, Integer.MAX_VALUE);
    }

    @Override
    public int available() {
      return super.available();
    }

    @Override
    public int waiting() {
      return super.waiting();
    }

    public void setPermits(int permits) {
      resize(permits);
    }

    @Override
    public void close() {
      super.close();
    }
  }
}
