package org.eventloop4j.conformance;

import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/**
 * Port of {@code js/38-async-nested-calls-sync-until-await.js}. Each {@code async function} is a method
 * returning {@code Async.async(...)}; calling one from another body starts the callee's body at once, on
 * its own stack, up to its first await. {@code await f()} is {@code Async.await(f())} (not {@code
 * Async.awaitCall}, which is the optimised form of the same thing).
 */
final class S38AsyncNestedCallsSyncUntilAwait implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        Js.ticker(loop, log, 7);
        log.println("main: before outer()");
        outer(log).thenAccept(v -> log.println("outer settled: " + v));
        log.println("main: after outer()");
        Promise.resolve().thenRun(() -> log.println("main: microtask queued after outer()"));
      });
    }
  }

  private static Promise<String> leaf(Log log, String label) {
    return Async.async(() -> {
      log.println(label + ": leaf start");
      Async.await((Object) null);
      log.println(label + ": leaf after await");
      return label;
    });
  }

  private static Promise<String> noAwait(Log log) {
    return Async.async(() -> {
      log.println("noAwait: runs to its end synchronously");
      return "no-await";
    });
  }

  private static Promise<String> middle(Log log) {
    return Async.async(() -> {
      log.println("middle: start");
      String v = Async.await(leaf(log, "b"));
      log.println("middle: after await leaf(b) = " + v);
      return "middle(" + v + ")";
    });
  }

  private static Promise<String> outer(Log log) {
    return Async.async(() -> {
      log.println("outer: start");
      Promise<String> a = leaf(log, "a");
      log.println("outer: leaf(a) returned a pending promise");
      Promise<String> n = noAwait(log);
      log.println("outer: noAwait() returned");
      String m = Async.await(middle(log));
      log.println("outer: after await middle() = " + m);
      String av = Async.await(a);
      log.println("outer: after await leaf(a) = " + av + ", noAwait() = " + Async.await(n));
      return "outer done";
    });
  }
}
