package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Timer;

/**
 * Port of {@code js/18-setinterval-clear-in-callback.js}. The interval's extra arguments are captured by
 * the callback ({@code setInterval} takes a {@code Runnable}).
 */
final class S18SetIntervalClearInCallback implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        var state = new Object() {
          int n;
          Timer h;
        };
        String a = "x";
        String b = "y";
        state.h = loop.setInterval(() -> {
          state.n++;
          log.println("interval run " + state.n + " args=" + a + "," + b);
          Promise.resolve().thenRun(() -> log.println("  microtask after run " + state.n));
          if (state.n == 3) {
            state.h.clear();
            loop.setTimeout(() -> log.println("after clear: interval ran " + state.n + " times"), 30);
          }
        }, 5);
      });
    }
  }
}
