package org.eventloop4j.sync;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;

/**
 * The operations of a {@link KeyedSemaphore} of 2 permits per key, on two keys, that need no event loop,
 * shared by {@link KeyedSemaphoreCoreLincheckTest} (model checking) and {@link KeyedSemaphoreLincheckTest}
 * (stress, real loops, which adds waiting acquires and their aborts); both check them against {@link
 * KeyedSemaphoreLincheckTest.Spec}.
 */
@Param(name = "key", gen = IntGen.class, conf = "0:1")
@Param(name = "n", gen = IntGen.class, conf = "1:2")
@SuppressWarnings("exports") // Lincheck needs public test classes; this package is exported
public abstract class KeyedSemaphoreOperations {
  static final int PERMITS = 2;
  final KeyedSemaphore<Integer> keyed = new KeyedSemaphore<>(PERMITS);

  KeyedSemaphoreOperations() {}

  @Operation
  public int tryAcquire(@Param(name = "key") int key, @Param(name = "n") int n) {
    return PermitCoreDriver.attempt(() -> keyed.tryAcquire(key, n));
  }

  @Operation
  public boolean release(@Param(name = "key") int key, @Param(name = "n") int n) {
    try {
      keyed.release(key, n);
      return true;
    } catch (IllegalStateException notHeld) {
      return false;
    }
  }

  @Operation
  public int available(@Param(name = "key") int key) {
    return keyed.available(key);
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
