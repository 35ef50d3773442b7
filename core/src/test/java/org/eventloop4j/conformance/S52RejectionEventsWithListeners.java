package org.eventloop4j.conformance;

import java.util.concurrent.atomic.AtomicReference;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/**
 * Port of {@code js/52-rejection-events-with-listeners.js}: 'unhandledRejection' is {@code
 * onUnhandledRejection}, 'rejectionHandled' is {@code onRejectionHandled}. The handlers are given to the
 * builder, before the promises exist, so they find p1 and p2 through references set later.
 */
final class S52RejectionEventsWithListeners implements Scenario {
  @Override
  public void run(Log log) {
    AtomicReference<Promise<?>> p1 = new AtomicReference<>();
    AtomicReference<Promise<?>> p2 = new AtomicReference<>();
    var names = new Object() {
      String of(Promise<?> p) {
        return p == p1.get() ? "p1" : p == p2.get() ? "p2" : "unknown promise";
      }
    };
    EventLoop.Builder builder = EventLoop.builder().virtualTime()
        .onUnhandledRejection((reason, promise) -> {
          log.println("unhandledRejection: " + reason.getMessage() + " (" + names.of(promise) + ")");
          EventLoop.current().nextTick(() -> log.println("  nextTick queued by the listener"));
          Promise.resolve().thenRun(() -> log.println("  microtask queued by the listener"));
        })
        .onRejectionHandled(promise -> log.println("rejectionHandled: " + names.of(promise)));
    try (EventLoop loop = builder.build()) {
      NodeProcess process = new NodeProcess(loop);
      process.onExit(code -> log.println("exit code " + code));
      process.run(() -> {
        p1.set(Promise.reject(new RuntimeException("p1 is handled late")));
        p2.set(Promise.reject(new RuntimeException("p2 is never handled")));
        Promise.resolve().thenRun(() -> log.println("microtask from the main script"));
        loop.setTimeout(() -> {
          log.println("timer attaches a handler to p1");
          p1.get().catchError(e -> {
            log.println("p1 caught: " + e.getMessage());
            return null;
          });
        }, 0);
        loop.setTimeout(() -> log.println("next timer: process survived"), 0);
      });
    }
  }
}
