package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;

/**
 * Port of {@code js/54-uncaught-exception-in-timer-crashes.js}. Without a handler {@code EventLoop.run}
 * throws the error (Node's exit status 1); the 'exit' listener runs after that ({@link NodeProcess}).
 */
final class S54UncaughtExceptionInTimerCrashes implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      NodeProcess process = new NodeProcess(loop);
      process.onExit(code -> log.println("exit code " + code));
      process.run(() -> {
        loop.setTimeout(() -> {
          log.println("timer 1 throws");
          loop.nextTick(() -> log.println("nextTick queued before throw (does not run)"));
          throw new RuntimeException("fatal");
        }, 0);
        loop.setTimeout(() -> log.println("timer 2 must not run"), 0);
      });
    }
  }
}
