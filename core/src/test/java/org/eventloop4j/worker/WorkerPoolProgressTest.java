package org.eventloop4j.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.eventloop4j.AbortController;
import org.eventloop4j.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * WorkerPool.execute with progress reports, driven by latches (never by elapsed time): reports reach the
 * caller's loop in order and before the promise settles; reports after an abort or after the end are
 * dropped; a throwing callback is the loop's uncaught exception and the task goes on; other threads may
 * report; the overloads compile with plain lambdas.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WorkerPoolProgressTest {
  private final PoolHarness h = new PoolHarness();

  @AfterEach
  void noThreadOutlivesItsPool() throws InterruptedException {
    h.close();
  }

  @Test
  void execute_progress_everyReportInOrderOnTheCallerLoopBeforeThePromiseSettles() {
    WorkerPool pool = h.build(h.builder().threads(1));
    List<String> wrongLoop = new ArrayList<>();
    EventLoop loop = EventLoop.create();
    loop.run(() -> {
      WorkerPool.ProgressTask<Integer, Integer, String> count = (n, progress) -> {
        for (int i = 1; i <= n; i++) {
          progress.accept(i);
        }
        return "counted " + n;
      };
      h.record("task", pool.execute(count, 500, (Integer i) -> {
        if (EventLoop.current() != loop) {
          wrongLoop.add("report " + i);
        }
        h.log.add("p" + i);
      }));
    });
    List<String> expected = new ArrayList<>();
    for (int i = 1; i <= 500; i++) {
      expected.add("p" + i);
    }
    expected.add("task ok counted 500");
    assertEquals(expected, h.log);
    assertEquals(List.of(), wrongLoop);
  }

  /** The overloads resolve for plain lambdas, without casts (a compile-time check as much as a test). */
  @Test
  void execute_lambdas_resolveToTheRightOverloadWithoutCasts() {
    WorkerPool pool = h.build(h.builder().threads(1));
    PoolHarness.run(loop -> {
      h.record("one-arg", pool.execute(x -> x * 2, 21));
      h.record("one-arg, options", pool.execute(x -> x + 1, 1, TaskOptions.defaults()));
      h.record("progress", pool.execute((x, p) -> {
        p.accept("half");
        return x;
      }, "done", v -> h.log.add("report " + v)));
      h.record("progress, options", pool.execute((x, p) -> x, 7, v -> {}, TaskOptions.defaults()));
    });
    // a report runs in the batch's macrotask, the reactions of the promises it settles in the microtasks after it
    assertEquals(List.of("one-arg ok 42", "one-arg, options ok 2", "progress ok done", "progress, options ok 7"),
        h.log.stream().filter(s -> !s.startsWith("report")).toList());
    assertTrue(h.log.indexOf("report half") < h.log.indexOf("progress ok done"), h.log::toString);
  }

  @Test
  void execute_progressAfterAbort_isDropped() {
    WorkerPool pool = h.build(h.builder().threads(1));
    CountDownLatch reported = new CountDownLatch(1);
    CountDownLatch aborted = new CountDownLatch(1);
    CountDownLatch reportedAfter = new CountDownLatch(1);
    AbortController c = new AbortController();
    PoolHarness.run(loop -> {
      pool.execute((String s, Consumer<? super String> progress) -> {
        progress.accept("before");
        reported.countDown();
        awaitIgnoringInterrupts(aborted); // a task that ignores the abort's interrupt
        progress.accept("after the abort");
        reportedAfter.countDown();
        return s;
      }, "x", v -> h.log.add("report " + v), TaskOptions.defaults().signal(c.signal())).catchError(e -> {
        h.log.add("rejected " + e.getClass().getSimpleName());
        aborted.countDown();
        return null;
      });
      h.when(loop, reported, c::abort);
      // posted after the late report was made: a report handed over would have run before this
      h.when(loop, reportedAfter, () -> h.record("next", pool.submit(() -> "next")));
    });
    assertEquals(List.of("report before", "rejected TaskAbortedException", "next ok next"), h.log);
  }

  /**
   * Two reports made while the task ran arrive in one batch; the first one's callback aborts the task, which
   * settles it at once on the loop: the second, already on its way, must be dropped there.
   */
  @Test
  void execute_reportAlreadyOnItsWayWhenTheTaskIsAborted_isDroppedOnTheLoop() throws InterruptedException {
    WorkerPool pool = h.build(h.builder().threads(1));
    CountDownLatch bothReported = new CountDownLatch(1);
    CountDownLatch aborted = new CountDownLatch(1);
    AbortController c = new AbortController();
    PoolHarness.run(loop -> {
      pool.execute((String s, Consumer<? super String> progress) -> {
        progress.accept("first");
        progress.accept("second");
        bothReported.countDown();
        awaitIgnoringInterrupts(aborted);
        return s;
      }, "x", v -> {
        h.log.add("report " + v);
        c.abort();
      }, TaskOptions.defaults().signal(c.signal())).catchError(e -> {
        h.log.add("rejected " + e.getClass().getSimpleName());
        aborted.countDown();
        return null;
      });
      try { // hold the loop until both reports are queued, so that one drain takes both
        assertTrue(bothReported.await(10, TimeUnit.SECONDS));
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    });
    assertEquals(List.of("report first", "rejected TaskAbortedException"), h.log);
  }

  @Test
  void execute_progressAfterTheTaskReturned_isDropped() {
    WorkerPool pool = h.build(h.builder().threads(1));
    AtomicReference<Consumer<? super String>> leaked = new AtomicReference<>();
    PoolHarness.run(loop -> h.record("task", pool.execute((String s, Consumer<? super String> progress) -> {
      leaked.set(progress);
      return s;
    }, "done", v -> h.log.add("report " + v))).thenRun(() -> {
      leaked.get().accept("late, on the loop");
      Thread t = Thread.ofPlatform().start(() -> leaked.get().accept("late, on another thread"));
      join(t);
      h.record("next", pool.submit(() -> "next"));
    }));
    assertEquals(List.of("task ok done", "next ok next"), h.log);
  }

  @Test
  void execute_progressFromAnotherThreadTheTaskJoined_isHandedOverBeforeTheResult() {
    WorkerPool pool = h.build(h.builder().threads(1));
    PoolHarness.run(loop -> h.record("task", pool.execute((String s, Consumer<? super String> progress) -> {
      progress.accept("task thread");
      Thread helper = Thread.ofPlatform().start(() -> progress.accept("helper thread"));
      helper.join();
      return s;
    }, "done", v -> h.log.add("report " + v))));
    assertEquals(List.of("report task thread", "report helper thread", "task ok done"), h.log);
  }

  @Test
  void execute_onProgressThrows_reachesTheLoopsUncaughtHandlerAndTheTaskGoesOn() {
    WorkerPool pool = h.build(h.builder().threads(1));
    IllegalStateException boom = new IllegalStateException("bad callback");
    List<Throwable> uncaught = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch firstHandled = new CountDownLatch(1);
    EventLoop loop = EventLoop.builder().onUncaughtException(e -> {
      uncaught.add(e);
      firstHandled.countDown();
    }).build();
    loop.run(() -> h.record("task", pool.execute((Integer n, Consumer<? super Integer> progress) -> {
      progress.accept(1);
      progress.accept(2);
      if (!firstHandled.await(10, TimeUnit.SECONDS)) { // report 3 in a later batch than report 2
        throw new AssertionError("the callback's exception never reached the handler");
      }
      progress.accept(3);
      return n;
    }, 42, i -> {
      if (i == 2) {
        throw boom;
      }
      h.log.add("report " + i);
    })));
    assertEquals(List.of(boom), uncaught);
    assertEquals(List.of("report 1", "report 3", "task ok 42"), h.log);
  }

  @Test
  void execute_progressNullCallbackOrOffLoop_throws() {
    WorkerPool pool = h.build(h.builder().threads(1));
    WorkerPool.ProgressTask<String, String, String> task = (s, p) -> s;
    assertThrows(IllegalStateException.class, () -> pool.execute(task, "x", v -> {}));
    NullPointerException e = assertThrows(NullPointerException.class,
        () -> PoolHarness.run(loop -> pool.execute(task, "x", null)));
    assertEquals("onProgress", e.getMessage());
  }

  @Test
  void execute_progressTaskThrows_rejectsWithThatExceptionAfterItsReports() {
    WorkerPool pool = h.build(h.builder().threads(1));
    IllegalStateException boom = new IllegalStateException("failed halfway");
    AtomicReference<Throwable> seen = new AtomicReference<>();
    PoolHarness.run(loop -> pool.execute((String s, Consumer<? super String> progress) -> {
      progress.accept("halfway");
      throw boom;
    }, "x", v -> h.log.add("report " + v)).catchError(e -> {
      seen.set(e);
      h.log.add("rejected");
      return null;
    }));
    assertSame(boom, seen.get());
    assertEquals(List.of("report halfway", "rejected"), h.log);
    assertInstanceOf(IllegalStateException.class, seen.get());
  }

  private static void awaitIgnoringInterrupts(CountDownLatch latch) {
    boolean interrupted = false;
    while (true) {
      try {
        if (!latch.await(20, TimeUnit.SECONDS)) {
          throw new AssertionError("latch never opened");
        }
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static void join(Thread t) {
    try {
      t.join(10_000);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
