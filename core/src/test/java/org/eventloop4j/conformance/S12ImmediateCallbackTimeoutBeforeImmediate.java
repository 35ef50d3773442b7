package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;

/**
 * Port of {@code js/12-immediate-callback-timeout-before-immediate.js}. The program's 5 ms busy-wait is
 * {@code loop.spendTime(5)} on a virtual clock: the callback "takes" 5 ms, so the 1 ms timer is due when the
 * next iteration begins, without waiting on the wall clock.
 */
final class S12ImmediateCallbackTimeoutBeforeImmediate implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> loop.setImmediate(() -> {
        log.println("immediate 1 schedules a timeout and an immediate, then busy-waits 5ms");
        loop.setImmediate(() -> log.println("immediate 2 (check phase of the next iteration)"));
        loop.setTimeout(() -> log.println("timeout (timers phase of the next iteration)"), 0);
        loop.spendTime(5);
      }));
    }
  }
}
