package org.eventloop4j;

import static org.eventloop4j.Async.async;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class AsyncTest {
  private final List<String> log = new ArrayList<>();
  private final EventLoop loop = EventLoop.builder().virtualTime().build();
  /** Resolvers kept reachable, so that the bodies awaiting their promises stay in memory until the run ends. */
  private final List<Resolvers<Object>> kept = new ArrayList<>();

  /** A promise that is never settled, though it could be: a body awaiting it is unwound when the run ends. */
  private Promise<Object> neverSettled() {
    Resolvers<Object> r = Promise.withResolvers();
    kept.add(r);
    return r.promise();
  }

  private void tick(int hops) {
    int[] k = {0};
    Runnable[] t = new Runnable[1];
    t[0] = () -> {
      log.add("tick " + ++k[0]);
      if (k[0] < hops) {
        loop.queueMicrotask(t[0]);
      }
    };
    loop.queueMicrotask(t[0]);
  }

  @Test
  void async_runsSynchronouslyUntilFirstAwait_then_callerContinues() {
    loop.run(() -> {
      async(() -> {
        log.add("1");
        Async.await(Promise.resolve());
        log.add("2");
        return null;
      });
      log.add("3");
    });
    assertEquals(List.of("1", "3", "2"), log);
  }

  @Test
  void twoBodies_interleaveOneHopAtATime() {
    loop.run(() -> {
      for (String name : List.of("a", "b")) {
        async(() -> {
          for (int i = 0; i < 3; i++) {
            log.add(name + i);
            Async.await((Object) i);
          }
          return null;
        });
      }
    });
    assertEquals(List.of("a0", "b0", "a1", "b1", "a2", "b2"), log);
  }

  @Test
  void awaitHopCounts_promiseAndValueOne_thenableAndStageTwo() {
    loop.run(() -> {
      tick(4);
      async(() -> {
        Async.await(Promise.resolve(1));
        log.add("promise");
        return null;
      });
      async(() -> {
        Async.await((Object) "v");
        log.add("value");
        return null;
      });
      async(() -> {
        Async.await((Thenable<String>) (ok, err) -> ok.accept("t"));
        log.add("thenable");
        return null;
      });
      async(() -> {
        Async.await(CompletableFuture.completedFuture("s"));
        log.add("stage");
        return null;
      });
    });
    assertEquals(List.of("tick 1", "promise", "value", "tick 2", "thenable", "stage", "tick 3", "tick 4"), log);
  }

  @Test
  void returnAwaitSettlesSoonerThanReturnPromise() {
    loop.run(() -> {
      tick(4);
      Promise<String> ready = Promise.resolve("x");
      Async.<Object>async(() -> ready).thenAccept(v -> log.add("return p"));
      async(() -> Async.await(ready)).thenAccept(v -> log.add("return await p"));
    });
    assertEquals(List.of("tick 1", "tick 2", "return await p", "tick 3", "return p", "tick 4"), log);
  }

  @Test
  void throwBeforeFirstAwait_rejectsAndNeverReachesCaller() {
    IllegalStateException boom = new IllegalStateException("boom");
    AtomicReference<Throwable> seen = new AtomicReference<>();
    loop.run(() -> {
      Promise<Object> p = async(() -> {
        throw boom;
      });
      log.add("caller continues");
      p.catchError(e -> {
        seen.set(e);
        return null;
      });
    });
    assertEquals(List.of("caller continues"), log);
    assertSame(boom, seen.get());
  }

  @Test
  void awaitOfRejection_throwsTheVeryReason_evenChecked_andFinallyRunsBeforeSettling() {
    IOException io = new IOException("disk");
    AtomicReference<Throwable> caught = new AtomicReference<>();
    loop.run(() -> async(() -> {
      try {
        Async.await(Promise.reject(io));
      } catch (Exception e) {
        caught.set(e);
      } finally {
        log.add("finally");
      }
      return "done";
    }).thenAccept(log::add));
    assertSame(io, caught.get());
    assertEquals(List.of("finally", "done"), log);
  }

  @Test
  void sleep_onVirtualTime_resumesAtTheRightTime() {
    loop.run(() -> async(() -> {
      for (int i = 0; i < 3; i++) {
        Async.await(Async.sleep(1000));
        log.add("at " + loop.now());
      }
      return null;
    }));
    assertEquals(List.of("at 1000", "at 2000", "at 3000"), log);
  }

  @Test
  void currentLoop_isVisibleInsideBodies_beforeAndAfterAwait() {
    List<EventLoop> seen = new ArrayList<>();
    loop.run(() -> async(() -> {
      seen.add(EventLoop.current());
      Async.await(Async.sleep(5));
      seen.add(EventLoop.current());
      return null;
    }));
    assertEquals(List.of(loop, loop), seen);
  }

  @Test
  void stackTrace_showsTheBodyFrames() {
    AtomicReference<Throwable> error = new AtomicReference<>();
    loop.run(() -> async(() -> {
      Async.await(Async.sleep(1));
      return failingHelper();
    }).catchError(e -> {
      error.set(e);
      return null;
    }));
    assertTrue(Arrays.stream(error.get().getStackTrace()).anyMatch(f -> f.getMethodName().equals("failingHelper")));
  }

  private static Object failingHelper() {
    throw new IllegalStateException("from a helper");
  }

  @Test
  void await_outsideAnAsyncBody_failsAtOnceWithAClearMessage() {
    loop.run(() -> {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> Async.await(Promise.resolve(1)));
      assertTrue(e.getMessage().contains("outside an async body"), e.getMessage());
      loop.setTimeout(() -> log.add("loop keeps running"), 1);
    });
    assertEquals(List.of("loop keeps running"), log);
    assertThrows(IllegalStateException.class, () -> Async.await(CompletableFuture.completedFuture(1)));
  }

  @Test
  void await_fromACallbackRunningWhileABodyIsSuspended_isRefused() {
    loop.run(() -> async(() -> {
      loop.queueMicrotask(() -> {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Async.await((Object) 1));
        log.add(e.getMessage().contains("outside an async body") ? "refused" : e.getMessage());
      });
      Async.await(Async.sleep(1));
      return null;
    }));
    assertEquals(List.of("refused"), log);
  }

  @Test
  void bodyOrCallbackReplacingItsThreadsUncaughtHandler_failsClearlyAtMost_andLaterBodiesAreUnaffected() {
    Thread.UncaughtExceptionHandler mine = (t, e) -> { };
    loop.run(() -> {
      loop.queueMicrotask(() -> Thread.currentThread().setUncaughtExceptionHandler(mine));
      loop.queueMicrotask(() -> log.add("callback still on " + (EventLoop.tryCurrent() == loop ? "its loop" : "no loop")));
      Promise<Object> first = async(() -> {
        Async.await(Promise.resolve(1));
        Thread.currentThread().setUncaughtExceptionHandler(mine);
        return Async.await(Promise.resolve(2)); // default mode: no longer recognised as a body
      });
      first.then(v -> log.add("first " + v), e -> log.add("first refused: "
          + (e instanceof IllegalStateException && e.getMessage().contains("no event loop is running on thread"))));
      loop.setTimeout(() -> async(() -> {
        Async.await(Async.sleep(1));
        log.add("later body awaits on " + (EventLoop.current() == loop ? "its loop" : "another"));
        return null;
      }), 1);
    });
    assertEquals("callback still on its loop", log.get(0));
    assertEquals(Continuations.ENABLED ? "first 2" : "first refused: true", log.get(1));
    assertEquals(List.of("later body awaits on its loop"), log.subList(2, log.size()));
  }

  @Test
  void nullBody_isRefused() {
    loop.run(() -> assertThrows(NullPointerException.class, () -> async(null)));
  }

  @Test
  void suspendedForever_doesNotKeepLoopAlive_andIsUnwoundWhenRunEnds() {
    loop.run(() -> async(() -> {
      try {
        Async.await(neverSettled());
        log.add("never");
      } finally {
        log.add("unwound");
      }
      return null;
    }));
    assertEquals(List.of("unwound"), log);
  }

  @Test
  void manyBodiesPingPong_throughPendingPromises_keepStrictAlternation() {
    int rounds = 1000;
    loop.run(() -> {
      Resolvers<?>[] box = new Resolvers<?>[1];
      int[] turns = {0, 0};
      async(() -> {
        for (int i = 0; i < rounds; i++) {
          Resolvers<Object> r = Promise.withResolvers();
          box[0] = r;
          Async.await(r.promise());
          turns[0]++;
        }
        return null;
      });
      async(() -> {
        for (int i = 0; i < rounds; i++) {
          Async.await((Object) null);
          assertEquals(turns[0], i);
          Resolvers<?> r = box[0];
          box[0] = null;
          r.resolve(null);
          turns[1]++;
        }
        return null;
      });
    });
    assertFalse(log.contains("error"));
  }

  @Test
  void nestedAsyncCalls_runSynchronouslyInsideEachOther() {
    loop.run(() -> async(() -> {
      log.add("outer start");
      Promise<String> inner = async(() -> {
        log.add("inner start");
        Async.await(Async.sleep(1));
        log.add("inner end");
        return "r";
      });
      log.add("outer after call");
      log.add("outer got " + Async.await(inner));
      return null;
    }));
    assertEquals(List.of("outer start", "inner start", "outer after call", "inner end", "outer got r"), log);
  }

  @Test
  void deepRecursionOfAsyncCalls_resolves() {
    int depth = 200;
    AtomicReference<Integer> result = new AtomicReference<>();
    loop.run(() -> recurse(depth).thenAccept(result::set));
    assertEquals(depth, result.get());
  }

  private static Promise<Integer> recurse(int n) {
    return async(() -> n == 0 ? 0 : 1 + Async.await(recurse(n - 1)));
  }

  @Test
  void errorThrownInsideBody_rejectsOnlyItsPromise_loopGoesOn() {
    loop.run(() -> {
      async(() -> {
        Async.await(Async.sleep(1));
        throw new IllegalArgumentException("bad");
      }).catchError(e -> {
        log.add("rejected " + e.getMessage());
        return null;
      });
      loop.setTimeout(() -> log.add("timer"), 2);
    });
    assertEquals(List.of("rejected bad", "timer"), log);
  }

  @Test
  void unhandledRejectionOfAnAsyncFunction_failsTheRun() {
    IllegalStateException boom = new IllegalStateException("nobody catches");
    assertSame(boom, assertThrows(IllegalStateException.class, () -> loop.run(() -> async(() -> {
      Async.await(Async.sleep(1));
      throw boom;
    }))));
  }

  @Test
  void stepApi_bodiesStaySuspendedBetweenAdvances() {
    async_inStepMode();
    assertEquals(List.of("before", "after 100"), log);
  }

  private void async_inStepMode() {
    loop.execute(() -> async(() -> {
      log.add("before");
      Async.await(Async.sleep(100));
      log.add("after " + loop.now());
      return null;
    }));
    loop.runUntilIdle();
    assertEquals(List.of("before"), log);
    loop.advance(50);
    assertEquals(List.of("before"), log);
    loop.advance(50);
  }

  /** Runs {@code scenario} twice — with await(async(fn)) and with awaitCall(fn) — and compares the traces. */
  private void sameTraceFusedAndUnfused(java.util.function.BiConsumer<List<String>, Boolean> scenario) {
    List<String> unfused = new ArrayList<>();
    List<String> fused = new ArrayList<>();
    EventLoop.builder().virtualTime().build().run(() -> scenario.accept(unfused, false));
    EventLoop.builder().virtualTime().build().run(() -> scenario.accept(fused, true));
    assertEquals(unfused, fused);
    assertFalse(unfused.isEmpty());
  }

  private static <T> T call(boolean fused, java.util.concurrent.Callable<T> fn) {
    return fused ? Async.awaitCall(fn) : Async.await(async(fn));
  }

  @Test
  void awaitCall_isObservablyIdenticalToAwaitOfAsync() {
    sameTraceFusedAndUnfused((trace, fused) -> {
      EventLoop l = EventLoop.current();
      int[] k = {0};
      Runnable[] ticker = new Runnable[1];
      ticker[0] = () -> {
        trace.add("tick " + ++k[0]);
        if (k[0] < 12) {
          l.queueMicrotask(ticker[0]);
        }
      };
      l.queueMicrotask(ticker[0]);
      async(() -> {
        trace.add("a " + call(fused, () -> 1));
        trace.add("b " + call(fused, () -> Async.await(Promise.resolve(2))));
        trace.add("c " + call(fused, () -> {
          Async.await((Object) 0);
          return Async.await(Promise.resolve(3)) + call(fused, () -> 4);
        }));
        Object adopted = call(fused, () -> Promise.resolve("p"));
        trace.add("d " + adopted);
        try {
          call(fused, () -> {
            throw new IllegalStateException("e");
          });
        } catch (IllegalStateException e) {
          trace.add("caught " + e.getMessage());
        }
        return null;
      });
      async(() -> {
        for (int i = 0; i < 4; i++) {
          trace.add("other " + i);
          Async.await((Object) i);
        }
        return null;
      });
    });
  }

  @Test
  void fatalErrorWhileABodyDrivesTheLoop_endsTheRun_unwindsBodies_andRunThrowsIt() {
    IllegalStateException boom = new IllegalStateException("timer fails");
    IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> loop.run(() -> {
      for (int b = 0; b < 3; b++) {
        int id = b;
        async(() -> {
          try {
            Async.await((Object) null);
            Async.await(Async.sleep(100));
            log.add("never " + id);
          } finally {
            log.add("unwound " + id);
          }
          return null;
        });
      }
      loop.setTimeout(() -> {
        throw boom;
      }, 50);
    }));
    assertSame(boom, thrown);
    assertEquals(3, log.stream().filter(l -> l.startsWith("unwound")).count());
    assertFalse(log.stream().anyMatch(l -> l.startsWith("never")));
    assertEquals(0, Strand.live());
    loop.run(() -> async(() -> {
      Async.await(Async.sleep(1));
      log.add("loop usable again");
      return null;
    }));
    assertTrue(log.contains("loop usable again"));
  }

  @Test
  void closeWhileBodiesAreSuspended_unwindsThem() {
    EventLoop started = EventLoop.create().start();
    java.util.concurrent.CountDownLatch suspended = new java.util.concurrent.CountDownLatch(1);
    List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
    started.execute(() -> async(() -> {
      try {
        suspended.countDown();
        Async.await(neverSettled());
      } finally {
        events.add("unwound on close");
      }
      return null;
    }));
    try {
      assertTrue(suspended.await(10, java.util.concurrent.TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    started.close();
    assertEquals(List.of("unwound on close"), events);
  }
}
