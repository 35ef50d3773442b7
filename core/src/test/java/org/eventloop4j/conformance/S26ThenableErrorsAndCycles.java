package org.eventloop4j.conformance;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Resolvers;
import org.eventloop4j.Thenable;

/**
 * Port of {@code js/26-thenable-errors-and-cycles.js}. A throwing {@code then} getter has no counterpart
 * (no getters; line 1 left out). A thenable whose {@code then} throws, nested thenables and self-resolution
 * port directly; {@code {then: 42}} becomes a record with a {@code then} component that is not a {@link
 * Thenable}, hence a plain value. {@code then(() => cyc)} is {@code thenCompose(v -> cyc)}. JavaScript's
 * {@code e.constructor.name} is the class's simple name.
 */
final class S26ThenableErrorsAndCycles implements Scenario {
  /** {@code {then: 42}}: has a "then", but is no thenable. */
  private record NotCallable(int then) {}

  @Override
  public Map<String, String> omittedLines() {
    return Map.of("1: getter threw", "a Java object has no property getter that could throw");
  }

  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        Thenable<Object> badThen = (onFulfilled, onRejected) -> {
          throw new RuntimeException("then threw");
        };
        Thenable<Object> nested = (onFulfilled, onRejected) ->
            onFulfilled.accept((Thenable<Object>) (f2, r2) -> f2.accept("deep value"));
        Promise.<Object>resolve(badThen).catchError(e -> {
          log.println("2: " + e.getMessage());
          return null;
        });
        Promise.<Object>resolve(nested).thenAccept(v -> log.println("3: " + v));
        Promise.<Object>resolve(new NotCallable(42))
            .thenAccept(v -> log.println("4: value.then=" + ((NotCallable) v).then()));
        Resolvers<Object> self = Promise.withResolvers();
        self.resolve(self.promise());
        self.promise().catchError(e -> {
          log.println("5: " + e.getClass().getSimpleName() + ": " + e.getMessage());
          return null;
        });
        AtomicReference<Promise<Object>> cyc = new AtomicReference<>();
        cyc.set(Promise.resolve().thenCompose(v -> cyc.get()));
        cyc.get().catchError(e -> {
          log.println("6: " + e.getClass().getSimpleName() + ": " + e.getMessage());
          return null;
        });
      });
    }
  }
}
