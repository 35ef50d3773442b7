package org.eventloop4j.examples;

import java.util.List;
import java.util.function.Function;
import org.eventloop4j.Async;
import org.eventloop4j.Promise;
import org.eventloop4j.stream.AsyncGenerator;
import org.eventloop4j.stream.AsyncIterable;
import org.eventloop4j.stream.AsyncIterator;
import org.eventloop4j.stream.AsyncStream;
import org.eventloop4j.stream.IteratorResult;
import org.jspecify.annotations.Nullable;

/**
 * The seed's "Async Generators" and "Async Iterators and Transform Streams" programs: {@code async
 * function*} is {@link AsyncGenerator#of}, {@code await} is {@link Async#await}, {@code for await} is
 * {@link Async#forAwait}, and {@code new Promise(resolve => setTimeout(resolve, ms))} is {@link
 * Async#sleep}. Everything runs on the calling loop.
 */
final class AsyncIterationExamples {
  private AsyncIterationExamples() {}

  /** {@code async function* asyncGenerator()}: yields 0 to 4, one a second. */
  static AsyncGenerator<Integer> asyncGenerator() {
    return AsyncGenerator.of(y -> {
      int i = 0;
      while (i < 5) {
        Async.await(Async.sleep(1000));
        y.yield(i++);
      }
    });
  }

  /** {@code consumeAsyncGenerator()}: {@code for await} over {@link #asyncGenerator()}. */
  static Promise<@Nullable Void> consumeAsyncGenerator(Output out) {
    return Async.async(() -> {
      for (int value : Async.forAwait(asyncGenerator())) {
        out.log("Received:", value);
      }
      return null;
    });
  }

  /**
   * {@code async function* safeAsyncGenerator()}: yields 0, 1 and 2 half a second apart, then throws at 3;
   * its own {@code catch} logs the error and yields {@code 'error-handled'}. (A {@code catch (Exception)}
   * never sees a {@code returnValue()} request: that travels as an {@link Error}.)
   */
  static AsyncGenerator<Object> safeAsyncGenerator(Output out) {
    return AsyncGenerator.of(y -> {
      try {
        for (int i = 0; i < 5; i++) {
          if (i == 3) {
            throw new RuntimeException("Something went wrong");
          }
          Async.await(Async.sleep(500));
          y.yield(i);
        }
      } catch (Exception error) {
        out.error("Generator error:", error);
        y.yield("error-handled");
      }
    });
  }

  /** The consumer of {@link #safeAsyncGenerator} (the seed has none; it is written like consumeAsyncGenerator). */
  static Promise<@Nullable Void> consumeSafeAsyncGenerator(Output out) {
    return Async.async(() -> {
      for (Object value : Async.forAwait(safeAsyncGenerator(out))) {
        out.log("Received:", value);
      }
      return null;
    });
  }

  /**
   * {@code class AsyncDataSource}: a hand-written async iterator whose {@code next()} is an async function
   * that waits 100 ms per item. It is its own iterable, as the seed's {@code [Symbol.asyncIterator]()
   * { return this; }}. Loop-affine.
   *
   * @param <T> the item type
   */
  static final class AsyncDataSource<T> implements AsyncIterator<T>, AsyncIterable<T> {
    private final List<T> data;
    private int index;

    AsyncDataSource(List<T> data) {
      this.data = data;
    }

    @Override
    public Promise<IteratorResult<T>> next() {
      return Async.async(() -> {
        if (index >= data.size()) {
          return IteratorResult.end();
        }
        Async.await(Async.sleep(100));     // simulate an async operation
        return IteratorResult.of(data.get(index++));
      });
    }

    @Override
    public AsyncIterator<T> asyncIterator() {
      return this;
    }
  }

  /** {@code processAsyncData()}: {@code for await} over an {@link AsyncDataSource}. */
  static Promise<@Nullable Void> processAsyncData(Output out) {
    return Async.async(() -> {
      AsyncDataSource<Integer> source = new AsyncDataSource<>(List.of(1, 2, 3, 4, 5));
      for (int item : Async.forAwait(source)) {
        out.log("Processing:", item);
      }
      return null;
    });
  }

  /**
   * {@code class AsyncTransform}: its {@code async *process(source)} — for each item, await the transform
   * and yield the result — is {@link AsyncStream#mapAsync} with a concurrency of 1 (raise it to overlap the
   * transforms, results still in order).
   *
   * @param <T> the input type
   * @param <R> the output type
   */
  static final class AsyncTransform<T, R> {
    private final Function<T, Promise<R>> transformFn;

    AsyncTransform(Function<T, Promise<R>> transformFn) {
      this.transformFn = transformFn;
    }

    AsyncStream<R> process(AsyncIterable<T> source) {
      return AsyncStream.from(source).mapAsync(transformFn, 1);
    }
  }

  /** {@code runTransform()}: doubles a data source's items, 50 ms each, through an {@link AsyncTransform}. */
  static Promise<@Nullable Void> runTransform(Output out) {
    AsyncDataSource<Integer> numbers = new AsyncDataSource<>(List.of(1, 2, 3, 4, 5));
    AsyncTransform<Integer, Integer> doubler = new AsyncTransform<>(x -> Async.async(() -> {
      Async.await(Async.sleep(50));
      return x * 2;
    }));
    return Async.async(() -> {
      for (int result : Async.forAwait(doubler.process(numbers))) {
        out.log("Transformed:", result);
      }
      return null;
    });
  }
}
