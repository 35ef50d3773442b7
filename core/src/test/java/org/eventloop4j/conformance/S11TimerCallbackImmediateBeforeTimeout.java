package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;

/** Port of {@code js/11-timer-callback-immediate-before-timeout.js}. */
final class S11TimerCallbackImmediateBeforeTimeout implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> loop.setTimeout(() -> {
        log.println("outer timeout");
        loop.setTimeout(() -> log.println("inner timeout"), 0);
        loop.setImmediate(() -> log.println("inner immediate"));
      }, 0));
    }
  }
}
