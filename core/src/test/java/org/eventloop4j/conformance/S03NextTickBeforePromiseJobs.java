package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/** Port of {@code js/03-nexttick-before-promise-jobs.js}. */
final class S03NextTickBeforePromiseJobs implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        Promise.resolve().thenRun(() -> log.println("then A"));
        loop.queueMicrotask(() -> log.println("queueMicrotask B"));
        loop.nextTick(() -> log.println("nextTick 1"));
        Promise.resolve().thenRun(() -> log.println("then C"));
        loop.nextTick(() -> log.println("nextTick 2"));
        loop.queueMicrotask(() -> log.println("queueMicrotask D"));
        log.println("sync end");
      });
    }
  }
}
