package org.eventloop4j.stream;

import static org.eventloop4j.Async.async;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class AsyncGeneratorTest {
  private final List<String> log = new ArrayList<>();
  private final EventLoop loop = EventLoop.builder().virtualTime().build();

  private void logResult(String label, Promise<? extends IteratorResult<?>> p) {
    p.then(r -> log.add(label + " " + r.value() + (r.done() ? " done" : "")), e -> log.add(label + " threw " + e.getMessage()));
  }

  @Test
  void queuedNextCalls_areServedInOrder_bodyStartsInFirstNext() {
    loop.run(() -> {
      AsyncGenerator<Integer> g = AsyncGenerator.of(y -> {
        log.add("body starts");
        y.yield(1);
        Async.await(Async.sleep(10));
        y.yield(2);
      });
      logResult("a", g.next());
      log.add("after first next");
      logResult("b", g.next());
      logResult("c", g.next());
      logResult("d", g.next());
    });
    assertEquals(List.of("body starts", "after first next", "a 1", "b 2", "c null done", "d null done"), log);
  }

  @Test
  void returnAndThrowBeforeStart_neverRunTheBody() {
    loop.run(() -> {
      AsyncGenerator<Integer> g = AsyncGenerator.of(y -> log.add("body ran"));
      logResult("return", g.returnValue(7));
      logResult("next", g.next());
      AsyncGenerator<Integer> h = AsyncGenerator.of(y -> log.add("body ran"));
      logResult("throw", h.throwError(new IllegalStateException("e")));
      logResult("next after throw", h.next());
    });
    assertEquals(List.of("throw threw e", "next after throw null done", "return 7 done", "next null done"), log);
  }

  @Test
  void returnAtYield_runsFinallyThatAwaitsAndYieldsAgain() {
    loop.run(() -> {
      AsyncGenerator<String> g = AsyncGenerator.of(y -> {
        try {
          y.yield("first");
          log.add("never");
        } finally {
          Async.await(Async.sleep(5));
          y.yield("from finally");
          log.add("cleanup done");
        }
      });
      async(() -> {
        log.add(Async.await(g.next()).value());
        IteratorResult<String> r = Async.await(g.returnValue("ret"));
        log.add(r.value() + " done=" + r.done());
        r = Async.await(g.next());
        log.add(r.value() + " done=" + r.done());
        return null;
      });
    });
    assertEquals(List.of("first", "from finally done=false", "cleanup done", "ret done=true"), log);
  }

  @Test
  void returnAtYield_isInvisibleToCatchException_visibleToCatchThrowable() {
    List<String> seen = new ArrayList<>();
    loop.run(() -> {
      AsyncGenerator<Integer> byException = AsyncGenerator.of(y -> {
        try {
          y.yield(1);
        } catch (Exception e) {
          seen.add("catch Exception saw it");
        }
      });
      AsyncGenerator<Integer> byThrowable = AsyncGenerator.of(y -> {
        try {
          y.yield(1);
        } catch (Throwable t) {
          seen.add("catch Throwable saw " + t.getClass().getSimpleName());
          throw t;
        }
      });
      async(() -> {
        Async.await(byException.next());
        Async.await(byThrowable.next());
        log.add("r1 " + Async.await(byException.returnValue(5)));
        log.add("r2 " + Async.await(byThrowable.returnValue(6)));
        return null;
      });
    });
    assertEquals(List.of("catch Throwable saw GeneratorReturn"), seen);
    assertEquals(List.of("r1 IteratorResult[value=5, done=true]", "r2 IteratorResult[value=6, done=true]"), log);
  }

  @Test
  void throwAtYield_caughtInside_bodyYieldsAgain() {
    loop.run(() -> {
      AsyncGenerator<String> g = AsyncGenerator.of(y -> {
        try {
          y.yield("a");
        } catch (IllegalStateException e) {
          y.yield("caught " + e.getMessage());
        }
      });
      async(() -> {
        Async.await(g.next());
        log.add(Async.await(g.throwError(new IllegalStateException("x"))).value());
        log.add("" + Async.await(g.next()).done());
        return null;
      });
    });
    assertEquals(List.of("caught x", "true"), log);
  }

  /**
   * Yields whose await completes the request in the resumption job (the body parks once per yield): queued
   * requests, a rejected operand, and a return queued behind a next, interleaved with promise chains. Node
   * 20 printed this order for:
   * <pre>{@code
   * async function* g() {
   *   log('a'); yield 1; log('b');
   *   try { yield Promise.reject(new Error('r')); } catch (e) { log('caught ' + e.message); }
   *   yield 3; log('end');
   * }
   * const it = g();
   * it.next().then((r) => log('p1 ' + r.value));
   * it.next().then((r) => log('p2 ' + r.value));
   * Promise.resolve().then(() => log('m1')).then(() => log('m2')).then(() => log('m3')).then(() => log('m4')).then(() => log('m5'));
   * log('sync end');
   * setTimeout(() => {
   *   it.next().then((r) => log('p3 ' + r.value + ' ' + r.done));
   *   it.return(9).then((r) => log('p4 ' + r.value + ' ' + r.done));
   *   Promise.resolve().then(() => log('n1')).then(() => log('n2')).then(() => log('n3')).then(() => log('n4'));
   * }, 0);
   * }</pre>
   */
  @Test
  void yieldsServedByTheirAwaitJob_interleaveWithPromiseChainsAsInNode() {
    loop.run(() -> {
      AsyncGenerator<Object> g = AsyncGenerator.of(y -> {
        log.add("a");
        y.yield(1);
        log.add("b");
        try {
          y.yield(Promise.reject(new IllegalStateException("r")));
        } catch (IllegalStateException e) {
          log.add("caught " + e.getMessage());
        }
        y.yield(3);
        log.add("end");
      });
      g.next().thenAccept(r -> log.add("p1 " + r.value()));
      g.next().thenAccept(r -> log.add("p2 " + r.value()));
      Promise.resolve().thenRun(() -> log.add("m1")).thenRun(() -> log.add("m2")).thenRun(() -> log.add("m3"))
          .thenRun(() -> log.add("m4")).thenRun(() -> log.add("m5"));
      log.add("sync end");
      loop.setTimeout(() -> {
        g.next().thenAccept(r -> log.add("p3 " + r.value() + " " + r.done()));
        g.returnValue(9).thenAccept(r -> log.add("p4 " + r.value() + " " + r.done()));
        Promise.resolve().thenRun(() -> log.add("n1")).thenRun(() -> log.add("n2")).thenRun(() -> log.add("n3"))
            .thenRun(() -> log.add("n4"));
      }, 0);
    });
    assertEquals(List.of("a", "sync end", "b", "m1", "p1 1", "caught r", "m2", "m3", "p2 3", "m4", "m5", "end",
        "p3 null true", "n1", "p4 9 true", "n2", "n3", "n4"), log);
  }

  @Test
  void yieldOfRejectedPromise_throwsAtTheYield() {
    loop.run(() -> {
      AsyncGenerator<Object> g = AsyncGenerator.of(y -> {
        try {
          y.yield(Promise.reject(new IllegalStateException("bad value")));
        } catch (IllegalStateException e) {
          y.yield("recovered from " + e.getMessage());
        }
      });
      logResult("first", g.next());
    });
    assertEquals(List.of("first recovered from bad value"), log);
  }

  @Test
  void yieldAll_delegatesAndForwardsReturnValue() {
    loop.run(() -> {
      AsyncGenerator<Integer> inner = AsyncGenerator.of(y -> {
        try {
          y.yield(1);
          y.yield(2);
        } finally {
          log.add("inner finally");
        }
      });
      AsyncGenerator<Integer> outer = AsyncGenerator.of(y -> {
        y.yield(0);
        y.yieldAll(inner);
        y.yield(3);
      });
      async(() -> {
        log.add("v" + Async.await(outer.next()).value());
        log.add("v" + Async.await(outer.next()).value());
        IteratorResult<Integer> r = Async.await(outer.returnValue(9));
        log.add("returned " + r.value() + " " + r.done());
        return null;
      });
    });
    assertEquals(List.of("v0", "v1", "inner finally", "returned 9 true"), log);
  }

  @Test
  void forAwait_overGenerator_withBreakInTryWithResources_closesBeforeCodeAfterLoop() {
    loop.run(() -> {
      AsyncGenerator<Integer> g = AsyncGenerator.of(y -> {
        try {
          for (int i = 0; ; i++) {
            y.yield(i);
          }
        } finally {
          log.add("generator finally");
        }
      });
      async(() -> {
        try (var values = Async.forAwait(g)) {
          for (int v : values) {
            log.add("v" + v);
            if (v == 1) {
              break;
            }
          }
        }
        log.add("after loop");
        return null;
      });
    });
    assertEquals(List.of("v0", "v1", "generator finally", "after loop"), log);
  }

  @Test
  void forAwait_overSyncIterableOfPromises_awaitsInIterationOrder() {
    loop.run(() -> async(() -> {
      Promise<String> slow = Async.async(() -> {
        Async.await(Async.sleep(20));
        return "slow";
      });
      Promise<String> fast = Promise.resolve("fast");
      for (Object v : Async.forAwait(List.of(slow, fast, "plain"))) {
        log.add(v + "@" + loop.now());
      }
      return null;
    }));
    assertEquals(List.of("slow@20", "fast@20", "plain@20"), log);
  }

  /** The seed's AsyncDataSource: a user class implementing the protocol by hand. */
  static final class DataSource implements AsyncIterator<Integer>, AsyncIterable<Integer> {
    private int next;

    @Override
    public Promise<IteratorResult<Integer>> next() {
      return next < 3 ? Promise.resolve(IteratorResult.of(next++)) : Promise.resolve(IteratorResult.end());
    }

    @Override
    public AsyncIterator<Integer> asyncIterator() {
      return this;
    }
  }

  @Test
  void userIterator_worksInForAwaitAndForEach() {
    loop.run(() -> {
      async(() -> {
        for (int v : Async.forAwait(new DataSource())) {
          log.add("for-await " + v);
        }
        return null;
      }).thenCompose(v -> new DataSource().forEach(x -> log.add("forEach " + x)));
    });
    assertEquals(List.of("for-await 0", "for-await 1", "for-await 2", "forEach 0", "forEach 1", "forEach 2"), log);
  }

  @Test
  void forEach_actionThrows_closesIteratorAndRejects() {
    AtomicReference<Throwable> error = new AtomicReference<>();
    IllegalStateException boom = new IllegalStateException("stop");
    loop.run(() -> {
      AsyncGenerator<Integer> g = AsyncGenerator.of(y -> {
        try {
          y.yield(1);
          y.yield(2);
        } finally {
          log.add("closed");
        }
      });
      g.forEach(v -> {
        throw boom;
      }).catchError(e -> {
        error.set(e);
        return null;
      });
    });
    assertSame(boom, error.get());
    assertEquals(List.of("closed"), log);
  }

  @Test
  void bodyCallingItsOwnNext_isQueuedLikeJavaScript() {
    loop.run(() -> {
      AsyncGenerator<?>[] self = new AsyncGenerator<?>[1];
      AsyncGenerator<Integer> g = AsyncGenerator.of(y -> {
        self[0].next().then(r -> log.add("own next " + r.value()));
        y.yield(1);
        y.yield(2);
      });
      self[0] = g;
      logResult("outer", g.next());
    });
    assertEquals(List.of("outer 1", "own next 2"), log);
  }

  @Test
  void yield_outsideItsBody_orFromAnotherThread_isRefused() throws Exception {
    AtomicReference<AsyncGenerator.@Nullable Yielder<Integer>> leaked = new AtomicReference<>();
    loop.run(() -> {
      AsyncGenerator<Integer> g = AsyncGenerator.of(y -> {
        leaked.set(y);
        y.yield(1);
      });
      g.next();
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> leaked.get().yield(2));
      log.add(e.getMessage().contains("outside its own generator's body") ? "refused on loop" : e.getMessage());
    });
    AtomicReference<Throwable> fromThread = new AtomicReference<>();
    Thread t = Thread.ofPlatform().start(() -> {
      try {
        leaked.get().yield(3);
      } catch (Throwable e) {
        fromThread.set(e);
      }
    });
    t.join();
    assertTrue(fromThread.get() instanceof IllegalStateException);
    assertEquals(List.of("refused on loop"), log);
  }

  @Test
  void abandonedHalfWay_doesNotKeepLoopAlive_andItsFinallyRunsAtTheEnd() {
    List<AsyncGenerator<Integer>> kept = new ArrayList<>(); // one nobody holds may be collected first
    loop.run(() -> {
      AsyncGenerator<Integer> g = AsyncGenerator.of(y -> {
        try {
          y.yield(1);
          y.yield(2);
        } finally {
          log.add("unwound");
        }
      });
      kept.add(g);
      g.next();
    });
    assertEquals(List.of("unwound"), log);
  }

  @Test
  void finish_isInvisibleToCatchException_andOutsideItsBodyIsRefused() {
    AtomicReference<AsyncGenerator.@Nullable Yielder<String>> leaked = new AtomicReference<>();
    loop.run(() -> {
      AsyncGenerator<String> g = AsyncGenerator.of(y -> {
        leaked.set(y);
        try {
          y.finish("ret");
        } catch (Exception e) {
          log.add("catch (Exception) saw " + e);
        }
        log.add("never: finish does not return");
      });
      logResult("next", g.next());
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> leaked.get().finish("x"));
      log.add(e.getMessage().contains("Yielder.finish called outside") ? "refused" : e.getMessage());
    });
    assertEquals(List.of("refused", "next ret done"), log);
  }

  @Test
  void yieldAll_overSyncIterable_awaitsEachElement_aRejectedOneThrowsThere() {
    loop.run(() -> {
      AsyncGenerator<Object> g = AsyncGenerator.of(y -> {
        try {
          y.yieldAll(List.of("a", Promise.resolve("b"), Promise.reject(new IllegalStateException("bad")), "never"));
        } catch (IllegalStateException e) {
          y.yield("caught " + e.getMessage());
        }
      });
      async(() -> {
        for (Object v : Async.forAwait(g)) {
          log.add(String.valueOf(v));
        }
        return null;
      });
    });
    assertEquals(List.of("a", "b", "caught bad"), log);
  }

  @Test
  void returnValue_duringYieldAllOverSyncIterable_closesTheSource() {
    class Source implements Iterable<Integer>, java.util.Iterator<Integer>, AutoCloseable {
      private int next;

      @Override
      public java.util.Iterator<Integer> iterator() {
        return this;
      }

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Integer next() {
        return next++;
      }

      @Override
      public void close() {
        log.add("source closed");
      }
    }
    loop.run(() -> {
      AsyncGenerator<Integer> g = AsyncGenerator.of(y -> {
        try {
          y.yieldAll(new Source());
        } finally {
          log.add("body finally");
        }
      });
      async(() -> {
        log.add("got " + Async.await(g.next()).value());
        log.add("got " + Async.await(g.next()).value());
        IteratorResult<Integer> r = Async.await(g.returnValue(9));
        log.add(r.value() + " done=" + r.done());
        return null;
      });
    });
    assertEquals(List.of("got 0", "got 1", "source closed", "body finally", "9 done=true"), log);
  }

  @Test
  void sentValues_reachYieldThroughYieldAll_aPlainIteratorIgnoresThem() {
    loop.run(() -> {
      AsyncIterable<String> plain = () -> new AsyncIterator<>() {
        private int n;

        @Override
        public Promise<IteratorResult<String>> next() {
          return Promise.resolve(n < 2 ? IteratorResult.of("plain" + n++) : new IteratorResult<>("plain-ret", true));
        }
      };
      AsyncGenerator<String> inner = AsyncGenerator.of(y -> log.add("inner got " + y.yield("i")));
      AsyncGenerator<String> g = AsyncGenerator.of(y -> {
        log.add("plain returned " + y.yieldAll(plain));
        log.add("inner returned " + y.yieldAll(inner));
      });
      async(() -> {
        for (String sent : List.of("s0", "s1", "s2", "s3", "s4")) {
          IteratorResult<String> r = Async.await(g.next(sent));
          log.add(sent + " -> " + r.value() + (r.done() ? " done" : ""));
        }
        return null;
      });
    });
    assertEquals(List.of("s0 -> plain0", "s1 -> plain1", "plain returned plain-ret", "s2 -> i", "inner got s3",
        "inner returned null", "s3 -> null done", "s4 -> null done"), log);
  }

  @Test
  void nullBodyOrIterable_isRefused() {
    loop.run(() -> {
      assertThrows(NullPointerException.class, () -> AsyncGenerator.of(null));
      assertThrows(NullPointerException.class, () -> Async.forAwait((AsyncIterable<Object>) null));
      AsyncGenerator<Object> g = AsyncGenerator.of(y -> {
        try {
          y.yieldAll((Iterable<Object>) null);
        } catch (NullPointerException e) {
          log.add("sync source refused");
        }
        try {
          y.yieldAll((AsyncIterable<Object>) null);
        } catch (NullPointerException e) {
          log.add("async source refused");
        }
      });
      g.next();
    });
    assertEquals(List.of("sync source refused", "async source refused"), log);
  }
}
