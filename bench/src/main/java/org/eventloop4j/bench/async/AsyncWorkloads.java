package org.eventloop4j.bench.async;

import java.util.concurrent.CompletableFuture;
import org.eventloop4j.Async;
import org.eventloop4j.Promise;
import org.eventloop4j.Resolvers;
import org.eventloop4j.stream.AsyncGenerator;
import org.eventloop4j.stream.AsyncIterable;

/** Shared parts of the async workloads: their size, the generators of the pipeline, the ping-pong games. */
public final class AsyncWorkloads {
  static final int N = 100_000;
  /** The JVM options that turn on the opt-in accelerator (org.eventloop4j.Continuations): both are needed. */
  public static final String CONTINUATIONS = "-Deventloop4j.continuations=true";
  public static final String EXPORTS = "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED";

  private AsyncWorkloads() {}

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
  static final class Game {
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
  static final class VtGame {
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
