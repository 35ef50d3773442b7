package org.eventloop4j.conformance;

import java.util.List;
import java.util.stream.Collectors;
import org.eventloop4j.AggregateError;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/** Port of {@code js/30-promise-any.js}; {@code e.errors} is {@link AggregateError#errors()}. */
final class S30PromiseAny implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        var t = new Object() {
          Promise<String> later(long ms, String v) {
            return Promise.create((resolve, reject) -> loop.setTimeout(() -> {
              log.println("  settled " + v);
              resolve.accept(v);
            }, ms));
          }

          Promise<String> fail(long ms, String m) {
            return Promise.create((resolve, reject) -> loop.setTimeout(() -> {
              log.println("  failing " + m);
              reject.accept(new RuntimeException(m));
            }, ms));
          }
        };
        Promise.any(t.fail(20, "f1"), t.later(80, "slow"), t.later(40, "fast")).thenAccept(v -> log.println("any 1: " + v));
        Promise.any(t.fail(60, "a"), t.fail(100, "b"), Promise.<String>reject(new RuntimeException("c")))
            .catchError(e -> {
              log.println("any 2: " + describe(e));
              return null;
            });
        Promise.any(List.<Promise<String>>of()).catchError(e -> {
          log.println("any([]): " + describe(e));
          return null;
        });
        Promise.any(Promise.<String>reject(new RuntimeException("r")), Promise.resolve("resolved"))
            .thenAccept(v -> log.println("any 4: " + v));
      });
    }
  }

  private static String describe(Throwable e) {
    String errors = e instanceof AggregateError a
        ? a.errors().stream().map(Throwable::getMessage).collect(Collectors.joining(","))
        : "(not an AggregateError)";
    return e.getClass().getSimpleName() + ": " + e.getMessage() + " errors=[" + errors + "]";
  }
}
