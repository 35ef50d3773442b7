package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/** Port of {@code js/06-nexttick-queued-in-microtask-inside-timer.js}. */
final class S06NextTickQueuedInMicrotaskInsideTimer implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        loop.setTimeout(() -> {
          log.println("timer 1");
          Js.ticker(loop, log, 4);
          Promise.resolve().thenRun(() -> {
            log.println("microtask queues nextTick A");
            loop.nextTick(() -> {
              log.println("nextTick A queues a microtask, then nextTick B");
              Promise.resolve().thenRun(() -> {
                log.println("microtask from A queues nextTick C");
                loop.nextTick(() -> log.println("nextTick C"));
              });
              loop.nextTick(() -> log.println("nextTick B"));
            });
          });
          loop.nextTick(() -> log.println("nextTick queued by timer 1"));
        }, 0);
        loop.setTimeout(() -> log.println("timer 2"), 0);
      });
    }
  }
}
