package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;

/** Port of {@code js/14-timers-different-delays.js}. */
final class S14TimersDifferentDelays implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        loop.setTimeout(() -> log.println("60ms"), 60);
        loop.setTimeout(() -> log.println("1ms"), 1);
        loop.setTimeout(() -> log.println("30ms"), 30);
        loop.setTimeout(() -> log.println("10ms"), 10);
        loop.setTimeout(() -> log.println("0ms"), 0);
      });
    }
  }
}
