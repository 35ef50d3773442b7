package org.eventloop4j.stream;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.eventloop4j.AbortController;
import org.eventloop4j.AbortError;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.Promise;
import org.eventloop4j.internal.Bridge;
import org.jspecify.annotations.Nullable;

/**
 * {@code mapAsync} (ordered) and {@code mapAsyncUnordered}: up to {@code concurrency} calls of an async
 * function in flight. Loop-affine.
 */
final class MapAsyncStage<T, R> extends AsyncStage<R> {
  /*
   * Overview. The stage holds at most `concurrency` elements, counted by held(): ordered, the `window` of
   * slots in input order (running, or finished and waiting for an earlier one: head-of-line blocking);
   * unordered, the running calls plus the `ready` results in completion order. fill() pulls the upstream,
   * one step at a time, while held() < concurrency — from the first request on, whether or not a request
   * waits, so the calls run ahead of a slow consumer by at most `concurrency`. A synchronous upstream is
   * polled in place.
   *
   * Failure is immediate in both modes: the first call that throws, rejects or fulfils with null (or a
   * failing upstream) aborts the stage's signal with that error, drops every held result, closes the
   * upstream unless it is the one that failed, and rejects the current (or next) request. A close from
   * downstream aborts the signal with an AbortError. Results of calls that settle afterwards are ignored
   * (their reactions are registered, so a rejection is never reported as unhandled).
   *
   * Cost per element: the stage reacts to each call's promise with Bridge.promises().react — one reaction node,
   * no derived promise — whose callback is the element's Slot (ordered: one per element, which keeps the
   * result) or the stage's one `unordered` Slot. A synchronous upstream is polled in place, and a
   * terminal downstream is pushed to (AsyncStage's push mode), so an already-resolved call costs one
   * microtask and, besides its own promise, one reaction node (ordered: and its Slot).
   * Tests: AsyncStreamMapAsyncTest (traces, bounds, the property test against a model).
   */
  private static final AbortSignal NEVER = new AbortController().signal();

  private final AsyncIterator<T> up;
  private final BiFunction<? super T, ? super AbortSignal, ? extends Promise<? extends R>> fn;
  private final int concurrency;
  private final boolean ordered;
  private final @Nullable AbortController controller;
  private final ArrayDeque<Slot> window = new ArrayDeque<>();
  private final ArrayDeque<R> ready = new ArrayDeque<>();
  private final Function<IteratorResult<T>, @Nullable Object> onUp = this::onUp;
  private final Function<Throwable, @Nullable Object> onUpError = this::onUpError;
  /** The reaction callback of every unordered call. */
  private final Slot unordered = new Slot();
  private int running;
  private boolean pulling;
  private boolean upstreamDone;

  /** One element of the ordered window and the reaction to its call's promise (unordered: one for all). */
  private final class Slot implements Bridge.Callback {
    @Nullable Object value;

    @Override
    @SuppressWarnings("unchecked")
    public void onFulfilled(@Nullable Object result) {
      onResult(this, (R) result);
    }

    @Override
    public void onRejected(Throwable reason) {
      onCallError(reason);
    }
  }

  MapAsyncStage(AsyncIterator<T> up, BiFunction<? super T, ? super AbortSignal, ? extends Promise<? extends R>> fn,
      int concurrency, boolean ordered, boolean withSignal) {
    this.up = requireNonNull(up, "asyncIterator() returned null");
    this.fn = fn;
    this.concurrency = concurrency;
    this.ordered = ordered;
    this.controller = withSignal ? new AbortController() : null;
  }

  private int held() {
    return ordered ? window.size() : running + ready.size();
  }

  @Override
  @SuppressWarnings("unchecked")
  boolean progress() {
    if (ordered) {
      Slot head = window.peek();
      if (head != null && head.value != null) {
        window.poll();
        emit((R) head.value);
        fill();
        return true;
      }
    } else {
      R v = ready.poll();
      if (v != null) {
        emit(v);
        fill();
        return true;
      }
    }
    if (upstreamDone && held() == 0) {
      end();
      return true;
    }
    fill();
    return isFinished();
  }

  private void fill() {
    while (!pulling && !upstreamDone && !isFinished() && held() < concurrency) {
      if (up instanceof SyncStage<T> sync) {
        pollSync(sync);
      } else {
        pullAsync();
      }
    }
  }

  @SuppressWarnings("unchecked")
  private void pollSync(SyncStage<T> sync) {
    Object v;
    try {
      v = sync.poll();
    } catch (Throwable t) {
      upstreamFailed(t);
      return;
    }
    if (v == SyncStage.END) {
      upstreamDone = true;
    } else {
      start((T) v);
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

  private @Nullable Object onUp(IteratorResult<T> r) {
    pulling = false;
    if (isFinished()) {
      return null;
    }
    T v;
    try {
      if (Steps.done(r)) {
        upstreamDone = true;
        pump();
        return null;
      }
      v = Steps.value(r);
    } catch (Throwable t) {
      failClosing(t);
      return null;
    }
    start(v);
    fill();
    pump();
    return null;
  }

  private @Nullable Object onUpError(Throwable e) {
    pulling = false;
    if (!isFinished()) {
      upstreamFailed(e);
    }
    return null;
  }

  /** Calls the function for {@code v} and tracks its result. */
  private void start(T v) {
    AbortController c = controller;
    Promise<? extends R> p;
    try {
      p = requireNonNull(fn.apply(v, c == null ? NEVER : c.signal()), "mapAsync function returned null");
    } catch (Throwable t) {
      failClosing(t);
      return;
    }
    running++;
    if (ordered) {
      Slot slot = new Slot();
      window.add(slot);
      Bridge.promises().react(p, slot);
    } else {
      Bridge.promises().react(p, unordered);
    }
  }

  private void onResult(Slot slot, @Nullable R result) {
    running--;
    if (isFinished()) {
      return;
    }
    if (result == null) {
      failClosing(new NullPointerException("mapAsync function's promise fulfilled with null"));
      return;
    }
    if (ordered) {
      slot.value = result;
    } else {
      ready.add(result);
    }
    pump();
  }

  private void onCallError(Throwable e) {
    running--;
    if (!isFinished()) {
      failClosing(e);
    }
  }

  /** A call (or an element) failed: abort, drop, close the upstream, then fail. */
  private void failClosing(Throwable t) {
    if (isFinished()) {
      return;
    }
    drop(t);
    if (upstreamDone) {
      fail(t);
    } else {
      upstreamDone = true;
      terminate(Steps.close(up), t);
    }
  }

  /** The upstream failed: it needs no close. */
  private void upstreamFailed(Throwable t) {
    upstreamDone = true;
    drop(t);
    fail(t);
  }

  private void drop(Throwable reason) {
    window.clear();
    ready.clear();
    AbortController c = controller;
    if (c != null) {
      c.abort(reason);
    }
  }

  @Override
  Promise<?> onClose() {
    drop(new AbortError("the stream was closed"));
    if (upstreamDone) {
      return Promise.resolve();
    }
    upstreamDone = true;
    return Steps.close(up);
  }
}
