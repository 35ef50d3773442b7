package org.eventloop4j.worker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/**
 * Test support: pools whose threads are all recorded (so a test can check that none outlives the pool),
 * helper threads that act on a loop once a latch opens, and an outcome log.
 */
final class PoolHarness {
  final List<Thread> started = Collections.synchronizedList(new ArrayList<>());
  final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private final List<WorkerPool> pools = new ArrayList<>();
  private final List<Thread> helpers = new ArrayList<>();

  /** Opened by the test, or by {@link #close()}, to let every {@link #blocker} task return. */
  final CountDownLatch release = new CountDownLatch(1);

  /** A task that blocks until {@link #release} opens (interruptibly), counting {@code started} first. */
  WorkerPool.Task<String, String> blocker(CountDownLatch started) {
    return name -> {
      started.countDown();
      if (!release.await(20, TimeUnit.SECONDS)) {
        throw new AssertionError("never released");
      }
      return name;
    };
  }

  /** A builder whose pool records every thread it starts. */
  WorkerPool.Builder builder() {
    return WorkerPool.builder().onThreadStart(started::add);
  }

  WorkerPool build(WorkerPool.Builder b) {
    WorkerPool p = b.build();
    pools.add(p);
    return p;
  }

  /** Logs "name ok value" or "name err Class: message" when {@code p} settles (a handler, so never unhandled). */
  <T> Promise<T> record(String name, Promise<T> p) {
    p.then(v -> log.add(name + " ok " + v), e -> log.add(name + " err " + e.getClass().getSimpleName()));
    return p;
  }

  /**
   * Runs {@code action} on {@code loop} once {@code latch} opens (waited for on a helper thread, at most
   * 10 s); keeps the loop alive until then. If the latch never opens, the loop gets an AssertionError.
   */
  void when(EventLoop loop, CountDownLatch latch, Runnable action) {
    EventLoop.KeepAlive alive = loop.keepAlive();
    helpers.add(Thread.ofPlatform().name("harness-helper").start(() -> {
      boolean open;
      try {
        open = latch.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        open = false;
      }
      boolean ok = open;
      loop.execute(() -> {
        alive.close();
        if (!ok) {
          throw new AssertionError("latch did not open within 10 s");
        }
        action.run();
      });
    }));
  }

  /** Runs {@code body} on a fresh real-clock loop until it is done. */
  static void run(Consumer<EventLoop> body) {
    EventLoop loop = EventLoop.create();
    loop.run(() -> body.accept(loop));
  }

  /** Runs {@code ok} tasks that return and {@code failing} that throw on {@code pool}, until all settled. */
  static void runTasks(WorkerPool pool, int ok, int failing) {
    run(loop -> {
      for (int i = 0; i < ok; i++) {
        pool.submit(() -> "ok");
      }
      for (int i = 0; i < failing; i++) {
        pool.submit(() -> {
          throw new IllegalStateException("bad");
        }).catchError(e -> null);
      }
    });
  }

  /** Terminates every pool and checks that no pool thread or helper outlives the test. */
  void close() throws InterruptedException {
    release.countDown();
    for (WorkerPool p : pools) {
      p.shutdownNow();
      assertTrue(p.awaitTermination(Duration.ofSeconds(10)), p + " did not terminate");
      assertTrue(p.isTerminated());
    }
    List<Thread> all = new ArrayList<>(started);
    all.addAll(helpers);
    for (Thread t : all) {
      t.join(10_000);
      assertFalse(t.isAlive(), t.getName() + " outlived its pool");
    }
  }
}
