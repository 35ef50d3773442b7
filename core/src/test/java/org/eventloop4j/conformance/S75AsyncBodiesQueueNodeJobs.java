package org.eventloop4j.conformance;

import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/**
 * Port of {@code js/75-async-bodies-queue-node-jobs.js}: {@code process.nextTick}, {@code queueMicrotask},
 * {@code setImmediate} and {@code setTimeout} called from an async body between its awaits; {@code await new
 * Promise((r) => setImmediate(r))} is {@code Async.await} of a promise its executor resolves from an
 * immediate.
 */
final class S75AsyncBodiesQueueNodeJobs implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> loop.setTimeout(() -> {
        log.println("timer starts both");
        body(loop, log, "one").thenAccept(log::println);
        body(loop, log, "two").thenAccept(log::println);
        loop.setImmediate(() -> log.println("outer immediate"));
        loop.nextTick(() -> log.println("outer tick"));
        log.println("timer ends");
      }, 1));
    }
  }

  private static Promise<String> body(EventLoop loop, Log log, String name) {
    return Async.async(() -> {
      log.println(name + " starts");
      loop.nextTick(() -> log.println(name + " tick before await"));
      loop.queueMicrotask(() -> log.println(name + " microtask before await"));
      Async.await((Object) null);
      log.println(name + " after first await");
      loop.nextTick(() -> log.println(name + " tick after await"));
      loop.queueMicrotask(() -> log.println(name + " microtask after await"));
      loop.setImmediate(() -> log.println(name + " immediate"));
      loop.setTimeout(() -> log.println(name + " timeout 5"), 5);
      Async.await((Object) null);
      log.println(name + " after second await");
      Async.await(Promise.<Object>create((resolve, reject) -> loop.setImmediate(() -> resolve.accept(null))));
      log.println(name + " resumed by an immediate");
      loop.nextTick(() -> log.println(name + " tick in check phase"));
      Async.await(Js.sleep(loop, 0));
      log.println(name + " resumed by a timer");
      loop.nextTick(() -> log.println(name + " tick in timers phase"));
      loop.queueMicrotask(() -> log.println(name + " microtask in timers phase"));
      return name + " done";
    });
  }
}
