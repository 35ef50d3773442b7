package org.eventloop4j.conformance;

import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.stream.AsyncIterable;
import org.eventloop4j.stream.AsyncIterator;
import org.eventloop4j.stream.IteratorResult;
import org.jspecify.annotations.Nullable;

/**
 * Port of {@code js/47-custom-async-iterator-protocol.js}. {@code [Symbol.asyncIterator]()} is {@link
 * AsyncIterable#asyncIterator()}. A Java class cannot be both an {@link AsyncIterable} and an {@link
 * Iterable} (their {@code forEach} methods clash), so JavaScript's question of which protocol wins does not
 * arise: {@code Async.forAwait} picks its overload by the static type. The source's throwing {@code
 * [Symbol.iterator]} has no counterpart and is left out (it prints nothing). {@code next()} returns a {@code
 * Promise}; a plain {@code {value, done}} object is {@code Promise.resolve(result)}, which the loop's await
 * unwraps in the same single hop. {@code return()} is {@code returnValue}.
 */
final class S47CustomAsyncIteratorProtocol implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        Source source = new Source(log);
        Async.async(() -> {
          for (String v : Async.forAwait(source)) {
            log.println("got " + v);
          }
          log.println("done");
          return null;
        });
      });
    }
  }

  private static final class Source implements AsyncIterable<String> {
    private final Log log;

    Source(Log log) {
      this.log = log;
    }

    @Override
    public AsyncIterator<String> asyncIterator() {
      return new AsyncIterator<>() {
        int i;

        @Override
        public Promise<IteratorResult<String>> next() {
          i++;
          log.println("next() call " + i);
          if (i == 1) {
            return Promise.resolve(IteratorResult.of("from promise"));
          }
          if (i == 2) {
            IteratorResult<String> plainObject = IteratorResult.of("plain object");
            return Promise.resolve(plainObject);
          }
          return Promise.resolve(new IteratorResult<>("ignored when done", true));
        }

        @Override
        public Promise<IteratorResult<String>> returnValue(@Nullable String value) {
          log.println("return() must not be called on normal completion");
          return Promise.resolve(IteratorResult.end());
        }
      };
    }
  }
}
