package org.eventloop4j.bench.async;

import java.util.concurrent.TimeUnit;
import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
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

/** await inside one async body (Node: node/await.js). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@OperationsPerInvocation(AsyncWorkloads.N)
public class Await {
  /** {@code await} of an already-resolved promise, in one body (the settled fast path). */
  @Benchmark
  public Object resolved_eventloop4j() {
    EventLoop loop = EventLoop.create();
    Object[] out = new Object[1];
    loop.run(() -> Async.async(() -> {
      Promise<Integer> one = Promise.resolve(1);
      int s = 0;
      for (int i = 0; i < AsyncWorkloads.N; i++) {
        s += Async.await(one);
      }
      return s;
    }).thenAccept(v -> out[0] = v));
    return out[0];
  }

  /** {@code await} of a plain value. */
  @Benchmark
  public Object value_eventloop4j() {
    EventLoop loop = EventLoop.create();
    Object[] out = new Object[1];
    loop.run(() -> Async.async(() -> {
      int s = 0;
      for (int i = 0; i < AsyncWorkloads.N; i++) {
        s += Async.await((Integer) 1);
      }
      return s;
    }).thenAccept(v -> out[0] = v));
    return out[0];
  }

  /** {@code await f()} inside a body, where {@code f} is an async function that never awaits. */
  @Benchmark
  public Object call_eventloop4j() {
    EventLoop loop = EventLoop.create();
    Object[] out = new Object[1];
    loop.run(() -> Async.async(() -> {
      int s = 0;
      for (int i = 0; i < AsyncWorkloads.N; i++) {
        s += Async.await(Async.async(() -> 1));
      }
      return s;
    }).thenAccept(v -> out[0] = v));
    return out[0];
  }
  /** {@code await f()} through {@code Async.awaitCall}: the fused form, no thread switch. */
  @Benchmark
  public Object callFused_eventloop4j() {
    EventLoop loop = EventLoop.create();
    Object[] out = new Object[1];
    loop.run(() -> Async.async(() -> {
      int s = 0;
      for (int i = 0; i < AsyncWorkloads.N; i++) {
        s += Async.awaitCall(() -> 1);
      }
      return s;
    }).thenAccept(v -> out[0] = v));
    return out[0];
  }

  /** {@link #resolved_eventloop4j} with the opt-in accelerator: bodies as JDK continuations (see AsyncWorkloads). */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", AsyncWorkloads.CONTINUATIONS, AsyncWorkloads.EXPORTS})
  public Object resolved_eventloop4jContinuations() {
    return resolved_eventloop4j();
  }

  /** {@link #value_eventloop4j} with the opt-in accelerator: bodies as JDK continuations (see AsyncWorkloads). */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", AsyncWorkloads.CONTINUATIONS, AsyncWorkloads.EXPORTS})
  public Object value_eventloop4jContinuations() {
    return value_eventloop4j();
  }

  /** {@link #call_eventloop4j} with the opt-in accelerator: bodies as JDK continuations (see AsyncWorkloads). */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", AsyncWorkloads.CONTINUATIONS, AsyncWorkloads.EXPORTS})
  public Object call_eventloop4jContinuations() {
    return call_eventloop4j();
  }

  /** {@link #callFused_eventloop4j} with the opt-in accelerator: bodies as JDK continuations (see AsyncWorkloads). */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", AsyncWorkloads.CONTINUATIONS, AsyncWorkloads.EXPORTS})
  public Object callFused_eventloop4jContinuations() {
    return callFused_eventloop4j();
  }
}
