package org.eventloop4j.conformance;

import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/**
 * Port of {@code js/37-async-try-catch-finally-order.js}. {@code Async.await} of a rejected promise throws
 * the reason itself at the await, so JavaScript's try/catch/finally maps one to one; {@code b}'s {@code
 * return} inside {@code finally} overrides the exception as in JavaScript (javac warns, hence the
 * suppression).
 */
final class S37AsyncTryCatchFinallyOrder implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        a(log).thenAccept(v -> log.println("a settled: " + v));
        b().thenAccept(v -> log.println("b settled: " + v));
      });
    }
  }

  private static Promise<String> a(Log log) {
    return Async.async(() -> {
      try {
        log.println("a: try");
        Async.await(Promise.reject(new RuntimeException("boom")));
        log.println("a: unreachable");
        return "not reached";
      } catch (RuntimeException e) {
        log.println("a: catch " + e.getMessage());
        Async.await((Object) null);
        log.println("a: catch after await");
        return "from catch";
      } finally {
        log.println("a: finally");
      }
    });
  }

  @SuppressWarnings("finally")
  private static Promise<String> b() {
    return Async.async(() -> {
      try {
        throw new RuntimeException("lost");
      } finally {
        Async.await((Object) null);
        return "finally wins";
      }
    });
  }
}
