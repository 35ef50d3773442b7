package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/** Port of {@code js/05-nexttick-from-microtask.js}. */
final class S05NextTickFromMicrotask implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        Promise.resolve().thenRun(() -> {
          log.println("p1");
          loop.nextTick(() -> {
            log.println("tick from p1");
            Promise.resolve().thenRun(() -> log.println("p from tick"));
          });
          Promise.resolve().thenRun(() -> log.println("p1 child"));
        });
        Promise.resolve()
            .thenRun(() -> log.println("p2"))
            .thenRun(() -> log.println("p2 child"))
            .thenRun(() -> log.println("p2 grandchild"));
        loop.setTimeout(() -> log.println("timeout"), 0);
      });
    }
  }
}
