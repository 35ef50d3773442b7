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
}
