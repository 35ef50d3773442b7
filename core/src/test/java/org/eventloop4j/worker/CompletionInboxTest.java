package org.eventloop4j.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The completion path of {@link WorkerPool} ({@link CompletionInbox}): outcomes that come back in one
 * batch settle in the order their pool thread finished them, on the caller's loop; nothing is lost when
 * many pool threads and several loops finish tasks at once; the loop stays alive exactly while tasks are
 * in flight. Scaled by {@code -Deventloop4j.stress}.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CompletionInboxTest {
  private static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);
  private final PoolHarness h = new PoolHarness();

  @AfterEach
  void tearDown() throws InterruptedException {
    h.close();
  }

  /** A result stamped with the pool thread that produced it and that thread's running count. */
  private record Stamp(String thread, int seq, int arg) {}

  private static final ThreadLocal<int[]> FINISHED = ThreadLocal.withInitial(() -> new int[1]);

  private static Stamp stamp(int arg) {
    return new Stamp(Thread.currentThread().getName(), ++FINISHED.get()[0], arg);
  }

  @Test
  void execute_oneThreadManyTasks_promisesSettleInSubmissionOrder() {
    WorkerPool pool = h.build(h.builder().threads(1));
    int n = 5_000 * STRESS;
    List<Integer> order = new ArrayList<>();
    PoolHarness.run(loop -> {
      for (int i = 0; i < n; i++) {
        pool.execute(x -> x, i).thenAccept(order::add);
      }
    });
    assertEquals(n, order.size());
    for (int i = 0; i < n; i++) {
      assertEquals(i, order.get(i), "settled out of order at " + i);
    }
  }

  @Test
  void execute_manyThreadsManyTasks_eachThreadsResultsSettleInTheOrderItFinishedThem() {
    WorkerPool pool = h.build(h.builder().threads(4).spinWait(Duration.ZERO));
    int n = 20_000 * STRESS;
    Map<String, Integer> lastSeq = new HashMap<>();
    int[] settled = {0};
    List<String> errors = new ArrayList<>();
    PoolHarness.run(loop -> {
      for (int i = 0; i < n; i++) {
        int arg = i;
        pool.execute(CompletionInboxTest::stamp, i).thenAccept(s -> {
          settled[0]++;
          if (s.arg() != arg) {
            errors.add("task " + arg + " got the result of " + s.arg());
          }
          Integer before = lastSeq.put(s.thread(), s.seq());
          if (before != null && before >= s.seq()) {
            errors.add(s.thread() + " result " + s.seq() + " settled after " + before);
          }
        });
      }
    });
    assertEquals(List.of(), errors.subList(0, Math.min(10, errors.size())));
    assertEquals(n, settled[0]);
  }

  @Test
  void execute_severalLoopsAtOnce_everyPromiseSettlesOnceOnItsOwnLoop() throws InterruptedException {
    WorkerPool pool = h.build(h.builder().threads(3));
    int loops = 4;
    int perLoop = 10_000 * STRESS;
    AtomicInteger wrongLoop = new AtomicInteger();
    AtomicInteger settled = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int l = 0; l < loops; l++) {
      threads.add(Thread.ofPlatform().name("inbox-loop-" + l).start(() -> PoolHarness.run(loop -> {
        int[] done = {0};
        for (int i = 0; i < perLoop; i++) {
          pool.execute(x -> x + 1, i).thenAccept(v -> {
            if (EventLoop.current() != loop) {
              wrongLoop.incrementAndGet();
            }
            done[0]++;
            settled.incrementAndGet();
          });
        }
      })));
    }
    for (Thread t : threads) {
      t.join(60_000);
      assertFalse(t.isAlive(), t.getName() + " never finished: a promise never settled");
    }
    assertEquals(loops * perLoop, settled.get());
    assertEquals(0, wrongLoop.get());
  }

  @Test
  void execute_pipelinedWindow_nothingLostAndLoopEndsWhenTheLastSettles() {
    WorkerPool pool = h.build(h.builder().threads(2));
    int n = 50_000 * STRESS;
    int[] counts = {0, 0};
    PoolHarness.run(loop -> {
      for (int i = 0; i < 256; i++) {
        submitNext(pool, counts, n);
      }
    });
    assertEquals(n, counts[0]);
    assertEquals(n, counts[1]);
  }

  private static void submitNext(WorkerPool pool, int[] counts, int n) {
    counts[0]++;
    pool.execute(x -> x, counts[0]).thenAccept(v -> {
      counts[1]++;
      if (counts[0] < n) {
        submitNext(pool, counts, n);
      }
    });
  }

  @Test
  void execute_afterAllSettled_nextSubmissionFromTheSameLoopStillSettles() {
    WorkerPool pool = h.build(h.builder().threads(1));
    List<Integer> got = new ArrayList<>();
    PoolHarness.run(loop -> step(pool, 0, 50, got));
    assertEquals(50, got.size());
    for (int i = 0; i < 50; i++) {
      assertEquals(i + 1, got.get(i));
    }
  }

  /** One task in flight at a time: each settles the inbox to zero, retiring it, before the next submit. */
  private static void step(WorkerPool pool, int i, int n, List<Integer> got) {
    if (i == n) {
      return;
    }
    pool.execute(x -> x + 1, i).thenAccept(v -> {
      got.add(v);
      step(pool, v, n, got);
    });
  }

  @Test
  void execute_mixedOutcomesInOneBatch_eachPromiseGetsItsOwnOutcome() {
    WorkerPool pool = h.build(h.builder().threads(2));
    int n = 2_000 * STRESS;
    int[] ok = {0};
    int[] failed = {0};
    List<String> errors = new ArrayList<>();
    PoolHarness.run(loop -> {
      for (int i = 0; i < n; i++) {
        int arg = i;
        Promise<Integer> p = pool.execute(x -> {
          if (x % 3 == 0) {
            throw new IllegalArgumentException("no " + x);
          }
          return x;
        }, i);
        p.then(v -> {
          ok[0]++;
          if (v != arg || arg % 3 == 0) {
            errors.add("task " + arg + " fulfilled with " + v);
          }
          return v;
        }, e -> {
          failed[0]++;
          if (arg % 3 != 0 || !e.getMessage().equals("no " + arg)) {
            errors.add("task " + arg + " rejected with " + e);
          }
          return 0;
        });
      }
    });
    assertEquals(List.of(), errors.subList(0, Math.min(10, errors.size())));
    assertEquals(n, ok[0] + failed[0]);
    assertEquals((n + 2) / 3, failed[0]);
  }

  @Test
  void execute_blockedTaskReleasedLater_loopStaysAliveUntilItSettles() throws InterruptedException {
    WorkerPool pool = h.build(h.builder().threads(2));
    CountDownLatch release = new CountDownLatch(1);
    List<String> log = new ArrayList<>();
    PoolHarness.run(loop -> {
      pool.execute(x -> x, 1).thenAccept(v -> {
        log.add("quick " + v);
        release.countDown();
      });
      pool.execute(x -> {
        assertTrue(release.await(10, TimeUnit.SECONDS));
        return x;
      }, 2).thenAccept(v -> log.add("blocked " + v));
    });
    assertEquals(List.of("quick 1", "blocked 2"), log);
  }

  @Test
  void inboxFor_sameLoopWhileTasksInFlight_reusesOneInbox() {
    WorkerPool pool = h.build(h.builder().threads(1));
    CountDownLatch release = new CountDownLatch(1);
    PoolHarness.run(loop -> {
      Promise<Integer> a = pool.execute(x -> {
        assertTrue(release.await(10, TimeUnit.SECONDS));
        return x;
      }, 1);
      CompletionInbox first = pool.inboxOf(loop);
      pool.execute(x -> x, 2);
      assertSame(first, pool.inboxOf(loop));
      release.countDown();
      a.thenRun(() -> {});
    });
  }

  /**
   * The loop closes while its tasks still run: when they finish, each outcome is dropped and reported in
   * the log exactly once. The first half finishes at once (its pushes race to post a drain to the closed
   * loop and to take the queue); the second half finishes once the first was reported and every pool thread
   * has left its push, so its pushes find the inbox dead.
   */
  @Test
  void push_afterTheCallersLoopClosed_everyOutcomeIsReportedDroppedExactlyOnce() throws InterruptedException {
    int threads = 4;
    WorkerPool pool = h.build(h.builder().threads(threads).spinWait(Duration.ZERO));
    int half = 200 * STRESS;
    CountDownLatch submitted = new CountDownLatch(1);
    CountDownLatch secondWaveHoldsEveryThread = new CountDownLatch(threads);
    List<CountDownLatch> release = List.of(new CountDownLatch(1), new CountDownLatch(1));
    EventLoop loop = EventLoop.create();
    Thread runner = Thread.ofPlatform().name("inbox-closed-loop").start(() -> loop.run(() -> {
      for (int i = 0; i < 2 * half; i++) {
        CountDownLatch wave = release.get(i / half);
        boolean second = i >= half;
        pool.execute(x -> {
          if (second) {
            secondWaveHoldsEveryThread.countDown();
          }
          wave.await();
          return x;
        }, i);
      }
      submitted.countDown();
    }));
    assertTrue(submitted.await(10, TimeUnit.SECONDS), "the loop never submitted");
    DroppedCount dropped = DroppedCount.install();
    try {
      loop.close();
      runner.join(10_000);
      assertFalse(runner.isAlive(), "the closed loop did not end");
      release.get(0).countDown();
      assertTrue(dropped.awaitTotal(half), "first wave reported: " + dropped.total());
      // every thread has left its push (it runs a second-wave task now), so no drop of the first wave
      // is still under way: the second wave's pushes find the inbox dead
      assertTrue(secondWaveHoldsEveryThread.await(10, TimeUnit.SECONDS), "the second wave did not start");
      release.get(1).countDown();
      pool.shutdown();
      assertTrue(pool.awaitTermination(Duration.ofSeconds(10)), "the pool did not finish its tasks");
      assertTrue(dropped.awaitTotal(2 * half), "both waves reported: " + dropped.total());
      assertEquals(2 * half, dropped.total(), "tasks reported dropped");
      assertEquals(2 * half, pool.stats().completed());
    } finally {
      dropped.uninstall();
    }
  }

  /** Sums the counts of CompletionInbox's "task(s) ... dropped" log lines. */
  private static final class DroppedCount extends java.util.logging.Handler {
    private static final java.util.logging.Logger LOGGER =
        java.util.logging.Logger.getLogger(CompletionInbox.class.getName());
    private final AtomicInteger total = new AtomicInteger();

    static DroppedCount install() {
      DroppedCount c = new DroppedCount();
      LOGGER.addHandler(c);
      return c;
    }

    void uninstall() {
      LOGGER.removeHandler(this);
    }

    int total() {
      return total.get();
    }

    /** Waits (at most 10 s) until at least {@code n} tasks were reported. */
    synchronized boolean awaitTotal(int n) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (total.get() < n) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return true;
    }

    @Override
    public void publish(java.util.logging.LogRecord r) {
      String m = r.getMessage();
      if (m.contains("outcomes are dropped")) {
        total.addAndGet(Integer.parseInt(m.substring(0, m.indexOf(' '))));
        synchronized (this) {
          notifyAll();
        }
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
