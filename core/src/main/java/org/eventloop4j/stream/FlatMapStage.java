package org.eventloop4j.stream;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.function.Function;
import org.eventloop4j.Promise;
import org.jspecify.annotations.Nullable;

/**
 * {@code flatMap}: each outer element's iterable, iterated to its end before the next outer element is
 * pulled. Loop-affine.
 */
final class FlatMapStage<T, R> extends AsyncStage<R> {
  /*
   * Overview: at most one pull is in flight (`pulling`), on the inner iterator while there is one, else on
   * the outer. A synchronous inner stage is polled directly, so flattening synchronous iterables costs no
   * microtask per element. The function or the inner iteration failing closes the outer one (and a
   * half-read inner one) first. Tests: AsyncStreamOperatorsTest (flatMap_*).
   */
  private final AsyncIterator<T> outer;
  private final Function<? super T, ? extends AsyncIterable<? extends R>> f;
  private final Function<IteratorResult<T>, @Nullable Object> onOuter = this::onOuter;
  private final Function<IteratorResult<? extends R>, @Nullable Object> onInner = this::onInner;
  private @Nullable AsyncIterator<? extends R> inner;
  private boolean pulling;

  FlatMapStage(AsyncIterator<T> outer, Function<? super T, ? extends AsyncIterable<? extends R>> f) {
    this.outer = requireNonNull(outer, "asyncIterator() returned null");
    this.f = f;
  }

  @Override
  @SuppressWarnings("unchecked")
  boolean progress() {
    while (!pulling) {
      AsyncIterator<? extends R> in = inner;
      if (in == null) {
        pullOuter();
        return isFinished();
      }
      if (!(in instanceof SyncStage<? extends R> sync)) {
        pullInner(in);
        return isFinished();
      }
      Object v;
      try {
        v = sync.poll();
      } catch (Throwable t) {
        inner = null;
        terminate(Steps.close(outer), t);
        return true;
      }
      if (v != SyncStage.END) {
        emit((R) v);
        return true;
      }
      inner = null;
    }
    return false;
  }

  private void pullOuter() {
    Promise<IteratorResult<T>> p;
    try {
      p = Steps.next(outer);
    } catch (Throwable t) {
      fail(t);
      return;
    }
    pulling = true;
    p.then(onOuter, this::onOuterError);
  }

  private void pullInner(AsyncIterator<? extends R> in) {
    Promise<? extends IteratorResult<? extends R>> p;
    try {
      p = Steps.next(in);
    } catch (Throwable t) {
      inner = null;
      terminate(Steps.close(outer), t);
      return;
    }
    pulling = true;
    p.then(onInner, this::onInnerError);
  }

  private @Nullable Object onOuter(IteratorResult<T> r) {
    pulling = false;
    if (isFinished()) {
      return null;
    }
    try {
      if (Steps.done(r)) {
        end();
        return null;
      }
      AsyncIterable<? extends R> iterable = requireNonNull(f.apply(Steps.value(r)), "flatMap function returned null");
      inner = requireNonNull(iterable.asyncIterator(), "asyncIterator() returned null");
    } catch (Throwable t) {
      terminate(Steps.close(outer), t);
      return null;
    }
    pump();
    return null;
  }

  private @Nullable Object onOuterError(Throwable e) {
    pulling = false;
    fail(e);
    return null;
  }

  private @Nullable Object onInner(IteratorResult<? extends R> r) {
    pulling = false;
    AsyncIterator<? extends R> in = inner;
    if (isFinished() || in == null) {
      return null;
    }
    R v;
    try {
      if (Steps.done(r)) {
        inner = null;
        pump();
        return null;
      }
      v = Steps.value(r);
    } catch (Throwable t) {
      inner = null;
      terminate(closeBoth(in), t);
      return null;
    }
    emit(v);
    pump();
    return null;
  }

  private @Nullable Object onInnerError(Throwable e) {
    pulling = false;
    inner = null;
    terminate(Steps.close(outer), e);
    return null;
  }

  private Promise<?> closeBoth(AsyncIterator<? extends R> in) {
    Promise<?> a = Steps.close(in);
    Promise<?> b = Steps.close(outer);
    return Promise.all(List.<Promise<?>>of(a, b));
  }

  @Override
  Promise<?> onClose() {
    AsyncIterator<? extends R> in = inner;
    inner = null;
    return in == null ? Steps.close(outer) : closeBoth(in);
  }
}
