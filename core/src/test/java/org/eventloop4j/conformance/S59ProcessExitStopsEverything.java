package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/**
 * Port of {@code js/59-process-exit-stops-everything.js}. {@code process.exit(3)} is {@link
 * NodeProcess#exit}: {@link EventLoop#stop()}, then {@code return}, since a Java method cannot end the
 * calling callback the way JavaScript's {@code exit} never returns. After the 'exit' listener the port
 * throws {@link ExitStatus}(3) for the exit status.
 */
final class S59ProcessExitStopsEverything implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      NodeProcess process = new NodeProcess(loop);
      process.onExit(code -> log.println("exit handler code=" + code));
      process.run(() -> {
        Promise.resolve().thenRun(() -> log.println("microtask never runs"));
        loop.nextTick(() -> log.println("nextTick never runs"));
        loop.setTimeout(() -> log.println("timer never runs"), 0);
        log.println("calling process.exit(3)");
        process.exit(3);
        // log('unreachable') is never reached in JavaScript; here the callback simply ends.
      });
    }
  }
}
