package org.eventloop4j.conformance;

import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.stream.AsyncGenerator;

/**
 * Port of {@code js/69-asyncgen-sent-and-returned-values.js}. {@code const x = yield v} is {@code Object x =
 * y.yield(v)}, {@code return v} is {@code y.finish(v)}, {@code const r = yield* inner} is {@code Object r =
 * y.yieldAll(inner)}.
 */
final class S69AsyncGenSentAndReturnedValues implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> Async.async(() -> {
        AsyncGenerator<Object> o = outer(log);
        log.println(Js.fmt(Async.await(o.next("dropped"))));
        log.println(Js.fmt(Async.await(o.next("a"))));
        log.println(Js.fmt(Async.await(o.next("b"))));
        log.println(Js.fmt(Async.await(o.next("stop"))));
        log.println(Js.fmt(Async.await(o.next("x"))));
        log.println(Js.fmt(Async.await(o.next("y"))));
        AsyncGenerator<Object> p = returnsPromise(loop, log);
        log.println(Js.fmt(Async.await(p.next())));
        AsyncGenerator<Object> q = returnsRejection(log);
        log.println(Js.fmt(Async.await(q.next())));
        log.println(Js.fmt(Async.await(q.next())));
        log.println(Js.fmt(Async.await(q.next())));
        AsyncGenerator<Object> h = returnsPlain(log);
        Js.ticker(loop, log, 5);
        h.next().thenAccept(r -> log.println("returnsPlain -> " + Js.fmt(r)));
        return null;
      }));
    }
  }

  private static AsyncGenerator<Object> echo(Log log) {
    return AsyncGenerator.of(y -> {
      Object got = y.yield("first");
      while (!"stop".equals(got)) {
        log.println("echo received " + got);
        got = y.yield("echo:" + got);
      }
      y.finish("echo done");
    });
  }

  private static AsyncGenerator<Object> outer(Log log) {
    return AsyncGenerator.of(y -> {
      Object r = y.yieldAll(echo(log));
      log.println("yield* evaluated to " + r);
      Object last = y.yield("outer-last");
      log.println("outer received " + last);
      y.finish("outer done");
    });
  }

  private static AsyncGenerator<Object> returnsPromise(EventLoop loop, Log log) {
    return AsyncGenerator.of(y -> {
      try {
        log.println("returning a promise");
        y.finish(Js.delay(loop, 10, "late value"));
      } finally {
        log.println("finally runs after the returned promise settled");
      }
    });
  }

  private static AsyncGenerator<Object> returnsRejection(Log log) {
    return AsyncGenerator.of(y -> {
      try {
        y.finish(Promise.reject(new RuntimeException("bad return")));
      } catch (RuntimeException e) {
        log.println("caught at the return: " + e.getMessage());
        y.yield("recovered");
        y.finish("after recovery");
      } finally {
        log.println("finally of returnsRejection");
      }
    });
  }

  private static AsyncGenerator<Object> returnsPlain(Log log) {
    return AsyncGenerator.of(y -> {
      try {
        y.finish("plain");
      } finally {
        log.println("finally of returnsPlain");
      }
    });
  }
}
