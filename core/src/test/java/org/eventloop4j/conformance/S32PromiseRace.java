package org.eventloop4j.conformance;

import java.util.List;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/**
 * Port of {@code js/32-promise-race.js}. Plain values in the input become {@code Promise.resolve(value)};
 * the 'exit' listener is {@link NodeProcess#onExit}.
 */
final class S32PromiseRace implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      NodeProcess process = new NodeProcess(loop);
      process.run(() -> {
        var t = new Object() {
          Promise<String> later(long ms, String v, boolean ok) {
            return Promise.create((resolve, reject) -> loop.setTimeout(() -> {
              if (ok) {
                resolve.accept(v);
              } else {
                reject.accept(new RuntimeException(v));
              }
            }, ms));
          }
        };
        Promise.race(t.later(30, "slow", true), t.later(5, "fast", true)).thenAccept(v -> log.println("race 1: " + v));
        Promise.race(t.later(30, "slow ok", true), t.later(5, "fast fail", false)).catchError(e -> {
          log.println("race 2 rejected: " + e.getMessage());
          return null;
        });
        Promise.race(t.later(1, "timer", true), Promise.resolve("sync value"), Promise.resolve("resolved"))
            .thenAccept(v -> log.println("race 3: " + v));
        Promise.race(Promise.<String>reject(new RuntimeException("first rejected")), Promise.resolve("value"))
            .catchError(e -> {
              log.println("race 4: " + e.getMessage());
              return null;
            });
        Promise.race(List.<Promise<String>>of()).then(v -> {
          log.println("race([]) never settles");
          return null;
        }, e -> {
          log.println("race([]) never settles");
          return null;
        });
        process.onExit(code -> log.println("exit: race([]) left pending"));
      });
    }
  }
}
