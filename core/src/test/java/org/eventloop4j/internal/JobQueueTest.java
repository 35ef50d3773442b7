package org.eventloop4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayDeque;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link JobQueue} against {@link ArrayDeque}: seeded random adds, polls, bursts across chunks and clears. */
class JobQueueTest {
  @Test
  void randomOperations_matchAnArrayDeque() {
    for (long seed = 1; seed <= 200; seed++) {
      Random random = new Random(seed);
      JobQueue<Integer> queue = new JobQueue<>();
      ArrayDeque<Integer> model = new ArrayDeque<>();
      int next = 0;
      for (int step = 0; step < 400; step++) {
        int op = random.nextInt(10);
        if (op < 4) {
          int burst = random.nextInt(8) == 0 ? random.nextInt(1500) : 1;
          for (int i = 0; i < burst; i++) {
            queue.add(next);
            model.add(next++);
          }
        } else if (op < 9) {
          int polls = random.nextInt(8) == 0 ? random.nextInt(1500) : 1;
          for (int i = 0; i < polls; i++) {
            assertEquals(model.poll(), queue.poll(), "seed " + seed + " step " + step);
          }
        } else {
          queue.clear();
          model.clear();
        }
        assertEquals(model.size(), queue.size(), "seed " + seed + " step " + step);
        assertEquals(model.isEmpty(), queue.isEmpty(), "seed " + seed + " step " + step);
      }
    }
  }

  @Test
  void burstOfAMillion_drainsInOrder_andTheQueueIsReusable() {
    JobQueue<Integer> queue = new JobQueue<>();
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < 1_000_000; i++) {
        queue.add(i);
      }
      assertEquals(1_000_000, queue.size());
      for (int i = 0; i < 1_000_000; i++) {
        assertEquals(i, queue.poll());
      }
      assertNull(queue.poll());
    }
  }
}
