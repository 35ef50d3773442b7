package org.eventloop4j.bench.sync;

import java.util.concurrent.TimeUnit;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.sync.AsyncQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A bounded queue (capacity 1024) on one loop, one producer and two consumers, {@value #N} items per
 * invocation; cost per item. {@code awaitEach} is Node's {@code async_queue.js} shape (134 ns per item
 * there): the producer waits for each push's promise, each consumer for each pop's. {@code batched} is the
 * idiomatic fast form: the producer offers while there is room and pushes (waiting) only when full, the
 * consumers take everything ready with {@code popMany(256)}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(QueueSameLoop.N)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class QueueSameLoop {
  static final int N = 1_000_000;

  @Param("1000000")
  public int n;

  @Benchmark
  public long awaitEach1p2c_eventloop4j() {
    long[] sum = {0};
    int[] count = {0};
    EventLoop.create().run(() -> {
      AsyncQueue<Integer> q = AsyncQueue.bounded(1024);
      new Producer(q, n).run();
      for (int c = 0; c < 2; c++) {
        new Consumer(q, sum, count).run();
      }
    });
    return check(sum[0], count[0]);
  }

  @Benchmark
  public long batched1p2c_eventloop4j() {
    long[] sum = {0};
    int[] count = {0};
    EventLoop.create().run(() -> {
      AsyncQueue<Integer> q = AsyncQueue.bounded(1024);
      new Offerer(q, n).run();
      for (int c = 0; c < 2; c++) {
        new BatchConsumer(q, sum, count).run();
      }
    });
    return check(sum[0], count[0]);
  }

  long check(long sum, int count) {
    if (count != n || sum != (long) n * (n - 1) / 2) {
      throw new IllegalStateException("lost items: " + count + " of " + n);
    }
    return sum;
  }

  /** Pushes 0..n-1, waiting for each push, then closes. */
  static final class Producer implements Runnable {
    private final AsyncQueue<Integer> q;
    private final int n;
    private int next;

    Producer(AsyncQueue<Integer> q, int n) {
      this.q = q;
      this.n = n;
    }

    @Override
    public void run() {
      if (next == n) {
        q.close();
      } else {
        q.push(next++).thenRun(this);
      }
    }
  }

  /** Pops until done, waiting for each pop. */
  static final class Consumer implements Runnable {
    private final AsyncQueue<Integer> q;
    private final long[] sum;
    private final int[] count;

    Consumer(AsyncQueue<Integer> q, long[] sum, int[] count) {
      this.q = q;
      this.sum = sum;
      this.count = count;
    }

    @Override
    public void run() {
      q.pop().thenAccept(r -> {
        if (!r.done()) {
          sum[0] += r.value();
          count[0]++;
          run();
        }
      });
    }
  }

  /** Offers while there is room; when full, pushes one and goes on once it is in. */
  static final class Offerer implements Runnable {
    private final AsyncQueue<Integer> q;
    private final int n;
    private int next;

    Offerer(AsyncQueue<Integer> q, int n) {
      this.q = q;
      this.n = n;
    }

    @Override
    public void run() {
      while (next < n && q.offer(next)) {
        next++;
      }
      if (next == n) {
        q.close();
      } else {
        q.push(next++).thenRun(this);
      }
    }
  }

  /** Takes everything ready, up to 256 at a time, until done. */
  static final class BatchConsumer implements Runnable {
    private final AsyncQueue<Integer> q;
    private final long[] sum;
    private final int[] count;

    BatchConsumer(AsyncQueue<Integer> q, long[] sum, int[] count) {
      this.q = q;
      this.sum = sum;
      this.count = count;
    }

    @Override
    public void run() {
      Promise<java.util.List<Integer>> batch = q.popMany(256);
      batch.thenAccept(items -> {
        if (!items.isEmpty()) {
          for (int v : items) {
            sum[0] += v;
          }
          count[0] += items.size();
          run();
        }
      });
    }
  }
}
