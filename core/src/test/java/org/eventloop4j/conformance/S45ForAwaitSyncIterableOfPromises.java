package org.eventloop4j.conformance;

import java.util.List;
import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/**
 * Port of {@code js/45-for-await-sync-iterable-of-promises.js}. {@code for await (const v of items)} over an
 * array is {@code for (Object v : Async.forAwait(items))} over a {@code List}: the async-from-sync iterator
 * awaits each element, promise or plain value, in iteration order.
 */
final class S45ForAwaitSyncIterableOfPromises implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> Async.async(() -> {
        List<Object> items = List.of(later(loop, log, 30, "slow"), "plain", later(loop, log, 5, "fast"),
            Promise.resolve("resolved"));
        for (Object v : Async.forAwait(items)) {
          log.println("got " + v);
        }
        log.println("loop done");
        return null;
      }));
    }
  }

  private static Promise<String> later(EventLoop loop, Log log, long ms, String v) {
    return Promise.create((resolve, reject) -> loop.setTimeout(() -> {
      log.println("  (" + v + " settled)");
      resolve.accept(v);
    }, ms));
  }
}
