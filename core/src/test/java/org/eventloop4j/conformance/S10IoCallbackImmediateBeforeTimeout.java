package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/**
 * Port of {@code js/10-io-callback-immediate-before-timeout.js}. The I/O callback ({@code fs.readFile}'s) is
 * a task posted with {@link EventLoop#execute}, which runs in the poll phase like an I/O completion.
 */
final class S10IoCallbackImmediateBeforeTimeout implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> loop.execute(() -> {
        log.println("readFile callback");
        loop.setTimeout(() -> log.println("timeout"), 0);
        loop.setImmediate(() -> log.println("immediate"));
        Promise.resolve().thenRun(() -> log.println("promise"));
        loop.nextTick(() -> log.println("nextTick"));
      }));
    }
  }
}
