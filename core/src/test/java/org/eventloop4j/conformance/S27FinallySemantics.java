package org.eventloop4j.conformance;

import java.util.List;
import java.util.function.Supplier;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/**
 * Port of {@code js/27-finally-semantics.js}. The JavaScript is an async function awaiting six cases in
 * turn; async/await belongs to a later issue, so the cases are chained with {@code thenCompose}, each
 * starting when the previous one has settled (the output depends only on that order). {@code finally(f)}
 * is {@code andFinally(Runnable)}, or {@code andFinallyCompose} when {@code f} returns a promise; a plain
 * return value (ignored by JavaScript) cannot be returned from a {@code Runnable}. The callback is a {@code
 * Runnable}, so it gets no arguments by construction: it prints {@code argc=0} as the JavaScript does.
 */
final class S27FinallySemantics implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        List<Supplier<Promise<?>>> steps = List.of(
            () -> Promise.resolve("A")
                .andFinally(() -> log.println("f1 argc=0"))
                .thenAccept(a -> log.println("1 -> " + a)),
            () -> Promise.<String>reject(new RuntimeException("B"))
                .andFinally(() -> { })
                .then(v -> null, e -> {
                  log.println("2 -> rejection kept: " + e.getMessage());
                  return null;
                }),
            () -> Promise.resolve("C")
                .andFinally(() -> {
                  throw new RuntimeException("thrown in finally");
                })
                .then(v -> null, e -> {
                  log.println("3 -> replaced by: " + e.getMessage());
                  return null;
                }),
            () -> Promise.<String>reject(new RuntimeException("D"))
                .andFinallyCompose(() -> Promise.reject(new RuntimeException("rejected in finally")))
                .then(v -> null, e -> {
                  log.println("4 -> replaced by: " + e.getMessage());
                  return null;
                }),
            () -> Promise.resolve("E")
                .andFinallyCompose(() -> delay(loop, 20).thenRun(() -> log.println("5 finally promise done")))
                .thenAccept(e5 -> log.println("5 -> " + e5 + " (after waiting)")),
            () -> Promise.resolve("F")
                .andFinallyCompose(() -> Promise.resolve("ignored value"))
                .thenAccept(f -> log.println("6 -> " + f)));
        Promise<?> chain = steps.get(0).get();
        for (Supplier<Promise<?>> step : steps.subList(1, steps.size())) {
          chain = chain.thenCompose(v -> step.get());
        }
      });
    }
  }

  /** {@code const delay = (ms) => new Promise((r) => setTimeout(() => r(), ms))}. */
  private static Promise<Object> delay(EventLoop loop, long ms) {
    return Promise.create((resolve, reject) -> loop.setTimeout(() -> resolve.accept(null), ms));
  }
}
