package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/** Port of {@code js/21-promise-executor-sync-first-settle-wins.js}; {@code new Promise(f)} is {@code Promise.create(f)}. */
final class S21PromiseExecutorSyncFirstSettleWins implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        log.println("before constructor");
        Promise<String> p = Promise.create((resolve, reject) -> {
          log.println("executor runs synchronously");
          resolve.accept("first");
          resolve.accept("second");
          reject.accept(new RuntimeException("ignored"));
          throw new RuntimeException("also ignored");
        });
        log.println("after constructor");
        p.then(v -> {
          log.println("fulfilled with " + v);
          return null;
        }, e -> {
          log.println("rejected?! " + e.getMessage());
          return null;
        });
        Promise<Object> q = Promise.create((resolve, reject) -> {
          throw new RuntimeException("executor threw");
        });
        q.catchError(e -> {
          log.println("executor throw -> rejection: " + e.getMessage());
          return null;
        });
        log.println("sync end");
      });
    }
  }
}
