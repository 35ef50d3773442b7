package org.eventloop4j.conformance;

import java.util.function.Function;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/**
 * Port of {@code js/23-then-nonfunction-passthrough.js}. Java's {@code then} takes functions only (null
 * throws), so a non-function argument becomes what ECMAScript turns it into: an identity function for
 * {@code onFulfilled} (a rejection passes through a {@code then} without {@code onRejected}), which costs
 * the same hop. {@code then(null, f)} is {@code then(identity, f)}.
 */
final class S23ThenNonFunctionPassthrough implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        Promise.resolve(1)
            .then(Function.identity()) // then(null)
            .then(Function.identity()) // then(42, 'not a function')
            .then(v -> {
              log.println("value passed through: " + v);
              throw new RuntimeException("E");
            })
            .then(v -> {
              log.println("skipped");
              return v;
            })
            .then(Function.identity()) // then(undefined, undefined)
            .catchError(e -> {
              log.println("caught: " + e.getMessage());
              return "recovered";
            })
            .thenAccept(v -> log.println("after catch: " + v));
        Promise.<String>reject(new RuntimeException("R"))
            .thenAccept(v -> log.println("never " + v))
            .then(Function.identity(), e -> {
              log.println("second-arg handler got: " + e.getMessage());
              return null;
            });
      });
    }
  }
}
