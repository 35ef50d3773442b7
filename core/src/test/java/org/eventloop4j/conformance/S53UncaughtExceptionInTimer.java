package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;

/**
 * Port of {@code js/53-uncaught-exception-in-timer.js}. 'uncaughtException' is {@code onUncaughtException},
 * whose handler gets the error only: Node's {@code origin} argument has no counterpart. Every error in this
 * program is thrown by a callback, so the port prints Node's origin for that case, {@code uncaughtException}.
 */
final class S53UncaughtExceptionInTimer implements Scenario {
  @Override
  public void run(Log log) {
    EventLoop.Builder builder = EventLoop.builder().virtualTime()
        .onUncaughtException(err -> log.println("uncaughtException: " + err.getMessage() + " origin=uncaughtException"));
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
