package org.eventloop4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class EventLoopTest {
  private final List<String> log = new ArrayList<>();

  private static EventLoop virtual() {
    return EventLoop.builder().virtualTime().build();
  }

  @Test
  void run_mainThenTicksThenMicrotasksThenTimers_inNodeOrder() {
    EventLoop loop = virtual();
    loop.run(() -> {
      loop.setTimeout(() -> log.add("timeout"), 0);
      loop.setImmediate(() -> log.add("immediate"));
      Promise.resolve().thenRun(() -> log.add("promise"));
      loop.queueMicrotask(() -> log.add("microtask"));
      loop.nextTick(() -> log.add("tick"));
      log.add("main");
    });
    assertEquals(List.of("main", "tick", "promise", "microtask", "immediate", "timeout"), log);
  }

  @Test
  void nextTick_queuedByMicrotask_waitsForMicrotaskQueueToEmpty() {
    EventLoop loop = virtual();
    loop.run(() -> {
      loop.queueMicrotask(() -> {
        log.add("m1");
        loop.nextTick(() -> log.add("tick from m1"));
        loop.queueMicrotask(() -> log.add("m3"));
      });
      loop.queueMicrotask(() -> log.add("m2"));
    });
    assertEquals(List.of("m1", "m2", "m3", "tick from m1"), log);
  }

  @Test
  void timers_fireInExpiryOrder_tiesInCreationOrder() {
    EventLoop loop = virtual();
    loop.run(() -> {
      loop.setTimeout(() -> log.add("b20"), 20);
      loop.setTimeout(() -> log.add("a10"), 10);
      loop.setTimeout(() -> log.add("c10"), 10);
      loop.setTimeout(() -> log.add("d1"), 1);
      loop.setTimeout(() -> log.add("e0"), 0);
    });
    assertEquals(List.of("d1", "e0", "a10", "c10", "b20"), log);
  }

  @Test
  void timerCreatedInTimersPhase_neverRunsInThatPhase() {
    EventLoop loop = virtual();
    loop.run(() -> loop.setTimeout(() -> {
      loop.setTimeout(() -> log.add("timeout"), 0);
      loop.setImmediate(() -> log.add("immediate"));
    }, 0));
    assertEquals(List.of("immediate", "timeout"), log);
  }

  @Test
  void immediateQueuedInCheckPhase_runsNextIteration() {
    EventLoop loop = virtual();
    loop.run(() -> {
      loop.setImmediate(() -> {
        log.add("i1");
        loop.setImmediate(() -> log.add("i3"));
      });
      loop.setImmediate(() -> log.add("i2"));
    });
    assertEquals(List.of("i1", "i2", "i3"), log);
  }

  @Test
  void virtualTime_anHourOfTimers_runsInstantlyAndAdvancesClock() {
    EventLoop loop = virtual();
    AtomicReference<Long> firedAt = new AtomicReference<>();
    loop.run(() -> loop.setTimeout(() -> firedAt.set(loop.now()), Duration.ofHours(1)));
    assertEquals(3_600_000L, firedAt.get());
    assertEquals(3_600_000L, loop.now());
  }

  @Test
  void setInterval_repeatsUntilClearedInsideCallback() {
    EventLoop loop = virtual();
    int[] runs = {0};
    loop.run(() -> {
      Timer[] t = new Timer[1];
      t[0] = loop.setInterval(() -> {
        log.add("tick@" + loop.now());
        if (++runs[0] == 3) {
          t[0].clear();
        }
      }, 10);
    });
    assertEquals(List.of("tick@10", "tick@20", "tick@30"), log);
  }

  @Test
  void clear_dueTimerFromEarlierCallbackOfSamePhase_cancelsIt() {
    EventLoop loop = virtual();
    loop.run(() -> {
      Timer[] second = new Timer[1];
      loop.setTimeout(() -> {
        log.add("first");
        second[0].clear();
      }, 5);
      second[0] = loop.setTimeout(() -> log.add("second"), 5);
    });
    assertEquals(List.of("first"), log);
  }

  @Test
  void unrefTimerAndPendingPromise_doNotKeepLoopAlive() {
    EventLoop loop = virtual();
    loop.run(() -> {
      loop.setTimeout(() -> log.add("unref'd"), 50).unref();
      Promise.<Object>withResolvers().promise().thenRun(() -> log.add("never"));
      loop.setTimeout(() -> log.add("ref'd"), 5);
    });
    assertEquals(List.of("ref'd"), log);
    assertEquals(5, loop.now());
  }

  @Test
  void refresh_rearmsFromNow() {
    EventLoop loop = virtual();
    loop.run(() -> {
      Timer t = loop.setTimeout(() -> log.add("fired@" + loop.now()), 10);
      loop.setTimeout(t::refresh, 5);
    });
    assertEquals(List.of("fired@15"), log);
  }

  @Test
  void delayCoercion_zeroNegativeAndHugeBecomeOneMillisecond() {
    EventLoop loop = virtual();
    loop.run(() -> {
      loop.setTimeout(() -> log.add("huge@" + loop.now()), Long.MAX_VALUE);
      loop.setTimeout(() -> log.add("negative@" + loop.now()), -5);
      loop.setTimeout(() -> log.add("max@" + loop.now()), Integer.MAX_VALUE);
    });
    assertEquals(List.of("huge@1", "negative@1", "max@" + Integer.MAX_VALUE), log);
  }

  @Test
  void uncaughtException_withoutHandler_stopsLoopAndRunThrowsIt() {
    EventLoop loop = virtual();
    IllegalStateException boom = new IllegalStateException("boom");
    IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> loop.run(() -> {
      loop.setTimeout(() -> {
        loop.nextTick(() -> log.add("tick must not run"));
        throw boom;
      }, 0);
      loop.setTimeout(() -> log.add("timer 2 must not run"), 0);
    }));
    assertSame(boom, thrown);
    assertEquals(List.of(), log);
    loop.run(() -> log.add("loop runs again"));
    assertEquals(List.of("loop runs again"), log);
  }

  @Test
  void uncaughtCheckedException_isTheCauseOfUncaughtException() {
    EventLoop loop = virtual();
    IOException io = new IOException("disk");
    UncaughtException thrown = assertThrows(UncaughtException.class, () -> loop.run(() -> Promise.reject(io)));
    assertSame(io, thrown.getCause());
  }

  @Test
  void uncaughtException_withHandler_loopCarriesOn() {
    List<Throwable> errors = new ArrayList<>();
    EventLoop loop = EventLoop.builder().virtualTime().onUncaughtException(errors::add).build();
    loop.run(() -> {
      loop.setTimeout(() -> {
        throw new IllegalStateException("t1");
      }, 0);
      loop.setTimeout(() -> log.add("t2"), 0);
    });
    assertEquals(1, errors.size());
    assertEquals(List.of("t2"), log);
  }

  @Test
  void unhandledRejection_handlerGetsReasonAndPromise_thenRejectionHandledWhenCaughtLate() {
    List<String> events = new ArrayList<>();
    EventLoop loop = EventLoop.builder().virtualTime()
        .onUnhandledRejection((e, p) -> events.add("unhandled " + e.getMessage()))
        .onRejectionHandled(p -> events.add("handled late"))
        .build();
    loop.run(() -> {
      Promise<Object> p = Promise.reject(new IllegalStateException("x"));
      loop.setTimeout(() -> p.catchError(e -> {
        events.add("caught");
        return null;
      }), 1);
    });
    assertEquals(List.of("unhandled x", "caught", "handled late"), events); // Node 20 prints this order
  }

  @Test
  void unhandledRejection_handledInSameDrain_isNotReported() {
    EventLoop loop = virtual();
    loop.run(() -> {
      Promise<Object> p = Promise.reject(new IllegalStateException("x"));
      loop.nextTick(() -> p.catchError(e -> "ok"));
    });
  }

  @Test
  void run_whileRunning_isRefusedAndLoopStaysIntact() {
    EventLoop loop = virtual();
    loop.run(() -> {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.run(() -> { }));
      log.add(e.getMessage());
      loop.setTimeout(() -> log.add("still works"), 1);
    });
    assertTrue(log.get(0).contains("inside another loop's callback"), log.get(0));
    assertEquals("still works", log.get(1));
  }

  @Test
  void run_onClosedLoop_isRefused() {
    EventLoop loop = virtual();
    loop.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.run(() -> { }));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
    assertThrows(RejectedExecutionException.class, () -> loop.execute(() -> { }));
  }

  @Test
  void nullCallbacks_areRefusedWithTheParameterName() {
    EventLoop loop = virtual();
    loop.run(() -> {
      assertEquals("callback", assertThrows(NullPointerException.class, () -> loop.setTimeout(null, 1)).getMessage());
      assertEquals("callback", assertThrows(NullPointerException.class, () -> loop.setImmediate(null)).getMessage());
      assertEquals("callback", assertThrows(NullPointerException.class, () -> loop.nextTick(null)).getMessage());
      assertEquals("callback", assertThrows(NullPointerException.class, () -> loop.queueMicrotask(null)).getMessage());
      assertEquals("task", assertThrows(NullPointerException.class, () -> loop.execute(null)).getMessage());
    });
    assertThrows(NullPointerException.class, () -> loop.run(null));
  }

  @Test
  void loopAffineCall_fromForeignThread_isRefused() throws Exception {
    EventLoop loop = EventLoop.create().start();
    try {
      CompletableFuture<Throwable> seen = new CompletableFuture<>();
      CountDownLatch inLoop = new CountDownLatch(1);
      loop.execute(inLoop::countDown);
      assertTrue(inLoop.await(10, TimeUnit.SECONDS));
      try {
        loop.setTimeout(() -> { }, 1);
      } catch (IllegalStateException e) {
        seen.complete(e);
      }
      assertTrue(seen.get().getMessage().contains("loop.execute"), seen.get().getMessage());
    } finally {
      loop.close();
    }
  }

  @Test
  void execute_fromManyThreads_runsEveryTaskOnTheStartedLoop() throws Exception {
    EventLoop loop = EventLoop.create().start();
    int threads = 4;
    int perThread = 10_000 * Integer.getInteger("eventloop4j.stress", 1);
    int[] count = {0};
    CountDownLatch done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      Thread.ofPlatform().start(() -> {
        for (int i = 0; i < perThread; i++) {
          loop.execute(() -> count[0]++);
        }
        loop.execute(done::countDown);
      });
    }
    assertTrue(done.await(30, TimeUnit.SECONDS));
    CompletableFuture<Integer> total = new CompletableFuture<>();
    loop.execute(() -> total.complete(count[0]));
    assertEquals(threads * perThread, total.get(10, TimeUnit.SECONDS));
    loop.close();
  }

  @Test
  void keepAlive_keepsRunGoingUntilClosedFromAnotherThread() {
    EventLoop loop = virtual();
    loop.run(() -> {
      EventLoop.KeepAlive alive = loop.keepAlive();
      Thread.ofPlatform().start(() -> loop.execute(() -> {
        log.add("result posted");
        alive.close();
      }));
    });
    assertEquals(List.of("result posted"), log);
  }

  @Test
  void promiseSettledFromForeignThread_settlesOnItsLoop() {
    EventLoop loop = virtual();
    loop.run(() -> {
      Resolvers<String> r = Promise.withResolvers();
      EventLoop.KeepAlive alive = loop.keepAlive();
      r.promise().thenAccept(v -> {
        log.add(v + " on " + (EventLoop.current() == loop));
        alive.close();
      });
      Thread.ofPlatform().start(() -> r.resolve("value"));
    });
    assertEquals(List.of("value on true"), log);
  }

  @Test
  void join_onLoopThread_isRefused_offLoopReturnsValue() throws Exception {
    EventLoop loop = EventLoop.create().start();
    try {
      CompletableFuture<Promise<String>> made = new CompletableFuture<>();
      loop.execute(() -> {
        Promise<String> p = Promise.resolve("v");
        IllegalStateException e = assertThrows(IllegalStateException.class, p::join);
        assertTrue(e.getMessage().contains("join()"));
        made.complete(p);
      });
      assertEquals("v", made.get(10, TimeUnit.SECONDS).join());
    } finally {
      loop.close();
    }
  }

  @Test
  void stepApi_advanceFiresTimersInOrderUpToTarget() {
    EventLoop loop = virtual();
    loop.setTimeout(() -> log.add("a@" + loop.now()), 10);
    loop.setTimeout(() -> log.add("b@" + loop.now()), 30);
    loop.advance(20);
    assertEquals(List.of("a@10"), log);
    assertEquals(20, loop.now());
    loop.runUntilIdle();
    assertEquals(List.of("a@10"), log);
    loop.advance(Duration.ofMillis(10));
    assertEquals(List.of("a@10", "b@30"), log);
  }

  @Test
  void beforeExit_canScheduleMoreWork() {
    int[] rounds = {0};
    EventLoop[] holder = new EventLoop[1];
    EventLoop loop = EventLoop.builder().virtualTime().onBeforeExit(() -> {
      log.add("beforeExit " + rounds[0]);
      if (rounds[0]++ == 0) {
        holder[0].setTimeout(() -> log.add("timer from beforeExit"), 1);
      }
    }).build();
    holder[0] = loop;
    loop.run(() -> { });
    assertEquals(List.of("beforeExit 0", "timer from beforeExit", "beforeExit 1"), log);
  }

  @Test
  void stop_endsRunAtOnceWithoutRunningQueuedWork() {
    EventLoop loop = virtual();
    loop.run(() -> {
      loop.nextTick(() -> log.add("tick"));
      Promise.resolve().thenRun(() -> log.add("micro"));
      loop.setTimeout(() -> log.add("timer"), 0);
      loop.stop();
    });
    assertEquals(List.of(), log);
    assertFalse(loop.isVirtualTime() && loop.now() != 0);
  }

  @Test
  void realClock_timerFiresAfterItsDelay() {
    EventLoop loop = EventLoop.create();
    long[] elapsed = {0};
    long start = System.nanoTime();
    loop.run(() -> loop.setTimeout(() -> elapsed[0] = System.nanoTime() - start, 20));
    assertTrue(elapsed[0] >= TimeUnit.MILLISECONDS.toNanos(19), "fired after " + elapsed[0] + " ns");
  }

  @Test
  void spendTime_makesACallbackSlow_overdueIntervalRunsOncePerPhase() {
    EventLoop loop = virtual();
    loop.run(() -> {
      Timer[] i = new Timer[1];
      int[] runs = {0};
      i[0] = loop.setInterval(() -> {
        log.add("interval@" + loop.now());
        loop.spendTime(25);
        if (++runs[0] == 3) {
          i[0].clear();
        }
      }, 10);
    });
    assertEquals(List.of("interval@10", "interval@35", "interval@60"), log); // due at callback start + 10, missed runs not made up
  }

  @Test
  void advance_firesUnreferencedTimersOnTheWayToo() {
    EventLoop loop = virtual();
    loop.setTimeout(() -> log.add("unref'd@" + loop.now()), 10).unref();
    loop.advance(20);
    assertEquals(List.of("unref'd@10"), log);
    assertEquals(20, loop.now());
  }
}
