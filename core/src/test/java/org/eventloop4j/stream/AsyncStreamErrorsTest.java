package org.eventloop4j.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.stream.StreamFixtures.CountingSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
@SuppressWarnings("NullAway")
class AsyncStreamErrorsTest {
  private final List<String> log = new ArrayList<>();
  private final EventLoop loop = EventLoop.builder().virtualTime().build();
  private final IllegalStateException boom = new IllegalStateException("boom");

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

  // ---- bad arguments: thrown when the stream is built, before anything is opened ----

  @Test
  @SuppressWarnings({"DataFlowIssue", "ConstantConditions"})
  void badArguments_throwAtOnce() {
    AsyncStream<Integer> s = AsyncStream.of(1);
    assertThrows(NullPointerException.class, () -> s.map(null));
    assertThrows(NullPointerException.class, () -> s.filter(null));
    assertThrows(NullPointerException.class, () -> s.flatMap(null));
    assertThrows(NullPointerException.class, () -> s.mapAsync((Function<Integer, Promise<Integer>>) null, 1));
    assertThrows(NullPointerException.class, () -> s.pipe(null));
    assertThrows(NullPointerException.class, () -> AsyncStream.from((Iterable<Integer>) null));
    assertThrows(NullPointerException.class, () -> AsyncStream.of(1, null));
    assertThrows(IllegalArgumentException.class, () -> s.mapAsync(Promise::resolve, 0));
    assertThrows(IllegalArgumentException.class, () -> s.mapAsyncUnordered(Promise::resolve, -1));
    assertThrows(IllegalArgumentException.class, () -> s.buffer(0));
    assertThrows(IllegalArgumentException.class, () -> s.batch(0));
    assertThrows(IllegalArgumentException.class, () -> s.batch(10, 0));
    assertThrows(IllegalArgumentException.class, () -> s.batch(10, Duration.ofMillis(-1)));
    assertThrows(IllegalArgumentException.class, () -> s.take(-1));
    assertThrows(IllegalArgumentException.class, () -> s.drop(-1));
    assertThrows(IllegalArgumentException.class, () -> AsyncStream.fromPublisher(sub -> {}, 0));
  }

  // ---- a user function that throws or returns null: through the promise, upstream released ----

  @Test
  void map_throws_closesTheSourceThenRejectsWithTheSameError_syncAndAsync() {
    assertSame(boom, outcome(() -> AsyncStream.from(new CountingSource(log, 5)).map(x -> {
      if (x == 2) {
        throw boom;
      }
      return x;
    }).toList()));
    assertEquals(List.of("source closed"), log);
    List<String> closed = new ArrayList<>();
    assertSame(boom, outcome(() -> AsyncStream.from(Stream.of(1, 2, 3).onClose(() -> closed.add("stream closed"))).map(x -> {
      throw boom;
    }).toList()));
    assertEquals(List.of("stream closed"), closed);
  }

  @Test
  void syncPipeline_actionThrowsOrTakeEnds_closesTheJavaStream() {
    List<String> closed = new ArrayList<>();
    assertSame(boom, outcome(() -> AsyncStream.from(Stream.of(1, 2, 3).onClose(() -> closed.add("closed 1")))
        .map(x -> x * 2).filter(x -> true).forEach(x -> {
          throw boom;
        })));
    assertEquals(List.of(2, 4), outcome(() -> AsyncStream.from(Stream.iterate(1, x -> x + 1).onClose(() -> closed.add("closed 2")))
        .map(x -> x * 2).take(2).toList()));
    assertEquals(List.of(4, 6), outcome(() -> AsyncStream.range(0, 100).map(x -> x * 2).filter(x -> x > 2).take(2).toList()));
    assertEquals(List.of("closed 1", "closed 2"), closed);
  }

  @Test
  void map_returnsNull_rejectsWithNpe_andClosesTheGenerator() {
    Object r = outcome(() -> AsyncStream.from(StreamFixtures.slowGenerator(log, 1, List.of(1, 2, 3))).map(x -> (Integer) null).toList());
    assertInstanceOf(NullPointerException.class, r);
    assertEquals("map function returned null", ((Throwable) r).getMessage());
    assertEquals(List.of("generator finally"), log);
  }

  @Test
  void filterAndPeekThrow_closeTheSource() {
    assertSame(boom, outcome(() -> AsyncStream.from(new CountingSource(log, 5)).filter(x -> {
      throw boom;
    }).count()));
    assertSame(boom, outcome(() -> AsyncStream.from(new CountingSource(log, 5)).peek(x -> {
      throw boom;
    }).count()));
    assertEquals(List.of("source closed", "source closed"), log);
  }

  @Test
  void sourceError_reachesTheTerminalWithItsCauseIntact_noCloseOfAFailedSource() {
    CountingSource src = new CountingSource(log, 5).failingAt(2, boom);
    assertSame(boom, outcome(() -> AsyncStream.from(src).map(x -> x + 1).filter(x -> true).buffer(2).batch(3).toList()));
    assertEquals(List.of(), log);
  }

  @Test
  void closeFailure_isSuppressedInThePrimaryError() {
    IllegalArgumentException closeError = new IllegalArgumentException("close failed");
    AsyncIterable<Integer> src = () -> new AsyncIterator<>() {
      @Override
      public Promise<IteratorResult<Integer>> next() {
        return Promise.resolve(IteratorResult.of(1));
      }

      @Override
      public Promise<IteratorResult<Integer>> returnValue(@Nullable Integer value) {
        return Promise.reject(closeError);
      }
    };
    Object r = outcome(() -> AsyncStream.from(src).map(x -> {
      throw boom;
    }).toList());
    assertSame(boom, r);
    assertSame(closeError, boom.getSuppressed()[0]);
  }

  @Test
  void earlyStop_closeFailure_rejectsTheTerminal() {
    IllegalArgumentException closeError = new IllegalArgumentException("close failed");
    AsyncIterable<Integer> src = () -> new AsyncIterator<>() {
      @Override
      public Promise<IteratorResult<Integer>> next() {
        return Promise.resolve(IteratorResult.of(1));
      }

      @Override
      public Promise<IteratorResult<Integer>> returnValue(@Nullable Integer value) {
        return Promise.reject(closeError);
      }
    };
    assertSame(closeError, outcome(() -> AsyncStream.from(src).first()));
  }

  @Test
  void brokenIterators_nullResultsAndNullElements_areClearErrors() {
    AsyncIterable<Integer> nullPromise = () -> () -> null;
    AsyncIterable<Integer> nullResult = () -> () -> Promise.resolve((IteratorResult<Integer>) null);
    AsyncIterable<Integer> nullElement = () -> () -> Promise.resolve(IteratorResult.of(null));
    assertInstanceOf(NullPointerException.class, outcome(() -> AsyncStream.from(nullPromise).toList()));
    assertInstanceOf(NullPointerException.class, outcome(() -> AsyncStream.from(nullResult).map(x -> x).toList()));
    Object r = outcome(() -> AsyncStream.from(nullElement).toList());
    assertTrue(((Throwable) r).getMessage().contains("must not be null"), String.valueOf(r));
    assertInstanceOf(NullPointerException.class, outcome(() -> AsyncStream.from(List.of(1)).flatMap(x -> null).toList()));
    assertInstanceOf(NullPointerException.class, outcome(() -> AsyncStream.of(1).pipe(x -> null).toList()));
    assertInstanceOf(NullPointerException.class, outcome(() -> AsyncStream.generate(() -> null).take(1).toList()));
  }

  @Test
  void flatMap_functionThrows_closesTheOuterSource() {
    assertSame(boom, outcome(() -> AsyncStream.from(new CountingSource(log, 5)).flatMap(x -> {
      throw boom;
    }).toList()));
    assertEquals(List.of("source closed"), log);
  }

  @Test
  void flatMap_innerFails_closesTheOuterSource() {
    List<String> innerLog = new ArrayList<>();
    assertSame(boom, outcome(() -> AsyncStream.from(new CountingSource(log, 5))
        .flatMap(x -> new CountingSource(innerLog, 3).failingAt(1, boom)).toList()));
    assertEquals(List.of("source closed"), log);
    assertEquals(List.of(), innerLog);
  }

  @Test
  void openingFails_rejectsTheTerminal() {
    AsyncIterable<Integer> unopenable = () -> {
      throw boom;
    };
    assertSame(boom, outcome(() -> AsyncStream.from(unopenable).map(x -> x).toList()));
    assertSame(boom, outcome(() -> AsyncStream.from(unopenable).toList()));
  }

  @Test
  void oneShotJavaStream_secondIterationFailsClearly() {
    AsyncStream<Integer> s = AsyncStream.from(Stream.of(1, 2));
    assertEquals(List.of(1, 2), outcome(s::toList));
    assertInstanceOf(IllegalStateException.class, outcome(s::toList));
  }
}
