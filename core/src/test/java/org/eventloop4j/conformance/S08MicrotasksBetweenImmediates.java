package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/**
 * Port of {@code js/08-microtasks-between-immediates.js}. The extra {@code setImmediate} argument is
 * captured by the callback ({@code setImmediate} takes a {@code Runnable}).
 */
final class S08MicrotasksBetweenImmediates implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        String a = "A";
        loop.setImmediate(() -> log.println("immediate 1 arg=" + a));
        loop.setImmediate(() -> {
          log.println("immediate 2");
          Promise.resolve().thenRun(() -> log.println("promise in immediate 2"));
          loop.nextTick(() -> log.println("tick in immediate 2"));
        });
        loop.setImmediate(() -> log.println("immediate 3"));
      });
    }
  }
}
