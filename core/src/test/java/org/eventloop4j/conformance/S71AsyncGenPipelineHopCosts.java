package org.eventloop4j.conformance;

import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;
import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.stream.AsyncGenerator;
import org.eventloop4j.stream.AsyncIterable;

/**
 * Port of {@code js/71-asyncgen-pipeline-hop-costs.js}: the stages are {@code AsyncGenerator.of} bodies
 * iterating the stage above with {@code Async.forAwait}, the consumer an {@code Async.async} body. It pins
 * the fused pulls that chain through the stages (a middle stage's segment, entered by a pull whose caller
 * awaits it at once, goes on at once where a resumed one would) against Node's hop counts.
 */
final class S71AsyncGenPipelineHopCosts implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        Async.async(() -> {
          AsyncIterable<Integer> doubled = map(log, source(loop, log, 7), x -> x * 2, "map1");
          AsyncIterable<Integer> pipeline = map(log, filter(log, doubled, x -> x % 3 != 0), x -> x + 1, "map2");
          for (int v : Async.forAwait(pipeline)) {
            log.println("consumer got " + v);
            if (v == 3) {
              Js.labelledTicker(loop, log, "a", 12);
            }
            if (v == 11) {
              Js.labelledTicker(loop, log, "b", 30);
            }
          }
          log.println("consumer done");
          return null;
        });
        log.println("sync end");
      });
    }
  }

  private static AsyncGenerator<Integer> source(EventLoop loop, Log log, int n) {
    return AsyncGenerator.of(y -> {
      for (int i = 0; i < n; i++) {
        if (i == 4) {
          Async.await(Js.sleep(loop, 1));
          log.println("source: timer fired");
        }
        log.println("source yields " + i);
        y.yield(i);
      }
      log.println("source returns");
    });
  }

  private static AsyncGenerator<Integer> map(Log log, AsyncIterable<Integer> inner, IntUnaryOperator f, String name) {
    return AsyncGenerator.of(y -> {
      for (int v : Async.forAwait(inner)) {
        if (name.equals("map1") && v == 1) {
          log.println(name + ": awaited " + Async.await(Promise.resolve(v)));
        }
        if (name.equals("map1") && v == 5) {
          EventLoop loop = EventLoop.current();
          loop.queueMicrotask(() -> {
            log.println(name + ": microtask queued before yielding " + f.applyAsInt(v));
            Js.labelledTicker(loop, log, "m", 8);
          });
        }
        log.println(name + " yields " + f.applyAsInt(v));
        y.yield(f.applyAsInt(v));
      }
      log.println(name + " returns");
    });
  }

  private static AsyncGenerator<Integer> filter(Log log, AsyncIterable<Integer> inner, IntPredicate p) {
    return AsyncGenerator.of(y -> {
      for (int v : Async.forAwait(inner)) {
        if (p.test(v)) {
          log.println("filter passes " + v);
          y.yield(v);
        } else {
          log.println("filter drops " + v);
        }
      }
      log.println("filter returns");
    });
  }
}
