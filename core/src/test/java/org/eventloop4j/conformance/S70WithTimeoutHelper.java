package org.eventloop4j.conformance;

import java.util.List;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Timers;

/**
 * Port of {@code js/70-with-timeout-helper.js}, whose {@code withTimeout} helper is the JavaScript that
 * {@link Timers#withTimeout} stands for: {@code withTimeout(ms, op)} is {@code Timers.withTimeout(ms, op)},
 * the helper's {@code sleep(ms, v, signal)} is {@link Timers#setTimeout(long, Object, AbortSignal)}.
 */
final class S70WithTimeoutHelper implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        Promise<String> ready = Promise.resolve("ready");
        show(log, "withTimeout(ready)", Timers.withTimeout(50, s -> ready));
        show(log, "race(ready)", Promise.race(List.of(ready)));
        ticks(log, "a", 3);

        show(log, "throws", Timers.withTimeout(50, s -> {
          throw new IllegalStateException("thrown");
        }));
        show(log, "rejects", Timers.withTimeout(50, s -> Timers.sleep(5).then(v -> {
          throw new IllegalStateException("failed at 5");
        })));

        show(log, "deadline", Timers.withTimeout(20, signal -> {
          signal.addListener(() -> log.println("listener: " + signal.reason().getMessage()));
          return Timers.setTimeout(1000, "too late", signal);
        }));
        loop.setTimeout(() -> {
          log.println("plain timer at 20");
          ticks(log, "b", 2);
        }, 20);

        show(log, "in time", Timers.withTimeout(40, s -> Timers.setTimeout(30, "made it")));
        loop.setTimeout(() -> log.println("plain timer at 45: nothing fired at 40"), 45);

        show(log, "late", Timers.withTimeout(10, s -> Timers.sleep(15).then(v -> {
          log.println("late operation settles");
          throw new IllegalStateException("late");
        })));
      });
    }
  }

  private static void ticks(Log log, String label, int n) {
    Promise<?> p = Promise.resolve();
    for (int i = 1; i <= n; i++) {
      int k = i;
      p = p.thenRun(() -> log.println(label + " tick " + k));
    }
  }

  private static void show(Log log, String name, Promise<?> p) {
    p.then(v -> {
      log.println(name + " fulfilled: " + v);
      return null;
    }, e -> {
      log.println(name + " rejected: " + e.getMessage());
      return null;
    });
  }
}
