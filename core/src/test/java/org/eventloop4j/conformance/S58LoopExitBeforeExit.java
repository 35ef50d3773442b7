package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/**
 * Port of {@code js/58-loop-exit-beforeexit.js}. 'beforeExit' is {@code onBeforeExit}, a {@code Runnable}:
 * Node's {@code code} argument is the exit status, always 0 when the loop ran out of work, so the port
 * prints 0. 'exit' is {@link NodeProcess#onExit}; the timer its listener schedules belongs to a loop that is
 * no longer running and never fires.
 */
final class S58LoopExitBeforeExit implements Scenario {
  @Override
  public void run(Log log) {
    int[] rounds = {0};
    EventLoop.Builder builder = EventLoop.builder().virtualTime().onBeforeExit(() -> {
      log.println("beforeExit code=0 round=" + rounds[0]);
      if (rounds[0]++ == 0) {
        EventLoop.current().setTimeout(() -> log.println("timer scheduled from beforeExit runs"), 1);
        Promise.resolve().thenRun(() -> log.println("microtask from beforeExit"));
      }
    });
    try (EventLoop loop = builder.build()) {
      NodeProcess process = new NodeProcess(loop);
      process.onExit(code -> {
        log.println("exit code=" + code);
        loop.setTimeout(() -> log.println("never: timer scheduled in exit"), 0);
      });
      process.run(() -> {
        loop.setTimeout(() -> log.println("unref timer must not run"), 50).unref();
        Promise.create((resolve, reject) -> { }).thenRun(() -> log.println("never"));
        loop.setTimeout(() -> log.println("ref timer runs"), 5);
      });
    }
  }
}
