package org.eventloop4j.conformance;

import java.util.Map;
import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.stream.AsyncGenerator;
import org.eventloop4j.stream.IteratorResult;

/**
 * Port of {@code js/43-asyncgen-yield-awaits-operand.js}. {@code y.yield(p)} awaits {@code p} like {@code
 * yield p}, and a rejected {@code p} throws at the {@code yield}. Java's {@code next()} takes no argument
 * and {@code yield} returns nothing, so values sent into a generator have no counterpart: {@code
 * it.next('ignored first arg')} and {@code it.next('hello')} are {@code it.next()}, and the line printing
 * the received argument is left out.
 */
final class S43AsyncGenYieldAwaitsOperand implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> Async.async(() -> {
        AsyncGenerator<Object> it = AsyncGenerator.of(y -> {
          y.yield(Promise.resolve("unwrapped"));
          // const got = yield ...; log('next() argument received: ' + got): no value is sent in
          try {
            y.yield(Promise.reject(new RuntimeException("rejected operand")));
          } catch (RuntimeException e) {
            log.println("generator caught: " + e.getMessage());
          }
          y.yield("after catch");
        });
        IteratorResult<Object> r1 = Async.await(it.next());
        log.println("r1.value is promise: " + (r1.value() instanceof Promise) + ", value=" + r1.value());
        log.println(Js.fmt(Async.await(it.next())));
        log.println(Js.fmt(Async.await(it.next())));
        return null;
      }));
    }
  }

  @Override
  public Map<String, String> omittedLines() {
    return Map.of("next() argument received: hello",
        "next() takes no argument and yield returns nothing: a value sent into a generator has no counterpart");
  }
}
