package org.eventloop4j.conformance;

import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/**
 * Port of {@code js/36-async-runs-sync-until-await.js}. An {@code async function} is a method returning
 * {@code Async.async(() -> body)}; {@code await null} is {@code Async.await((Object) null)}. {@code
 * Object.prototype.toString.call(p)} is {@code "[object " + p.getClass().getSimpleName() + "]"}.
 */
final class S36AsyncRunsSyncUntilAwait implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        log.println("call f");
        Promise<?> pf = f(log, "f");
        log.println("f returned [object " + pf.getClass().getSimpleName() + "]");
        boolean caught = false;
        Promise<?> pg = null;
        try {
          pg = g(log);
        } catch (RuntimeException e) {
          caught = true;
        }
        log.println("caller try/catch caught: " + caught);
        if (pg != null) {
          pg.catchError(e -> {
            log.println("rejection: " + e.getMessage());
            return null;
          });
        }
        log.println("sync end");
      });
    }
  }

  private static Promise<Object> f(Log log, String label) {
    return Async.async(() -> {
      log.println(label + ": body start (sync)");
      Async.await((Object) null);
      log.println(label + ": after await");
      return null;
    });
  }

  private static Promise<Object> g(Log log) {
    return Async.async(() -> {
      log.println("g: about to throw");
      throw new RuntimeException("thrown synchronously in async fn");
    });
  }
}
