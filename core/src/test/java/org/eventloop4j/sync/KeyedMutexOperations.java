package org.eventloop4j.sync;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;

/**
 * The operations of a {@link KeyedMutex} on two keys that need no event loop, shared by {@link
 * KeyedMutexCoreLincheckTest} (model checking) and {@link KeyedMutexLincheckTest} (stress, real loops, which
 * adds waiting locks and their aborts); both check them against {@link KeyedMutexLincheckTest.Spec}.
 */
@Param(name = "key", gen = IntGen.class, conf = "0:1")
@SuppressWarnings("exports") // Lincheck needs public test classes; this package is exported
public abstract class KeyedMutexOperations {
  final KeyedMutex<Integer> keyed = new KeyedMutex<>();

  KeyedMutexOperations() {}

  @Operation
  public int tryLock(@Param(name = "key") int key) {
    return PermitCoreDriver.attempt(() -> keyed.tryLock(key));
  }

  @Operation
  public boolean unlock(@Param(name = "key") int key) {
    try {
      keyed.unlock(key);
      return true;
    } catch (IllegalStateException notLocked) {
      return false;
    }
  }

  @Operation
  public boolean isLocked(@Param(name = "key") int key) {
    return keyed.isLocked(key);
  }

  @Operation
  public int size() {
    return keyed.size();
  }

  @Operation
  public void close() {
    keyed.close();
  }
}
