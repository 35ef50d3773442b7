package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;

/** Port of {@code js/20-nexttick-starves-loop.js}. */
final class S20NextTickStarvesLoop implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        var s = new Object() {
          int ticks;
          int micro;

          void tick(int limit) {
            if (++ticks < limit) {
              loop.nextTick(() -> tick(limit));
            }
          }

          void mt() {
            if (++micro < 10000) {
              loop.queueMicrotask(this::mt);
            }
          }
        };
        loop.setTimeout(() -> {
          log.println("timeout sees ticks=" + s.ticks + " micro=" + s.micro);
          loop.setImmediate(() -> log.println("immediate sees ticks=" + s.ticks + " micro=" + s.micro));
          s.tick(20000);
        }, 0);
        s.tick(10000);
        s.mt();
        log.println("sync end ticks=" + s.ticks + " micro=" + s.micro);
      });
    }
  }
}
