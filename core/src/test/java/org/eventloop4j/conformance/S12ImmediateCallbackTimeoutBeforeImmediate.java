package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;

/**
 * Port of {@code js/12-immediate-callback-timeout-before-immediate.js}. The program needs a callback that
 * takes time (a 5 ms busy-wait), which a virtual clock cannot express: it only moves while the loop would
 * wait. So this port runs on the real clock and busy-waits too (spinning; nothing sleeps or waits for a
 * timer: the timer is due by the time the next iteration begins).
 */
final class S12ImmediateCallbackTimeoutBeforeImmediate implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = EventLoop.create()) {
      loop.run(() -> loop.setImmediate(() -> {
        log.println("immediate 1 schedules a timeout and an immediate, then busy-waits 5ms");
        loop.setImmediate(() -> log.println("immediate 2 (check phase of the next iteration)"));
        loop.setTimeout(() -> log.println("timeout (timers phase of the next iteration)"), 0);
        Js.busyWait(5);
      }));
    }
  }
}
