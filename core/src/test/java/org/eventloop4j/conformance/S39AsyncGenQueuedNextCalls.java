package org.eventloop4j.conformance;

import java.util.List;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.stream.AsyncGenerator;
import org.eventloop4j.stream.IteratorResult;

/**
 * Port of {@code js/39-asyncgen-queued-next-calls.js}. {@code async function*} is {@code
 * AsyncGenerator.of(y -> ...)}, {@code yield v} is {@code y.yield(v)} (which awaits a promise {@code v} as
 * JavaScript does), and {@code return 'ret'} is {@code y.finish("ret")}.
 */
final class S39AsyncGenQueuedNextCalls implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        AsyncGenerator<Object> it = AsyncGenerator.of(y -> {
          log.println("body start");
          y.yield(Js.delay(loop, 30, "slow first"));
          log.println("after first yield");
          y.yield("second");
          log.println("after second yield");
          y.finish("ret");
        });
        log.println("generator created, body not started");
        List<Promise<IteratorResult<Object>>> reqs = List.of(it.next(), it.next(), it.next(), it.next());
        log.println("4 next() calls issued synchronously");
        for (int i = 0; i < reqs.size(); i++) {
          int n = i;
          reqs.get(i).thenAccept(r -> log.println("request " + n + " -> " + Js.fmt(r)));
        }
      });
    }
  }
}
