package org.eventloop4j.conformance;

import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.stream.AsyncGenerator;

/**
 * Port of {@code js/42-asyncgen-throw-caught-inside.js}. {@code throw(e)} is {@code throwError(e)}: {@code e}
 * is thrown at the paused {@code y.yield(...)}, so a Java {@code catch} around it sees it.
 */
final class S42AsyncGenThrowCaughtInside implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> Async.async(() -> {
        AsyncGenerator<String> it = AsyncGenerator.of(y -> {
          while (true) {
            try {
              y.yield("waiting");
            } catch (RuntimeException e) {
              log.println("caught inside: " + e.getMessage());
              if (e.getMessage().equals("stop")) {
                throw e;
              }
              y.yield("recovered");
            }
          }
        });
        log.println(Js.fmt(Async.await(it.next())));
        log.println("throw(E1) -> " + Js.fmt(Async.await(it.throwError(new RuntimeException("E1")))));
        log.println("next -> " + Js.fmt(Async.await(it.next())));
        try {
          Async.await(it.throwError(new RuntimeException("stop")));
        } catch (RuntimeException e) {
          log.println("throw(stop) rejected: " + e.getMessage());
        }
        log.println("next -> " + Js.fmt(Async.await(it.next())));
        return null;
      }));
    }
  }
}
