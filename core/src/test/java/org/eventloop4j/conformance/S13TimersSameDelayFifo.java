package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;

/** Port of {@code js/13-timers-same-delay-fifo.js}. */
final class S13TimersSameDelayFifo implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        for (int i = 1; i <= 5; i++) {
          int n = i;
          loop.setTimeout(() -> log.println("timeout " + n), 5);
        }
        loop.setTimeout(() -> log.println("timeout 6 (also 5ms)"), 5);
      });
    }
  }
}
