package org.eventloop4j.conformance;

import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/**
 * Port of {@code js/55-throw-in-handler-is-rejection.js}. The async arrow function that throws before any
 * await is {@code Async.async(() -> { throw ...; })}: the body runs synchronously and its exception rejects
 * the function's promise, never reaching the caller.
 */
final class S55ThrowInHandlerIsRejection implements Scenario {
  @Override
  public void run(Log log) {
    EventLoop.Builder builder = EventLoop.builder().virtualTime()
        .onUncaughtException(e -> log.println("uncaughtException: " + e.getMessage()));
    try (EventLoop loop = builder.build()) {
      loop.run(() -> {
        Promise.resolve().then(v -> {
          throw new RuntimeException("thrown in then");
        }).catchError(e -> rejection(log, e));
        Promise.reject(new RuntimeException("x")).catchError(e -> {
          throw new RuntimeException("thrown in catch");
        }).catchError(e -> rejection(log, e));
        Promise.resolve().andFinally(() -> {
          throw new RuntimeException("thrown in finally");
        }).catchError(e -> rejection(log, e));
        Promise.create((resolve, reject) -> {
          throw new RuntimeException("thrown in executor");
        }).catchError(e -> rejection(log, e));
        Async.async(() -> {
          throw new RuntimeException("thrown in async function");
        }).catchError(e -> rejection(log, e));
        loop.queueMicrotask(() -> {
          log.println("queueMicrotask callback throws");
          throw new RuntimeException("thrown in queueMicrotask");
        });
        Promise.resolve().thenRun(() -> log.println("next microtask still runs"));
        loop.setTimeout(() -> log.println("timer runs"), 0);
      });
    }
  }

  private static <T> T rejection(Log log, Throwable e) {
    log.println("rejection: " + e.getMessage());
    return null;
  }
}
