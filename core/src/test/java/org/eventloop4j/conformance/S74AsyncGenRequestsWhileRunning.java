package org.eventloop4j.conformance;

import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.stream.AsyncGenerator;
import org.eventloop4j.stream.IteratorResult;

/**
 * Port of {@code js/74-asyncgen-requests-while-running.js}. {@code g.return(v)} is {@code
 * g.returnValue(v)}, {@code g.throw(e)} is {@code g.throwError(e)}; {@code await new Promise((r) =>
 * setTimeout(r, 0))} is {@code Async.await(Js.sleep(loop, 0))}.
 */
final class S74AsyncGenRequestsWhileRunning implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> Async.async(() -> {
        main(loop, log);
        return null;
      }));
    }
  }

  private static void main(EventLoop loop, Log log) {
    Js.labelledTicker(loop, log, "A", 12);
    AsyncGenerator<Object> s = slow(log);
    show(log, "s.next 1", s.next());
    show(log, "s.return", s.returnValue("r"));
    show(log, "s.next 2", s.next());
    Async.await(Js.sleep(loop, 0));
    log.println("--- catcher");
    Js.labelledTicker(loop, log, "B", 10);
    AsyncGenerator<Object> c = catcher(log);
    show(log, "c.next 1", c.next());
    show(log, "c.throw", c.throwError(new RuntimeException("boom")));
    show(log, "c.next 2", c.next());
    show(log, "c.return", c.returnValue("end"));
    Async.await(Js.sleep(loop, 0));
    log.println("--- finallyYields");
    Js.labelledTicker(loop, log, "C", 10);
    AsyncGenerator<Object> f = finallyYields(log);
    show(log, "f.next 1", f.next());
    show(log, "f.return", f.returnValue("ret"));
    show(log, "f.next 2", f.next());
    show(log, "f.next 3", f.next());
    Async.await(Js.sleep(loop, 0));
    log.println("--- returnCatcher");
    Js.labelledTicker(loop, log, "D", 10);
    AsyncGenerator<Object> rc = returnCatcher(log);
    show(log, "rc.next 1", rc.next());
    show(log, "rc.return rejected", rc.returnValue(Promise.reject(new RuntimeException("rejected return"))));
    show(log, "rc.next 2", rc.next());
    show(log, "rc.next 3", rc.next());
    Async.await(Js.sleep(loop, 0));
    log.println("--- finished generator");
    Js.labelledTicker(loop, log, "E", 8);
    show(log, "rc.return promise", rc.returnValue(Promise.resolve("late")));
    show(log, "rc.return rejected", rc.returnValue(Promise.reject(new RuntimeException("late rejection"))));
    show(log, "rc.throw", rc.throwError(new RuntimeException("after end")));
    show(log, "rc.next", rc.next());
  }

  /** The JS {@code show(label, p)}: logs the result or the rejection's message. */
  private static void show(Log log, String label, Promise<IteratorResult<Object>> p) {
    p.then(r -> {
      log.println(label + " -> " + Js.fmt(r));
      return null;
    }, e -> {
      log.println(label + " rejected " + e.getMessage());
      return null;
    });
  }

  private static AsyncGenerator<Object> slow(Log log) {
    return AsyncGenerator.of(y -> {
      try {
        log.println("slow starts");
        Async.await((Object) null);
        log.println("slow after one await");
        Async.await((Object) null);
        y.yield("a");
        log.println("slow resumed after a");
        y.yield("b");
      } finally {
        log.println("slow finally starts");
        Async.await((Object) null);
        log.println("slow finally after await");
      }
    });
  }

  private static AsyncGenerator<Object> catcher(Log log) {
    return AsyncGenerator.of(y -> {
      for (int i = 0; ; i++) {
        try {
          Async.await((Object) null);
          y.yield("c" + i);
        } catch (RuntimeException e) {
          log.println("catcher caught " + e.getMessage());
          y.yield("caught " + e.getMessage());
        }
      }
    });
  }

  private static AsyncGenerator<Object> finallyYields(Log log) {
    return AsyncGenerator.of(y -> {
      try {
        y.yield("body");
      } finally {
        log.println("finallyYields finally");
        y.yield("from finally");
        log.println("finallyYields finally resumed");
      }
    });
  }

  private static AsyncGenerator<Object> returnCatcher(Log log) {
    return AsyncGenerator.of(y -> {
      try {
        y.yield("x");
      } catch (RuntimeException e) {
        log.println("returnCatcher caught " + e.getMessage());
        y.yield("after return rejection");
      } finally {
        log.println("returnCatcher finally");
      }
    });
  }
}
