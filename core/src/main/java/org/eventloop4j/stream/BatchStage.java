package org.eventloop4j.stream;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Timer;
import org.jspecify.annotations.Nullable;

/**
 * {@code batch(size, timeout)}: lists emitted when full or {@code timeout} ms after their first element,
 * never more than one batch ahead of the consumer. Loop-affine.
 */
final class BatchStage<T> extends AsyncStage<List<T>> {
  /*
   * Overview. `open` is the batch being filled, `ready` a completed batch waiting for a request (at most
   * one). fill() pulls one step at a time, and only while no batch is ready: that is the backpressure — a
   * slow consumer stalls the upstream instead of piling up batches (Reactor's bufferTimeout overflowed here
   * before its opt-in fairBackpressure; this behaviour is the default and only one).
   *
   * The timer starts with a batch's first element. When it fires the open batch is sealed, unless a batch
   * is still ready: then the open one is marked `due` and sealed as soon as the ready one is taken (so
   * does an open batch that filled up meanwhile — with size 1, the element of a pull that was in flight).
   * The end of the upstream seals the rest; an upstream error is delivered after that last batch. Timers run
   * on the loop that opened the iteration, so virtual time drives them in tests.
   * Tests: AsyncStreamBatchTest (virtual time).
   */
  private final AsyncIterator<T> up;
  private final int size;
  private final long timeoutMs;
  private final EventLoop loop = EventLoop.current();
  private final Function<IteratorResult<T>, @Nullable Object> onUp = this::onUp;
  private final Function<Throwable, @Nullable Object> onUpError = this::onUpError;
  private List<T> open = new ArrayList<>();
  private @Nullable List<T> ready;
  private boolean due;
  private @Nullable Timer timer;
  private boolean pulling;
  private boolean upstreamDone;
  private @Nullable Throwable upstreamError;

  BatchStage(AsyncIterator<T> up, int size, long timeoutMs) {
    this.up = requireNonNull(up, "asyncIterator() returned null");
    this.size = size;
    this.timeoutMs = timeoutMs;
  }

  @Override
  boolean progress() {
    fill();
    List<T> r = ready;
    if (r != null) {
      ready = null;
      emit(r);
      if (!open.isEmpty() && (due || open.size() >= size || upstreamDone)) {
        seal();
      }
      fill();
      return true;
    }
    if (upstreamDone) {
      if (!open.isEmpty()) {
        seal();
        return progress();
      }
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
    while (!pulling && ready == null && !upstreamDone && !isFinished()) {
      if (up instanceof SyncStage<T> sync) {
        Object v;
        try {
          v = sync.poll();
        } catch (Throwable t) {
          upstreamFailed(t);
          return;
        }
        if (v == SyncStage.END) {
          upstreamEnded();
        } else {
          add((T) v);
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
      upstreamFailed(t);
      return;
    }
    pulling = true;
    p.then(onUp, onUpError);
  }

  private void add(T v) {
    if (open.isEmpty() && timeoutMs > 0) {
      timer = loop.setTimeout(this::onTimeout, timeoutMs);
    }
    open.add(v);
    if (open.size() >= size && ready == null) {
      seal();
    }
  }

  private void seal() {
    ready = open;
    open = new ArrayList<>(Math.min(size, 16));
    due = false;
    clearTimer();
  }

  private void onTimeout() {
    timer = null;
    if (isFinished() || open.isEmpty()) {
      return;
    }
    if (ready == null) {
      seal();
      pump();
    } else {
      due = true;
    }
  }

  private @Nullable Object onUp(IteratorResult<T> r) {
    pulling = false;
    if (isFinished()) {
      return null;
    }
    try {
      if (Steps.done(r)) {
        upstreamEnded();
      } else {
        add(Steps.value(r));
      }
    } catch (Throwable t) {
      clearTimer();
      open.clear();
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
    if (!isFinished()) {
      upstreamFailed(e);
      pump();
    }
    return null;
  }

  private void upstreamEnded() {
    upstreamDone = true;
    clearTimer();
  }

  private void upstreamFailed(Throwable e) {
    upstreamEnded();
    upstreamError = e;
  }

  private void clearTimer() {
    Timer t = timer;
    timer = null;
    if (t != null) {
      t.clear();
    }
  }

  @Override
  Promise<?> onClose() {
    clearTimer();
    open.clear();
    ready = null;
    if (upstreamDone) {
      return Promise.resolve();
    }
    upstreamDone = true;
    return Steps.close(up);
  }
}
