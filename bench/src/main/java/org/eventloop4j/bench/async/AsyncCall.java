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

/**
 * The call of an async function that never awaits, from synchronous code (Node: node/await.js).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@OperationsPerInvocation(AsyncWorkloads.N)
public class AsyncCall {
  /** The call of an async function that never awaits, from synchronous code. */
  @Benchmark
  public Object eventloop4j() {
    EventLoop loop = EventLoop.create();
    Object[] last = new Object[1];
    loop.run(() -> {
      for (int i = 0; i < AsyncWorkloads.N; i++) {
        int v = i;
        last[0] = Async.async(() -> v);
      }
    });
    return last[0];
  }

  /** {@link #eventloop4j} with the opt-in accelerator: bodies as JDK continuations (see AsyncWorkloads). */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", AsyncWorkloads.CONTINUATIONS, AsyncWorkloads.EXPORTS})
  public Object eventloop4jContinuations() {
    return eventloop4j();
  }
}
