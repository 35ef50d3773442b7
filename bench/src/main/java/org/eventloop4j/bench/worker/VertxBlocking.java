package org.eventloop4j.bench.worker;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The JVM peer with our pool's contract: Vert.x 5's {@code WorkerExecutor.executeBlocking(callable, false)}
 * called on an event-loop context runs the task on the executor's {@code workerThreads} threads and
 * completes its future back on that event loop, as a {@code WorkerPool} promise settles on the submitting loop. Unordered,
 * so the tasks of one context may run on all the pool's threads at once, as ours do.
 */
final class VertxBlocking {
  private final Vertx vertx;
  private final Context context;
  private final WorkerExecutor workers;

  VertxBlocking(int workerThreads) {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    workers = vertx.createSharedWorkerExecutor("bench-workers", workerThreads);
  }

  /** Round trips one after another: each result, on the event loop, submits the next task. */
  int roundTrips(int n) throws InterruptedException {
    int[] done = {0};
    CountDownLatch latch = new CountDownLatch(1);
    context.runOnContext(v -> step(0, n, done, latch));
    latch.await();
    return Expect.equal(n, done[0], "round trips");
  }

  private void step(int i, int n, int[] done, CountDownLatch latch) {
    if (i == n) {
      done[0] = i;
      latch.countDown();
      return;
    }
    workers.executeBlocking(() -> i + 1, false).onSuccess(v -> step(v, n, done, latch));
  }

  /** {@code window} tasks in flight: each result, on the event loop, submits the next until {@code n} ran. */
  int pipelined(int n, int window) throws InterruptedException {
    int[] counts = {0, 0};
    CountDownLatch latch = new CountDownLatch(1);
    context.runOnContext(v -> {
      for (int i = 0; i < Math.min(window, n); i++) {
        lane(n, counts, latch);
      }
    });
    latch.await();
    return Expect.equal(n, counts[1], "tasks");
  }

  /** counts[0]: submitted, counts[1]: completed; confined to the event loop. */
  private void lane(int n, int[] counts, CountDownLatch latch) {
    int id = ++counts[0];
    workers.executeBlocking(() -> id, false).onSuccess(v -> {
      if (++counts[1] == n) {
        latch.countDown();
      } else if (counts[0] < n) {
        lane(n, counts, latch);
      }
    });
  }

  void close() {
    workers.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
  }
}
