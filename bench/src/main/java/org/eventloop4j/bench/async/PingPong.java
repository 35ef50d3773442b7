package org.eventloop4j.bench.async;

import java.util.concurrent.CompletableFuture;
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
 * Two async bodies taking turns through fresh pending promises, per hop; the JVM peer is two virtual
 * threads blocking on CompletableFuture.join (Node: node/pingpong.js).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@OperationsPerInvocation(AsyncWorkloads.N)
public class PingPong {
  /** Two bodies taking turns through fresh pending promises; per hop. */
  @Benchmark
  public Object eventloop4j() {
    EventLoop loop = EventLoop.create();
    AsyncWorkloads.Game game = new AsyncWorkloads.Game();
    loop.run(() -> {
      Async.async(() -> game.play(AsyncWorkloads.N / 2));
      Async.async(() -> game.play(AsyncWorkloads.N / 2));
    });
    return game;
  }

  /** A JVM peer of {@link #eventloop4j}: two virtual threads taking turns, each blocking on {@code join}. */
  @Benchmark
  public Object virtualThread() throws InterruptedException {
    AsyncWorkloads.VtGame game = new AsyncWorkloads.VtGame();
    Thread a = Thread.ofVirtual().start(() -> game.play(AsyncWorkloads.N / 2));
    Thread b = Thread.ofVirtual().start(() -> game.play(AsyncWorkloads.N / 2));
    a.join();
    b.join();
    return game;
  }

  /** {@link #eventloop4j} with the opt-in accelerator: bodies as JDK continuations (see AsyncWorkloads). */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", AsyncWorkloads.CONTINUATIONS, AsyncWorkloads.EXPORTS})
  public Object eventloop4jContinuations() {
    return eventloop4j();
  }
}
