package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/** Port of {@code js/01-seed-event-loop.js}: sync code, then promise jobs, then the 0 ms timers in creation order. */
final class S01SeedEventLoop implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        log.println("Start");
        loop.setTimeout(() -> log.println("Timeout 1"), 0);
        Promise.resolve().thenRun(() -> log.println("Promise 1"));
        loop.setTimeout(() -> log.println("Timeout 2"), 0);
        Promise.resolve().thenRun(() -> log.println("Promise 2"));
        log.println("End");
      });
    }
  }
}
