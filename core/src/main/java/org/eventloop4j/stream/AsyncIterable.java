package org.eventloop4j.stream;

import static java.util.Objects.requireNonNull;

import java.util.function.Consumer;
import org.eventloop4j.Promise;
import org.eventloop4j.Resolvers;
import org.jspecify.annotations.Nullable;

/**
 * Something that can be iterated with {@code for await}: JavaScript's {@code [Symbol.asyncIterator]()}.
 * Inside an async body use {@link org.eventloop4j.Async#forAwait(AsyncIterable)}; elsewhere
 * {@link #forEach(Consumer)}.
 *
 * @param <T> the value type
 */
@FunctionalInterface
public interface AsyncIterable<T> {
  /** A new iterator (or, for one-shot sources such as generators, the source itself). */
  AsyncIterator<T> asyncIterator();

  /**
   * Calls {@code action} with every value, in order, one step per {@code next()}; the promise fulfils after
   * the last value and rejects with the first error — from the source, or thrown by {@code action}, in
   * which case the iterator is closed with {@code returnValue} first. Memory stays constant however long
   * the iteration runs. Loop-affine.
   */
  default Promise<@Nullable Void> forEach(Consumer<? super T> action) {
    requireNonNull(action, "action");
    AsyncIterator<T> it = requireNonNull(asyncIterator(), "asyncIterator() returned null");
    Resolvers<@Nullable Void> done = Promise.withResolvers();
    ForEachStep.step(it, action, done);
    return done.promise();
  }
}
