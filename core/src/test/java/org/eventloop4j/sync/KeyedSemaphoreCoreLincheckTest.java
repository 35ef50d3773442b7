package org.eventloop4j.sync;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/**
 * Model checks {@link KeyedSemaphore}'s map of entries (2 permits per key, two keys) against {@link
 * KeyedSemaphoreLincheckTest.Spec}: the operations that need no event loop — weighted tryAcquire (which
 * makes an entry, or refuses once closed), release (which drops the entry it leaves idle, and refuses to
 * release more than is held), available, size and close — so that Lincheck explores every interleaving of an
 * entry's creation, its removal and a close inside the map's computes when a key has several holders.
 * Waiting acquires need a loop and are stress-tested by {@link KeyedSemaphoreLincheckTest}.
 */
@Param(name = "key", gen = IntGen.class, conf = "0:1")
@Param(name = "n", gen = IntGen.class, conf = "1:2")
@SuppressWarnings("exports") // Lincheck needs public test classes; this package is exported
public class KeyedSemaphoreCoreLincheckTest extends KeyedSemaphoreOperations {
  static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);

  /** Lincheck makes one instance per scenario. */
  public KeyedSemaphoreCoreLincheckTest() {}

  @Test
  public void modelCheck() {
    new ModelCheckingOptions().threads(2).actorsPerThread(3).actorsBefore(1).actorsAfter(2)
        .iterations(20 * STRESS).invocationsPerIteration(500)
        .sequentialSpecification(KeyedSemaphoreLincheckTest.Spec.class).check(getClass());
  }
}
