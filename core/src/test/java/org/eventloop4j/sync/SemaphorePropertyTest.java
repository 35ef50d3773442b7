package org.eventloop4j.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.eventloop4j.AbortController;
import org.eventloop4j.EventLoop;
import org.junit.jupiter.api.Test;

/**
 * Property test of the weighted FIFO semaphore over many seeded random schedules (plain JUnit, no
 * framework): weighted acquires, releases of what was granted, tryAcquire, aborts of waiting acquires,
 * resizes, over-releases and close, each run as its own loop task, compared after every step with a
 * model. Properties: grants happen in exactly the model's order — so no waiter is ever overtaken by a
 * later one, whatever the weights — and permits are conserved (what is free is the permit count minus
 * what was granted and not released; the waiting count agrees).
 */
class SemaphorePropertyTest {
  private static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);
  private static final int SEEDS = 500 * STRESS;
  private static final int STEPS = 150;

  @Test
  void randomSchedules_grantOrderAndPermitsMatchTheModel() {
    long base = Long.getLong("eventloop4j.seed", 20_250_601L);
    for (int i = 0; i < SEEDS; i++) {
      long seed = base + i;
      try {
        runOne(seed);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("failed with seed " + seed + " (rerun: -Deventloop4j.seed=" + seed + ")", e);
      }
    }
  }

  /** One acquire: the model's view and the real promise's outcome. */
  private static final class Ticket {
    final int id;
    final int n;
    final AbortController controller = new AbortController();
    boolean queued;
    boolean held;

    Ticket(int id, int n) {
      this.id = id;
      this.n = n;
    }
  }

  private void runOne(long seed) {
    Random rnd = new Random(seed);
    EventLoop loop = EventLoop.builder().virtualTime().build();
    int[] capacity = {1 + rnd.nextInt(4)};
    Semaphore sem = runOn(loop, () -> new Semaphore(capacity[0]));
    ArrayDeque<Ticket> queue = new ArrayDeque<>();
    List<Ticket> holders = new ArrayList<>();
    List<Integer> realGrants = new ArrayList<>();
    List<Integer> modelGrants = new ArrayList<>();
    int[] held = {0};
    Runnable drain = () -> {
      while (!queue.isEmpty() && held[0] + queue.peek().n <= capacity[0]) {
        Ticket t = queue.poll();
        t.queued = false;
        t.held = true;
        held[0] += t.n;
        holders.add(t);
        modelGrants.add(t.id);
      }
    };
    for (int step = 0; step < STEPS; step++) {
      int op = rnd.nextInt(10);
      if (op < 4) {
        int n = 1 + rnd.nextInt(capacity[0]);
        Ticket t = new Ticket(step, n);
        runOn(loop, () -> sem.acquire(t.n, t.controller.signal()).then(v -> realGrants.add(t.id), e -> null));
        if (queue.isEmpty() && held[0] + n <= capacity[0]) {
          held[0] += n;
          t.held = true;
          holders.add(t);
          modelGrants.add(t.id);
        } else {
          t.queued = true;
          queue.add(t);
        }
      } else if (op < 7 && !holders.isEmpty()) {
        Ticket t = holders.remove(rnd.nextInt(holders.size()));
        runOn(loop, () -> {
          sem.release(t.n);
          return null;
        });
        held[0] -= t.n;
        drain.run();
      } else if (op == 7 && !queue.isEmpty()) {
        Ticket t = new ArrayList<>(queue).get(rnd.nextInt(queue.size()));
        runOn(loop, () -> {
          t.controller.abort();
          return null;
        });
        queue.remove(t);
        t.queued = false;
        drain.run();
      } else if (op == 8) {
        int n = 1 + rnd.nextInt(capacity[0]);
        boolean expected = queue.isEmpty() && held[0] + n <= capacity[0];
        boolean got = runOn(loop, () -> sem.tryAcquire(n));
        assertEquals(expected, got, "tryAcquire(" + n + ") at step " + step);
        if (got) {
          Ticket t = new Ticket(-step - 1, n);
          held[0] += n;
          holders.add(t);
        }
      } else {
        int permits = 1 + rnd.nextInt(4);
        runOn(loop, () -> {
          sem.setPermits(permits);
          return null;
        });
        capacity[0] = permits;
        queue.removeIf(t -> t.n > permits);
        drain.run();
      }
      assertEquals(modelGrants, realGrants, "grant order at step " + step);
      assertEquals(Math.max(0, capacity[0] - held[0]), sem.available(), "available at step " + step);
      assertEquals(queue.size(), sem.waiting(), "waiting at step " + step);
      int overRelease = held[0] + 1;
      if (rnd.nextInt(20) == 0) {
        boolean threw = runOn(loop, () -> {
          try {
            sem.release(overRelease);
            return false;
          } catch (IllegalStateException expected) {
            return true;
          }
        });
        assertEquals(true, threw, "over-release at step " + step);
        assertEquals(Math.max(0, capacity[0] - held[0]), sem.available(), "available after over-release");
      }
    }
  }

  private static <T> T runOn(EventLoop loop, java.util.function.Supplier<T> op) {
    List<T> out = new ArrayList<>(1);
    loop.execute(() -> out.add(op.get()));
    loop.runUntilIdle();
    return out.getFirst();
  }
}
