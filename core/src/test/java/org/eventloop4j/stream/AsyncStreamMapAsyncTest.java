package org.eventloop4j.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.eventloop4j.AbortError;
import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Timers;
import org.eventloop4j.stream.StreamFixtures.CountingSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class AsyncStreamMapAsyncTest {
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

  /** x after (5 - x) * 10 ms: later elements finish first. */
  private Promise<Integer> slow(int x) {
    log.add("start " + x + " at " + loop.now());
    return Timers.setTimeout((5 - x) * 10L, x * 10);
  }

  @Test
  void mapAsync_keepsInputOrder_withConcurrencyInFlight() {
    List<String> seen = new ArrayList<>();
    loop.run(() -> AsyncStream.range(1, 5).mapAsync(this::slow, 2).forEach(v -> seen.add(v + " at " + loop.now())));
    // 2 finishes at 30 but waits for 1 (head-of-line); 3 and 4 can start only when 1 and 2 are taken
    assertEquals(List.of("10 at 40", "20 at 40", "30 at 60", "40 at 60"), seen);
    assertEquals(List.of("start 1 at 0", "start 2 at 0", "start 3 at 40", "start 4 at 40"), log);
  }

  @Test
  void mapAsyncUnordered_emitsInCompletionOrder() {
    List<String> seen = new ArrayList<>();
    loop.run(() -> AsyncStream.range(1, 5).mapAsyncUnordered(this::slow, 2).forEach(v -> seen.add(v + " at " + loop.now())));
    assertEquals(List.of("20 at 30", "10 at 40", "30 at 50", "40 at 50"), seen);
    assertEquals(List.of("start 1 at 0", "start 2 at 0", "start 3 at 30", "start 4 at 40"), log);
  }

  @Test
  void trace_mapAsyncOverResolvedPromises_isDeterministic() {
    loop.run(() -> {
      AsyncStream.of(1, 2, 3).mapAsync(x -> {
        log.add("start " + x);
        return Promise.resolve(x * 10);
      }, 2).forEach(v -> log.add("each " + v)).thenRun(() -> log.add("done"));
      log.add("sync end");
    });
    assertEquals(List.of("start 1", "start 2", "sync end", "start 3", "each 10", "each 20", "each 30", "done"), log);
  }

  @Test
  void mapAsync_slowConsumer_holdsAtMostConcurrencyElements() {
    CountingSource src = new CountingSource(log, 100);
    List<Integer> pulls = new ArrayList<>();
    loop.run(() -> {
      AsyncIterator<Integer> it = AsyncStream.from(src).mapAsync(x -> Promise.resolve(x), 3).asyncIterator();
      it.next();
      loop.setTimeout(() -> {
        pulls.add(src.nextCalls);
        it.next();
      }, 10);
      loop.setTimeout(() -> {
        pulls.add(src.nextCalls);
        it.returnValue(null);
      }, 20);
    });
    // one taken + 3 held = 4 pulls; after a second take, 5
    assertEquals(List.of(4, 5), pulls);
    assertEquals(List.of("source closed"), log);
  }

  @Test
  void earlyClose_abortsWorkInFlight_throughTheSignal_andClosesTheSource() {
    List<String> seen = new ArrayList<>();
    Object r = outcome(() -> AsyncStream.from(StreamFixtures.slowGenerator(log, 0, List.of(1, 2, 3, 4, 5)))
        .mapAsync((x, signal) -> Timers.sleep(x * 10L, signal).then(v -> {
          seen.add("finished " + x);
          return x;
        }).catchCompose(e -> {
          seen.add("aborted " + x + " " + e.getClass().getSimpleName());
          return Promise.reject(e);
        }), 3)
        .take(1).toList());
    assertEquals(List.of(1), r);
    // 1, 2, 3 ran at once; when 1 was taken, take(1) closed the stage before 4 arrived from the generator
    assertEquals(List.of("finished 1", "aborted 2 AbortError", "aborted 3 AbortError"), seen);
    assertEquals(List.of("generator finally"), log);
  }

  @Test
  void oneCallRejects_failsAtOnce_abortsTheOthers_closesTheSource() {
    List<String> seen = new ArrayList<>();
    Object r = outcome(() -> AsyncStream.from(new CountingSource(log, 10)).mapAsync((x, signal) -> {
      if (x == 1) {
        return Timers.setTimeout(5, 0).thenCompose(v -> Promise.<Integer>reject(boom));
      }
      return Timers.sleep(100, signal).then(v -> x).catchCompose(e -> {
        seen.add("aborted " + x + ": " + e.getMessage());
        return Promise.reject(e);
      });
    }, 3).toList().andFinally(() -> seen.add("rejected at " + loop.now())));
    assertSame(boom, r);
    assertEquals(List.of("aborted 0: boom", "aborted 2: boom", "rejected at 5"), seen);
    assertEquals(List.of("source closed"), log);
  }

  @Test
  void functionThrowsOrReturnsNull_failsTheStream_andClosesTheSource() {
    assertSame(boom, outcome(() -> AsyncStream.from(new CountingSource(log, 5)).mapAsync(x -> {
      throw boom;
    }, 2).toList()));
    Object r = outcome(() -> AsyncStream.from(new CountingSource(log, 5)).mapAsync(x -> (Promise<Integer>) null, 2).toList());
    assertEquals("mapAsync function returned null", ((Throwable) r).getMessage());
    r = outcome(() -> AsyncStream.from(new CountingSource(log, 5)).mapAsyncUnordered(x -> Promise.resolve((Integer) null), 2).toList());
    assertInstanceOf(NullPointerException.class, r);
    assertEquals(List.of("source closed", "source closed", "source closed"), log);
  }

  @Test
  void upstreamError_failsTheStage_abortingWorkInFlight() {
    List<String> seen = new ArrayList<>();
    Object r = outcome(() -> AsyncStream.from(new CountingSource(log, 5).failingAt(2, boom))
        .mapAsync((x, signal) -> Timers.sleep(10, signal).then(v -> x).catchCompose(e -> {
          seen.add("aborted " + x);
          return Promise.reject(e);
        }), 4).toList());
    assertSame(boom, r);
    assertEquals(List.of("aborted 0", "aborted 1"), seen);
    assertEquals(List.of(), log, "the failed source is not closed");
  }

  @Test
  void closeFromDownstream_abortsWithAnAbortError() {
    AtomicReference<@Nullable Throwable> reason = new AtomicReference<>();
    loop.run(() -> {
      AsyncIterator<Integer> it = AsyncStream.range(0, 5).mapAsync((x, signal) -> {
        signal.addListener(() -> reason.set(signal.reason()));
        return Timers.setTimeout(10, x);
      }, 2).asyncIterator();
      it.next();
      it.returnValue(null);
    });
    assertInstanceOf(AbortError.class, reason.get());
  }

  // ---- property test: order / multiset, and the bound on held elements, against a model ----

  @Test
  void property_orderedKeepsOrder_unorderedKeepsMultiset_heldNeverExceedsConcurrency() {
    int cases = 150 * Integer.getInteger("eventloop4j.stress", 1);
    long base = new Random().nextLong();
    for (int c = 0; c < cases; c++) {
      long seed = base + c;
      try {
        runCase(new Random(seed));
      } catch (Throwable t) {
        throw new AssertionError("property failed for seed " + seed, t);
      }
    }
  }

  private void runCase(Random rnd) {
    EventLoop l = EventLoop.builder().virtualTime().build();
    int n = rnd.nextInt(40);
    int concurrency = 1 + rnd.nextInt(8);
    boolean ordered = rnd.nextBoolean();
    long[] fnDelay = new long[n];
    long[] consumerDelay = new long[n];
    for (int i = 0; i < n; i++) {
      fnDelay[i] = rnd.nextInt(6);
      consumerDelay[i] = rnd.nextInt(4);
    }
    int[] state = new int[4]; // started, settled, delivered, maxHeld
    List<Integer> out = new ArrayList<>();
    l.run(() -> Async.async(() -> {
      AsyncStream<Integer> s = AsyncStream.range(0, n);
      java.util.function.Function<Integer, Promise<Integer>> fn = x -> {
        state[0]++;
        state[3] = Math.max(state[3], state[0] - state[2]);
        Promise<Integer> p = fnDelay[x] == 0 ? Promise.resolve(x * 3) : Timers.setTimeout(fnDelay[x], x * 3);
        return p.then(v -> {
          state[1]++;
          return v;
        });
      };
      AsyncStream<Integer> mapped = ordered ? s.mapAsync(fn, concurrency) : s.mapAsyncUnordered(fn, concurrency);
      for (int v : Async.forAwait(mapped)) {
        state[2]++;
        out.add(v);
        long d = consumerDelay[v / 3];
        if (d > 0) {
          Async.await(Timers.sleep(d));
        }
      }
      return null;
    }));
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      expected.add(i * 3);
    }
    if (ordered) {
      assertEquals(expected, out);
    } else {
      List<Integer> sorted = new ArrayList<>(out);
      sorted.sort(null);
      assertEquals(expected, sorted);
    }
    assertEquals(n, state[1]);
    assertTrue(state[3] <= concurrency + 1, "held " + state[3] + " > concurrency " + concurrency + " (+1 being consumed)");
  }
}
