package org.eventloop4j.conformance;

import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Thenable;

/**
 * Port of {@code js/34-await-tick-costs.js}. Each {@code (async () => { ... })()} is {@code Async.async}, and
 * {@code await x} is {@code Async.await(x)}. The thenable is a {@link Thenable} lambda. Java has no Promise
 * subclass ({@code Promise} is final). What V8 does with {@code SubPromise.resolve(3)} is what it does with
 * any foreign promise: it wraps it, and the wrapper's thenable job calls the subclass's {@code then}, which
 * registers on an already-fulfilled promise. The closest Java analogue is exactly that: a {@code Thenable}
 * whose {@code then} forwards to a fulfilled native promise, and it costs the same three hops.
 */
final class S34AwaitTickCosts implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        Js.ticker(loop, log, 5);
        Async.async(() -> {
          Async.await(Promise.resolve(1));
          log.println("resumed after await native promise");
          return null;
        });
        Async.async(() -> {
          Async.await((Object) 42);
          log.println("resumed after await 42");
          return null;
        });
        Async.async(() -> {
          Async.await((Thenable<Integer>) (resolve, reject) -> resolve.accept(7));
          log.println("resumed after await thenable");
          return null;
        });
        Async.async(() -> {
          Async.await(foreignPromise(Promise.resolve(3)));
          log.println("resumed after await subclass promise");
          return null;
        });
        log.println("sync end");
      });
    }
  }

  /** A promise of "another class": a thenable whose {@code then} is the native promise's (a subclass's then). */
  private static <T> Thenable<T> foreignPromise(Promise<T> p) {
    return (resolve, reject) -> p.then(v -> {
      resolve.accept(v);
      return null;
    }, e -> {
      reject.accept(e);
      return null;
    });
  }
}
