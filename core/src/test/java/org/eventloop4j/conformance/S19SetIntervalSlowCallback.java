package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;
import org.eventloop4j.Timer;

/**
 * Port of {@code js/19-setinterval-slow-callback.js}. The program is about callbacks that take time (busy
 * waits of 15, 35 and 12 ms), which a virtual clock cannot express: it only moves while the loop would
 * wait. So this port runs on the real clock and busy-waits as the JavaScript does. Nothing sleeps: every
 * timer is already due when the loop looks at it.
 */
final class S19SetIntervalSlowCallback implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = EventLoop.create()) {
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
            Js.busyWait(35);
            loop.setTimeout(() -> log.println("T: 5ms timeout created at the end of run 1"), 5);
          } else if (n == 2) {
            Js.busyWait(12);
          } else {
            state.iv.clear();
          }
        }, 10);
        loop.setTimeout(() -> log.println("timeout (10ms list, behind the interval)"), 10);
        Js.busyWait(15);
      });
    }
  }
}
