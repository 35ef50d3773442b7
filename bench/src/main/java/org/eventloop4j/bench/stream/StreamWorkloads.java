package org.eventloop4j.bench.stream;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.function.Function;
import java.util.function.Predicate;
import org.eventloop4j.Promise;
import org.eventloop4j.stream.AsyncGenerator;
import org.eventloop4j.stream.AsyncIterable;
import org.eventloop4j.stream.AsyncIterator;
import org.eventloop4j.stream.IteratorResult;
import org.jspecify.annotations.Nullable;

/** Sources and the JDK chain shared by the stream benchmarks. */
final class StreamWorkloads {
  private StreamWorkloads() {}

  /** The seed-shaped stages: map x * 3, keep evens, map x + 1 (Node: async_pipeline.js). */
  static final Function<Integer, Integer> TIMES_3 = x -> x * 3;
  static final Predicate<Integer> EVEN = x -> x % 2 == 0;
  static final Function<Integer, Integer> PLUS_1 = x -> x + 1;

  /** What the pipeline's consumer counts: ceil(n / 2). */
  static int expected(int n) {
    return (n + 1) / 2;
  }

  /** 0..n-1 from a hand-written async iterator whose next() answers an already-resolved promise. */
  static AsyncIterable<Integer> asyncRange(int n) {
    return () -> new AsyncIterator<>() {
      private int i;

      @Override
      public Promise<IteratorResult<Integer>> next() {
        return Promise.resolve(i < n ? IteratorResult.of(i++) : IteratorResult.end());
      }
    };
  }

  /** 0..n-1 from an async generator, as Node's pipeline source. Loop-affine: create it on the loop. */
  static AsyncGenerator<Integer> generatorRange(int n) {
    return AsyncGenerator.of(y -> {
      for (int i = 0; i < n; i++) {
        y.yield(i);
      }
    });
  }

  /**
   * source → map → filter → map as a chain of {@link SubmissionPublisher}s on {@code executor}, in the
   * style of the JDK's own TransformProcessor example (request(1) per element); completes with the count.
   */
  static CompletableFuture<Integer> submissionChain(int n, Executor executor) {
    SubmissionPublisher<Integer> source = new SubmissionPublisher<>(executor, Flow.defaultBufferSize());
    Stage<Integer, Integer> a = new Stage<>(executor, TIMES_3, null);
    Stage<Integer, Integer> b = new Stage<>(executor, Function.identity(), EVEN);
    Stage<Integer, Integer> c = new Stage<>(executor, PLUS_1, null);
    source.subscribe(a);
    a.subscribe(b);
    b.subscribe(c);
    CompletableFuture<Integer> done = new CompletableFuture<>();
    c.subscribe(new Flow.Subscriber<>() {
      private int count;
      private Flow.@Nullable Subscription s;

      @Override
      public void onSubscribe(Flow.Subscription subscription) {
        s = subscription;
        subscription.request(Long.MAX_VALUE);
      }

      @Override
      public void onNext(Integer item) {
        count += item > 0 ? 1 : 0;
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onComplete() {
        done.complete(count);
      }
    });
    for (int i = 0; i < n; i++) {
      source.submit(i);
    }
    source.close();
    return done;
  }

  /** A map-or-filter processor. */
  private static final class Stage<T, R> extends SubmissionPublisher<R> implements Flow.Processor<T, R> {
    private final Function<T, R> f;
    private final @Nullable Predicate<T> keep;
    private Flow.@Nullable Subscription subscription;

    Stage(Executor executor, Function<T, R> f, @Nullable Predicate<T> keep) {
      super(executor, Flow.defaultBufferSize());
      this.f = f;
      this.keep = keep;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(1);
    }

    @Override
    public void onNext(T item) {
      if (keep == null || keep.test(item)) {
        submit(f.apply(item));
      }
      Flow.Subscription s = subscription;
      if (s != null) {
        s.request(1);
      }
    }

    @Override
    public void onError(Throwable t) {
      closeExceptionally(t);
    }

    @Override
    public void onComplete() {
      close();
    }
  }
}
