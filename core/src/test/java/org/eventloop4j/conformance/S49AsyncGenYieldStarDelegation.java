package org.eventloop4j.conformance;

import java.util.List;
import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.stream.AsyncGenerator;

/**
 * Port of {@code js/49-asyncgen-yield-star-delegation.js}. {@code yield* inner} is {@code y.yieldAll(inner)},
 * which forwards {@code next}, {@code throwError} and {@code returnValue} to the inner generator; {@code
 * yield* [...]} over an array is {@code y.yieldAll(list)}, through the async-from-sync iterator.
 */
final class S49AsyncGenYieldStarDelegation implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> Async.async(() -> {
        for (String v : Async.forAwait(outer(log, "all"))) {
          log.println("got " + v);
        }
        AsyncGenerator<String> a = outer(log, "throw");
        Async.await(a.next());
        log.println("next -> " + Js.fmt(Async.await(a.next())));
        log.println("throw -> " + Js.fmt(Async.await(a.throwError(new RuntimeException("E")))));
        log.println("next -> " + Js.fmt(Async.await(a.next())));
        log.println("next -> " + Js.fmt(Async.await(a.next())));
        AsyncGenerator<String> b = outer(log, "return");
        Async.await(b.next());
        log.println("next -> " + Js.fmt(Async.await(b.next())));
        log.println("return -> " + Js.fmt(Async.await(b.returnValue("R"))));
        log.println("next -> " + Js.fmt(Async.await(b.next())));
        for (Object v : Async.forAwait(overSync())) {
          log.println("sync inner: " + v + (v instanceof Promise ? " (a promise)" : " (a value)"));
        }
        Async.await(hops(loop, log));
        return null;
      }));
    }
  }

  private static AsyncGenerator<String> inner(Log log, String name) {
    return AsyncGenerator.of(y -> {
      try {
        y.yield(name + "-1");
        y.yield(name + "-2");
      } catch (RuntimeException e) {
        log.println("  inner " + name + " caught: " + e.getMessage());
        y.yield(name + "-recovered");
      } finally {
        log.println("  inner " + name + " finally");
      }
    });
  }

  private static AsyncGenerator<String> outer(Log log, String name) {
    return AsyncGenerator.of(y -> {
      try {
        y.yield("outer-start");
        y.yieldAll(inner(log, name));
        y.yield("outer-end");
      } finally {
        log.println("  outer " + name + " finally");
      }
    });
  }

  private static AsyncGenerator<Object> overSync() {
    return AsyncGenerator.of(y -> y.yieldAll(List.<Object>of("s1", Promise.resolve("s2"), "s3")));
  }

  private static Promise<Object> hops(EventLoop loop, Log log) {
    return Async.async(() -> {
      AsyncGenerator<String> o = outer(log, "hops");
      Js.ticker(loop, log, 4);
      o.next().thenAccept(r -> log.println("direct yield: " + r.value()));
      Async.await(Js.sleep(loop, 5));
      Js.ticker(loop, log, 4);
      o.next().thenAccept(r -> log.println("delegated yield: " + r.value()));
      Async.await(Js.sleep(loop, 5));
      log.println("return -> " + Js.fmt(Async.await(o.returnValue("end"))));
      return null;
    });
  }
}
