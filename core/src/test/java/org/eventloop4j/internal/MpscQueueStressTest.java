package org.eventloop4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Several producers, one consumer: nothing lost, nothing duplicated, each producer's order kept. */
@Timeout(60)
class MpscQueueStressTest {
  @Test
  void producersAndConsumer_noLossNoDuplicationPerProducerFifo() throws Exception {
    run(new MpscQueue<>());
  }

  @Test
  void tinyChunks_producersRaceToLinkChunks_noLossNoDuplicationPerProducerFifo() throws Exception {
    run(new MpscQueue<>(1, 4));
  }

  private static void run(MpscQueue<long[]> queue) {
    int producers = 3;
    int perProducer = 200_000 * Integer.getInteger("eventloop4j.stress", 1);
    CountDownLatch start = new CountDownLatch(1);
    for (int p = 0; p < producers; p++) {
      int id = p;
      Thread.ofPlatform().daemon().start(() -> {
        awaitQuietly(start);
        for (int i = 0; i < perProducer; i++) {
          queue.offer(new long[] {id, i});
        }
      });
    }
    start.countDown();
    long[] next = new long[producers];
    int received = 0;
    while (received < producers * perProducer) {
      long[] e = queue.poll();
      if (e == null) {
        Thread.onSpinWait();
        continue;
      }
      assertEquals(next[(int) e[0]], e[1], "producer " + e[0] + " out of order");
      next[(int) e[0]]++;
      received++;
    }
    assertTrue(queue.isEmpty());
    for (long n : next) {
      assertEquals(perProducer, n);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
