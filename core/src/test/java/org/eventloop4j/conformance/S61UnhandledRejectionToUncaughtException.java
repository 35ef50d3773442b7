package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/**
 * Port of {@code js/61-unhandled-rejection-to-uncaught-exception.js}: only {@code onUncaughtExceptionWithOrigin} is
 * set, so an unhandled rejection goes to it, with Node's {@code origin} argument.
 */
final class S61UnhandledRejectionToUncaughtException implements Scenario {
  @Override
  public void run(Log log) {
    EventLoop.Builder builder = EventLoop.builder().virtualTime()
        .onUncaughtExceptionWithOrigin((e, origin) -> {
          log.println("uncaughtException: " + e.getMessage());
          log.println("  origin: " + origin);
        });
    try (EventLoop loop = builder.build()) {
      NodeProcess process = new NodeProcess(loop);
      process.onExit(code -> log.println("exit code " + code));
      process.run(() -> {
        Promise.reject(new RuntimeException("nobody handles me"));
        loop.nextTick(() -> log.println("nextTick"));
        Promise.resolve().thenRun(() -> log.println("microtask"));
        loop.setTimeout(() -> log.println("timer runs: the listener kept the process alive"), 0);
      });
    }
  }
}
