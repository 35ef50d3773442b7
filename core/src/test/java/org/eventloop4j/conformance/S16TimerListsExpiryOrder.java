package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;

/** Port of {@code js/16-timer-lists-expiry-order.js}. */
final class S16TimerListsExpiryOrder implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        long[] delays = {200, 40, 1, 120, 40, 1, 200, 80};
        for (int i = 0; i < delays.length; i++) {
          String line = "#" + i + " " + delays[i] + "ms";
          loop.setTimeout(() -> log.println(line), delays[i]);
        }
        loop.setTimeout(() -> {
          log.println("100ms: creates X (110ms, due ~210) and Y (190ms, due ~290)");
          loop.setTimeout(() -> log.println("X 110ms created at ~100"), 110);
          loop.setTimeout(() -> log.println("Y 190ms created at ~100"), 190);
        }, 100);
      });
    }
  }
}
