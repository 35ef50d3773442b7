package org.eventloop4j.stream;

import static java.util.Objects.requireNonNull;

import java.util.function.Function;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Resolvers;
import org.jspecify.annotations.Nullable;

/**
 * Runs one terminal operation ({@code forEach}, {@code toList}, {@code reduce}, …) over a fresh iteration of
 * a stream: pulls every element into a {@link Sink}, stops early when the sink says so, and settles one
 * promise. Loop-affine.
 *
 * @param <T> the element type
 * @param <R> the result type
 */
final class Terminal<T, R> implements java.util.function.Predicate<Object>, AsyncStage.Consumer<T> {
  /*
   * Overview. Opening calls the stream's asyncIterator() at once. A SyncStage is drained with
   * forEachRemaining (a push loop) inside one microtask queued by the terminal call (never inside the call
   * itself, so a callback never runs before the terminal returned its promise); any other iterator is
   * stepped with next() and one reaction per step (each step a new microtask: no stack growth) — except an
   * AsyncStage (an operator's stage), which after the first element is switched to push mode
   * (AsyncStage.pushTo): the stage hands each further element to onPush in the microtask that produced it,
   * with no request promise or reaction per element. The first element still comes through a request, so
   * that no callback runs inside the terminal call. From inside onPush nothing calls back into the stage:
   * a close it needs (early stop, a sink that threw, an abort by the sink) is made from a later microtask
   * (close()).
   *
   * Endings: the end settles with sink.result(); an early stop (the sink answered false) closes the
   * iterator and settles once the close settled (its failure rejects); a sink or result() that throws
   * closes the iterator, then rejects with that error (the close's failure suppressed); an error from the
   * iterator rejects as it is (a source that threw is done: no close). An abort rejects with the signal's
   * reason at once and closes the iterator without waiting for it (a close failure then goes unhandled, to
   * the loop's handler). `done` guards every path, so exactly one of them settles the promise.
   * Tests: AsyncStreamTerminalsTest.
   */
  /** What a terminal does with the elements. */
  interface Sink<T, R> {
    /** Takes one element; false to stop the iteration early. */
    boolean accept(T value);

    /** The result, at the end or after an early stop. */
    @Nullable R result();
  }

  private final Sink<T, R> sink;
  private final Resolvers<R> resolvers = Promise.withResolvers();
  private final @Nullable AbortSignal signal;
  private final Function<IteratorResult<T>, @Nullable Object> onStep = this::onStep;
  private final Function<Throwable, @Nullable Object> onError = this::onError;
  private AbortSignal.@Nullable Registration registration;
  private @Nullable AsyncIterator<T> it;
  private boolean done;
  /** Inside onPush: the stage is on the stack, so a close must wait for a later microtask. */
  private boolean pushing;

  private Terminal(Sink<T, R> sink, @Nullable AbortSignal signal) {
    this.sink = sink;
    this.signal = signal;
  }

  /** Runs {@code sink} over a new iteration of {@code stream}, stopped by {@code signal} if not null. */
  static <T, R> Promise<R> run(AsyncIterable<T> stream, Sink<T, R> sink, @Nullable AbortSignal signal) {
    Terminal<T, R> t = new Terminal<>(sink, signal);
    t.start(stream);
    return t.resolvers.promise();
  }

  private void start(AsyncIterable<T> stream) {
    AbortSignal s = signal;
    if (s != null && s.aborted()) {
      settle(null, requireNonNull(s.reason()));
      return;
    }
    AsyncIterator<T> i;
    try {
      i = requireNonNull(stream.asyncIterator(), "asyncIterator() returned null");
    } catch (Throwable t) {
      settle(null, t);
      return;
    }
    it = i;
    if (s != null) {
      registration = s.addListener(this::onAbort);
    }
    if (i instanceof SyncStage<T> sync) {
      EventLoop.current().queueMicrotask(() -> drain(sync));
    } else {
      step(i);
    }
  }

  // ---- synchronous stages ----

  private void drain(SyncStage<T> stage) {
    if (done) {
      return;
    }
    boolean ended;
    try {
      ended = stage.forEachRemaining(this);
    } catch (Throwable t) {
      if (!done) {
        settle(null, t); // the stage released itself; what the sink threw included
      }
      return;
    }
    if (done) {
      return;
    }
    if (ended) {
      finish();
    } else {
      stopEarly(stage);
    }
  }

  /** The sink in push mode (this object, to keep the inlined chain short): false once it wants no more or the terminal is done (aborted). */
  @Override
  @SuppressWarnings("unchecked")
  public boolean test(Object v) {
    return sink.accept((T) v) && !done;
  }

  // ---- asynchronous stages ----

  private void step(AsyncIterator<T> i) {
    Promise<IteratorResult<T>> p;
    try {
      p = Steps.next(i);
    } catch (Throwable t) {
      settle(null, t);
      return;
    }
    p.then(onStep, onError);
  }

  private @Nullable Object onStep(IteratorResult<T> r) {
    AsyncIterator<T> i = it;
    if (done || i == null) {
      return null;
    }
    T v;
    try {
      if (Steps.done(r)) {
        finish();
        return null;
      }
      v = Steps.value(r);
    } catch (Throwable t) {
      closeThenFail(i, t);
      return null;
    }
    if (offer(i, v)) {
      if (i instanceof AsyncStage<T> stage) {
        stage.pushTo(this);
      } else {
        step(i);
      }
    }
    return null;
  }

  // ---- asynchronous stages in push mode ----

  @Override
  public boolean onPush(T value) {
    AsyncIterator<T> i = it;
    if (done || i == null) {
      return false;
    }
    pushing = true;
    try {
      return offer(i, requireNonNull(value, Steps.NULL_ELEMENT));
    } finally {
      pushing = false;
    }
  }

  @Override
  public void onPushEnd() {
    if (!done) {
      finish();
    }
  }

  @Override
  public void onPushError(Throwable error) {
    if (!done) {
      settle(null, error);
    }
  }

  private @Nullable Object onError(Throwable e) {
    if (!done) {
      settle(null, e);
    }
    return null;
  }

  // ---- endings ----

  /** Hands {@code v} to the sink; false when the iteration is over (stopped early or failed). */
  private boolean offer(AsyncIterator<T> i, T v) {
    boolean more;
    try {
      more = sink.accept(v);
    } catch (Throwable t) {
      closeThenFail(i, t);
      return false;
    }
    if (!more && !done) {
      stopEarly(i);
    }
    return more && !done;
  }

  private void finish() {
    R result;
    try {
      result = sink.result();
    } catch (Throwable t) {
      settle(null, t);
      return;
    }
    settle(result, null);
  }

  private void stopEarly(AsyncIterator<T> i) {
    detach();
    close(i).then(x -> {
      finishAfterClose();
      return null;
    }, e -> {
      settleNow(null, e);
      return null;
    });
  }

  private void finishAfterClose() {
    R result;
    try {
      result = sink.result();
    } catch (Throwable t) {
      settleNow(null, t);
      return;
    }
    settleNow(result, null);
  }

  private void closeThenFail(AsyncIterator<T> i, Throwable error) {
    detach();
    Steps.rejectAfter(close(i), error, resolvers);
  }

  /** Closes the iteration: at once, or from a microtask when the stage is on the stack (inside onPush). */
  private Promise<?> close(AsyncIterator<T> i) {
    return pushing ? Promise.resolve().thenCompose(x -> Steps.close(i)) : Steps.close(i);
  }

  private void onAbort() {
    AsyncIterator<T> i = it;
    AbortSignal s = signal;
    if (done || i == null || s == null) {
      return;
    }
    settle(null, requireNonNull(s.reason()));
    close(i);
  }

  /** Marks the terminal done (no path settles after this one) without settling yet. */
  private void detach() {
    done = true;
    AbortSignal.Registration r = registration;
    registration = null;
    if (r != null) {
      r.close();
    }
  }

  private void settle(@Nullable R result, @Nullable Throwable error) {
    detach();
    settleNow(result, error);
  }

  private void settleNow(@Nullable R result, @Nullable Throwable error) {
    if (error != null) {
      resolvers.reject(error);
    } else {
      resolvers.resolve(result);
    }
  }
}
