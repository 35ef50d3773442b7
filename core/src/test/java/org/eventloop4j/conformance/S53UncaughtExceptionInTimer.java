package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;

/**
 * Port of {@code js/53-uncaught-exception-in-timer.js}. 'uncaughtException' with its {@code origin} argument
 * is {@code onUncaughtExceptionWithOrigin}.
 */
final class S53UncaughtExceptionInTimer implements Scenario {
  @Override
  public void run(Log log) {
    EventLoop.Builder builder = EventLoop.builder().virtualTime()
        .onUncaughtExceptionWithOrigin((err, origin) -> log.println("uncaughtException: " + err.getMessage() + " origin=" + origin));
    try (EventLoop loop = builder.build()) {
      loop.run(() -> {
        loop.setTimeout(() -> {
          log.println("timer 1 throws");
          throw new RuntimeException("boom in timer");
        }, 0);
        loop.setTimeout(() -> log.println("timer 2 still runs"), 0);
        loop.setTimeout(() -> {
          loop.setImmediate(() -> {
            log.println("immediate throws");
            throw new RuntimeException("boom in immediate");
          });
          loop.setImmediate(() -> log.println("next immediate still runs"));
        }, 5);
      });
    }
  }
}
