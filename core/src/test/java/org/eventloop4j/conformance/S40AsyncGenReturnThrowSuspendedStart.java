package org.eventloop4j.conformance;

import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.stream.AsyncGenerator;

/**
 * Port of {@code js/40-asyncgen-return-throw-suspended-start.js}. {@code return(v)} and {@code throw(e)} are
 * {@code returnValue(v)} and {@code throwError(e)}; {@code main} is an {@code Async.async} body. The
 * generator's element type is {@code Object} so that {@code returnValue} can be given a promise, which it
 * awaits as JavaScript's {@code return} does.
 */
final class S40AsyncGenReturnThrowSuspendedStart implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> Async.async(() -> {
        AsyncGenerator<Object> a = gen(log);
        log.println("return -> " + Js.fmt(Async.await(a.returnValue(Promise.resolve("R")))));
        log.println("next after return -> " + Js.fmt(Async.await(a.next())));
        AsyncGenerator<Object> b = gen(log);
        try {
          Async.await(b.throwError(new RuntimeException("T")));
        } catch (RuntimeException e) {
          log.println("throw -> rejected with " + e.getMessage());
        }
        log.println("next after throw -> " + Js.fmt(Async.await(b.next())));
        AsyncGenerator<Object> c = gen(log);
        try {
          Async.await(c.returnValue(Promise.reject(new RuntimeException("rejected return value"))));
        } catch (RuntimeException e) {
          log.println("return(rejected promise) -> rejected with " + e.getMessage());
        }
        return null;
      }));
    }
  }

  private static AsyncGenerator<Object> gen(Log log) {
    return AsyncGenerator.of(y -> {
      log.println("BODY RAN (should not happen)");
      y.yield(1);
    });
  }
}
