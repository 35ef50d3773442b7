package org.eventloop4j.stream;

import java.util.ArrayDeque;
import org.eventloop4j.Promise;
import org.eventloop4j.Resolvers;
import org.jspecify.annotations.Nullable;

/**
 * The base of every stage that may wait: serves {@code next()} requests one at a time, in order, and makes
 * {@code returnValue} immediate. Loop-affine.
 *
 * @param <T> the element type
 */
abstract class AsyncStage<T> implements AsyncIterator<T> {
  /*
   * Overview. Requests: `current` is the request being served, `queued` the ones made while it waits (a
   * next() called before the previous one settled, as JavaScript allows); they are served strictly in order,
   * so an operator never sees two requests at once. pump() asks the subclass to make progress() on the
   * current request until it has to wait; a subclass calls pump() again when something arrives (an
   * upstream step, a mapped result, a timer). `serving` makes pump() non-reentrant and keeps a burst of
   * queued requests from growing the stack.
   *
   *   open ──end()/fail()──────────────────────────▶ finished
   *     │                                              ▲
   *     └─terminate(closing, error)─▶ terminating ─────┘ (once the upstream's close settled)
   *     └─returnValue()─────────────────────────────────┘ (at once: requests settle done, onClose() runs)
   *
   * A failure with no request waiting is kept and rejects the next request; after that, and after the end,
   * every request answers done, as a JavaScript generator does. returnValue() settles every waiting request
   * with done at once, without waiting for the work in flight, and answers when the upstream's close
   * settles: in-flight results that arrive later are dropped (their rejections are handled, never reported).
   *
   * Push mode (pushTo; the terminal operations switch to it after their first element): a Consumer takes
   * the place of the requests and stands for an endless run of them. emit() hands it the element at once
   * — no request promise, IteratorResult or reaction per element — until it answers false; the end or a
   * failure is signalled to it instead of settling a request. The consumer never calls back into the
   * stage from inside onPush (a close it wants is made from a later microtask), so progress() needs no
   * care for re-entry.
   */

  /** A push-mode consumer: a terminal operation. Loop-affine. */
  interface Consumer<T> {
    /** One element; false to stop being pushed to (the consumer then closes the stage, later). */
    boolean onPush(T value);

    /** The stage ended. */
    void onPushEnd();

    /** The stage failed with {@code error}. */
    void onPushError(Throwable error);
  }

  private @Nullable Resolvers<IteratorResult<T>> current;
  private @Nullable ArrayDeque<Resolvers<IteratorResult<T>>> queued;
  private @Nullable Consumer<T> consumer;
  private @Nullable Throwable failure;
  private @Nullable Promise<?> closing;
  private boolean finished;
  private boolean serving;

  @Override
  public final Promise<IteratorResult<T>> next() {
    if (finished) {
      Throwable f = failure;
      if (f != null) {
        failure = null;
        return Promise.reject(f);
      }
      return Promise.resolve(Steps.end());
    }
    Resolvers<IteratorResult<T>> r = Promise.withResolvers();
    if (current == null) {
      current = r;
      pump();
    } else {
      ArrayDeque<Resolvers<IteratorResult<T>>> q = queued;
      if (q == null) {
        q = new ArrayDeque<>();
        queued = q;
      }
      q.add(r);
    }
    return r.promise();
  }

  @Override
  public final Promise<IteratorResult<T>> returnValue(@Nullable T value) {
    Promise<?> c = closing;
    if (!finished && c == null) {
      c = closeSafely();
    }
    finished = true;
    failure = null;
    settleAll(null);
    IteratorResult<T> result = new IteratorResult<>(value, true);
    return c == null ? Promise.resolve(result) : c.then(x -> result);
  }

  private Promise<?> closeSafely() {
    try {
      return onClose();
    } catch (Throwable t) {
      return Promise.reject(t);
    }
  }

  /**
   * Push mode: from now on every element goes to {@code c}, which stands for an endless run of requests,
   * until it answers false; then the end or the failure. Call it with no request waiting.
   */
  final void pushTo(Consumer<T> c) {
    if (finished) {
      Throwable f = failure;
      failure = null;
      if (f != null) {
        c.onPushError(f);
      } else {
        c.onPushEnd();
      }
      return;
    }
    consumer = c;
    pump();
  }

  /**
   * Makes progress on the current request (there is one, and the stage is open): settles it with {@link
   * #emit}, {@link #end}, {@link #fail} or {@link #terminate} and answers true, or starts or keeps waiting
   * for what it needs and answers false. Called again whenever {@link #pump()} runs.
   */
  abstract boolean progress();

  /**
   * The consumer closed the stage early: release timers, abort work in flight, close the upstream. Returns
   * the upstream's close promise. Called at most once, and never after the stage ended or failed.
   */
  abstract Promise<?> onClose();

  /** Serves requests until the stage has to wait; call it when whatever progress() waits for arrived. */
  final void pump() {
    if (serving) {
      return;
    }
    serving = true;
    try {
      while ((current != null || consumer != null) && !finished && closing == null && progress()) {
        // progress settled the current request; go on with the next one
      }
    } catch (Throwable t) {
      fail(t);
    } finally {
      serving = false;
    }
  }

  /** Whether a request waits for an element. */
  final boolean hasRequest() {
    return current != null || consumer != null;
  }

  /** Whether the stage ended, failed, was closed, or is closing its upstream. */
  final boolean isFinished() {
    return finished || closing != null;
  }

  /** Fulfils the current request with {@code value} (in push mode: hands it to the consumer). */
  final void emit(T value) {
    Consumer<T> c = consumer;
    if (c != null) {
      if (!c.onPush(value)) {
        consumer = null;
      }
      return;
    }
    Resolvers<IteratorResult<T>> r = current;
    if (r != null) {
      current = dequeue();
      r.resolve(IteratorResult.of(value));
    }
  }

  /** Ends the stage: every request answers done. */
  final void end() {
    finished = true;
    settleAll(null);
  }

  /** Fails the stage: the current request (or the next one) rejects with {@code error}; later ones are done. */
  final void fail(Throwable error) {
    if (finished) {
      return;
    }
    finished = true;
    if (current == null && consumer == null) {
      failure = error;
    }
    settleAll(error);
  }

  /**
   * Stops serving, waits for {@code closing} (the upstream's close), then ends — or fails with {@code error}
   * if not null, a failure of the close attached as suppressed. Without {@code error} a failed close fails
   * the stage.
   */
  final void terminate(Promise<?> closingPromise, @Nullable Throwable error) {
    if (isFinished()) {
      return;
    }
    closing = closingPromise;
    closingPromise.then(x -> {
      finishTerminate(error);
      return null;
    }, e -> {
      finishTerminate(error == null ? e : Steps.suppress(error, e));
      return null;
    });
  }

  private void finishTerminate(@Nullable Throwable error) {
    if (finished) {
      return;
    }
    closing = null;
    if (error == null) {
      end();
    } else {
      fail(error);
    }
  }

  private void settleAll(@Nullable Throwable error) {
    Consumer<T> c = consumer;
    if (c != null) {
      consumer = null;
      if (error != null) {
        c.onPushError(error);
      } else {
        c.onPushEnd();
      }
    }
    Resolvers<IteratorResult<T>> r = current;
    current = null;
    if (r != null) {
      if (error != null) {
        r.reject(error);
      } else {
        r.resolve(Steps.end());
      }
    }
    for (Resolvers<IteratorResult<T>> q = dequeue(); q != null; q = dequeue()) {
      q.resolve(Steps.end());
    }
  }

  private @Nullable Resolvers<IteratorResult<T>> dequeue() {
    ArrayDeque<Resolvers<IteratorResult<T>>> q = queued;
    return q == null ? null : q.poll();
  }
}
