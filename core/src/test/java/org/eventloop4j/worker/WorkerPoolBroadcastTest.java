package org.eventloop4j.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eventloop4j.AggregateError;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * WorkerPool.broadcast, driven by latches (never by elapsed time): every thread once, in creation order,
 * before its queued tasks, past a full queue; failures (one, several, an Error); recycled and killed
 * threads; threads started later; close and terminate while it runs; a closed pool.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WorkerPoolBroadcastTest {
  private final PoolHarness h = new PoolHarness();
  private final CountDownLatch release = new CountDownLatch(1);
  private final List<String> order = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void noThreadOutlivesItsPool() throws InterruptedException {
    release.countDown();
    h.close();
  }

  /** A task that blocks until {@link #release} opens (interruptibly), counting {@code started} first. */
  private WorkerPool.Task<String, String> blocker(CountDownLatch started) {
    return name -> {
      started.countDown();
      if (!release.await(20, TimeUnit.SECONDS)) {
        throw new AssertionError("never released");
      }
      order.add(name);
      return name;
    };
  }

  private static String threadName() {
    return Thread.currentThread().getName();
  }

  /** The names of the threads the pool started, in start order. */
  private List<String> startedNames() {
    synchronized (h.started) {
      return h.started.stream().map(Thread::getName).toList();
    }
  }

  @Test
  void broadcast_everyThreadRunsItOnce_resultsInThreadCreationOrderOnTheCallerLoop() {
    WorkerPool pool = h.build(h.builder().threads(3));
    CyclicBarrier allThree = new CyclicBarrier(3);
    AtomicReference<List<String>> result = new AtomicReference<>();
    AtomicReference<EventLoop> settledOn = new AtomicReference<>();
    EventLoop loop = EventLoop.create();
    loop.run(() -> pool.broadcast((String suffix) -> {
      allThree.await(10, TimeUnit.SECONDS); // each of the three threads runs it: none runs it twice
      return threadName() + suffix;
    }, "!").thenAccept(names -> {
      result.set(names);
      settledOn.set(EventLoop.current());
    }));
    assertEquals(startedNames().stream().map(n -> n + "!").toList(), result.get(),
        "run() returned only after the broadcast settled: it kept the loop alive");
    assertSame(loop, settledOn.get());
    assertEquals(3, pool.stats().completed(), "each thread's run counts as one task");
  }

  @Test
  void broadcast_callable_runsOnEveryThread() {
    WorkerPool pool = h.build(h.builder().threads(2));
    CyclicBarrier both = new CyclicBarrier(2);
    PoolHarness.run(loop -> h.record("b", pool.broadcast(() -> both.await(10, TimeUnit.SECONDS) >= 0)));
    assertEquals(List.of("b ok [true, true]"), h.log);
  }

  @Test
  void broadcast_queuedTasks_runsOnTheThreadBeforeThemAndAFullQueueDoesNotRejectIt() {
    WorkerPool pool = h.build(h.builder().threads(1).maxQueue(2));
    CountDownLatch started = new CountDownLatch(1);
    AtomicReference<String> stats = new AtomicReference<>();
    PoolHarness.run(loop -> {
      pool.execute(blocker(started), "running");
      h.when(loop, started, () -> {
        pool.submit(() -> order.add("queued 1"));
        pool.submit(() -> order.add("queued 2"), TaskOptions.defaults().priority(100));
        h.record("full", pool.submit(() -> "never"));
        h.record("broadcast", pool.broadcast(() -> order.add("broadcast")));
        stats.set("queued " + pool.stats().queued());
        release.countDown();
      });
    });
    assertEquals(List.of("running", "broadcast", "queued 2", "queued 1"), order);
    assertEquals(List.of("full err RejectedExecutionException", "broadcast ok [true]"), h.log);
    assertEquals("queued 2", stats.get(), "a broadcast never counts in queued");
  }

  @Test
  void broadcast_oneThreadFails_rejectsWithThatExceptionOnceAllHaveFinished() {
    WorkerPool pool = h.build(h.builder().threads(3));
    CyclicBarrier allThree = new CyclicBarrier(3);
    IllegalStateException boom = new IllegalStateException("bad config");
    AtomicInteger finished = new AtomicInteger();
    AtomicReference<Throwable> seen = new AtomicReference<>();
    AtomicInteger finishedAtRejection = new AtomicInteger(-1);
    List<String> names = new ArrayList<>();
    PoolHarness.run(loop -> {
      names.addAll(startedNames());
      pool.broadcast(() -> {
        allThree.await(10, TimeUnit.SECONDS);
        finished.incrementAndGet();
        if (threadName().equals(names.get(1))) {
          throw boom;
        }
        return "ok";
      }).catchError(e -> {
        seen.set(e);
        finishedAtRejection.set(finished.get());
        return null;
      });
    });
    assertSame(boom, seen.get());
    assertEquals(3, finishedAtRejection.get(), "the promise settled only after every thread ran it");
    assertEquals(2, pool.stats().completed());
    assertEquals(1, pool.stats().failed());
  }

  @Test
  void broadcast_severalThreadsFail_rejectsWithAnAggregateErrorInThreadOrder() {
    WorkerPool pool = h.build(h.builder().threads(3));
    CyclicBarrier allThree = new CyclicBarrier(3);
    AtomicReference<Throwable> seen = new AtomicReference<>();
    List<String> names = new ArrayList<>();
    PoolHarness.run(loop -> {
      names.addAll(startedNames());
      pool.broadcast(() -> {
        allThree.await(10, TimeUnit.SECONDS);
        if (!threadName().equals(names.get(1))) {
          throw new IllegalStateException("failed on " + threadName());
        }
        return "ok";
      }).catchError(e -> {
        seen.set(e);
        return null;
      });
    });
    AggregateError e = assertInstanceOf(AggregateError.class, seen.get());
    assertEquals(List.of("failed on " + names.get(0), "failed on " + names.get(2)),
        e.errors().stream().map(Throwable::getMessage).toList());
    assertTrue(e.getMessage().startsWith("2 of 3 threads of WorkerPool"), e.getMessage());
  }

  @Test
  void broadcast_taskThrowsError_rejectsWithItAndTheThreadIsReplaced() {
    WorkerPool pool = h.build(h.builder().threads(1));
    OutOfMemoryError oom = new OutOfMemoryError("simulated");
    AtomicReference<Throwable> seen = new AtomicReference<>();
    PoolHarness.run(loop -> pool.broadcast(() -> {
      throw oom;
    }).catchError(e -> {
      seen.set(e);
      h.record("after", pool.submit(PoolTaskNames::current));
      return null;
    }));
    assertSame(oom, seen.get());
    List<String> names = startedNames();
    assertEquals(2, names.size(), "a replacement was started");
    assertEquals(List.of("after ok " + names.get(1)), h.log);
  }

  /** A thread killed by a task's Error before its turn: its replacement runs the broadcast first. */
  @Test
  void broadcast_threadKilledBeforeItsTurn_theReplacementRunsItFirst() {
    WorkerPool pool = h.build(h.builder().threads(1));
    CountDownLatch started = new CountDownLatch(1);
    PoolHarness.run(loop -> {
      h.record("killer", pool.submit(() -> {
        started.countDown();
        release.await(20, TimeUnit.SECONDS);
        throw new StackOverflowError("simulated");
      }));
      h.when(loop, started, () -> {
        h.record("queued", pool.submit(() -> order.add("queued on " + threadName())));
        h.record("broadcast", pool.broadcast(() -> order.add("broadcast on " + threadName()) ? threadName() : ""));
        release.countDown();
      });
    });
    List<String> names = startedNames();
    assertEquals(2, names.size());
    assertEquals(List.of("broadcast on " + names.get(1), "queued on " + names.get(1)), order);
    assertTrue(h.log.contains("broadcast ok [" + names.get(1) + "]"), h.log::toString);
  }

  /** recycleAfter(1): replaced after its task, the thread hands the broadcast on, which does not count. */
  @Test
  void broadcast_recycledBeforeItsTurn_runsOnTheReplacementAndDoesNotCountTowardRecycling() {
    WorkerPool pool = h.build(h.builder().threads(1).recycleAfter(1));
    CountDownLatch started = new CountDownLatch(1);
    PoolHarness.run(loop -> {
      pool.execute(blocker(started), "first");
      h.when(loop, started, () -> {
        h.record("broadcast", pool.broadcast(() -> order.add("broadcast on " + threadName())));
        h.record("next", pool.submit(() -> order.add("next on " + threadName())));
        release.countDown();
      });
    });
    List<String> names = startedNames();
    assertEquals(List.of("first", "broadcast on " + names.get(1), "next on " + names.get(1)), order,
        "the replacement ran the broadcast and then the next task: the broadcast was not counted");
  }

  @Test
  void broadcast_threadStartedAfterTheCall_doesNotRunIt() {
    WorkerPool pool = h.build(h.builder().minThreads(1).maxThreads(2));
    CountDownLatch started = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    PoolHarness.run(loop -> {
      pool.execute(blocker(started), "first");
      h.when(loop, started, () -> {
        h.record("broadcast", pool.broadcast(() -> runs.incrementAndGet() > 0 ? threadName() : ""));
        h.record("grown", pool.submit(() -> {
          release.countDown(); // runs on the second thread, started for it after the broadcast
          return threadName();
        }));
      });
    });
    List<String> names = startedNames();
    assertEquals(2, names.size(), "the pool grew");
    assertEquals(1, runs.get());
    assertTrue(h.log.containsAll(List.of("broadcast ok [" + names.get(0) + "]", "grown ok " + names.get(1))),
        h.log::toString);
  }

  @Test
  void broadcast_noThreadAlive_fulfilsWithAnEmptyList() {
    WorkerPool pool = h.build(h.builder().minThreads(0).maxThreads(2));
    PoolHarness.run(loop -> h.record("b", pool.broadcast(() -> "never")));
    assertEquals(List.of("b ok []"), h.log);
  }

  /** A thread whose broadcast waits behind its task runs it before its idle timeout; once reaped, it is left out. */
  @Test
  void broadcast_idleReaping_aReapedThreadIsLeftOut() {
    WorkerPool pool = h.build(h.builder().minThreads(0).maxThreads(1).idleTimeout(Duration.ofMillis(5)));
    CountDownLatch started = new CountDownLatch(1);
    PoolHarness.run(loop -> {
      pool.execute(blocker(started), "grow");
      h.when(loop, started, () -> {
        h.record("one", pool.broadcast(() -> "x"));
        release.countDown();
      });
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (pool.stats().threads() > 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    PoolHarness.run(loop -> h.record("none", pool.broadcast(() -> "x")));
    assertEquals(List.of("one ok [x]", "none ok []"), h.log);
  }

  @Test
  void broadcast_closedPool_rejectsAtOnceLikeExecute() {
    WorkerPool pool = h.build(h.builder().threads(1));
    AtomicReference<Promise.State> state = new AtomicReference<>();
    AtomicReference<Throwable> seen = new AtomicReference<>();
    PoolHarness.run(loop -> {
      pool.close();
      Promise<List<Object>> p = pool.broadcast(() -> "never");
      state.set(p.state());
      p.catchError(e -> {
        seen.set(e);
        return null;
      });
    });
    assertEquals(Promise.State.REJECTED, state.get());
    RejectedExecutionException e = assertInstanceOf(RejectedExecutionException.class, seen.get());
    assertTrue(e.getMessage().matches(".* is (closing|terminated): it accepts no new tasks"), e.getMessage());
    assertEquals(1, pool.stats().rejected());
  }

  @Test
  void broadcast_closeWhileWaiting_everyThreadRunsItBeforeItEnds() {
    WorkerPool pool = h.build(h.builder().threads(2));
    CountDownLatch started = new CountDownLatch(2);
    PoolHarness.run(loop -> {
      pool.execute(blocker(started), "a");
      pool.execute(blocker(started), "b");
      h.when(loop, started, () -> {
        h.record("broadcast", pool.broadcast(() -> "reloaded"));
        pool.close().thenRun(() -> h.log.add("closed"));
        release.countDown();
      });
    });
    assertEquals(List.of("broadcast ok [reloaded, reloaded]", "closed"), h.log);
  }

  @Test
  void broadcast_terminateWhileWaitingAndRunning_rejectsEveryShareWithTaskAborted() {
    WorkerPool pool = h.build(h.builder().threads(2));
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch shareRunning = new CountDownLatch(1);
    AtomicReference<String> busy = new AtomicReference<>();
    AtomicReference<Throwable> seen = new AtomicReference<>();
    PoolHarness.run(loop -> {
      pool.execute(name -> {
        busy.set(threadName());
        return blocker(started).run(name);
      }, "busy").catchError(e -> null); // interrupted by terminate
      h.when(loop, started, () -> {
        // the free thread starts its share at once; the busy one's share waits behind its task
        pool.broadcast(() -> {
          shareRunning.countDown();
          new CountDownLatch(1).await(); // until terminate interrupts it
          return "never";
        }).catchError(e -> {
          seen.set(e);
          return null;
        });
        h.when(loop, shareRunning, () -> pool.terminate().thenRun(() -> h.log.add("terminated")));
      });
    });
    AggregateError e = assertInstanceOf(AggregateError.class, seen.get());
    List<TaskAbortedException.Phase> phases = e.errors().stream()
        .map(x -> assertInstanceOf(TaskAbortedException.class, x).phase()).toList();
    boolean firstBusy = startedNames().get(0).equals(busy.get());
    assertEquals(firstBusy ? List.of(TaskAbortedException.Phase.QUEUED, TaskAbortedException.Phase.RUNNING)
        : List.of(TaskAbortedException.Phase.RUNNING, TaskAbortedException.Phase.QUEUED), phases);
    assertEquals(List.of("terminated"), h.log);
  }

  @Test
  void broadcast_offLoopOrNull_throws() {
    WorkerPool pool = h.build(h.builder().threads(1));
    assertThrows(IllegalStateException.class, () -> pool.broadcast(() -> 1));
    assertThrows(NullPointerException.class,
        () -> PoolHarness.run(loop -> pool.broadcast((WorkerPool.Task<Object, Object>) null, "x")));
  }

  /** Names a method reference can point at. */
  private static final class PoolTaskNames {
    static String current() {
      return threadName();
    }
  }
}
