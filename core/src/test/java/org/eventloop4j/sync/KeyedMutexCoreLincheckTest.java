package org.eventloop4j.sync;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/**
 * Model checks {@link KeyedMutex}'s map of entries on two keys against {@link KeyedMutexLincheckTest.Spec}:
 * the operations that need no event loop — tryLock (which makes an entry, or refuses once closed), unlock
 * (which drops the entry it leaves idle), isLocked, size and close — so that Lincheck explores every
 * interleaving of an entry's creation, its removal and a close inside the map's computes (the races of
 * the class overview: a close must not miss an entry being created, and size() counts exactly the held
 * keys). Waiting locks need a loop and are stress-tested by {@link KeyedMutexLincheckTest}.
 */
@Param(name = "key", gen = IntGen.class, conf = "0:1")
@SuppressWarnings("exports") // Lincheck needs public test classes; this package is exported
public class KeyedMutexCoreLincheckTest extends KeyedMutexOperations {
  static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);

  /** Lincheck makes one instance per scenario. */
  public KeyedMutexCoreLincheckTest() {}

  @Test
  public void modelCheck() {
    new ModelCheckingOptions().threads(2).actorsPerThread(3).actorsBefore(1).actorsAfter(2)
        .iterations(20 * STRESS).invocationsPerIteration(500)
        .sequentialSpecification(KeyedMutexLincheckTest.Spec.class).check(getClass());
  }
}
