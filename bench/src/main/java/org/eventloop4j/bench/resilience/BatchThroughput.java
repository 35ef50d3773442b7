package org.eventloop4j.bench.resilience;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.dataloader.BatchLoader;
import org.dataloader.DataLoader;
import org.dataloader.DataLoaderFactory;
import org.dataloader.DataLoaderOptions;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.resilience.BatchProcessor;
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
import reactor.core.publisher.Flux;

/**
 * Batching throughput with a no-op batch function: {@value #N} items into batches of 10 with a 5 ms
 * timeout. Ours adds every item with {@code add} (each gets its own promise of its result) and closes,
 * which flushes; the batch function answers each batch with itself. Reactor 3.8's
 * {@code Flux.range(0, n).bufferTimeout(10, 5 ms)} emits the lists to a summing subscriber, without and
 * with fair backpressure. {@code batchTick_eventloop4j} is DataLoader's tick mode (no timeout);
 * {@code itemPromiseFloor_eventloop4j} the cost of the per-item promise alone. Node counterpart:
 * {@code bench/node/batch_throughput.js} (a minimal DataLoader-like batcher, same sizes).
 * {@code batchTick_javaDataloader} is java-dataloader 3.4 on the tick-mode workload: {@code load} of every
 * key (each its own CompletableFuture), then one {@code dispatch}, batches of 10, no cache (ours has none),
 * the batch loader answering each batch with its keys.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(BatchThroughput.N)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-Xmn1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class BatchThroughput {
  static final int N = 100_000;
  private static final Duration TIMEOUT = Duration.ofMillis(5);

  @Param("100000")
  public int n;

  @Benchmark
  public long batch_eventloop4j() {
    return run(BatchProcessor.<Integer, Integer>builder(BatchThroughput::identity).batchSize(10).batchTimeout(TIMEOUT));
  }

  @Benchmark
  public long batchTick_eventloop4j() {
    return run(BatchProcessor.<Integer, Integer>builder(BatchThroughput::identity).batchSize(10));
  }

  private static Promise<List<Integer>> identity(List<Integer> batch) {
    return Promise.resolve(batch);
  }

  private long run(BatchProcessor.Builder<Integer, Integer> builder) {
    long[] done = {0};
    EventLoop.create().run(() -> {
      BatchProcessor<Integer, Integer> b = builder.build();
      for (int i = 0; i < n; i++) {
        b.add(i);
      }
      b.close().thenRun(() -> done[0] = b.stats().itemsCompleted());
    });
    return check(done[0]);
  }

  /**
   * The floor of any per-item result through the public API: one {@code Promise.withResolvers()} per item,
   * resolved, on one loop — what {@code add} must at least spend on its returned promise.
   */
  @Benchmark
  public long itemPromiseFloor_eventloop4j() {
    long[] done = {0};
    EventLoop.create().run(() -> {
      java.util.ArrayList<org.eventloop4j.Resolvers<Integer>> pending = new java.util.ArrayList<>(10);
      for (int i = 0; i < n; i++) {
        pending.add(Promise.withResolvers());
        if (pending.size() == 10) {
          for (org.eventloop4j.Resolvers<Integer> r : pending) {
            r.resolve(i);
          }
          done[0] += pending.size();
          pending.clear();
        }
      }
      done[0] += pending.size();
    });
    return check(done[0]);
  }

  @Benchmark
  public long batchTick_javaDataloader() {
    BatchLoader<Integer, Integer> identity = CompletableFuture::completedFuture;
    DataLoader<Integer, Integer> loader = DataLoaderFactory.newDataLoader(identity,
        DataLoaderOptions.newOptions().setMaxBatchSize(10).setCachingEnabled(false));
    for (int i = 0; i < n; i++) {
      loader.load(i);
    }
    return check(loader.dispatch().join().size());
  }

  @Benchmark
  public long batch_reactor() {
    return check(Flux.range(0, n).bufferTimeout(10, TIMEOUT).reduce(0L, (s, list) -> s + list.size()).block());
  }

  @Benchmark
  public long batch_reactorFairBackpressure() {
    return check(Flux.range(0, n).bufferTimeout(10, TIMEOUT, true).reduce(0L, (s, list) -> s + list.size()).block());
  }

  private long check(long items) {
    if (items != n) {
      throw new IllegalStateException("expected " + n + " items in batches, got " + items);
    }
    return items;
  }
}
