package org.eventloop4j.conformance;

import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Thenable;

/**
 * Port of {@code js/35-async-return-promise-vs-return-await.js}. {@code return p} is a body returning the
 * promise, which the function's promise adopts (as JavaScript resolves it); such a body is typed {@code
 * Async.<Object>async(...)}, since with an inferred type argument it would be typed {@code
 * Promise<Promise<String>>} although it settles with the string. {@code return await p} is {@code return
 * Async.await(p)}.
 */
final class S35AsyncReturnPromiseVsReturnAwait implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        Js.ticker(loop, log, 5);
        Promise<String> p = Promise.resolve("v");
        Async.<Object>async(() -> p).thenAccept(v -> log.println("return p: " + v));
        Async.async(() -> Async.await(p)).thenAccept(v -> log.println("return await p: " + v));
        Async.async(() -> "plain").thenAccept(v -> log.println("return plain value: " + v));
        Async.<Object>async(() -> (Thenable<String>) (resolve, reject) -> resolve.accept("t"))
            .thenAccept(v -> log.println("return thenable: " + v));
        Async.<Object>async(() -> {
          try {
            return Promise.reject(new RuntimeException("escapes the try"));
          } catch (RuntimeException e) {
            return "caught (never)";
          }
        }).catchError(e -> {
          log.println("return rejected p: rejects, " + e.getMessage());
          return null;
        });
        Async.async(() -> {
          try {
            return Async.await(Promise.<String>reject(new RuntimeException("rejected")));
          } catch (RuntimeException e) {
            return "caught " + e.getMessage();
          }
        }).thenAccept(v -> log.println("return await rejected p: " + v));
        log.println("sync end");
      });
    }
  }
}
