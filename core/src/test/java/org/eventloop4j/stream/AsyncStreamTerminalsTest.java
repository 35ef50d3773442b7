package org.eventloop4j.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.eventloop4j.AbortController;
import org.eventloop4j.AbortError;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.TypeError;
import org.eventloop4j.stream.StreamFixtures.CountingSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class AsyncStreamTerminalsTest {
  private final List<String> log = new ArrayList<>();
  private final EventLoop loop = EventLoop.builder().virtualTime().build();

  /** Runs {@code body} on the loop; the fulfilled value, or the rejection as a Throwable. */
  private @Nullable Object outcome(Supplier<Promise<?>> body) {
    AtomicReference<@Nullable Object> out = new AtomicReference<>();
    loop.run(() -> body.get().then(v -> {
      out.set(v);
      return null;
    }, e -> {
      out.set(e);
      return null;
    }));
    return out.get();
  }

  @Test
  void forEach_toList_count_reduce_onSyncAndAsyncSources() {
    List<Object> seen = new ArrayList<>();
    assertNull(outcome(() -> AsyncStream.range(0, 3).forEach(seen::add)));
    assertNull(outcome(() -> AsyncStream.from(new CountingSource(log, 3)).forEach(seen::add)));
    assertEquals(List.of(0, 1, 2, 0, 1, 2), seen);
    assertEquals(List.of(0, 1, 2), outcome(() -> AsyncStream.from(new CountingSource(log, 3)).toList()));
    assertEquals(5L, outcome(() -> AsyncStream.range(0, 5).count()));
    assertEquals(3L, outcome(() -> AsyncStream.from(new CountingSource(log, 3)).count()));
    assertEquals(10, outcome(() -> AsyncStream.range(0, 5).reduce(0, Integer::sum)));
    assertEquals("abc", outcome(() -> AsyncStream.of("a", "b", "c").reduce((a, b) -> a + b)));
    assertEquals(List.of(), log, "sources that ended are not closed");
  }

  @Test
  void reduce_withoutInitialOnAnEmptyStream_rejectsWithTypeError() {
    assertInstanceOf(TypeError.class, outcome(() -> AsyncStream.<Integer>of().reduce(Integer::sum)));
  }

  @Test
  void some_every_find_first_stopEarlyAndCloseTheSource() {
    assertEquals(true, outcome(() -> AsyncStream.from(new CountingSource(log, 10)).some(x -> x == 3)));
    assertEquals(false, outcome(() -> AsyncStream.from(new CountingSource(log, 10)).every(x -> x < 3)));
    assertEquals(4, outcome(() -> AsyncStream.from(new CountingSource(log, 10)).find(x -> x > 3)));
    assertEquals(0, outcome(() -> AsyncStream.from(new CountingSource(log, 10)).first()));
    assertEquals(List.of("source closed", "source closed", "source closed", "source closed"), log);
  }

  @Test
  void some_every_find_first_runToTheEndWhenNothingStopsThem() {
    assertEquals(false, outcome(() -> AsyncStream.range(0, 3).some(x -> x > 5)));
    assertEquals(true, outcome(() -> AsyncStream.range(0, 3).every(x -> x < 5)));
    assertNull(outcome(() -> AsyncStream.range(0, 3).find(x -> x > 5)));
    assertNull(outcome(() -> AsyncStream.<Integer>of().first()));
    assertEquals(true, outcome(() -> AsyncStream.<Integer>of().every(x -> false)));
  }

  @Test
  void first_onAGenerator_runsItsFinallyBeforeTheResult() {
    Object r = outcome(() -> AsyncStream.from(StreamFixtures.slowGenerator(log, 5, List.of("a", "b"))).first()
        .then(v -> {
          log.add("result " + v);
          return v;
        }));
    assertEquals("a", r);
    assertEquals(List.of("generator finally", "result a"), log);
  }

  @Test
  void abort_beforeStart_opensNothing() {
    CountingSource src = new CountingSource(log, 3);
    AbortSignal aborted = AbortSignal.abort(new IllegalStateException("gave up"));
    Object r = outcome(() -> AsyncStream.from(src).toList(aborted));
    assertEquals("gave up", ((Throwable) r).getMessage());
    assertEquals(0, src.opened);
  }

  @Test
  void abort_whileWaiting_rejectsAtOnceWithTheReasonAndClosesTheSource() {
    AbortController c = new AbortController();
    List<String> seen = new ArrayList<>();
    loop.run(() -> {
      AsyncStream.from(StreamFixtures.slowGenerator(log, 100, List.of(1, 2, 3)))
          .forEach(v -> seen.add("v " + v + " at " + loop.now()), c.signal())
          .catchError(e -> {
            seen.add(e.getClass().getSimpleName() + " at " + loop.now());
            return null;
          });
      loop.setTimeout(c::abort, 150);
    });
    assertEquals(List.of("v 1 at 100", "AbortError at 150"), seen);
    assertEquals(List.of("generator finally"), log);
  }

  @Test
  void abort_fromInsideTheCallback_stopsASyncPipelineAtOnce() {
    AbortController c = new AbortController();
    List<Object> seen = new ArrayList<>();
    Object r = outcome(() -> AsyncStream.range(0, 1_000_000).forEach(v -> {
      seen.add(v);
      if (v == 2) {
        c.abort();
      }
    }, c.signal()));
    assertInstanceOf(AbortError.class, r);
    assertEquals(List.of(0, 1, 2), seen);
  }

  @Test
  void forEach_actionThrows_closesTheSourceThenRejectsWithTheSameError() {
    IllegalStateException boom = new IllegalStateException("boom");
    CountingSource src = new CountingSource(log, 5);
    Object r = outcome(() -> AsyncStream.from(src).forEach(v -> {
      if (v == 1) {
        throw boom;
      }
    }).catchCompose(e -> {
      log.add("rejected");
      return Promise.reject(e);
    }));
    assertSame(boom, r);
    assertEquals(List.of("source closed", "rejected"), log);
  }

  @Test
  void terminal_onAOneShotSource_secondIterationIsEmpty() {
    List<Object> seen = new ArrayList<>();
    loop.run(() -> {
      AsyncStream<Integer> s = AsyncStream.from(StreamFixtures.slowGenerator(log, 0, List.of(1, 2)));
      s.toList().thenCompose(first -> {
        seen.add(first);
        return s.toList();
      }).then(second -> seen.add(second));
    });
    assertEquals(List.of(List.of(1, 2), List.of()), seen, "a generator is one-shot");
  }

  // Over an operator's stage the terminal switches to push mode after the first element (AsyncStage.pushTo):
  // the same endings, each close made from a later microtask, never from inside the stage.

  @Test
  void pushMode_someEveryFindFirst_overAnAsyncStage_stopEarlyAndCloseTheSource() {
    assertEquals(true, outcome(() -> AsyncStream.from(new CountingSource(log, 10)).map(x -> x).some(x -> x == 3)));
    assertEquals(false, outcome(() -> AsyncStream.from(new CountingSource(log, 10)).map(x -> x).every(x -> x < 3)));
    assertEquals(4, outcome(() -> AsyncStream.from(new CountingSource(log, 10)).map(x -> x).find(x -> x > 3)));
    assertEquals(8, outcome(() -> AsyncStream.from(new CountingSource(log, 10)).mapAsync(x -> Promise.resolve(x * 2), 3)
        .find(x -> x > 6)));
    assertEquals(List.of("source closed", "source closed", "source closed", "source closed"), log);
  }

  @Test
  void pushMode_actionThrows_overAnAsyncStage_closesTheSourceThenRejectsWithTheSameError() {
    IllegalStateException boom = new IllegalStateException("boom");
    List<Object> seen = new ArrayList<>();
    Object r = outcome(() -> AsyncStream.from(new CountingSource(log, 5)).mapAsyncUnordered(x -> Promise.resolve(x), 2)
        .forEach(v -> {
          seen.add(v);
          if (v == 2) {
            throw boom;
          }
        }).catchCompose(e -> {
          log.add("rejected");
          return Promise.reject(e);
        }));
    assertSame(boom, r);
    assertEquals(List.of(0, 1, 2), seen);
    assertEquals(List.of("source closed", "rejected"), log);
  }

  @Test
  void pushMode_abortFromInsideTheCallback_overAnAsyncStage_stopsAtOnceAndClosesTheSource() {
    AbortController c = new AbortController();
    List<Object> seen = new ArrayList<>();
    Object r = outcome(() -> AsyncStream.from(new CountingSource(log, 100)).map(x -> x).forEach(v -> {
      seen.add(v);
      if (v == 2) {
        c.abort();
      }
    }, c.signal()));
    assertInstanceOf(AbortError.class, r);
    assertEquals(List.of(0, 1, 2), seen);
    assertEquals(List.of("source closed"), log);
  }

  @Test
  void pushMode_upstreamFailsAfterTheFirstElement_rejectsWithItsErrorWithoutAClose() {
    IllegalStateException boom = new IllegalStateException("boom");
    List<Object> seen = new ArrayList<>();
    Object r = outcome(() -> AsyncStream.from(new CountingSource(log, 5).failingAt(2, boom)).map(x -> x).forEach(seen::add));
    assertSame(boom, r);
    assertEquals(List.of(0, 1), seen);
    assertEquals(List.of(), log, "a source that failed is not closed");
  }

  @Test
  void pushMode_endOfAnAsyncStage_settlesWithTheResult() {
    assertEquals(List.of(0, 2, 4, 6), outcome(() -> AsyncStream.from(new CountingSource(log, 4)).mapAsync(x -> Promise.resolve(x * 2), 2)
        .toList()));
    assertEquals(4L, outcome(() -> AsyncStream.from(new CountingSource(log, 4)).buffer(2).count()));
    assertEquals(List.of(), log);
  }
}
