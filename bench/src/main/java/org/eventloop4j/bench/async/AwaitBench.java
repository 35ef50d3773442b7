package org.eventloop4j.bench.async;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Resolvers;
import org.eventloop4j.stream.AsyncGenerator;
import org.eventloop4j.stream.AsyncIterable;
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
 * async/await workloads, {@value #N} operations per invocation, each a fresh {@code loop.run(...)} (Node:
 * {@code node/await.js}, {@code node/pingpong.js}, {@code node/async_generators.js}). The JVM peer for a
 * suspension is a virtual thread blocking on {@link CompletableFuture#join()}: {@link #vtPingPong} hands a
 * turn between two virtual threads the same way {@link #pingPong} does between two async bodies.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AwaitBench {
  static final int N = 100_000;

  /** {@code await} of an already-resolved promise, in one body (the settled fast path). */
  @Benchmark
  @OperationsPerInvocation(N)
  public Object awaitResolved() {
    EventLoop loop = EventLoop.create();
    Object[] out = new Object[1];
    loop.run(() -> Async.async(() -> {
      Promise<Integer> one = Promise.resolve(1);
      int s = 0;
      for (int i = 0; i < N; i++) {
        s += Async.await(one);
      }
      return s;
    }).thenAccept(v -> out[0] = v));
    return out[0];
  }

  /** {@code await} of a plain value. */
  @Benchmark
  @OperationsPerInvocation(N)
  public Object awaitValue() {
    EventLoop loop = EventLoop.create();
    Object[] out = new Object[1];
    loop.run(() -> Async.async(() -> {
      int s = 0;
      for (int i = 0; i < N; i++) {
        s += Async.await((Integer) 1);
      }
      return s;
    }).thenAccept(v -> out[0] = v));
    return out[0];
  }

  /** {@code await f()} inside a body, where {@code f} is an async function that never awaits. */
  @Benchmark
  @OperationsPerInvocation(N)
  public Object awaitCall() {
    EventLoop loop = EventLoop.create();
    Object[] out = new Object[1];
    loop.run(() -> Async.async(() -> {
      int s = 0;
      for (int i = 0; i < N; i++) {
        s += Async.await(Async.async(() -> 1));
      }
      return s;
    }).thenAccept(v -> out[0] = v));
    return out[0];
  }

  /** The call of an async function that never awaits, from synchronous code. */
  @Benchmark
  @OperationsPerInvocation(N)
  public Object asyncCall() {
    EventLoop loop = EventLoop.create();
    Object[] last = new Object[1];
    loop.run(() -> {
      for (int i = 0; i < N; i++) {
        int v = i;
        last[0] = Async.async(() -> v);
      }
    });
    return last[0];
  }

  /** Two bodies taking turns through fresh pending promises; per hop. */
  @Benchmark
  @OperationsPerInvocation(N)
  public Object pingPong() {
    EventLoop loop = EventLoop.create();
    PingPong game = new PingPong();
    loop.run(() -> {
      Async.async(() -> game.play(N / 2));
      Async.async(() -> game.play(N / 2));
    });
    return game;
  }

  /** A JVM peer of {@link #pingPong}: two virtual threads taking turns, each blocking on {@code join}. */
  @Benchmark
  @OperationsPerInvocation(N)
  public Object vtPingPong() throws InterruptedException {
    VtPingPong game = new VtPingPong();
    Thread a = Thread.ofVirtual().start(() -> game.play(N / 2));
    Thread b = Thread.ofVirtual().start(() -> game.play(N / 2));
    a.join();
    b.join();
    return game;
  }

  /** {@code for await} over an async generator; per value. */
  @Benchmark
  @OperationsPerInvocation(N)
  public Object forAwaitGenerator() {
    EventLoop loop = EventLoop.create();
    long[] sum = {0};
    loop.run(() -> Async.async(() -> {
      for (int v : Async.forAwait(source(N))) {
        sum[0] += v;
      }
      return null;
    }));
    return sum[0];
  }

  /** source → map → filter → map as async generators, consumed with for await; per source item. */
  @Benchmark
  @OperationsPerInvocation(N)
  public Object generatorPipeline() {
    EventLoop loop = EventLoop.create();
    long[] sum = {0};
    loop.run(() -> Async.async(() -> {
      AsyncIterable<Integer> pipeline = map(filter(map(source(N), x -> x * 2), x -> x % 3 != 0), x -> x + 1);
      for (int v : Async.forAwait(pipeline)) {
        sum[0] += v;
      }
      return null;
    }));
    return sum[0];
  }

  static AsyncGenerator<Integer> source(int n) {
    return AsyncGenerator.of(y -> {
      for (int i = 0; i < n; i++) {
        y.yield(i);
      }
    });
  }

  static AsyncGenerator<Integer> map(AsyncIterable<Integer> in, java.util.function.IntUnaryOperator f) {
    return AsyncGenerator.of(y -> {
      for (int v : Async.forAwait(in)) {
        y.yield(f.applyAsInt(v));
      }
    });
  }

  static AsyncGenerator<Integer> filter(AsyncIterable<Integer> in, java.util.function.IntPredicate p) {
    return AsyncGenerator.of(y -> {
      for (int v : Async.forAwait(in)) {
        if (p.test(v)) {
          y.yield(v);
        }
      }
    });
  }

  /** Each hop wakes the other player and waits for it, through a fresh pending promise. */
  static final class PingPong {
    private Resolvers<Object> waiting;

    Object play(int hops) {
      for (int i = 0; i < hops; i++) {
        Resolvers<Object> mine = Promise.withResolvers();
        Resolvers<Object> other = waiting;
        waiting = mine;
        if (other != null) {
          other.resolve(null);
        }
        Async.await(mine.promise());
      }
      Resolvers<Object> other = waiting;
      waiting = null;
      if (other != null) {
        other.resolve(null);
      }
      return null;
    }
  }

  /** {@link PingPong} between virtual threads: the hand-off of a future under a lock. */
  static final class VtPingPong {
    private CompletableFuture<Void> waiting;

    void play(int hops) {
      for (int i = 0; i < hops; i++) {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> other;
        synchronized (this) {
          other = waiting;
          waiting = mine;
        }
        if (other != null) {
          other.complete(null);
        }
        mine.join();
      }
      CompletableFuture<Void> other;
      synchronized (this) {
        other = waiting;
        waiting = null;
      }
      if (other != null) {
        other.complete(null);
      }
    }
  }
}
