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
public class ReadWriteMutexLincheckTest {
  static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);

  private final ReadWriteMutex rw = new ReadWriteMutex();
  private final LoopPermitDriver driver = new LoopPermitDriver();

  /** Lincheck makes one instance per scenario. */
  public ReadWriteMutexLincheckTest() {}

  @Operation
  public int readLock(@Param(gen = ThreadIdGen.class) int thread) {
    return driver.enter(thread, rw::readLock);
  }

  @Operation
  public int writeLock(@Param(gen = ThreadIdGen.class) int thread) {
    return driver.enter(thread, rw::writeLock);
  }

  @Operation
  public boolean abort(@Param(gen = ThreadIdGen.class) int thread) {
    return driver.abort(thread);
  }

  @Operation
  public int tryReadLock() {
    return PermitCoreDriver.attempt(rw::tryReadLock);
  }

  @Operation
  public int tryWriteLock() {
    return PermitCoreDriver.attempt(rw::tryWriteLock);
  }

  @Operation
  public boolean readUnlock() {
    try {
      rw.readUnlock();
      return true;
    } catch (IllegalStateException notHeld) {
      return false;
    }
  }

  @Operation
  public boolean writeUnlock() {
    try {
      rw.writeUnlock();
      return true;
    } catch (IllegalStateException notHeld) {
      return false;
    }
  }

  @Operation
  public int readers() {
    return rw.readers();
  }

  @Operation
  public boolean isWriteLocked() {
    return rw.isWriteLocked();
  }

  @Operation
  public int waiting() {
    return rw.waiting();
  }

  @Operation
  public void close() {
    rw.close();
  }

  @Test
  public void stress() {
    new StressOptions().threads(3).actorsPerThread(4).iterations(8 * STRESS).invocationsPerIteration(500)
        .sequentialSpecification(ReadWriteMutexCoreLincheckTest.Spec.class).check(getClass());
  }
}
