package org.eventloop4j.conformance;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/**
 * Port of {@code js/60-for-await-array-hop-costs.js}. Arrays are {@code List}s and the sync generator an
 * {@link Iterator}; {@code Async.forAwait(Iterable)} wraps each in the async-from-sync iterator.
 */
final class S60ForAwaitArrayHopCosts implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        Js.ticker(loop, log, 9);
        Async.async(() -> {
          for (Object v : Async.forAwait(List.of("a1", "a2", "a3"))) {
            log.println("plain values: " + v);
          }
          log.println("plain values: done");
          return null;
        });
        Async.async(() -> {
          for (Object v : Async.forAwait(List.of(Promise.resolve("p1"), Promise.resolve("p2")))) {
            log.println("resolved promises: " + v);
          }
          log.println("resolved promises: done");
          return null;
        });
        Iterable<Object> syncGen = () -> new Iterator<>() {
          private int i;

          @Override
          public boolean hasNext() {
            return i < 2;
          }

          @Override
          public Object next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            return "s" + ++i;
          }
        };
        Async.async(() -> {
          for (Object v : Async.forAwait(syncGen)) {
            log.println("sync generator: " + v);
          }
          log.println("sync generator: done");
          return null;
        });
        log.println("sync end");
      });
    }
  }
}
