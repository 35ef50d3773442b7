package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;
import org.eventloop4j.Timer;

/**
 * Port of {@code js/17-clear-timers-inside-callbacks.js}. {@code clearTimeout(t)} is {@code t.clear()}.
 * {@code clearTimeout(undefined)} and {@code clearTimeout(12345)} have no counterpart (a handle is a typed
 * object, there are no numeric ids); they print nothing, so the output is complete.
 */
final class S17ClearTimersInsideCallbacks implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        Timer[] t1 = new Timer[1];
        Timer[] t2 = new Timer[1];
        Timer[] i2 = new Timer[1];
        t1[0] = loop.setTimeout(() -> {
          log.println("t1 runs, clears t2");
          t2[0].clear();
          t1[0].clear(); // already running: no-op
        }, 0);
        t2[0] = loop.setTimeout(() -> log.println("t2 (must not run)"), 0);
        loop.setTimeout(() -> {
          log.println("t3 runs, schedules three immediates");
          loop.setImmediate(() -> {
            log.println("i1 runs, clears i2");
            i2[0].clear();
          });
          i2[0] = loop.setImmediate(() -> log.println("i2 (must not run)"));
          loop.setImmediate(() -> log.println("i3 runs"));
        }, 0);
        Timer never = loop.setTimeout(() -> log.println("never"), 10);
        never.clear();
      });
    }
  }
}
