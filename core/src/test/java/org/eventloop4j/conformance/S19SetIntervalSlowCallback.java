package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;
import org.eventloop4j.Timer;

/**
 * Port of {@code js/19-setinterval-slow-callback.js}. The program's busy-waits (15, 35 and 12 ms) are {@code
 * loop.spendTime(ms)} on a virtual clock: each callback "takes" that long, as the JavaScript ones do, and
 * nothing waits on the wall clock.
 */
final class S19SetIntervalSlowCallback implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        var state = new Object() {
          int n;
          Timer iv;
        };
        state.iv = loop.setInterval(() -> {
          int n = ++state.n;
          log.println("interval run " + n);
          loop.nextTick(() -> log.println("  nextTick queued by run " + n));
          if (n == 1) {
            loop.setImmediate(() -> log.println("  immediate queued by run 1"));
            loop.spendTime(35);
            loop.setTimeout(() -> log.println("T: 5ms timeout created at the end of run 1"), 5);
          } else if (n == 2) {
            loop.spendTime(12);
          } else {
            state.iv.clear();
          }
        }, 10);
        loop.setTimeout(() -> log.println("timeout (10ms list, behind the interval)"), 10);
        loop.spendTime(15);
      });
    }
  }
}
