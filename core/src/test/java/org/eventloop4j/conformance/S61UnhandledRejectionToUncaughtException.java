package org.eventloop4j.conformance;

import java.util.Map;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/**
 * Port of {@code js/61-unhandled-rejection-to-uncaught-exception.js}: only {@code onUncaughtException} is
 * set, so an unhandled rejection goes to it. Its handler gets the error only; Node's {@code origin}
 * argument has no counterpart, so the origin line is left out.
 */
final class S61UnhandledRejectionToUncaughtException implements Scenario {
  @Override
  public Map<String, String> omittedLines() {
    return Map.of("  origin: unhandledRejection", "onUncaughtException(Consumer<Throwable>) has no origin argument");
  }

  @Override
  public void run(Log log) {
    EventLoop.Builder builder = EventLoop.builder().virtualTime()
        .onUncaughtException(e -> log.println("uncaughtException: " + e.getMessage()));
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
