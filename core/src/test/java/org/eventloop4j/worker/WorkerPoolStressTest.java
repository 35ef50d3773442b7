package org.eventloop4j.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
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
 * failure message. A second workload mixes broadcasts and progress reports with tasks that kill or recycle
 * their threads, idle timeouts and a final close or terminate: every broadcast settles once, a fulfilled one
 * ran exactly once on each of as many distinct threads as it has results, and no progress report arrives
 * after its task settled. Scaled by {@code -Deventloop4j.stress}.
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

  // ---- broadcasts and progress ----

  private static final int STEPS = 120;

  @Test
  void broadcastsAndProgress_everyShareRunsOnceAndNoReportAfterSettlement() throws Exception {
    for (int seed = 0; seed < 12 * STRESS; seed++) {
      runBroadcastSeed(seed);
    }
  }

  private void runBroadcastSeed(long seed) throws Exception {
    Random setup = new Random(seed);
    List<Thread> started = Collections.synchronizedList(new ArrayList<>());
    WorkerPool.Builder b = WorkerPool.builder()
        .minThreads(setup.nextInt(2))
        .maxThreads(1 + setup.nextInt(3))
        .spinWait(setup.nextBoolean() ? Duration.ZERO : Duration.ofNanos(20_000))
        .idleTimeout(Duration.ofMillis(1 + setup.nextInt(3)))
        .onThreadStart(started::add);
    if (setup.nextBoolean()) {
      b.recycleAfter(1 + setup.nextInt(3));
    }
    WorkerPool pool = b.build();
    BroadcastLog log = new BroadcastLog();
    boolean terminate = setup.nextBoolean();
    Thread loop = Thread.ofPlatform().name("stress-broadcast-loop").start(() -> EventLoop.create().run(() ->
        step(pool, new Random(seed * 17), log, 0, terminate)));
    loop.join(30_000);
    assertFalse(loop.isAlive(), "seed " + seed + ": the loop never finished, so some promise never settled");
    assertTrue(pool.awaitTermination(Duration.ofSeconds(10)), "seed " + seed);
    assertEquals(List.of(), log.problems, "seed " + seed);
    assertEquals(log.submitted.get(), log.settled.get(), "seed " + seed + ": settled promises");
    for (Thread t : List.copyOf(started)) {
      t.join(10_000);
      assertFalse(t.isAlive(), "seed " + seed + ": " + t.getName() + " outlived the pool");
    }
  }

  /** What the loop saw; every field but the counters is touched on the loop only. */
  private static final class BroadcastLog {
    final AtomicInteger submitted = new AtomicInteger();
    final AtomicInteger settled = new AtomicInteger();
    final ConcurrentHashMap<Integer, List<String>> runs = new ConcurrentHashMap<>();
    final List<String> problems = Collections.synchronizedList(new ArrayList<>());
  }

  /** One random action, then the next one after 0-2 ms (so that idle timeouts and recycling interleave). */
  private static void step(WorkerPool pool, Random rnd, BroadcastLog log, int i, boolean terminate) {
    if (i == STEPS) {
      broadcast(pool, log, i); // racing with the threads' decision to end
      (terminate ? pool.terminate() : pool.close()).thenRun(() -> {});
      return;
    }
    switch (rnd.nextInt(4)) {
      case 0 -> broadcast(pool, log, i);
      case 1 -> progress(pool, log, i);
      case 2 -> track(log, "task " + i, pool.submit(() -> {
        throw new StackOverflowError("task " + i + " killed its thread");
      }));
      default -> track(log, "task " + i, pool.submit(() -> i));
    }
    Runnable next = () -> step(pool, rnd, log, i + 1, terminate);
    int delay = rnd.nextInt(3);
    if (delay == 0) {
      EventLoop.current().setImmediate(next);
    } else {
      EventLoop.current().setTimeout(next, delay);
    }
  }

  private static void broadcast(WorkerPool pool, BroadcastLog log, int id) {
    List<String> ran = Collections.synchronizedList(new ArrayList<>());
    log.runs.put(id, ran);
    Promise<List<String>> p = pool.broadcast(() -> {
      String me = Thread.currentThread().getName();
      ran.add(me);
      return me;
    });
    track(log, "broadcast " + id, p);
    p.then(names -> {
      if (names.size() != ran.size() || new HashSet<>(names).size() != names.size()
          || !new HashSet<>(names).equals(new HashSet<>(ran))) {
        log.problems.add("broadcast " + id + " fulfilled with " + names + " but ran on " + ran);
      }
      return null;
    }, e -> {
      if (!terminated(e)) { // only terminate may reject a share: a killed or idle thread never drops one
        log.problems.add("broadcast " + id + " rejected with " + e);
      }
      return null;
    });
  }

  private static boolean terminated(Throwable e) {
    if (e instanceof org.eventloop4j.AggregateError a) {
      return a.errors().stream().allMatch(x -> x instanceof TaskAbortedException);
    }
    return e instanceof TaskAbortedException;
  }

  /** A task that reports from its own thread and from a helper racing with its return. */
  private static void progress(WorkerPool pool, BroadcastLog log, int id) {
    boolean[] settled = {false};
    Promise<Integer> p = pool.execute((Integer n, java.util.function.Consumer<? super Integer> report) -> {
      report.accept(1);
      Thread.ofPlatform().start(() -> {
        for (int k = 2; k < 50; k++) {
          report.accept(k);
        }
      });
      return n;
    }, id, k -> {
      if (settled[0]) {
        log.problems.add("progress " + id + ": report " + k + " after the task settled");
      }
    });
    track(log, "progress " + id, p.andFinally(() -> settled[0] = true));
  }

  private static void track(BroadcastLog log, String name, Promise<?> p) {
    log.submitted.incrementAndGet();
    boolean[] once = {false};
    p.then(v -> settle(log, name, once), e -> settle(log, name, once));
  }

  private static Object settle(BroadcastLog log, String name, boolean[] once) {
    if (once[0]) {
      log.problems.add(name + " settled twice");
    }
    once[0] = true;
    log.settled.incrementAndGet();
    return 0;
  }
}
