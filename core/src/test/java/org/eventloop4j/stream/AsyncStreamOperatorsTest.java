package org.eventloop4j.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.stream.StreamFixtures.CountingSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class AsyncStreamOperatorsTest {
  private final List<String> log = new ArrayList<>();
  private final EventLoop loop = EventLoop.builder().virtualTime().build();

  private <T> T await(java.util.function.Supplier<Promise<T>> body) {
    AtomicReference<@Nullable T> out = new AtomicReference<>();
    AtomicReference<@Nullable Throwable> err = new AtomicReference<>();
    loop.run(() -> body.get().then(v -> {
      out.set(v);
      return null;
    }, e -> {
      err.set(e);
      return null;
    }));
    if (err.get() != null) {
      throw new AssertionError("rejected", err.get());
    }
    return out.get();
  }

  // ---- sources ----

  @Test
  void from_iterable_isReIterable() {
    AsyncStream<Integer> s = AsyncStream.from(List.of(1, 2, 3));
    assertEquals(List.of(1, 2, 3), await(s::toList));
    assertEquals(List.of(1, 2, 3), await(s::toList));
  }

  @Test
  void from_javaStream_closesTheStreamAtItsEndAndOnEarlyClose() {
    AsyncStream<Integer> full = AsyncStream.from(Stream.of(1, 2).onClose(() -> log.add("closed full")));
    assertEquals(List.of(1, 2), await(full::toList));
    AsyncStream<Integer> part = AsyncStream.from(Stream.of(1, 2, 3).onClose(() -> log.add("closed part")));
    assertEquals(Integer.valueOf(1), await(part::first));
    assertEquals(List.of("closed full", "closed part"), log);
  }

  @Test
  void range_ofAndGenerate_produceTheirElements() {
    assertEquals(List.of(3, 4, 5), await(() -> AsyncStream.range(3, 6).toList()));
    assertEquals(List.of(), await(() -> AsyncStream.range(6, 3).toList()));
    assertEquals(List.of("a", "b"), await(() -> AsyncStream.of("a", "b").toList()));
    AtomicInteger c = new AtomicInteger();
    assertEquals(List.of(1, 2, 3), await(() -> AsyncStream.generate(c::incrementAndGet).take(3).toList()));
    assertEquals(3, c.get());
  }

  @Test
  void from_asyncStream_returnsTheSameStream() {
    AsyncStream<Integer> s = AsyncStream.of(1);
    assertTrue(AsyncStream.from((AsyncIterable<Integer>) s) == s);
  }

  @Test
  void from_asyncGenerator_yieldsItsValues() {
    assertEquals(List.of("x", "y"), await(() -> AsyncStream.from(StreamFixtures.slowGenerator(log, 10, List.of("x", "y"))).toList()));
    assertEquals(List.of("generator finally"), log);
  }

  @Test
  void from_asyncQueue_consumesUntilClosed_withTheQueuesBackpressure() {
    List<String> seen = new ArrayList<>();
    loop.run(() -> {
      org.eventloop4j.sync.AsyncQueue<Integer> q = org.eventloop4j.sync.AsyncQueue.bounded(2);
      AsyncStream.from(q).map(x -> x * 10).batch(2, 50).forEach(b -> seen.add(b + " at " + loop.now()));
      Async.async(() -> {
        for (int i = 1; i <= 5; i++) {
          Async.await(q.push(i));
          Async.await(org.eventloop4j.Timers.sleep(10));
        }
        q.close();
        return null;
      });
    });
    assertEquals(List.of("[10, 20] at 10", "[30, 40] at 30", "[50] at 50"), seen);
  }

  @Test
  void streams_areLazy_nothingRunsBeforeATerminal() {
    CountingSource src = new CountingSource(log, 3);
    loop.run(() -> {
      AsyncStream<Integer> s = AsyncStream.from(src).map(x -> {
        log.add("map " + x);
        return x;
      }).buffer(2).mapAsync(x -> Promise.resolve(x), 2);
      log.add("built " + s.getClass().getSimpleName());
    });
    assertEquals(0, src.opened);
    assertEquals(List.of("built AsyncStream"), log);
  }

  // ---- synchronous operators ----

  @Test
  void syncOperators_overASyncSource_giveTheRightElements() {
    assertEquals(List.of(20, 40), await(() -> AsyncStream.range(0, 5).map(x -> x * 10).filter(x -> x % 20 == 0).drop(1).toList()));
    assertEquals(List.of(0, 1, 2), await(() -> AsyncStream.range(0, 10).takeWhile(x -> x < 3).toList()));
    assertEquals(List.of(3, 4, 0), await(() -> AsyncStream.of(1, 2, 3, 4, 0).dropWhile(x -> x < 3).toList()));
    assertEquals(List.of(), await(() -> AsyncStream.range(0, 10).take(0).toList()));
  }

  @Test
  void syncOperators_overAnAsyncSource_giveTheSameElements() {
    CountingSource src = new CountingSource(log, 10);
    assertEquals(List.of(10, 30, 50), await(() -> AsyncStream.from(src).filter(x -> x % 2 == 1).map(x -> x * 10).take(3).toList()));
    assertEquals(List.of("source closed"), log);
  }

  @Test
  void take_closesTheUpstreamAtThePullAfterTheLastElement_likeTc39() {
    CountingSource src = new CountingSource(log, 10);
    loop.run(() -> {
      AsyncIterator<Integer> it = AsyncStream.from(src).take(2).asyncIterator();
      it.next().then(r -> log.add("1: " + r.value()))
          .thenCompose(x -> it.next()).then(r -> log.add("2: " + r.value() + " next calls " + src.nextCalls))
          .thenCompose(x -> it.next()).then(r -> log.add("3: done=" + r.done() + " next calls " + src.nextCalls));
    });
    assertEquals(List.of("1: 0", "2: 1 next calls 2", "source closed", "3: done=true next calls 2"), log);
  }

  @Test
  void takeWhile_closesTheUpstreamAtTheFirstMismatch() {
    CountingSource src = new CountingSource(log, 10);
    assertEquals(List.of(0, 1), await(() -> AsyncStream.from(src).takeWhile(x -> x < 2).toList()));
    assertEquals(List.of("source closed"), log);
    assertEquals(3, src.nextCalls);
  }

  @Test
  void peek_seesEachElementBeforeDownstream() {
    await(() -> AsyncStream.of(1, 2).peek(x -> log.add("peek " + x)).forEach(x -> log.add("each " + x)));
    assertEquals(List.of("peek 1", "each 1", "peek 2", "each 2"), log);
  }

  @Test
  void trace_syncPipeline_runsInOneMicrotaskQueuedByTheTerminal() {
    loop.run(() -> {
      AsyncStream.of(1, 2, 3).map(x -> {
        log.add("map " + x);
        return x * 10;
      }).filter(x -> x != 20).forEach(v -> log.add("each " + v)).thenRun(() -> log.add("done"));
      loop.queueMicrotask(() -> log.add("other microtask"));
      log.add("sync end");
    });
    assertEquals(List.of("sync end", "map 1", "each 10", "map 2", "map 3", "each 30", "other microtask", "done"), log);
  }

  @Test
  void trace_asyncSource_oneReactionPerStepForTheFusedStage() {
    loop.run(() -> {
      AsyncStream.from(new CountingSource(log, 3)).map(x -> {
        log.add("map " + x);
        return x * 10;
      }).filter(x -> x != 10).forEach(v -> log.add("each " + v)).thenRun(() -> log.add("done"));
      loop.queueMicrotask(() -> log.add("other microtask"));
      log.add("sync end");
    });
    assertEquals(List.of("sync end", "map 0", "other microtask", "each 0", "map 1", "map 2", "each 20", "done"), log);
  }

  @Test
  void fusedOperators_areFreshPerIteration() {
    AsyncStream<Integer> s = AsyncStream.range(0, 10).drop(2).take(3);
    assertEquals(List.of(2, 3, 4), await(s::toList));
    assertEquals(List.of(2, 3, 4), await(s::toList));
  }

  // ---- flatMap ----

  @Test
  void flatMap_iteratesEachInnerInTurn_syncAndAsyncInners() {
    assertEquals(List.of(1, 1, 2, 1, 2, 3), await(() -> AsyncStream.range(1, 4).flatMap(n -> AsyncStream.range(1, n + 1)).toList()));
    assertEquals(List.of("a0", "a1", "b0", "b1"), await(() -> AsyncStream.of("a", "b")
        .flatMap(p -> AsyncStream.from(new CountingSource(log, 2)).map(i -> p + i)).toList()));
  }

  @Test
  void flatMap_earlyClose_closesInnerAndOuter() {
    CountingSource outer = new CountingSource(new ArrayList<>(), 5);
    List<String> innerLog = new ArrayList<>();
    assertEquals(List.of(0, 1), await(() -> AsyncStream.from(outer)
        .flatMap(n -> AsyncStream.from(new CountingSource(innerLog, 3))).take(2).toList()));
    assertEquals(1, outer.returnCalls);
    assertEquals(List.of("source closed"), innerLog);
  }

  // ---- buffer ----

  @Test
  void buffer_readsAheadAtMostN() {
    CountingSource src = new CountingSource(log, 100);
    List<Integer> seen = new ArrayList<>();
    loop.run(() -> {
      AsyncIterator<Integer> it = AsyncStream.from(src).buffer(4).asyncIterator();
      it.next().then(r -> {
        seen.add(r.value());
        return null;
      });
      loop.setTimeout(() -> {
        seen.add(src.nextCalls);
        it.returnValue(null);
      }, 10);
    });
    // the first element was taken, then 4 more were read ahead: 5 pulls, no more
    assertEquals(List.of(0, 5), seen);
    assertEquals(List.of("source closed"), log);
  }

  @Test
  void buffer_deliversBufferedElementsBeforeTheUpstreamError() {
    CountingSource src = new CountingSource(log, 10).failingAt(3, new IllegalStateException("boom"));
    List<Object> seen = new ArrayList<>();
    loop.run(() -> AsyncStream.from(src).buffer(8).forEach(seen::add).catchError(e -> {
      seen.add(e.getMessage());
      return null;
    }));
    assertEquals(List.of(0, 1, 2, "boom"), seen);
    assertEquals(List.of(), log, "a failed source is not closed");
  }

  // ---- pipe ----

  @Test
  void pipe_userOperator_isAppliedPerIteration() {
    AtomicInteger applied = new AtomicInteger();
    AsyncStream<String> s = AsyncStream.range(0, 3).pipe(src -> {
      applied.incrementAndGet();
      return AsyncGenerator.<String>of(y -> {
        for (int v : Async.forAwait(src)) {
          y.yield("<" + v + ">");
        }
      });
    });
    assertEquals(0, applied.get());
    assertEquals(List.of("<0>", "<1>", "<2>"), await(s::toList));
    assertEquals(List.of("<0>", "<1>", "<2>"), await(s::toList));
    assertEquals(2, applied.get());
  }

  @Test
  void forAwait_overAStream_breakClosesTheSource() {
    CountingSource src = new CountingSource(log, 10);
    loop.run(() -> Async.async(() -> {
      try (var values = Async.forAwait(AsyncStream.from(src).map(x -> x * 2))) {
        for (int v : values) {
          log.add("v " + v);
          if (v == 4) {
            break;
          }
        }
      }
      log.add("after loop");
      return null;
    }));
    assertEquals(List.of("v 0", "v 2", "v 4", "source closed", "after loop"), log);
  }

  @Test
  void asyncIterator_queuedNextCalls_areServedInOrder() {
    List<Object> seen = new ArrayList<>();
    loop.run(() -> {
      AsyncIterator<Integer> it = AsyncStream.from(new CountingSource(log, 6)).filter(x -> x % 2 == 1).asyncIterator();
      for (int i = 0; i < 4; i++) {
        it.next().then(r -> seen.add(r.done() ? "done" : r.value()));
      }
    });
    assertEquals(List.of(1, 3, 5, "done"), seen);
  }
}
