package org.eventloop4j.conformance;

import java.util.Map;
import java.util.function.Consumer;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Thenable;

/**
 * Port of {@code js/25-thenable-adoption.js}. A JavaScript thenable is a {@link Thenable}. Java has no
 * property getter to observe: whether a value is a thenable is decided by its type, synchronously, which is
 * the counterpart of reading {@code then} once; the getter's line is left out. {@code Promise.resolve} needs
 * the explicit {@code <Object>} (see S24).
 */
final class S25ThenableAdoption implements Scenario {
  @Override
  public Map<String, String> omittedLines() {
    return Map.of("then getter read", "a Java object has no property getter; the Thenable type is checked instead");
  }

  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        Object[] self = new Object[1];
        Thenable<String> thenable = new Thenable<>() {
          @Override
          public void then(Consumer<? super String> onFulfilled, Consumer<? super Throwable> onRejected) {
            log.println("then() called, this===thenable: " + (this == self[0]));
            onFulfilled.accept("from thenable");
            onFulfilled.accept("ignored");
            onRejected.accept(new RuntimeException("ignored"));
            throw new RuntimeException("ignored too");
          }
        };
        self[0] = thenable;
        Promise<Object> p = Promise.<Object>resolve(thenable);
        log.println("after Promise.resolve(thenable)");
        p.thenAccept(v -> log.println("fulfilled: " + v));
        Promise.resolve().thenRun(() -> log.println("plain microtask queued after"));
        log.println("sync end");
      });
    }
  }
}
