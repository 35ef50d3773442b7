package org.eventloop4j.conformance;

import java.util.List;
import java.util.function.Supplier;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/**
 * Port of {@code js/29-promise-all.js}. The async main function's four awaits become a {@code thenCompose}
 * chain (async/await is a later issue); a plain value in the input array becomes {@code
 * Promise.resolve(value)}, which is what the combinator does with it; {@code JSON.stringify} of the result
 * array is written out by hand.
 */
final class S29PromiseAll implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        var t = new Object() {
          Promise<String> later(long ms, String v) {
            return Promise.create((resolve, reject) -> loop.setTimeout(() -> {
              log.println("  settled " + v);
              resolve.accept(v);
            }, ms));
          }

          Promise<String> fail(long ms, String m) {
            return Promise.create((resolve, reject) -> loop.setTimeout(() -> {
              log.println("  failing " + m);
              reject.accept(new RuntimeException(m));
            }, ms));
          }
        };
        List<Supplier<Promise<?>>> steps = List.of(
            () -> Promise.all(t.later(30, "slow"), t.later(5, "fast"), Promise.resolve("plain"), Promise.resolve("resolved"))
                .thenAccept(vs -> log.println("all: " + Js.jsonStrings(vs))),
            () -> Promise.all(t.later(40, "ok"), t.fail(20, "second"), t.fail(10, "first"))
                .then(v -> null, e -> {
                  log.println("all rejected with: " + e.getMessage());
                  return null;
                }),
            () -> Promise.all(List.<Promise<String>>of()).thenAccept(vs -> log.println("all([]): " + Js.jsonStrings(vs))),
            () -> t.later(50, "drain"));
        Promise<?> chain = steps.get(0).get();
        for (Supplier<Promise<?>> step : steps.subList(1, steps.size())) {
          chain = chain.thenCompose(v -> step.get());
        }
      });
    }
  }
}
