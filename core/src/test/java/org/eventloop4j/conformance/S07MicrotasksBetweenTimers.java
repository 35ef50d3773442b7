package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/** Port of {@code js/07-microtasks-between-timers.js}. */
final class S07MicrotasksBetweenTimers implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        loop.setTimeout(() -> {
          log.println("timeout 1");
          loop.nextTick(() -> log.println("tick after timeout 1"));
          Promise.resolve().thenRun(() -> log.println("promise after timeout 1"));
        }, 0);
        loop.setTimeout(() -> {
          log.println("timeout 2");
          Promise.resolve().thenRun(() -> log.println("promise after timeout 2"));
          loop.nextTick(() -> log.println("tick after timeout 2"));
        }, 0);
        loop.setTimeout(() -> log.println("timeout 3"), 0);
      });
    }
  }
}
