package org.eventloop4j.shared;

import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of {@link SharedMutex}'s non-blocking and bounded operations — tryLock, tryLock with a
 * timeout, unlock (an error when unlocked), isLocked — against a boolean. The timed tryLock exercises the
 * slow path (spin, exchange to "waited for", Atomics.wait) with unlocks racing it, so a lost wake-up would
 * show as a timed tryLock failing while the lock was free for its whole duration... or as a hang.
 *
 * <p>Stress mode only, for the reason given in {@link AtomicsSubWordLincheckTest}: Lincheck's model checker
 * does not see {@code MemorySegment} VarHandle accesses as switch points.
 */
@SuppressWarnings("exports") // Lincheck needs public test classes; this package is exported
public class SharedMutexLincheckTest {
  private static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);

  private final SharedMutex mutex = new SharedMutex();

  /** Lincheck creates one instance per scenario. */
  public SharedMutexLincheckTest() {}

  @Operation
  public boolean tryLock() {
    return mutex.tryLock();
  }

  @Operation
  public boolean tryLockFor1ms() throws InterruptedException {
    return mutex.tryLock(1);
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

  @Operation
  public boolean isLocked() {
    return mutex.isLocked();
  }

  @Test
  public void stress() {
    new StressOptions().iterations(10 * STRESS).invocationsPerIteration(200).threads(3).actorsPerThread(3)
        .sequentialSpecification(Sequential.class).check(getClass());
  }

  /** The sequential specification: one boolean. A timed tryLock on a held lock waits out its time, then fails. */
  public static final class Sequential {
    private boolean locked;

    /** Unlocked. */
    public Sequential() {}

    public boolean tryLock() {
      if (locked) {
        return false;
      }
      locked = true;
      return true;
    }

    public boolean tryLockFor1ms() {
      return tryLock();
    }

    public boolean unlock() {
      boolean was = locked;
      locked = false;
      return was;
    }

    public boolean isLocked() {
      return locked;
    }
  }
}
