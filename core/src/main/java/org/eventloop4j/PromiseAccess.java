package org.eventloop4j;

import static java.util.Objects.requireNonNull;

import org.eventloop4j.internal.Bridge;
import org.jspecify.annotations.Nullable;

/**
 * {@link Bridge.Promises} for the module's other packages (BatchProcessor's per-item promises, the stream
 * stages' reactions): the package-private promise operations behind {@link Promise#withResolvers()} and
 * {@link Promise#then}, without the current-loop lookup, resolving-functions object or derived promise.
 * Registers itself when {@link Bridge#promises()} loads it.
 */
final class PromiseAccess implements Bridge.Promises {
  /*
   * Overview: resolve/reject are the on-loop branch of Promise.ResolvingFunctions (callers guarantee the
   * loop); react is Promise.chain without the derived promise, CallbackReaction a ThenReaction without
   * handlers.
   */
  static {
    Bridge.register(new PromiseAccess());
  }

  private PromiseAccess() {}

  @Override
  public boolean holds(EventLoop loop) {
    return loop.holds();
  }

  @Override
  public boolean fulfilledHere(Promise<?> promise) {
    return promise.loop.holds() && promise.isFulfilled();
  }

  @Override
  public <T> Promise<T> pending(EventLoop loop) {
    return new Promise<>(loop);
  }

  @Override
  public void resolve(Promise<?> promise, @Nullable Object value) {
    if (promise.isUnresolved()) {
      promise.resolveWith(value);
    }
  }

  @Override
  public void reject(Promise<?> promise, Throwable reason) {
    requireNonNull(reason, "reason");
    if (promise.isUnresolved()) {
      promise.rejectWith(reason);
    }
  }

  @Override
  public void react(Promise<?> promise, Bridge.Callback callback) {
    requireNonNull(callback, "callback");
    promise.registerFrom(promise.loop.affinity(), new CallbackReaction(callback));
  }

  private static final class CallbackReaction extends Promise.Reaction {
    private final Bridge.Callback callback;

    CallbackReaction(Bridge.Callback callback) {
      this.callback = callback;
    }

    @Override
    public void run() {
      Promise<?> src = source;
      if (src.isFulfilled()) {
        callback.onFulfilled(src.result());
      } else {
        callback.onRejected((Throwable) requireNonNull(src.result()));
      }
    }
  }
}
