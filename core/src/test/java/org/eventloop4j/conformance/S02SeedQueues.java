package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/**
 * Port of {@code js/02-seed-queues.js}. Node may print the last two lines in either order; on a virtual
 * clock no millisecond has passed when the first timers phase begins, so the immediate runs first: the
 * {@code .alt.out} order.
 */
final class S02SeedQueues implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        log.println("Script start");
        loop.setTimeout(() -> log.println("setTimeout"), 0);
        loop.setImmediate(() -> log.println("setImmediate"));
        Promise.resolve().thenRun(() -> log.println("Promise 1"));
        Promise.resolve().thenRun(() -> {
          log.println("Promise 2");
          Promise.resolve().thenRun(() -> log.println("Promise 3"));
        });
        loop.queueMicrotask(() -> log.println("queueMicrotask"));
        log.println("Script end");
      });
    }
  }
}
