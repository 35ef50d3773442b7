package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/** Port of {@code js/28-finally-hop-costs.js}; {@code finally} is {@code andFinally}/{@code andFinallyCompose}. */
final class S28FinallyHopCosts implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        Js.ticker(loop, log, 5);
        Promise.resolve("a").thenRun(() -> log.println("then handler")).thenRun(() -> log.println("then after then"));
        Promise.resolve("b")
            .andFinally(() -> log.println("finally callback"))
            .thenAccept(v -> log.println("then after finally: " + v));
        Promise.<String>reject(new RuntimeException("c"))
            .andFinally(() -> log.println("finally callback on rejection"))
            .catchError(e -> {
              log.println("catch after finally: " + e.getMessage());
              return null;
            });
        Promise.resolve("d")
            .andFinallyCompose(() -> Promise.resolve("ignored"))
            .thenAccept(v -> log.println("then after finally returning a resolved promise: " + v));
        log.println("sync end");
      });
    }
  }
}
