package org.eventloop4j.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eventloop4j.AbortController;
import org.eventloop4j.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link WorkerPool#onIdle()}: fulfilled once nothing is queued, running or waiting as a broadcast part,
 * behind the calling loop's own finished tasks; driven by latches, never by elapsed time.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WorkerPoolIdleTest {
  private final PoolHarness h = new PoolHarness();
  private final CountDownLatch release = h.release;

  @AfterEach
  void noThreadOutlivesItsPool() throws InterruptedException {
    h.close();
  }

  @Test
  void idlePool_fulfilsAtOnce() {
    WorkerPool pool = h.build(h.builder().threads(2));
    PoolHarness.run(loop -> h.record("idle", pool.onIdle()));
    assertEquals(List.of("idle ok null"), h.log);
  }

  @Test
  void runningAndQueuedTasks_fulfilAfterTheLastHasEnded_andBehindTheirPromises() {
    WorkerPool pool = h.build(h.builder().threads(1));
    CountDownLatch started = new CountDownLatch(1);
    PoolHarness.run(loop -> {
      h.record("a", pool.execute(h.blocker(started), "a"));
      pool.onIdle().then(v -> h.log.add("idle, completed " + pool.stats().completed() + ", queued "
          + pool.stats().queued()), e -> h.log.add("idle err " + e));
      h.record("b", pool.submit(() -> "b")); // submitted after the call: it delays the promise too
      h.when(loop, started, () -> {
        h.log.add("releasing");
        release.countDown();
      });
    });
    assertEquals(List.of("releasing", "a ok a", "b ok b", "idle, completed 2, queued 0"), h.log);
  }

  @Test
  void tasksOfAnotherLoop_count() throws InterruptedException {
    WorkerPool pool = h.build(h.builder().threads(2));
    CountDownLatch started = new CountDownLatch(1);
    EventLoop other = EventLoop.create().start();
    try {
      other.execute(() -> pool.execute(h.blocker(started), "x"));
      assertTrue(started.await(10, TimeUnit.SECONDS));
      PoolHarness.run(loop -> {
        h.record("idle", pool.onIdle());
        h.when(loop, started, () -> {
          h.log.add("releasing");
          release.countDown();
        });
      });
    } finally {
      other.close();
    }
    assertEquals(List.of("releasing", "idle ok null"), h.log);
  }

  /** The broadcast's own promise combines its parts' (a few hops later), so only the part's run is ordered. */
  @Test
  void aWaitingBroadcastPart_counts() {
    WorkerPool pool = h.build(h.builder().threads(1));
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean partRan = new AtomicBoolean();
    PoolHarness.run(loop -> {
      h.record("a", pool.execute(h.blocker(started), "a"));
      h.when(loop, started, () -> { // once a runs, so the part waits for the thread (parts go before the queue)
        h.record("broadcast", pool.broadcast(() -> partRan.getAndSet(true)));
        pool.onIdle().then(v -> h.log.add("idle, part ran " + partRan.get()), e -> h.log.add("idle err " + e));
        release.countDown();
      });
    });
    assertEquals(List.of("a ok a", "broadcast ok [false]", "idle, part ran true"),
        h.log.stream().sorted().toList());
    assertEquals("a ok a", h.log.getFirst());
  }

  @Test
  void terminate_fulfilsOnceTheRejectedAndInterruptedTasksHaveEnded() {
    WorkerPool pool = h.build(h.builder().threads(1));
    CountDownLatch started = new CountDownLatch(1);
    PoolHarness.run(loop -> {
      h.record("a", pool.execute(h.blocker(started), "a"));
      h.record("b", pool.submit(() -> "b"));
      h.record("idle", pool.onIdle());
      h.when(loop, started, pool::terminate);
    });
    assertEquals(List.of("b err TaskAbortedException", "a err TaskAbortedException", "idle ok null"), h.log);
  }

  @Test
  void abortOfTheLastQueuedTask_doesNotStopIt() {
    WorkerPool pool = h.build(h.builder().threads(1));
    CountDownLatch started = new CountDownLatch(1);
    AbortController c = new AbortController();
    PoolHarness.run(loop -> {
      h.record("a", pool.execute(h.blocker(started), "a"));
      h.record("b", pool.submit(() -> "b", TaskOptions.defaults().signal(c.signal())));
      h.record("idle", pool.onIdle());
      h.when(loop, started, () -> {
        c.abort();
        h.log.add("aborted b");
        release.countDown();
      });
    });
    assertEquals(List.of("aborted b", "b err TaskAbortedException", "a ok a", "idle ok null"), h.log);
  }

  /** Rounds of tasks from two loops at once: each promise comes only after every task of its round ended. */
  @Test
  void rounds_fromTwoLoops_neverFulfilEarly() throws InterruptedException {
    WorkerPool pool = h.build(h.builder().threads(2));
    int rounds = 200 * Integer.getInteger("eventloop4j.stress", 1);
    List<String> errors = new ArrayList<>();
    EventLoop other = EventLoop.create().start();
    try {
      for (int r = 0; r < rounds; r++) {
        int[] ended = {0};
        int[] otherEnded = {0};
        CountDownLatch otherSubmitted = new CountDownLatch(1);
        other.execute(() -> {
          for (int i = 0; i < 20; i++) {
            pool.submit(() -> {
              synchronized (otherEnded) {
                otherEnded[0]++;
              }
              return null;
            });
          }
          otherSubmitted.countDown();
        });
        assertTrue(otherSubmitted.await(10, TimeUnit.SECONDS));
        int round = r;
        PoolHarness.run(loop -> {
          for (int i = 0; i < 20; i++) {
            pool.submit(() -> "t").then(v -> ended[0]++, e -> errors.add("task failed " + e));
          }
          pool.onIdle().then(v -> {
            synchronized (otherEnded) {
              if (ended[0] != 20 || otherEnded[0] != 20) {
                errors.add("round " + round + ": idle with " + ended[0] + " + " + otherEnded[0] + " of 20 + 20 " + pool.stats());
              }
            }
            return null;
          }, e -> errors.add("idle failed " + e));
        });
      }
    } finally {
      other.close();
    }
    assertEquals(List.of(), errors);
  }

  @Test
  void offLoop_isRefusedClearly() {
    WorkerPool pool = h.build(h.builder().threads(1));
    IllegalStateException e = assertThrows(IllegalStateException.class, pool::onIdle);
    assertTrue(e.getMessage().contains("loop"), e.getMessage());
  }
}
