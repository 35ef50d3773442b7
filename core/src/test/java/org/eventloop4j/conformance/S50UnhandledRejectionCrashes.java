package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/**
 * Port of {@code js/50-unhandled-rejection-crashes.js}. Node's exit status 1 is {@code EventLoop.run}
 * throwing the reason; the 'exit' listener runs after that ({@link NodeProcess}).
 */
final class S50UnhandledRejectionCrashes implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      NodeProcess process = new NodeProcess(loop);
      process.onExit(code -> log.println("exit code " + code));
      process.run(() -> {
        log.println("sync start");
        Promise.reject(new RuntimeException("nobody handles me"));
        loop.nextTick(() -> log.println("nextTick still runs"));
        Promise.resolve()
            .thenRun(() -> log.println("microtask still runs"))
            .thenRun(() -> log.println("chained microtask still runs"));
        loop.setTimeout(() -> log.println("timeout must not run"), 0);
        loop.setImmediate(() -> log.println("immediate must not run"));
        log.println("sync end");
      });
    }
  }
}
