package org.eventloop4j.conformance;

import java.util.List;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/** Port of {@code js/33-combinator-hop-costs.js}. */
final class S33CombinatorHopCosts implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        Js.ticker(loop, log, 4);
        Promise.all(ok(), ok()).thenRun(() -> log.println("all fulfilled"));
        Promise.all(ok(), bad()).catchError(e -> {
          log.println("all rejected");
          return null;
        });
        Promise.allSettled(ok(), bad()).thenRun(() -> log.println("allSettled fulfilled"));
        Promise.race(ok(), bad()).thenRun(() -> log.println("race fulfilled"));
        Promise.any(bad(), ok()).thenRun(() -> log.println("any fulfilled"));
        Promise.any(bad(), bad()).catchError(e -> {
          log.println("any rejected");
          return null;
        });
        Promise.all(List.<Promise<String>>of()).thenRun(() -> log.println("all([]) fulfilled"));
        Promise.allSettled(List.<Promise<String>>of()).thenRun(() -> log.println("allSettled([]) fulfilled"));
        Promise.any(List.<Promise<String>>of()).catchError(e -> {
          log.println("any([]) rejected");
          return null;
        });
        Promise.resolve().thenRun(() -> log.println("plain then"));
        log.println("sync end");
      });
    }
  }

  private static Promise<String> ok() {
    return Promise.resolve("ok");
  }

  private static Promise<String> bad() {
    return Promise.reject(new RuntimeException("bad"));
  }
}
