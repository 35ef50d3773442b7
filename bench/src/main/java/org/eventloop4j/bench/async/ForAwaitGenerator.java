package org.eventloop4j.bench.async;

import java.util.concurrent.TimeUnit;
import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** for await over an async generator, per value (Node: node/async_generators.js). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@OperationsPerInvocation(AsyncWorkloads.N)
public class ForAwaitGenerator {
  /** {@code for await} over an async generator; per value. */
  @Benchmark
  public Object eventloop4j() {
    EventLoop loop = EventLoop.create();
    long[] sum = {0};
    loop.run(() -> Async.async(() -> {
      for (int v : Async.forAwait(AsyncWorkloads.source(AsyncWorkloads.N))) {
        sum[0] += v;
      }
      return null;
    }));
    return sum[0];
  }

  /** {@link #eventloop4j} with the opt-in accelerator: bodies as JDK continuations (see AsyncWorkloads). */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", AsyncWorkloads.CONTINUATIONS, AsyncWorkloads.EXPORTS})
  public Object eventloop4jContinuations() {
    return eventloop4j();
  }
}
