package org.eventloop4j.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eventloop4j.AbortController;
import org.eventloop4j.AbortError;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.TimeoutError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every WorkerPool feature, driven by latches and barriers (never by elapsed time): results on the
 * caller's loop, parallelism, back-pressure, aborts, timeouts, killed threads, priorities and aging,
 * recycling, growth and shrinking, statistics, close and terminate, bad input.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WorkerPoolTest {
  /** The processor count, which the default sizes derive from. */
  private static final int P = Runtime.getRuntime().availableProcessors();
  private final PoolHarness h = new PoolHarness();
  private final CountDownLatch release = h.release;

  @AfterEach
  void noThreadOutlivesItsPool() throws InterruptedException {
    h.close();
  }

  // ---- results ----

  @Test
  void execute_onLoop_settlesOnTheCallerLoopWithTheResult() {
    WorkerPool pool = h.build(h.builder().threads(2));
    AtomicReference<String> ranOn = new AtomicReference<>();
    AtomicReference<EventLoop> settledOn = new AtomicReference<>();
    AtomicReference<Integer> result = new AtomicReference<>();
    EventLoop loop = EventLoop.create();
    loop.run(() -> pool.execute((Integer x) -> {
      ranOn.set(Thread.currentThread().getName());
      return x * 2;
    }, 21).thenAccept(v -> {
      result.set(v);
      settledOn.set(EventLoop.current());
    }));
    assertEquals(42, result.get(), "run() returned only after the result arrived: the task kept the loop alive");
    assertSame(loop, settledOn.get());
    assertTrue(ranOn.get().startsWith(pool.name() + "-"), ranOn.get());
  }

  @Test
  void submit_callable_fulfils() {
    WorkerPool pool = h.build(h.builder().threads(1));
    PoolHarness.run(loop -> h.record("a", pool.submit(() -> "done")));
    assertEquals(List.of("a ok done"), h.log);
  }

  @Test
  void execute_taskThrowsCheckedException_rejectsWithThatVeryException() {
    WorkerPool pool = h.build(h.builder().threads(1));
    IOException boom = new IOException("disk on fire");
    AtomicReference<Throwable> seen = new AtomicReference<>();
    PoolHarness.run(loop -> {
      pool.submit(() -> {
        throw boom;
      }).catchError(e -> {
        seen.set(e);
        return null;
      });
      h.record("after", pool.submit(() -> "still usable"));
    });
    assertSame(boom, seen.get());
    assertEquals(List.of("after ok still usable"), h.log);
  }

  @Test
  void execute_taskReturnsNull_fulfilsWithNull() {
    WorkerPool pool = h.build(h.builder().threads(1));
    PoolHarness.run(loop -> h.record("null", pool.submit(() -> null)));
    assertEquals(List.of("null ok null"), h.log);
  }

  @Test
  void execute_offLoop_throwsIllegalState() {
    WorkerPool pool = h.build(h.builder().threads(1));
    assertThrows(IllegalStateException.class, () -> pool.submit(() -> 1));
    assertThrows(NullPointerException.class, () -> PoolHarness.run(loop -> pool.submit(null)));
  }

  @Test
  void execute_fromTwoLoops_eachSettlesOnItsOwnLoop() throws Exception {
    WorkerPool pool = h.build(h.builder().threads(2));
    List<Thread> loops = new ArrayList<>();
    List<String> wrong = Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 2; i++) {
      loops.add(Thread.ofPlatform().start(() -> PoolHarness.run(loop -> {
        for (int k = 0; k < 50; k++) {
          int n = k;
          pool.submit(() -> n).thenAccept(v -> {
            if (EventLoop.current() != loop) {
              wrong.add("task " + v);
            }
          });
        }
      })));
    }
    for (Thread t : loops) {
      t.join(20_000);
      assertFalse(t.isAlive());
    }
    assertEquals(List.of(), wrong);
  }

  // ---- parallelism ----

  @Test
  void execute_fourTasksOnFourThreads_allRunAtOnce() {
    WorkerPool pool = h.build(h.builder().threads(4));
    CyclicBarrier together = new CyclicBarrier(4);
    PoolHarness.run(loop -> {
      for (int i = 0; i < 4; i++) {
        h.record("t", pool.submit(() -> together.await(10, TimeUnit.SECONDS)));
      }
    });
    assertEquals(4, h.log.stream().filter(s -> s.startsWith("t ok")).count(), h.log::toString);
  }

  /** Two threads busy, four more queued: when both are released, both take the next task at once. */
  @Test
  void execute_queuedTasks_everyFreeThreadTakesTheNextAtOnce() {
    WorkerPool pool = h.build(h.builder().threads(2));
    CountDownLatch started = new CountDownLatch(2);
    CyclicBarrier pair = new CyclicBarrier(2);
    PoolHarness.run(loop -> {
      h.record("a", pool.execute(h.blocker(started), "a"));
      h.record("b", pool.execute(h.blocker(started), "b"));
      for (String name : List.of("c", "d", "e", "f")) {
        h.record(name, pool.submit(() -> {
          pair.await(10, TimeUnit.SECONDS);
          return name;
        }));
      }
      h.when(loop, started, release::countDown);
    });
    assertEquals(Set.of("a ok a", "b ok b", "c ok c", "d ok d", "e ok e", "f ok f"), new HashSet<>(h.log));
  }

  // ---- back-pressure ----

  @Test
  void maxQueue_full_rejectsAtOnceAndDrainResolvesWhenThereIsRoom() {
    WorkerPool pool = h.build(h.builder().threads(1).maxQueue(2));
    CountDownLatch started = new CountDownLatch(1);
    AtomicReference<Promise.State> stateRightAway = new AtomicReference<>();
    AtomicReference<Throwable> refusal = new AtomicReference<>();
    PoolHarness.run(loop -> {
      h.record("running", pool.execute(h.blocker(started), "running"));
      h.when(loop, started, () -> {
        h.record("q1", pool.submit(() -> "q1"));
        h.record("q2", pool.submit(() -> "q2"));
        Promise<Object> full = pool.submit(() -> "never");
        stateRightAway.set(full.state());
        full.catchError(e -> {
          refusal.set(e);
          return null;
        });
        assertEquals(2, pool.stats().queued());
        pool.drain().thenRun(() -> {
          h.log.add("drained, queued " + pool.stats().queued());
          h.record("after", pool.submit(() -> "after"));
        });
        release.countDown();
      });
    });
    assertEquals(Promise.State.REJECTED, stateRightAway.get());
    assertInstanceOf(RejectedExecutionException.class, refusal.get());
    assertTrue(refusal.get().getMessage().contains("queue is full (maxQueue 2)"), refusal.get().getMessage());
    assertTrue(h.log.containsAll(List.of("running ok running", "q1 ok q1", "q2 ok q2", "after ok after")), h.log::toString);
    assertTrue(h.log.stream().anyMatch(s -> s.matches("drained, queued [01]")), h.log::toString);
    assertEquals(1, pool.stats().rejected());
  }

  @Test
  void drain_roomNow_resolvesAtOnce() {
    WorkerPool pool = h.build(h.builder().threads(1).maxQueue(5));
    PoolHarness.run(loop -> h.record("drain", pool.drain()));
    assertEquals(List.of("drain ok null"), h.log);
  }

  // ---- cancellation ----

  @Test
  void abort_queuedTask_isRemovedNeverRunsAndRejectsAsQueued() {
    WorkerPool pool = h.build(h.builder().threads(1));
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean ran = new AtomicBoolean();
    AbortController c = new AbortController();
    AtomicReference<Throwable> seen = new AtomicReference<>();
    PoolHarness.run(loop -> {
      h.record("running", pool.execute(h.blocker(started), "running"));
      pool.submit(() -> ran.getAndSet(true), TaskOptions.defaults().signal(c.signal())).catchError(e -> {
        seen.set(e);
        h.log.add("aborted, queued now " + pool.stats().queued());
        return null;
      });
      h.when(loop, started, () -> {
        c.abort();
        release.countDown();
      });
    });
    TaskAbortedException e = assertInstanceOf(TaskAbortedException.class, seen.get());
    assertEquals(TaskAbortedException.Phase.QUEUED, e.phase());
    assertInstanceOf(AbortError.class, e.getCause());
    assertSame(c.signal().reason(), e.getCause());
    assertFalse(ran.get(), "an aborted queued task must never run");
    assertEquals(List.of("aborted, queued now 0", "running ok running"), h.log);
    assertEquals(1, pool.stats().cancelled());
  }

  @Test
  void abort_runningTask_interruptsItAndRejectsAsRunning_andTheInterruptDoesNotLeak() throws InterruptedException {
    WorkerPool pool = h.build(h.builder().threads(1));
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    AbortController c = new AbortController();
    AtomicReference<Throwable> seen = new AtomicReference<>();
    PoolHarness.run(loop -> {
      pool.submit(() -> {
        started.countDown();
        try {
          new CountDownLatch(1).await();
        } catch (InterruptedException e) {
          interrupted.countDown();
          throw e;
        }
        return "unreachable";
      }, TaskOptions.defaults().signal(c.signal())).catchError(e -> {
        seen.set(e);
        h.record("next", pool.submit(() -> Thread.currentThread().isInterrupted() ? "interrupt leaked" : "clean"));
        return null;
      });
      h.when(loop, started, () -> c.abort(new IllegalStateException("user gave up")));
    });
    TaskAbortedException e = assertInstanceOf(TaskAbortedException.class, seen.get());
    assertEquals(TaskAbortedException.Phase.RUNNING, e.phase());
    assertEquals("user gave up", e.getCause().getMessage());
    assertTrue(interrupted.await(10, TimeUnit.SECONDS), "the running task was interrupted");
    assertEquals(List.of("next ok clean"), h.log);
    assertEquals(1, pool.stats().failed());
  }

  @Test
  void abort_signalAlreadyAborted_rejectsAtOnce() {
    WorkerPool pool = h.build(h.builder().threads(1));
    AtomicReference<Promise.State> state = new AtomicReference<>();
    PoolHarness.run(loop -> {
      Promise<Object> p = pool.submit(() -> "x", TaskOptions.defaults().signal(AbortSignal.abort()));
      state.set(p.state());
      h.record("p", p);
    });
    assertEquals(Promise.State.REJECTED, state.get());
    assertEquals(List.of("p err TaskAbortedException"), h.log);
  }

  // ---- run timeouts (real clock; only the lower bound is a matter of time) ----

  @Test
  void timeout_taskRunsTooLong_isInterruptedAndRejectsWithTimeoutError() throws InterruptedException {
    WorkerPool pool = h.build(h.builder().threads(1));
    CountDownLatch interrupted = new CountDownLatch(1);
    AtomicReference<Throwable> seen = new AtomicReference<>();
    PoolHarness.run(loop -> pool.submit(() -> {
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        interrupted.countDown();
        throw e;
      }
      return null;
    }, TaskOptions.defaults().timeout(Duration.ofMillis(50))).catchError(e -> {
      seen.set(e);
      return null;
    }));
    assertInstanceOf(TimeoutError.class, seen.get());
    assertTrue(seen.get().getMessage().contains("longer than its timeout"), seen.get().getMessage());
    assertTrue(interrupted.await(10, TimeUnit.SECONDS), "the running task was interrupted");
  }

  @Test
  void timeout_poolDefault_appliesAndTaskWithinItFulfils() {
    WorkerPool pool = h.build(h.builder().threads(1).taskTimeout(Duration.ofMillis(50)));
    PoolHarness.run(loop -> {
      h.record("quick", pool.submit(() -> "quick"));
      h.record("slow", pool.submit(() -> {
        new CountDownLatch(1).await();
        return "slow";
      }));
      h.record("generous", pool.submit(() -> "generous", TaskOptions.defaults().timeout(Duration.ofSeconds(20))));
    });
    assertEquals(List.of("quick ok quick", "slow err TimeoutError", "generous ok generous"), h.log);
  }

  // ---- killed threads ----

  private static int recurse(int n) {
    return recurse(n + 1) + 1;
  }

  @Test
  void error_stackOverflow_rejectsWithItAndTheThreadIsReplaced() throws Exception {
    WorkerPool pool = h.build(h.builder().threads(2));
    AtomicReference<Throwable> seen = new AtomicReference<>();
    PoolHarness.run(loop -> pool.submit(() -> recurse(0)).catchError(e -> {
      seen.set(e);
      return null;
    }));
    assertInstanceOf(StackOverflowError.class, seen.get());
    assertPoolKeepsSize(pool, 2);
  }

  /** How deep {@code probe} recursed before the stack ran out. */
  private static int probe(int n) {
    try {
      return probe(n + 1);
    } catch (StackOverflowError e) {
      return n;
    }
  }

  @Test
  void stackSize_setsEachPoolThreadsStack() {
    WorkerPool small = h.build(h.builder().threads(1).stackSize(256 * 1024));
    WorkerPool large = h.build(h.builder().threads(1).stackSize(64L * 1024 * 1024));
    AtomicReference<Integer> smallDepth = new AtomicReference<>();
    AtomicReference<Integer> largeDepth = new AtomicReference<>();
    PoolHarness.run(loop -> {
      small.submit(() -> probe(0)).thenAccept(smallDepth::set);
      large.submit(() -> probe(0)).thenAccept(largeDepth::set);
    });
    assertTrue(largeDepth.get() > 10 * smallDepth.get(), smallDepth.get() + " frames on 256 KB, " + largeDepth.get()
        + " on 64 MB");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WorkerPool.builder().stackSize(0));
    assertEquals("stackSize must be >= 1 byte, was 0", e.getMessage());
  }

  @Test
  void error_outOfMemory_rejectsWithItAndTheThreadIsReplaced() throws Exception {
    WorkerPool pool = h.build(h.builder().threads(2));
    OutOfMemoryError oom = new OutOfMemoryError("simulated");
    AtomicReference<Throwable> seen = new AtomicReference<>();
    PoolHarness.run(loop -> pool.submit(() -> {
      throw oom;
    }).catchError(e -> {
      seen.set(e);
      return null;
    }));
    assertSame(oom, seen.get());
    assertPoolKeepsSize(pool, 2);
  }

  /** A third thread was started for the killed one; the pool still runs two tasks at once. */
  private void assertPoolKeepsSize(WorkerPool pool, int size) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (h.started.size() < size + 1 && System.nanoTime() < deadline) {
      Thread.yield();
    }
    assertEquals(size + 1, h.started.size(), "a replacement thread was started");
    awaitEnded(1);
    CyclicBarrier together = new CyclicBarrier(size);
    PoolHarness.run(loop -> {
      for (int i = 0; i < size; i++) {
        h.record("t", pool.submit(() -> together.await(10, TimeUnit.SECONDS)));
      }
    });
    assertEquals(size, h.log.stream().filter(s -> s.startsWith("t ok")).count(), h.log::toString);
    assertEquals(size, pool.stats().threads());
    assertEquals(1, pool.stats().failed());
  }

  /** Waits (spinning, never sleeping) until exactly {@code n} of the pool's threads have ended. */
  private void awaitEnded(int n) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    long ended;
    while ((ended = h.started.stream().filter(t -> !t.isAlive()).count()) < n && System.nanoTime() < deadline) {
      Thread.yield();
    }
    assertEquals(n, ended, "threads ended");
  }

  // ---- priorities and aging ----

  @Test
  void priority_higherRunsFirstAndEqualPrioritiesInSubmissionOrder() {
    WorkerPool pool = h.build(h.builder().threads(1));
    CountDownLatch started = new CountDownLatch(1);
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    PoolHarness.run(loop -> {
      pool.execute(h.blocker(started), "first");
      for (String s : List.of("low1:0", "high:5", "mid:2", "low2:0", "negative:-1", "mid2:2")) {
        String[] parts = s.split(":");
        pool.submit(() -> order.add(parts[0]), TaskOptions.defaults().priority(Integer.parseInt(parts[1])));
      }
      h.when(loop, started, release::countDown);
    });
    assertEquals(List.of("high", "mid", "mid2", "low1", "low2", "negative"), order);
  }

  @Test
  void priority_aging_aLongWaitingLowPriorityTaskGoesBeforeANewerHighOne() {
    AtomicLong clock = new AtomicLong();
    WorkerPool pool = h.build(h.builder().threads(1).agingInterval(Duration.ofSeconds(1)).clock(clock::get));
    CountDownLatch started = new CountDownLatch(1);
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    PoolHarness.run(loop -> {
      pool.execute(h.blocker(started), "first");
      pool.submit(() -> order.add("old low"), TaskOptions.defaults().priority(0));
      clock.addAndGet(TimeUnit.SECONDS.toNanos(10));
      pool.submit(() -> order.add("new high (5 levels, 10 s later)"), TaskOptions.defaults().priority(5));
      pool.submit(() -> order.add("new top (20 levels)"), TaskOptions.defaults().priority(20));
      h.when(loop, started, release::countDown);
    });
    assertEquals(List.of("new top (20 levels)", "old low", "new high (5 levels, 10 s later)"), order);
  }

  // ---- recycling, growth, shrinking ----

  @Test
  void recycleAfter_replacesEachThreadAfterNTasks() {
    WorkerPool pool = h.build(h.builder().threads(1).recycleAfter(2));
    List<String> names = Collections.synchronizedList(new ArrayList<>());
    PoolHarness.run(loop -> chain(pool, names, 6));
    assertEquals(6, names.size());
    assertEquals(3, new HashSet<>(names).size(), names::toString);
    assertEquals(names.get(0), names.get(1));
    assertEquals(names.get(2), names.get(3));
  }

  private static void chain(WorkerPool pool, List<String> names, int left) {
    if (left > 0) {
      pool.submit(() -> names.add(Thread.currentThread().getName())).thenRun(() -> chain(pool, names, left - 1));
    }
  }

  @Test
  void threads_growToMaxWhileBusyAndShrinkToMinWhenIdle() throws Exception {
    WorkerPool pool = h.build(h.builder().minThreads(1).maxThreads(3).idleTimeout(Duration.ofMillis(20)));
    assertEquals(1, pool.stats().threads());
    CyclicBarrier three = new CyclicBarrier(3);
    PoolHarness.run(loop -> {
      for (int i = 0; i < 3; i++) {
        h.record("t", pool.submit(() -> three.await(10, TimeUnit.SECONDS)));
      }
    });
    assertEquals(3, h.log.stream().filter(s -> s.startsWith("t ok")).count(), "three ran at once: the pool grew");
    assertEquals(3, h.started.size());
    awaitEnded(2);
    assertEquals(1, pool.stats().threads());
    PoolHarness.run(loop -> h.record("again", pool.submit(() -> "again")));
    assertTrue(h.log.contains("again ok again"));
  }

  // ---- default sizes (expectations relative to the processor count, so any machine passes) ----

  private static void assertSize(WorkerPool pool, int min, int max) {
    assertEquals(List.of(min, max), List.of(pool.minThreads(), pool.maxThreads()), "min and max threads");
    assertEquals(min, pool.stats().threads(), "build() started the minimum");
  }

  @Test
  void builder_noBoundSet_isOneThreadPerProcessor() {
    assertSize(h.build(h.builder()), P, P);
  }

  @Test
  void builder_onlyMaxSet_clampsTheDefaultMinimumToIt() {
    assertSize(h.build(h.builder().maxThreads(1)), 1, 1);
    assertSize(h.build(h.builder().maxThreads(P + 1)), P, P + 1);
  }

  @Test
  void builder_onlyMinSet_raisesTheDefaultMaximumToIt() {
    assertSize(h.build(h.builder().minThreads(P + 1)), P + 1, P + 1);
    assertSize(h.build(h.builder().minThreads(0)), 0, P);
  }

  @Test
  void builder_bothSet_takesThemAsSetInEitherOrder() {
    assertSize(h.build(h.builder().minThreads(1).maxThreads(P + 2)), 1, P + 2);
    assertSize(h.build(h.builder().maxThreads(P + 1).minThreads(P + 1)), P + 1, P + 1);
    assertSize(h.build(h.builder().threads(1)), 1, 1);
  }

  @Test
  void builder_explicitMinAboveExplicitMax_isRejectedByBuild() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WorkerPool.builder().maxThreads(1).minThreads(2).build());
    assertEquals("minThreads 2 exceeds maxThreads 1", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> WorkerPool.builder().minThreads(P + 1).maxThreads(P).build());
  }

  // ---- statistics ----

  @Test
  void stats_countAndTimeEveryTask() {
    WorkerPool pool = h.build(h.builder().threads(2));
    PoolHarness.runTasks(pool, 10, 2);
    WorkerPool.Stats s = pool.stats();
    assertEquals(10, s.completed());
    assertEquals(2, s.failed());
    assertEquals(0, s.queued());
    assertEquals(0, s.active());
    assertEquals(12, s.runTime().count());
    assertEquals(12, s.waitTime().count());
    assertTrue(s.runTime().p50().compareTo(s.runTime().max()) <= 0);
    assertTrue(s.runTime().p99().compareTo(s.runTime().p50()) >= 0);
    assertTrue(s.utilisation() >= 0 && s.utilisation() <= 1, "utilisation " + s.utilisation());
  }

  // ---- shutdown ----

  @Test
  void close_finishesWhatIsQueuedRefusesNewTasksAndEndsEveryThread() {
    WorkerPool pool = h.build(h.builder().threads(1));
    CountDownLatch started = new CountDownLatch(1);
    PoolHarness.run(loop -> {
      h.record("a", pool.execute(h.blocker(started), "a"));
      h.record("b", pool.submit(() -> "b"));
      h.record("c", pool.submit(() -> "c"));
      pool.close().thenRun(() -> h.log.add("closed, threads alive: " + pool.liveThreads().size()));
      h.record("late", pool.submit(() -> "late"));
      h.record("drain", pool.drain());
      h.when(loop, started, release::countDown);
    });
    assertEquals(List.of("late err RejectedExecutionException", "drain err RejectedExecutionException", "a ok a",
        "b ok b", "c ok c", "closed, threads alive: 0"), h.log);
    assertTrue(pool.isTerminated());
  }

  @Test
  void terminate_rejectsQueuedInterruptsRunningAndEndsEveryThread() throws InterruptedException {
    WorkerPool pool = h.build(h.builder().threads(1));
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    List<TaskAbortedException.Phase> phases = Collections.synchronizedList(new ArrayList<>());
    PoolHarness.run(loop -> {
      pool.submit(() -> {
        started.countDown();
        try {
          new CountDownLatch(1).await();
        } catch (InterruptedException e) {
          interrupted.countDown();
          throw e;
        }
        return null;
      }).catchError(e -> phases.add(((TaskAbortedException) e).phase()) ? null : null);
      pool.submit(() -> "queued").catchError(e -> phases.add(((TaskAbortedException) e).phase()) ? null : null);
      h.when(loop, started, () -> pool.terminate().thenRun(() -> h.log.add("terminated")));
    });
    assertEquals(Set.of(TaskAbortedException.Phase.QUEUED, TaskAbortedException.Phase.RUNNING), new HashSet<>(phases));
    assertEquals(2, phases.size());
    assertTrue(interrupted.await(10, TimeUnit.SECONDS), "the running task was interrupted");
    assertEquals(List.of("terminated"), h.log);
    assertTrue(pool.isTerminated());
    assertEquals(List.of(), pool.liveThreads());
  }

  @Test
  void terminate_twiceAndCloseAfter_allResolve() {
    WorkerPool pool = h.build(h.builder().threads(2));
    PoolHarness.run(loop -> {
      h.record("t1", pool.terminate());
      h.record("t2", pool.terminate());
      h.record("c", pool.close());
    });
    assertEquals(Set.of("t1 ok null", "t2 ok null", "c ok null"), new HashSet<>(h.log));
  }

  @Test
  void awaitTermination_onALoop_throws() {
    WorkerPool pool = h.build(h.builder().threads(1));
    PoolHarness.run(loop -> assertThrows(IllegalStateException.class, () -> pool.awaitTermination(Duration.ofSeconds(1))));
  }

  // ---- bad input ----

  @Test
  void builder_badSizes_throwIllegalArgument() {
    assertThrows(IllegalArgumentException.class, () -> WorkerPool.builder().threads(0));
    assertThrows(IllegalArgumentException.class, () -> WorkerPool.builder().threads(-2));
    assertThrows(IllegalArgumentException.class, () -> WorkerPool.builder().maxThreads(0));
    assertThrows(IllegalArgumentException.class, () -> WorkerPool.builder().minThreads(-1));
    assertThrows(IllegalArgumentException.class, () -> WorkerPool.builder().maxQueue(0));
    assertThrows(IllegalArgumentException.class, () -> WorkerPool.builder().recycleAfter(0));
    assertThrows(IllegalArgumentException.class, () -> WorkerPool.builder().idleTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> WorkerPool.builder().taskTimeout(Duration.ofMillis(-1)));
    assertThrows(IllegalArgumentException.class, () -> WorkerPool.builder().agingInterval(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> WorkerPool.builder().spinWait(Duration.ofSeconds(-1)));
    assertThrows(IllegalArgumentException.class, () -> WorkerPool.builder().minThreads(4).maxThreads(2).build());
    assertThrows(IllegalArgumentException.class, () -> TaskOptions.defaults().timeout(Duration.ZERO));
    assertThrows(NullPointerException.class, () -> TaskOptions.defaults().signal(null));
  }

  @Test
  void options_areImmutableValues() {
    TaskOptions base = TaskOptions.defaults();
    TaskOptions high = base.priority(3);
    assertEquals(0, base.priorityValue());
    assertEquals(3, high.priorityValue());
    assertNull(high.signalValue());
    assertNull(high.timeoutValue());
  }
}
