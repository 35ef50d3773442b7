package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;

/** Port of {@code js/09-immediate-queued-in-check-phase.js}. */
final class S09ImmediateQueuedInCheckPhase implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        loop.setImmediate(() -> {
          log.println("A");
          loop.setImmediate(() -> log.println("C (queued by A)"));
        });
        loop.setImmediate(() -> {
          log.println("B");
          loop.setImmediate(() -> log.println("D (queued by B)"));
        });
      });
    }
  }
}
