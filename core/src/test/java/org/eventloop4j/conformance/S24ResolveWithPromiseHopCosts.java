package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/**
 * Port of {@code js/24-resolve-with-promise-hop-costs.js}. {@code then(() => p)} is {@code thenCompose(v ->
 * p)} (Java's {@code then} does not adopt). {@code Promise.resolve(p)} is written {@code
 * Promise.<Object>resolve(p)}: with an inferred type argument it would be typed {@code Promise<Promise<String>>}
 * although it returns {@code p} itself.
 */
final class S24ResolveWithPromiseHopCosts implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        Js.ticker(loop, log, 5);
        Promise<String> p = Promise.resolve("v");
        log.println("Promise.resolve(p) === p: " + ((Object) Promise.<Object>resolve(p) == p));
        Promise.<Object>create((resolve, reject) -> resolve.accept(p))
            .thenAccept(v -> log.println("new Promise(r => r(p)).then: " + v));
        Promise.resolve().thenCompose(v -> p).thenAccept(v -> log.println("then(() => p).then: " + v));
        Promise.resolve().then(v -> "plain").thenAccept(v -> log.println("then(() => plain).then: " + v));
        Promise.<Object>resolve(p).thenAccept(v -> log.println("Promise.resolve(p).then: " + v));
        Promise.<Object>create((resolve, reject) -> resolve.accept(Promise.reject(new RuntimeException("inner"))))
            .catchError(e -> {
              log.println("resolve(rejected).catch: " + e.getMessage());
              return null;
            });
        log.println("sync end");
      });
    }
  }
}
