package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/** Port of {@code js/22-then-handler-order.js}. */
final class S22ThenHandlerOrder implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        Promise<String> p = Promise.resolve("v");
        p.thenRun(() -> log.println("A1")).thenRun(() -> log.println("A2")).thenRun(() -> log.println("A3"));
        p.thenRun(() -> log.println("B1")).thenRun(() -> log.println("B2"));
        p.thenRun(() -> {
          log.println("C1");
          p.thenRun(() -> log.println("D1 (registered during C1)"));
        });
      });
    }
  }
}
