package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;

/**
 * Port of {@code js/62-timer-list-runs-all-due-before-next-list.js}. The program's two 60 ms busy-waits are
 * {@code loop.spendTime(60)} on a virtual clock: C "takes" 120 ms, so every timer is due when the loop looks
 * at the lists again, and nothing waits on the wall clock.
 */
final class S62TimerListRunsAllDueBeforeNextList implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> loop.setTimeout(() -> {
        log.println("C creates A1 (50ms), B1 (100ms), D (1ms), busy-waits 60ms, creates A2 (50ms), busy-waits 60ms");
        loop.setTimeout(() -> log.println("A1 (50ms list, due at C+50)"), 50);
        loop.setTimeout(() -> log.println("B1 (100ms list, due at C+100)"), 100);
        loop.setTimeout(() -> log.println("D (1ms, created during the phase)"), 1);
        loop.spendTime(60);
        loop.setTimeout(() -> log.println("A2 (50ms list behind A1, due at >= C+110)"), 50);
        loop.spendTime(60);
      }, 1));
    }
  }
}
