package org.eventloop4j.conformance;

import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.stream.AsyncGenerator;
import org.eventloop4j.stream.AsyncIterable;
import org.eventloop4j.stream.AsyncIterator;
import org.eventloop4j.stream.IteratorResult;

/**
 * Port of {@code js/44-async-iteration-hop-costs.js}. The generators are {@code AsyncGenerator.of}, the
 * for-await loops {@code Async.forAwait} inside {@code Async.async} bodies, and the hand-written iterator an
 * {@link AsyncIterator} whose {@code next()} returns {@code Promise.resolve(result)}.
 */
final class S44AsyncIterationHopCosts implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        Js.ticker(loop, log, 8);
        gen("n").next().thenAccept(r -> log.println("first next() of a fresh generator: " + r.value()));
        Async.async(() -> {
          for (Object v : Async.forAwait(gen("g"))) {
            log.println("for await over a generator: " + v);
          }
          log.println("for await over a generator: done");
          return null;
        });
        AsyncIterable<String> handWritten = () -> new AsyncIterator<>() {
          int i;

          @Override
          public Promise<IteratorResult<String>> next() {
            i++;
            return Promise.resolve(new IteratorResult<>("h" + i, i > 3));
          }
        };
        Async.async(() -> {
          for (String v : Async.forAwait(handWritten)) {
            log.println("for await over a hand-written iterator: " + v);
          }
          log.println("for await over a hand-written iterator: done");
          return null;
        });
        log.println("sync end");
      });
    }
  }

  /**
   * {@code async function* gen(name) { yield name + '1'; yield Promise.resolve(name + '2'); yield name + '3'; }}.
   * Typed {@code Object} so that it can yield a promise, which {@code yield} awaits.
   */
  private static AsyncGenerator<Object> gen(String name) {
    return AsyncGenerator.of(y -> {
      y.yield(name + "1");
      y.yield(Promise.resolve(name + "2"));
      y.yield(name + "3");
    });
  }
}
