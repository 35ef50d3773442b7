package org.eventloop4j.conformance;

import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.ForAwait;
import org.eventloop4j.Promise;
import org.eventloop4j.stream.AsyncGenerator;
import org.eventloop4j.stream.AsyncIterable;
import org.eventloop4j.stream.AsyncIterator;
import org.eventloop4j.stream.IteratorResult;
import org.jspecify.annotations.Nullable;

/**
 * Port of {@code js/46-for-await-early-exit-calls-return.js}. Every {@code for await} is {@code try (var
 * values = Async.forAwait(src)) { for (String v : values) { ... } }}: Java cannot see a {@code break}, so the
 * try-with-resources' {@link ForAwait#close()} calls {@code returnValue} and awaits it, as JavaScript's loop
 * does on {@code break}, {@code return} or {@code throw}. If that close fails while the body is throwing,
 * Java keeps the body's exception (the close failure is suppressed), as JavaScript does; after a {@code
 * break} the close failure propagates, as in JavaScript. {@code return()} is {@code returnValue}.
 */
final class S46ForAwaitEarlyExitCallsReturn implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> Async.async(() -> {
        Async.await(withBreak(loop, log));
        log.println(Async.await(withReturn(loop, log)));
        Async.await(withThrow(loop, log));
        Async.await(breakWithFailingReturn(loop, log));
        Async.await(throwWithFailingReturn(loop, log));
        Async.await(nextRejects(loop, log));
        Async.await(normalEnd(loop, log));
        Async.await(generatorBreak(loop, log));
        return null;
      }));
    }
  }

  private static Promise<Object> withBreak(EventLoop loop, Log log) {
    return Async.async(() -> {
      try (ForAwait<String> values = Async.forAwait(source(loop, log, "break", 0, false))) {
        for (String v : values) {
          log.println("got " + v);
          if (v.equals("break2")) {
            break;
          }
        }
      }
      log.println("after the loop (break)");
      return null;
    });
  }

  private static Promise<String> withReturn(EventLoop loop, Log log) {
    return Async.async(() -> {
      try (ForAwait<String> values = Async.forAwait(source(loop, log, "return", 0, false))) {
        for (String v : values) {
          log.println("got " + v);
          return "returned " + v;
        }
      }
      return "not reached";
    });
  }

  private static Promise<Object> withThrow(EventLoop loop, Log log) {
    return Async.async(() -> {
      try {
        try (ForAwait<String> values = Async.forAwait(source(loop, log, "throw", 0, false))) {
          for (String v : values) {
            log.println("got " + v);
            throw new RuntimeException("thrown in body");
          }
        }
      } catch (RuntimeException e) {
        log.println("caught: " + e.getMessage());
      }
      return null;
    });
  }

  private static Promise<Object> breakWithFailingReturn(EventLoop loop, Log log) {
    return Async.async(() -> {
      try {
        try (ForAwait<String> values = Async.forAwait(source(loop, log, "break-fail", 0, true))) {
          for (String v : values) {
            log.println("got " + v);
            break;
          }
        }
        log.println("not reached");
      } catch (RuntimeException e) {
        log.println("caught: " + e.getMessage());
      }
      return null;
    });
  }

  private static Promise<Object> throwWithFailingReturn(EventLoop loop, Log log) {
    return Async.async(() -> {
      try {
        try (ForAwait<String> values = Async.forAwait(source(loop, log, "throw-fail", 0, true))) {
          for (String v : values) {
            log.println("got " + v);
            throw new RuntimeException("thrown in body");
          }
        }
      } catch (RuntimeException e) {
        log.println("caught: " + e.getMessage());
      }
      return null;
    });
  }

  private static Promise<Object> nextRejects(EventLoop loop, Log log) {
    return Async.async(() -> {
      try {
        try (ForAwait<String> values = Async.forAwait(source(loop, log, "next-fail", 2, false))) {
          for (String v : values) {
            log.println("got " + v);
          }
        }
      } catch (RuntimeException e) {
        log.println("caught: " + e.getMessage());
      }
      return null;
    });
  }

  private static Promise<Object> normalEnd(EventLoop loop, Log log) {
    return Async.async(() -> {
      try (ForAwait<String> values = Async.forAwait(source(loop, log, "normal", 0, false))) {
        for (String v : values) {
          log.println("got " + v);
        }
      }
      log.println("after the loop (normal end)");
      return null;
    });
  }

  private static AsyncGenerator<String> generator(EventLoop loop, Log log) {
    return AsyncGenerator.of(y -> {
      try {
        y.yield("gen1");
        y.yield("gen2");
      } finally {
        log.println("  generator: finally awaits");
        Async.await(Js.sleep(loop, 5));
        log.println("  generator: finally done");
      }
    });
  }

  private static Promise<Object> generatorBreak(EventLoop loop, Log log) {
    return Async.async(() -> {
      try (ForAwait<String> values = Async.forAwait(generator(loop, log))) {
        for (String v : values) {
          log.println("got " + v);
          break;
        }
      }
      log.println("after the loop (generator break)");
      return null;
    });
  }

  /**
   * {@code source(name, {failAt, failReturn})}: values {@code name1..name3}; {@code next()} number {@code
   * failAt} rejects (0: never); {@code return()} logs, then rejects or settles after 5 ms.
   */
  private static AsyncIterable<String> source(EventLoop loop, Log log, String name, int failAt, boolean failReturn) {
    return () -> new AsyncIterator<>() {
      int i;

      @Override
      public Promise<IteratorResult<String>> next() {
        i++;
        if (failAt == i) {
          return Promise.reject(new RuntimeException(name + ": next() failed"));
        }
        return Promise.resolve(new IteratorResult<>(name + i, i > 3));
      }

      @Override
      public Promise<IteratorResult<String>> returnValue(@Nullable String value) {
        log.println("  " + name + ": return() called");
        if (failReturn) {
          return Promise.reject(new RuntimeException(name + ": return() failed"));
        }
        return Promise.create((resolve, reject) -> loop.setTimeout(() -> {
          log.println("  " + name + ": return() settles");
          resolve.accept(IteratorResult.end());
        }, 5));
      }
    };
  }
}
