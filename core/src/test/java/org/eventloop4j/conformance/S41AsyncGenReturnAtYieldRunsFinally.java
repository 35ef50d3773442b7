package org.eventloop4j.conformance;

import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.stream.AsyncGenerator;
import org.eventloop4j.stream.IteratorResult;

/**
 * Port of {@code js/41-asyncgen-return-at-yield-runs-finally.js}. {@code return(v)} is {@code
 * returnValue(v)}: the paused {@code y.yield(...)} awaits {@code v} and then completes abruptly like a
 * {@code return}, carried by an internal {@link Error}, so {@code catch (RuntimeException e)} does not see it
 * (as no JavaScript {@code catch} sees a return) while {@code finally} runs, and may await and yield again.
 * A rejected {@code v} is thrown at the yield as an ordinary exception, which the body catches.
 */
final class S41AsyncGenReturnAtYieldRunsFinally implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> Async.async(() -> {
        AsyncGenerator<Object> it = gen(loop, log);
        log.println("next -> " + Js.fmt(Async.await(it.next())));
        Promise<IteratorResult<Object>> r = it.returnValue("R");
        Promise<IteratorResult<Object>> n = it.next();
        log.println("return() and next() issued");
        log.println("return -> " + Js.fmt(Async.await(r)));
        log.println("queued next -> " + Js.fmt(Async.await(n)));
        log.println("next after completion -> " + Js.fmt(Async.await(it.next())));
        AsyncGenerator<Object> c = caught(log);
        log.println("next -> " + Js.fmt(Async.await(c.next())));
        log.println("return(Promise.resolve) -> " + Js.fmt(Async.await(c.returnValue(Promise.resolve("P")))));
        AsyncGenerator<Object> d = caught(log);
        Async.await(d.next());
        log.println("return(rejected) -> "
            + Js.fmt(Async.await(d.returnValue(Promise.reject(new RuntimeException("rv"))))));
        log.println("next -> " + Js.fmt(Async.await(d.next())));
        return null;
      }));
    }
  }

  private static AsyncGenerator<Object> gen(EventLoop loop, Log log) {
    return AsyncGenerator.of(y -> {
      try {
        log.println("body: yield 1");
        y.yield(1);
        log.println("body: after yield 1 (never)");
      } catch (RuntimeException e) {
        log.println("catch (never: a return is not an exception)");
      } finally {
        log.println("finally: start, awaits");
        Async.await(Js.sleep(loop, 5));
        log.println("finally: yields again");
        y.yield("from finally");
        log.println("finally: resumed by the queued next()");
      }
      log.println("after try (never)");
    });
  }

  private static AsyncGenerator<Object> caught(Log log) {
    return AsyncGenerator.of(y -> {
      try {
        y.yield("x");
      } catch (RuntimeException e) {
        log.println("caught at the yield: " + e.getMessage());
        y.yield("after catch");
      }
    });
  }
}
