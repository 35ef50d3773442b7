package org.eventloop4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;
import org.eventloop4j.stream.AsyncGenerator;
import org.eventloop4j.stream.AsyncIterable;
import org.junit.jupiter.api.Test;

/**
 * How many times the baton changes hands (EventLoop.handovers) for the async-iteration shapes the benchmarks
 * time: fixed by the program, so counted exactly. The minimum is two per stage a value passes through (the
 * pull in, the value out); the fused pulls reach it, also chained through a pipeline's middle stages.
 */
class HandOffCountTest {
  private static final int N = 300;

  @Test
  void forAwaitOverAGenerator_twoPerValue() {
    assumeFalse(Continuations.ENABLED, "the accelerator hands no baton");
    EventLoop loop = EventLoop.create();
    loop.run(() -> Async.async(() -> {
      for (int v : Async.forAwait(source(N))) {
        // nothing: the pulls are what is counted
      }
      return null;
    }));
    // per value: consumer -> generator, generator -> consumer; plus 8 whatever N is: the run's driver, the
    // body's first segment and first pull (not fused: its caller is the main task), the end of the generator
    // and of the body
    assertEquals(2 * N + 8, loop.handovers);
  }

  @Test
  void threeStagePipeline_twoPerStageAValuePassesThrough() {
    assumeFalse(Continuations.ENABLED, "the accelerator hands no baton");
    EventLoop loop = EventLoop.create();
    loop.run(() -> Async.async(() -> {
      for (int v : Async.forAwait(map(filter(map(source(N), x -> x * 2), x -> x % 3 != 0), x -> x + 1))) {
        // nothing
      }
      return null;
    }));
    // a value the filter passes crosses four stages (8 hand-offs), one it drops two (4): (2/3 * 8 + 1/3 * 4) N,
    // 6.7 per source item (11.3 when only the consumer's pulls were fused); plus 26 whatever N is, for the
    // first pull and the four stages' ends
    long minimum = 8 * (2 * N / 3) + 4 * (N / 3);
    assertEquals(minimum + 26, loop.handovers);
  }

  private static AsyncGenerator<Integer> source(int n) {
    return AsyncGenerator.of(y -> {
      for (int i = 0; i < n; i++) {
        y.yield(i);
      }
    });
  }

  private static AsyncGenerator<Integer> map(AsyncIterable<Integer> in, IntUnaryOperator f) {
    return AsyncGenerator.of(y -> {
      for (int v : Async.forAwait(in)) {
        y.yield(f.applyAsInt(v));
      }
    });
  }

  private static AsyncGenerator<Integer> filter(AsyncIterable<Integer> in, IntPredicate p) {
    return AsyncGenerator.of(y -> {
      for (int v : Async.forAwait(in)) {
        if (p.test(v)) {
          y.yield(v);
        }
      }
    });
  }
}
