package org.eventloop4j.stream;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.function.Function;
import org.eventloop4j.Promise;
import org.jspecify.annotations.Nullable;

/** {@code buffer(n)}: reads up to {@code n} elements ahead of the consumer. Loop-affine. */
final class BufferStage<T> extends AsyncStage<T> {
  /*
   * Overview: `items` holds at most n elements; fill() pulls one step at a time while there is room, from
   * the first request on. The upstream's end or error is remembered and delivered after the buffered
   * elements. Tests: AsyncStreamOperatorsTest (buffer_*).
   */
  private final AsyncIterator<T> up;
  private final int n;
  private final ArrayDeque<T> items = new ArrayDeque<>();
  private final Function<IteratorResult<T>, @Nullable Object> onUp = this::onUp;
  private final Function<Throwable, @Nullable Object> onUpError = this::onUpError;
  private boolean pulling;
  private boolean upstreamDone;
  private @Nullable Throwable upstreamError;

  BufferStage(AsyncIterator<T> up, int n) {
    this.up = requireNonNull(up, "asyncIterator() returned null");
    this.n = n;
  }

  @Override
  boolean progress() {
    fill();
    T v = items.poll();
    if (v != null) {
      emit(v);
      fill();
      return true;
    }
    if (upstreamDone) {
      Throwable e = upstreamError;
      if (e != null) {
        fail(e);
      } else {
        end();
      }
      return true;
    }
    return isFinished();
  }

  @SuppressWarnings("unchecked")
  private void fill() {
    while (!pulling && !upstreamDone && !isFinished() && items.size() < n) {
      if (up instanceof SyncStage<T> sync) {
        try {
          Object v = sync.poll();
          if (v == SyncStage.END) {
            upstreamDone = true;
          } else {
            items.add((T) v);
          }
        } catch (Throwable t) {
          upstreamDone = true;
          upstreamError = t;
        }
      } else {
        pullAsync();
      }
    }
  }

  private void pullAsync() {
    Promise<IteratorResult<T>> p;
    try {
      p = Steps.next(up);
    } catch (Throwable t) {
      upstreamDone = true;
      upstreamError = t;
      return;
    }
    pulling = true;
    p.then(onUp, onUpError);
  }

  private @Nullable Object onUp(IteratorResult<T> r) {
    pulling = false;
    if (isFinished()) {
      return null;
    }
    try {
      if (Steps.done(r)) {
        upstreamDone = true;
      } else {
        items.add(Steps.value(r));
      }
    } catch (Throwable t) {
      items.clear();
      upstreamDone = true;
      terminate(Steps.close(up), t);
      return null;
    }
    fill();
    pump();
    return null;
  }

  private @Nullable Object onUpError(Throwable e) {
    pulling = false;
    upstreamDone = true;
    upstreamError = e;
    pump();
    return null;
  }

  @Override
  Promise<?> onClose() {
    items.clear();
    if (upstreamDone) {
      return Promise.resolve();
    }
    upstreamDone = true;
    return Steps.close(up);
  }
}
