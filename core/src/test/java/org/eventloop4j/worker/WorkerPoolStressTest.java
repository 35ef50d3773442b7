package org.eventloop4j.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eventloop4j.AbortController;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Random workloads from two loops at once — quick, failing, killed and blocking tasks, priorities, aborts
 * before, during and after queuing, run timeouts, a bounded queue, and a close or terminate racing the
 * submissions — with two invariants: every promise settles exactly once, and the pool's statistics
 * account for every submission (completed + failed + cancelled + rejected). Seeded; the seed is in every
 * failure message. Scaled by {@code -Deventloop4j.stress}.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WorkerPoolStressTest {
  private static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);
  private static final int PER_LOOP = 150;

  @Test
  void randomWorkloads_everyPromiseSettlesOnceAndStatsAddUp() throws Exception {
    for (int seed = 0; seed < 12 * STRESS; seed++) {
      runSeed(seed);
    }
  }

  private void runSeed(long seed) throws Exception {
    Random setup = new Random(seed);
    List<Thread> started = new ArrayList<>();
    WorkerPool pool = WorkerPool.builder()
        .minThreads(setup.nextInt(2))
        .maxThreads(1 + setup.nextInt(3))
        .maxQueue(4 + setup.nextInt(60))
        .spinWait(setup.nextBoolean() ? Duration.ZERO : Duration.ofNanos(20_000))
        .idleTimeout(Duration.ofMillis(1 + setup.nextInt(5)))
        .onThreadStart(t -> {
          synchronized (started) {
            started.add(t);
          }
        })
        .build();
    CountDownLatch gate = new CountDownLatch(1);
    AtomicInteger settled = new AtomicInteger();
    AtomicInteger doubled = new AtomicInteger();
    boolean terminate = setup.nextBoolean();
    List<Thread> loops = new ArrayList<>();
    for (int l = 0; l < 2; l++) {
      long loopSeed = seed * 31 + l;
      boolean shutsDown = l == 0;
      loops.add(Thread.ofPlatform().name("stress-loop-" + l).start(() -> EventLoop.create().run(() -> {
        Random rnd = new Random(loopSeed);
        for (int i = 0; i < PER_LOOP; i++) {
          submitRandom(pool, rnd, gate, settled, doubled);
        }
        if (shutsDown) {
          gate.countDown();
          (terminate ? pool.terminate() : pool.close()).thenRun(() -> {});
        }
      })));
    }
    for (Thread t : loops) {
      t.join(30_000);
      assertFalse(t.isAlive(), "seed " + seed + ": a loop never finished, so some promise never settled");
    }
    assertTrue(pool.awaitTermination(Duration.ofSeconds(10)), "seed " + seed);
    assertEquals(2 * PER_LOOP, settled.get(), "seed " + seed + ": settled promises");
    assertEquals(0, doubled.get(), "seed " + seed + ": promises settled twice");
    WorkerPool.Stats s = pool.stats();
    assertEquals(2L * PER_LOOP, s.completed() + s.failed() + s.cancelled() + s.rejected(), "seed " + seed + ": " + s);
    assertEquals(0, s.queued(), "seed " + seed);
    assertEquals(0, s.active(), "seed " + seed);
    synchronized (started) {
      for (Thread t : started) {
        t.join(10_000);
        assertFalse(t.isAlive(), "seed " + seed + ": " + t.getName() + " outlived the pool");
      }
    }
  }

  private static void submitRandom(WorkerPool pool, Random rnd, CountDownLatch gate, AtomicInteger settled,
      AtomicInteger doubled) {
    int kind = rnd.nextInt(5);
    WorkerPool.Task<Integer, Integer> task = switch (kind) {
      case 0 -> n -> n;
      case 1 -> n -> {
        throw new IllegalStateException("task " + n + " failed");
      };
      case 2 -> n -> {
        throw new StackOverflowError("task " + n + " killed its thread");
      };
      case 3 -> n -> {
        gate.await(20, TimeUnit.SECONDS);
        return n;
      };
      default -> n -> {
        double x = 0;
        for (int i = 0; i < 10_000; i++) {
          x += Math.sqrt(i);
        }
        return (int) x;
      };
    };
    TaskOptions options = TaskOptions.defaults().priority(rnd.nextInt(3) - 1);
    AbortController c = null;
    if (rnd.nextInt(4) == 0) {
      c = new AbortController();
      options = options.signal(c.signal());
    }
    if (rnd.nextInt(6) == 0) {
      options = options.timeout(Duration.ofMillis(1 + rnd.nextInt(3)));
    }
    Promise<Integer> p = pool.execute(task, rnd.nextInt(1000), options);
    boolean[] once = {false};
    p.then(v -> count(once, settled, doubled), e -> count(once, settled, doubled));
    if (c != null) {
      AbortController controller = c;
      switch (rnd.nextInt(3)) {
        case 0 -> controller.abort();
        case 1 -> EventLoop.current().setImmediate(controller::abort);
        default -> EventLoop.current().setTimeout(controller::abort, 1);
      }
    }
  }

  private static Object count(boolean[] once, AtomicInteger settled, AtomicInteger doubled) {
    if (once[0]) {
      doubled.incrementAndGet();
    }
    once[0] = true;
    settled.incrementAndGet();
    return 0;
  }
}
