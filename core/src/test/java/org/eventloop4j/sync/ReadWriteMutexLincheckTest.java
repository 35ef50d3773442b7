package org.eventloop4j.sync;

import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.api.Test;

/**
 * Stress-tests (Lincheck's stress mode, real threads, each with its own event loop) {@link ReadWriteMutex}
 * against the sequential writer-preferring FIFO lock of {@link ReadWriteMutexCoreLincheckTest.Spec}: read
 * and write locks granted at once, waiting or rejected (closed), the abort of a waiting request, the try
 * forms, both unlocks from any thread, readers(), isWriteLocked(), waiting() and close. What a request
 * returns is read synchronously; what happened to a waiting one is observed through the introspection
 * methods and the outcome of its abort (see {@link LoopPermitDriver}). The model checking of the same
 * operations, without loops, is {@link ReadWriteMutexCoreLincheckTest}.
 */
@SuppressWarnings("exports") // Lincheck needs public test classes; this package is exported
public class ReadWriteMutexLincheckTest extends ReadWriteMutexOperations {
  static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);

  private final LoopPermitDriver driver = new LoopPermitDriver();

  /** Lincheck makes one instance per scenario. */
  public ReadWriteMutexLincheckTest() {
    super(new ReadWriteMutex());
  }

  @Override
  boolean abortWaiter(int thread) {
    return driver.abort(thread);
  }

  @Operation
  public int readLock(@Param(gen = ThreadIdGen.class) int thread) {
    return driver.enter(thread, rw::readLock);
  }

  @Operation
  public int writeLock(@Param(gen = ThreadIdGen.class) int thread) {
    return driver.enter(thread, rw::writeLock);
  }

  @Test
  public void stress() {
    new StressOptions().threads(3).actorsPerThread(4).iterations(8 * STRESS).invocationsPerIteration(500)
        .sequentialSpecification(ReadWriteMutexCoreLincheckTest.Spec.class).check(getClass());
  }
}
