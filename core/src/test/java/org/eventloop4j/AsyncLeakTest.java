package org.eventloop4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eventloop4j.stream.AsyncGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Abandoned async bodies and generators — suspended on promises that never settle — must not keep the loop
 * alive, must not outlive the run, and must leave no heap behind, under the JDK's default
 * {@code jdk.trackAllThreads=true}. Prints the retained heap per suspended body. 2·10^4 of each by default;
 * {@code -Deventloop4j.stress=5} runs the 10^5 of the issue.
 */
@Timeout(120)
class AsyncLeakTest {
  private static final int COUNT = 20_000 * Integer.getInteger("eventloop4j.stress", 1);

  @Test
  void abandonedBodiesAndGenerators_areUnwoundAndCollected() {
    long baseline = usedHeapAfterGc();
    long[] whileSuspended = {0};
    int[] finallies = {0};
    EventLoop loop = EventLoop.builder().virtualTime().build();
    loop.run(() -> {
      for (int i = 0; i < COUNT; i++) {
        Async.async(() -> {
          try {
            return Async.await(Promise.withResolvers().promise());
          } finally {
            finallies[0]++;
          }
        });
      }
      loop.setTimeout(() -> whileSuspended[0] = usedHeapAfterGc(), 1);
    });
    assertEquals(COUNT, finallies[0], "every abandoned body is unwound when the run ends");
    long perBody = (whileSuspended[0] - baseline) / COUNT;
    System.out.printf("suspended async body: %d bytes retained each (%d bodies)%n", perBody, COUNT);

    loop.run(() -> {
      for (int i = 0; i < COUNT; i++) {
        AsyncGenerator<Integer> g = AsyncGenerator.of(y -> {
          y.yield(1);
          y.yield(2);
        });
        g.next();
      }
    });
    long after = usedHeapAfterGc();
    long growth = after - baseline;
    System.out.printf("after %d abandoned bodies and %d abandoned generators: heap growth %d bytes%n", COUNT, COUNT, growth);
    assertTrue(growth < 8L * 1024 * 1024, "heap grew by " + growth + " bytes");
    assertTrue(perBody < 4096, "a suspended body retains " + perBody + " bytes");
    assertEquals(0, liveAsyncThreads(), "no strand outlives run()");
  }

  private static long liveAsyncThreads() {
    return Strand.live();
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }
}
