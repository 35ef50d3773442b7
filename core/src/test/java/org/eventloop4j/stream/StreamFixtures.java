package org.eventloop4j.stream;

import java.util.ArrayList;
import java.util.List;
import org.eventloop4j.Async;
import org.eventloop4j.Promise;
import org.jspecify.annotations.Nullable;

/** Sources with a visible life cycle, for the AsyncStream tests. */
final class StreamFixtures {
  private StreamFixtures() {}

  /**
   * A hand-written async iterator over {@code 0..n-1} whose next() answers an already-settled promise; logs
   * "next" calls and "return" into {@code log} when {@code verbose}, and "source closed" on returnValue.
   */
  static final class CountingSource implements AsyncIterable<Integer> {
    final List<String> log;
    final int n;
    int nextCalls;
    int returnCalls;
    int opened;
    @Nullable RuntimeException failAt;
    int failIndex = -1;

    CountingSource(List<String> log, int n) {
      this.log = log;
      this.n = n;
    }

    /** Makes the element at {@code index} a rejection with {@code error}. */
    CountingSource failingAt(int index, RuntimeException error) {
      this.failIndex = index;
      this.failAt = error;
      return this;
    }

    @Override
    public AsyncIterator<Integer> asyncIterator() {
      opened++;
      return new AsyncIterator<>() {
        private int i;
        private boolean closed;

        @Override
        public Promise<IteratorResult<Integer>> next() {
          nextCalls++;
          if (closed || i >= n) {
            return Promise.resolve(IteratorResult.end());
          }
          int v = i++;
          if (v == failIndex) {
            closed = true;
            return Promise.reject(failAt);
          }
          return Promise.resolve(IteratorResult.of(v));
        }

        @Override
        public Promise<IteratorResult<Integer>> returnValue(@Nullable Integer value) {
          returnCalls++;
          closed = true;
          log.add("source closed");
          return Promise.resolve(new IteratorResult<>(value, true));
        }
      };
    }
  }

  /** An async generator yielding {@code values}, one sleep of {@code delayMs} before each, logging its finally. */
  static <T> AsyncGenerator<T> slowGenerator(List<String> log, long delayMs, List<T> values) {
    return AsyncGenerator.of(y -> {
      try {
        for (T v : values) {
          if (delayMs > 0) {
            Async.await(Async.sleep(delayMs));
          }
          y.yield(v);
        }
      } finally {
        log.add("generator finally");
      }
    });
  }

  static List<Integer> ints(int from, int to) {
    List<Integer> l = new ArrayList<>();
    for (int i = from; i < to; i++) {
      l.add(i);
    }
    return l;
  }
}
