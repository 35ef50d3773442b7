package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/**
 * Port of {@code js/51-late-handler-same-tick-ok.js}. {@code then(() => Promise.resolve())} is {@code
 * thenCompose}; the last handler's returned promise (adopted in JavaScript) is not needed, so it is a
 * {@code thenRun}.
 */
final class S51LateHandlerSameTickOk implements Scenario {
  @Override
  public void run(Log log) {
    EventLoop.Builder builder = EventLoop.builder().virtualTime()
        .onUnhandledRejection((reason, promise) -> log.println("unhandledRejection (unexpected): " + reason.getMessage()));
    try (EventLoop loop = builder.build()) {
      loop.run(() -> {
        Promise<Object> p1 = Promise.reject(new RuntimeException("p1"));
        Promise<Object> p2 = Promise.reject(new RuntimeException("p2"));
        Promise<Object> p3 = Promise.reject(new RuntimeException("p3"));
        loop.nextTick(() -> p1.catchError(e -> {
          log.println("handled from nextTick: " + e.getMessage());
          return null;
        }));
        Promise.resolve().thenCompose(v -> Promise.resolve()).thenRun(() -> p2.catchError(e -> {
          log.println("handled from 3rd-hop microtask: " + e.getMessage());
          return null;
        }));
        loop.queueMicrotask(() -> p3.catchError(e -> {
          log.println("handled from queueMicrotask: " + e.getMessage());
          return null;
        }));
        loop.setTimeout(() -> log.println("timeout runs: process survived"), 0);
      });
    }
  }
}
