package org.eventloop4j.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Stress tests with several started loops and plain threads sharing one primitive; sizes scale with
 * {@code -Deventloop4j.stress} (1 in CI). Every wait is a latch with a generous timeout; every check is
 * an invariant (mutual exclusion, a concurrency bound, conservation of items).
 */
class SyncStressTest {
  private static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);
  private static final int LOOPS = 4;
  private final StartedLoops loops = new StartedLoops();

  @AfterEach
  void closeLoops() {
    loops.close();
  }

  private void await(CountDownLatch done) throws InterruptedException {
    assertTrue(done.await(60, TimeUnit.SECONDS), "timed out; " + done.getCount() + " left");
    loops.assertNoFailure();
  }

  @Test
  void semaphore_loopsAndThreads_neverMoreThanThePermitsAtOnce() throws InterruptedException {
    int perLoop = 5_000 * STRESS;
    Semaphore sem = new Semaphore(3);
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger worst = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(LOOPS * perLoop + 2);
    Runnable critical = () -> {
      int now = inside.incrementAndGet();
      worst.accumulateAndGet(now, Math::max);
      inside.decrementAndGet();
    };
    for (int i = 0; i < LOOPS; i++) {
      EventLoop l = loops.start();
      l.execute(() -> {
        for (int k = 0; k < perLoop; k++) {
          int weight = 1 + (k % 2);
          sem.execute(weight, () -> {
            critical.run();
            return Promise.resolve();
          }).thenRun(done::countDown); // settles after the release
        }
      });
    }
    for (int t = 0; t < 2; t++) {
      Thread.ofPlatform().start(() -> {
        for (int k = 0; k < perLoop; k++) {
          if (sem.tryAcquire()) {
            critical.run();
            sem.release();
          }
        }
        done.countDown();
      });
    }
    await(done);
    assertTrue(worst.get() <= 3, "at most 3 permits' worth at once, saw " + worst.get());
    assertEquals(3, sem.available());
  }

  @Test
  void mutex_loops_incrementsAreNeverLost() throws InterruptedException {
    int perLoop = 5_000 * STRESS;
    Mutex mutex = new Mutex();
    int[] counter = {0}; // plain field: the mutex's happens-before edges must make this exact
    CountDownLatch done = new CountDownLatch(LOOPS * perLoop);
    for (int i = 0; i < LOOPS; i++) {
      EventLoop l = loops.start();
      l.execute(() -> {
        for (int k = 0; k < perLoop; k++) {
          mutex.execute(() -> {
            int seen = counter[0];
            counter[0] = seen + 1;
            return Promise.resolve();
          }).thenRun(done::countDown);
        }
      });
    }
    await(done);
    assertTrue(mutex.tryLock());
    assertEquals(LOOPS * perLoop, counter[0]);
  }

  @Test
  void readWriteMutex_loops_writersExcludeEveryone() throws InterruptedException {
    int perLoop = 4_000 * STRESS;
    ReadWriteMutex rw = new ReadWriteMutex();
    AtomicInteger readers = new AtomicInteger();
    AtomicInteger writers = new AtomicInteger();
    AtomicInteger violations = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(LOOPS * perLoop);
    for (int i = 0; i < LOOPS; i++) {
      EventLoop l = loops.start();
      l.execute(() -> {
        for (int k = 0; k < perLoop; k++) {
          if (k % 4 == 0) {
            rw.executeWrite(() -> {
              if (writers.incrementAndGet() != 1 || readers.get() != 0) {
                violations.incrementAndGet();
              }
              writers.decrementAndGet();
              return Promise.resolve();
            }).thenRun(done::countDown);
          } else {
            rw.executeRead(() -> {
              readers.incrementAndGet();
              if (writers.get() != 0) {
                violations.incrementAndGet();
              }
              readers.decrementAndGet();
              return Promise.resolve();
            }).thenRun(done::countDown);
          }
        }
      });
    }
    await(done);
    assertEquals(0, violations.get());
    assertTrue(rw.tryWriteLock());
  }

  @Test
  void queue_producersAndConsumersOnLoopsAndAThread_everyItemExactlyOnce() throws InterruptedException {
    int perProducer = 20_000 * STRESS;
    AsyncQueue<Integer> q = AsyncQueue.bounded(8);
    AtomicLong sum = new AtomicLong();
    AtomicInteger count = new AtomicInteger();
    CountDownLatch produced = new CountDownLatch(3);
    CountDownLatch consumed = new CountDownLatch(2);
    for (int p = 0; p < 2; p++) {
      EventLoop l = loops.start();
      int base = p * perProducer;
      l.execute(() -> pushFrom(q, base, base + perProducer, produced));
    }
    Thread.ofPlatform().start(() -> {
      for (int v = 2 * perProducer; v < 3 * perProducer; v++) {
        while (!q.offer(v)) {
          Thread.onSpinWait();
        }
      }
      produced.countDown();
    });
    for (int c = 0; c < 2; c++) {
      EventLoop l = loops.start();
      l.execute(() -> q.forEach(v -> {
        sum.addAndGet(v);
        count.incrementAndGet();
      }).thenRun(consumed::countDown));
    }
    await(produced);
    q.close();
    await(consumed);
    long n = 3L * perProducer;
    assertEquals(n, count.get());
    assertEquals(n * (n - 1) / 2, sum.get());
  }

  private static void pushFrom(AsyncQueue<Integer> q, int from, int to, CountDownLatch produced) {
    if (from == to) {
      produced.countDown();
      return;
    }
    q.push(from).thenRun(() -> pushFrom(q, from + 1, to, produced));
  }
}
