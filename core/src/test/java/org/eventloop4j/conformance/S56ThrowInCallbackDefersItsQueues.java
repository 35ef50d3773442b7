package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/**
 * Port of {@code js/56-throw-in-callback-defers-its-queues.js}. Node skips the drain after a callback that
 * threw (R27); eventloop4j deliberately drains after every callback, handled throw or not, so this port is
 * compared with {@code 56-throw-in-callback-defers-its-queues.eventloop4j.out} (see MAPPING.md).
 */
final class S56ThrowInCallbackDefersItsQueues implements Scenario {
  @Override
  public void run(Log log) {
    EventLoop.Builder builder = EventLoop.builder().virtualTime()
        .onUncaughtException(e -> log.println("uncaughtException: " + e.getMessage()));
    try (EventLoop loop = builder.build()) {
      loop.run(() -> {
        Promise.resolve().thenRun(() -> log.println("microtask queued by main script"));
        loop.nextTick(() -> {
          log.println("tick 1 throws");
          throw new RuntimeException("from nextTick");
        });
        loop.nextTick(() -> log.println("tick 2"));
        loop.setTimeout(() -> {
          log.println("timer A throws");
          loop.nextTick(() -> log.println("tick queued by timer A"));
          Promise.resolve().thenRun(() -> log.println("microtask queued by timer A"));
          throw new RuntimeException("from timer A");
        }, 0);
        loop.setTimeout(() -> log.println("timer B"), 0);
        loop.setTimeout(() -> {
          log.println("timer C");
          loop.setImmediate(() -> {
            log.println("immediate 1 throws");
            Promise.resolve().thenRun(() -> log.println("microtask queued by immediate 1"));
            throw new RuntimeException("from immediate 1");
          });
          loop.setImmediate(() -> log.println("immediate 2"));
          loop.setImmediate(() -> log.println("immediate 3"));
        }, 0);
      });
    }
  }
}
