package org.eventloop4j.sync;

import static org.eventloop4j.sync.ReadWriteMutex.WRITER;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.api.Test;

/**
 * Model checks {@link ReadWriteMutex} (its {@link PermitCore}: a reader takes 1 permit, a writer all of
 * them, and the facade's range-checked unlocks) against a sequential writer-preferring FIFO read-write
 * lock: read and write locks granted at once or queued (readers behind a waiting writer queue), abort of a
 * queued request, the try forms (throwing once closed), both unlocks (refused when that lock is not
 * held), readers(), isWriteLocked(), waiting(), close. No event loop runs: waiters are settled by a {@link
 * RecordingSettler}. {@link ReadWriteMutexLincheckTest} stress-tests the same operations through real loops.
 */
@SuppressWarnings("exports") // Lincheck needs public test classes; this package is exported
public class ReadWriteMutexCoreLincheckTest extends ReadWriteMutexOperations {
  static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);

  private final PermitCoreDriver driver = new PermitCoreDriver(rw.core());

  /** Lincheck makes one instance per scenario. */
  public ReadWriteMutexCoreLincheckTest() {
    super(new ReadWriteMutex(new RecordingSettler()));
  }

  @Override
  boolean abortWaiter(int thread) {
    return driver.abort(thread);
  }

  @Operation
  public int readLock(@Param(gen = ThreadIdGen.class) int thread) {
    return driver.enter(thread, 1);
  }

  @Operation
  public int writeLock(@Param(gen = ThreadIdGen.class) int thread) {
    return driver.enter(thread, WRITER);
  }

  @Test
  public void modelCheck() {
    new ModelCheckingOptions().threads(2).actorsPerThread(3).actorsBefore(2).actorsAfter(2)
        .iterations(20 * STRESS).invocationsPerIteration(500).sequentialSpecification(Spec.class).check(getClass());
  }

  /** The sequential specification: {@link PermitModel} with WRITER permits, in the lock's vocabulary. */
  public static final class Spec extends PermitModel {
    /** Unlocked. */
    public Spec() {
      super(WRITER);
    }

    public int readLock(int thread) {
      return enter(thread, 1);
    }

    public int writeLock(int thread) {
      return enter(thread, WRITER);
    }

    @Override
    public boolean abort(int thread) {
      return super.abort(thread);
    }

    public int tryReadLock() {
      return tryAcquire(1);
    }

    public int tryWriteLock() {
      return tryAcquire(WRITER);
    }

    public boolean readUnlock() {
      return release(1, 1, WRITER - 1);
    }

    public boolean writeUnlock() {
      return release(WRITER, WRITER, WRITER);
    }

    public int readers() {
      return held() == WRITER ? 0 : held();
    }

    public boolean isWriteLocked() {
      return held() == WRITER;
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
