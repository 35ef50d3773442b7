package org.eventloop4j;

import java.util.function.Consumer;

/**
 * The Java analogue of a JavaScript <em>thenable</em>: any object with a {@code then(onFulfilled,
 * onRejected)} method. A resolving function (a promise executor's {@code resolve}, {@link
 * Resolvers#resolve}) or {@link Promise#resolve(Object)} that is given a {@code Thenable} adopts it as
 * ECMAScript's promise resolution procedure does: {@code then} is called once, one microtask later, on the
 * loop's thread; the first call of either callback wins and later calls are ignored; an exception thrown by
 * {@code then} before either callback was called rejects the promise. A callback may pass another thenable,
 * which is adopted in turn.
 *
 * @param <T> the value type
 */
@FunctionalInterface
public interface Thenable<T> {
  /**
   * Registers the two callbacks; called by the runtime, on the loop's thread.
   *
   * @throws Exception to reject the adopting promise (ignored if a callback was already called)
   */
  void then(Consumer<? super T> onFulfilled, Consumer<? super Throwable> onRejected) throws Exception;
}
