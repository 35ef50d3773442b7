package org.eventloop4j.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Resolvers;
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
 * A {@value #N}-link chain {@code p.then(x -> x + 1).then(…)…} built up front on a pending promise, then
 * settled and drained (Node: {@code node/promise_chain.js}); against a {@code CompletableFuture.thenApply}
 * chain of the same length built on an incomplete future and then completed. Both run on the benchmark
 * thread. All links are live at once, so this is as much allocation and GC as dispatch: run it with
 * {@code -prof gc} (bytes per link). The young generation is fixed ({@code -Xmn1g}) for both, because
 * with G1's adaptive sizing the first seconds of a fork vary by 10× (see research/jvm-peers.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(PromiseChain.N)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-Xmn1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PromiseChain {
  static final int N = 1_000_000;
  private static final Function<Integer, Integer> INC = x -> x + 1;

  @Param("1000000")
  public int n;

  @Benchmark
  public int eventloop4j() {
    EventLoop loop = EventLoop.create();
    int[] result = {-1};
    loop.run(() -> {
      Resolvers<Integer> head = Promise.withResolvers();
      Promise<Integer> p = head.promise();
      for (int i = 0; i < n; i++) {
        p = p.then(INC);
      }
      p.thenAccept(v -> result[0] = v);
      head.resolve(0);
    });
    return Checks.equal(n, result[0], "chain result");
  }

  @Benchmark
  public int completableFuture() {
    CompletableFuture<Integer> head = new CompletableFuture<>();
    CompletableFuture<Integer> p = head;
    for (int i = 0; i < n; i++) {
      p = p.thenApply(INC);
    }
    head.complete(0);
    return Checks.equal(n, p.join(), "chain result");
  }
}
