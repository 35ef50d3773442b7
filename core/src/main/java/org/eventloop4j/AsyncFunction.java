package org.eventloop4j;

import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/** The coroutine of {@code Async.async(body)}: settles the function's promise when the body ends. */
final class AsyncFunction<T> extends Coroutine {
  private final Callable<? extends @Nullable T> body;
  final Promise<T> promise;

  AsyncFunction(EventLoop loop, Callable<? extends @Nullable T> body) {
    super(loop);
    this.body = body;
    this.promise = new Promise<>(loop);
  }

  @Override
  @Nullable Object runBody() throws Exception {
    return body.call();
  }

  /** ECMAScript: the implicit promise is resolved with the return value, so a returned promise is adopted. */
  @Override
  void completed(@Nullable Object result) {
    promise.resolveWith(result);
  }

  @Override
  void failed(Throwable error) {
    promise.rejectWith(error);
  }
}
