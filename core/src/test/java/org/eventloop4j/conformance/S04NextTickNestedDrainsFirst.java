package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/**
 * Port of {@code js/04-nexttick-nested-drains-first.js}. Node's extra {@code nextTick} arguments have no
 * counterpart ({@code nextTick} takes a {@code Runnable}): the callback captures them instead.
 */
final class S04NextTickNestedDrainsFirst implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        Promise.resolve().thenRun(() -> log.println("promise job"));
        String a = "x";
        String b = "y";
        loop.nextTick(() -> {
          log.println("tick 1 args=" + a + "," + b);
          loop.nextTick(() -> {
            log.println("tick 1.1");
            loop.nextTick(() -> log.println("tick 1.1.1"));
          });
        });
        loop.nextTick(() -> log.println("tick 2"));
      });
    }
  }
}
