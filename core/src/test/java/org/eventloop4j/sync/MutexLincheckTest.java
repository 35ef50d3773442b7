package org.eventloop4j.sync;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.api.Test;

/**
 * Stress-tests (Lincheck's stress mode, real threads, each with its own event loop) {@link Mutex} against
 * the sequential FIFO mutex of {@link MutexCoreLincheckTest.Spec}: locks (also with priorities) granted at once, waiting or
 * rejected (closed), the abort of a waiting lock, tryLock, unlock from any thread (handing the lock to the
 * oldest waiter), isLocked, waiting and close. What a lock returns is read synchronously; what happened to
 * a waiting one is observed through {@code isLocked()}, {@code waiting()} and the outcome of its abort (see
 * {@link LoopPermitDriver}). The model checking of the same operations, without loops, is {@link
 * MutexCoreLincheckTest}.
 */
@SuppressWarnings("exports") // Lincheck needs public test classes; this package is exported
public class MutexLincheckTest extends MutexOperations {
  static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);

  private final LoopPermitDriver driver = new LoopPermitDriver();

  /** Lincheck makes one instance per scenario. */
  public MutexLincheckTest() {
    super(new Mutex());
  }

  @Override
  boolean abortWaiter(int thread) {
    return driver.abort(thread);
  }

  @Operation
  public int lock(@Param(gen = ThreadIdGen.class) int thread) {
    return driver.enter(thread, mutex::lock);
  }

  @Operation
  public int lockWithPriority(
      @Param(gen = ThreadIdGen.class) int thread, @Param(gen = IntGen.class, conf = "-1:1") int priority) {
    return driver.enter(thread, signal -> mutex.lockWithPriority(priority, signal));
  }

  @Test
  public void stress() {
    new StressOptions().threads(3).actorsPerThread(4).iterations(8 * STRESS).invocationsPerIteration(500)
        .sequentialSpecification(MutexCoreLincheckTest.Spec.class).check(getClass());
  }
}
