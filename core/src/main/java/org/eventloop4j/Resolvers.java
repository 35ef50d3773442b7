package org.eventloop4j;

import org.jspecify.annotations.Nullable;

/**
 * A promise and its two resolving functions, as returned by {@link Promise#withResolvers()} (JavaScript's
 * {@code Promise.withResolvers()}).
 *
 * <p>{@link #resolve} and {@link #reject} are thread-safe: called on the promise's loop they settle it at
 * once; called from any other thread they post the settlement to that loop. The first call of either wins;
 * later calls are ignored, as in JavaScript.
 *
 * @param <T> the value type
 */
public interface Resolvers<T> {
  /** The promise these functions settle. */
  Promise<T> promise();

  /**
   * Resolves the promise with {@code value}: fulfils it, or adopts {@code value} if it is a {@link Promise},
   * a {@link Thenable} or a {@link java.util.concurrent.CompletionStage}.
   */
  void resolve(@Nullable T value);

  /** Rejects the promise with {@code reason}; a {@code null} reason throws {@link NullPointerException}. */
  void reject(Throwable reason);
}
