package org.eventloop4j.conformance;

import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.stream.AsyncGenerator;
import org.eventloop4j.stream.IteratorResult;

/**
 * Port of {@code js/43-asyncgen-yield-awaits-operand.js}. {@code y.yield(p)} awaits {@code p} like {@code
 * yield p}, a rejected {@code p} throws at the {@code yield}, and {@code y.yield} evaluates to the value
 * {@code it.next(v)} sent, as {@code yield} does.
 */
final class S43AsyncGenYieldAwaitsOperand implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> Async.async(() -> {
        AsyncGenerator<Object> it = AsyncGenerator.of(y -> {
          Object got = y.yield(Promise.resolve("unwrapped"));
          log.println("next() argument received: " + got);
          try {
            y.yield(Promise.reject(new RuntimeException("rejected operand")));
          } catch (RuntimeException e) {
            log.println("generator caught: " + e.getMessage());
          }
          y.yield("after catch");
        });
        IteratorResult<Object> r1 = Async.await(it.next("ignored first arg"));
        log.println("r1.value is promise: " + (r1.value() instanceof Promise) + ", value=" + r1.value());
        log.println(Js.fmt(Async.await(it.next("hello"))));
        log.println(Js.fmt(Async.await(it.next())));
        return null;
      }));
    }
  }
}
