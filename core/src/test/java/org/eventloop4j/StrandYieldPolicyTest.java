package org.eventloop4j;

import static java.util.Objects.requireNonNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.ArrayList;
import java.util.List;
import org.eventloop4j.sync.Mutex;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Strand.park yields its carrier before parking only if its last wait of the same kind was short
 * (Strand.YIELD_WITHIN hand-offs): the policy is decided by hand-off counts, which the program's order fixes,
 * so it is checked exactly.
 * Strands exist only without the accelerator.
 */
class StrandYieldPolicyTest {
  @BeforeEach
  void strandsOnly() {
    assumeFalse(Continuations.ENABLED, "with the accelerator bodies are continuations, not strands");
  }

  @Test
  void twoBodiesPingPonging_keepYielding() {
    List<String> seen = new ArrayList<>();
    EventLoop.create().run(() -> {
      List<Resolvers<Void>> toA = new ArrayList<>();
      List<Resolvers<Void>> toB = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        toA.add(Promise.withResolvers());
        toB.add(Promise.withResolvers());
      }
      Async.async(() -> player("a", toA, toB, 0, seen));
      Async.async(() -> player("b", toB, toA, 1, seen));
      toA.get(0).resolve(null);
    });
    // a's first wait (suspended in its first segment) spans b's start and the main task's end, three hand-offs;
    // every later wait of either, inside the other's resumption job, is answered by the other's next hand-off
    assertEquals(List.of("a suspended false", "a entry true", "b suspended true", "b entry true",
        "a suspended false", "a entry true", "b suspended true", "b entry true",
        "a suspended false", "a entry true", "b suspended true", "b entry true",
        "a suspended false", "a entry true", "b suspended true", "b entry true"), seen);
  }

  private static @org.jspecify.annotations.Nullable Void player(
      String name, List<Resolvers<Void>> mine, List<Resolvers<Void>> theirs, int ahead, List<String> seen) {
    for (int i = 0; i < mine.size(); i++) {
      Async.await(mine.get(i).promise());
      Strand me = requireNonNull(Strand.current());
      seen.add(name + " suspended " + me.yieldsBeforeParking(Strand.SUSPENDED));
      seen.add(name + " entry " + me.yieldsBeforeParking(Strand.AFTER_ENTRY));
      if (i + ahead < theirs.size()) {
        theirs.get(i + ahead).resolve(null);
      }
    }
    return null;
  }

  @Test
  void oneOfManyTakingTurns_parksAtOnce_whileItsShortCallsStillYield() {
    int bodies = 10;
    List<Boolean> longWaits = new ArrayList<>();
    List<Boolean> afterShortWait = new ArrayList<>();
    EventLoop.create().run(() -> {
      Mutex mutex = new Mutex();
      for (int b = 0; b < bodies; b++) {
        Async.async(() -> {
          for (int round = 0; round < 3; round++) {
            Async.await(mutex.lock());
            if (round > 0) {
              longWaits.add(requireNonNull(Strand.current()).yieldsBeforeParking(Strand.AFTER_ENTRY));
            }
            mutex.unlock();
          }
          Async.async(() -> null); // a call that its callee answers at once: a wait of one hand-off
          Strand me = requireNonNull(Strand.current());
          afterShortWait.add(me.yieldsBeforeParking(Strand.AFTER_CALL));
          afterShortWait.add(!me.yieldsBeforeParking(Strand.AFTER_ENTRY)); // the kinds are remembered apart
          return null;
        });
      }
    });
    // from the second round on, each body waited while the other nine held the mutex
    assertEquals(java.util.Collections.nCopies(2 * bodies, false), longWaits);
    assertEquals(java.util.Collections.nCopies(2 * bodies, true), afterShortWait);
  }
}
