package org.eventloop4j.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link WorkerPool.Builder#recordTiming}: without timing the stats keep their counts and leave the wait
 * and run times empty, and priorities and aging still order the queue — with the one documented difference
 * that tasks queued before the first task with a priority count as submitted at that moment. Driven by
 * latches and an injected aging clock, never by elapsed time.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WorkerPoolTimingTest {
  private final PoolHarness h = new PoolHarness();
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicLong clock = new AtomicLong();
  private final List<String> order = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void noThreadOutlivesItsPool() throws InterruptedException {
    release.countDown();
    h.close();
  }

  @Test
  void untimed_statsCountEveryTaskAndRecordNoTimes() {
    WorkerPool pool = h.build(h.builder().threads(2).recordTiming(false));
    PoolHarness.runTasks(pool, 10, 2);
    WorkerPool.Stats s = pool.stats();
    assertEquals(List.of(10L, 2L, 0, 0), List.of(s.completed(), s.failed(), s.queued(), s.active()));
    assertEquals(0, s.runTime().count());
    assertEquals(0, s.waitTime().count());
    assertEquals(0.0, s.utilisation());
  }

  @Test
  void untimed_higherPriorityRunsFirstAndEqualPrioritiesInSubmissionOrder() {
    WorkerPool pool = h.build(h.builder().threads(1).recordTiming(false));
    runQueued(pool, "low1:0", "high:5", "mid:2", "low2:0", "negative:-1", "mid2:2");
    assertEquals(List.of("high", "mid", "mid2", "low1", "low2", "negative"), order);
  }

  @Test
  void untimed_afterTheFirstPriority_agingAsWithTiming() {
    WorkerPool pool = h.build(h.builder().threads(1).recordTiming(false).agingInterval(Duration.ofSeconds(1))
        .clock(clock::get));
    runQueued(pool, "warm:1", "old low:0", "+10s", "new high:5", "new top:20");
    // keys (s): top 10 - 20, warm 0 - 1, old low 0, high 10 - 5: the order of a timed pool
    assertEquals(List.of("new top", "warm", "old low", "new high"), order);
  }

  @Test
  void untimed_beforeTheFirstPriority_queuedTasksCountAsSubmittedThen() {
    WorkerPool pool = h.build(h.builder().threads(1).recordTiming(false).agingInterval(Duration.ofSeconds(1))
        .clock(clock::get));
    runQueued(pool, "old low:0", "+10s", "new high:5", "new top:20");
    // no clock was read for "old low": it counts as submitted with "new high", 10 s later (a timed pool
    // runs it before "new high", see WorkerPoolTest.priority_aging_aLongWaitingLowPriorityTaskGoesBeforeANewerHighOne)
    assertEquals(List.of("new top", "new high", "old low"), order);
  }

  @Test
  void timed_sameScenario_theOldTaskAgedFromItsOwnSubmission() {
    WorkerPool pool = h.build(h.builder().threads(1).agingInterval(Duration.ofSeconds(1)).clock(clock::get));
    runQueued(pool, "old low:0", "+10s", "new high:5", "new top:20");
    assertEquals(List.of("new top", "old low", "new high"), order);
  }

  /**
   * Blocks the pool's one thread and, once it has started the blocking task (so that no step can overtake
   * that task), submits each {@code name:priority} (a step {@code +10s} moves the aging clock), then lets
   * the thread go: {@link #order} gets the names in the order they ran.
   */
  private void runQueued(WorkerPool pool, String... steps) {
    CountDownLatch started = new CountDownLatch(1);
    PoolHarness.run(loop -> {
      pool.submit(() -> {
        started.countDown();
        return release.await(20, TimeUnit.SECONDS);
      });
      h.when(loop, started, () -> {
        for (String step : steps) {
          if (step.equals("+10s")) {
            clock.addAndGet(TimeUnit.SECONDS.toNanos(10));
            continue;
          }
          String[] parts = step.split(":");
          pool.submit(() -> order.add(parts[0]), TaskOptions.defaults().priority(Integer.parseInt(parts[1])));
        }
        release.countDown();
      });
    });
  }
}
