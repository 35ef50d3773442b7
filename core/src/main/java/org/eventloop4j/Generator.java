package org.eventloop4j;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import org.eventloop4j.stream.AsyncGenerator;
import org.eventloop4j.stream.AsyncIterable;
import org.eventloop4j.stream.AsyncIterator;
import org.eventloop4j.stream.IteratorResult;
import org.jspecify.annotations.Nullable;

/** An async generator: ECMA-262's AsyncGenerator objects over a {@link Coroutine}. Loop-affine. */
final class Generator<T> extends Coroutine implements AsyncGenerator<T>, AsyncGenerator.Yielder<T> {
  /*
   * Overview: the spec's algorithms, one method each — AsyncGeneratorEnqueue (next/returnValue/
   * throwError), AsyncGeneratorResume (resume: enter the body synchronously), AsyncGeneratorYield (yield:
   * complete the head request, then go on at once if another request is queued, else suspend),
   * AsyncGeneratorUnwrapYieldResumption (unwrap), AsyncGeneratorCompleteStep (completeStep),
   * AsyncGeneratorAwaitReturn (awaitReturn) and AsyncGeneratorDrainQueue (drainQueue). State machine:
   *
   *   SUSPENDED_START --next--> EXECUTING <--resume-- SUSPENDED_YIELD
   *        |                      |  \----yield, queue empty----^
   *     return/throw            ends                                  AWAITING_RETURN --settled--> COMPLETED
   *        \----------------------+----------------------------------------^
   *
   * The request queue and the state are touched only by the loop's holder; the body's strand holds the
   * loop whenever body code runs. A return request at a yield is raised there as GeneratorReturn.
   */
  private enum State { SUSPENDED_START, SUSPENDED_YIELD, EXECUTING, AWAITING_RETURN, COMPLETED }

  private static final int NEXT = 0;
  private static final int RETURN = 1;
  private static final int THROW = 2;

  private record Request(int kind, @Nullable Object value, Promise<IteratorResult<Object>> promise, boolean fused) {
    Request(int kind, @Nullable Object value, Promise<IteratorResult<Object>> promise) {
      this(kind, value, promise, false);
    }
  }

  private final AsyncGenerator.Body<T> body;
  private final ArrayDeque<Request> queue = new ArrayDeque<>(2);
  private State state = State.SUSPENDED_START;
  private @Nullable Request resumption;
  /** The operand of a yield whose await runs as the resumption job (see {@link #yieldInOneSwitch}). */
  private @Nullable Promise<?> yielding;

  Generator(EventLoop loop, AsyncGenerator.Body<T> body) {
    super(loop);
    this.body = body;
  }

  static <T> AsyncGenerator<T> create(AsyncGenerator.Body<T> body) {
    return new Generator<>(EventLoop.current(), requireNonNull(body, "body"));
  }

  // ---- AsyncGenerator.prototype.next / return / throw ----

  @Override
  public Promise<IteratorResult<T>> next() {
    return next(null, false);
  }

  @Override
  public Promise<IteratorResult<T>> next(@Nullable Object value) {
    return next(value, false);
  }

  /**
   * {@code next()} for a consumer that awaits the result at once, with an empty microtask queue, from a
   * segment that may continue at once ({@link Coroutine#mayContinueAtOnce}: a resumed one, or a generator's
   * own segment entered by a fused next — a middle stage of a pipeline) ({@link ForAwait}). If the body
   * then reaches a {@code yield} of a plain value or settled promise with the queue still empty, the
   * yield's await and the consumer's await are each the very next job with only spec machinery between
   * them, so both turns are skipped and the consumer continues with the value at once: two thread switches
   * per value instead of four, observably identical. Chained through a 3-stage pipeline: 6.7 hand-offs per
   * source item instead of 11.3 (the minimum: two per stage a value passes through).
   */
  Promise<IteratorResult<T>> nextFused() {
    return next(null, true);
  }

  /** {@link #nextFused()} sending {@code value} to the paused yield (the pull of a yield* delegation). */
  Promise<IteratorResult<T>> nextFused(@Nullable Object value) {
    return next(value, true);
  }

  private Promise<IteratorResult<T>> next(@Nullable Object sent, boolean fused) {
    Promise<IteratorResult<Object>> p = newRequestPromise("next");
    if (state == State.COMPLETED) {
      p.fulfill(IteratorResult.end());
      return cast(p);
    }
    Request r = new Request(NEXT, sent, p, fused);
    queue.add(r);
    if (state == State.SUSPENDED_START || state == State.SUSPENDED_YIELD) {
      resume(r);
    }
    return cast(p);
  }

  @Override
  public Promise<IteratorResult<T>> returnValue(@Nullable T value) {
    Promise<IteratorResult<Object>> p = newRequestPromise("returnValue");
    Request r = new Request(RETURN, value, p);
    queue.add(r);
    if (state == State.SUSPENDED_START || state == State.COMPLETED) {
      state = State.AWAITING_RETURN;
      awaitReturn();
    } else if (state == State.SUSPENDED_YIELD) {
      resume(r);
    }
    return cast(p);
  }

  @Override
  public Promise<IteratorResult<T>> throwError(Throwable error) {
    requireNonNull(error, "error");
    Promise<IteratorResult<Object>> p = newRequestPromise("throwError");
    if (state == State.SUSPENDED_START) {
      state = State.COMPLETED;
    }
    if (state == State.COMPLETED) {
      p.rejectWith(error);
      return cast(p);
    }
    Request r = new Request(THROW, error, p);
    queue.add(r);
    if (state == State.SUSPENDED_YIELD) {
      resume(r);
    }
    return cast(p);
  }

  private Promise<IteratorResult<Object>> newRequestPromise(String what) {
    loop.checkAffinity("AsyncGenerator." + what);
    return new Promise<>(loop);
  }

  private void resume(Request r) {
    state = State.EXECUTING;
    resumption = r;
    enterSync();
  }

  // ---- the body ----

  @Override
  @Nullable Object runBody() throws Exception {
    try {
      body.run(this);
      return null;
    } catch (GeneratorReturn r) {
      return r.value;
    } catch (Unwind u) {
      // unwound at the end of the run (completed/failed are not called then): a request made afterwards,
      // e.g. by a for-await's close in an unwinding consumer, must find the generator done, not restart it
      state = State.COMPLETED;
      throw u;
    }
  }

  @Override
  void completed(@Nullable Object result) {
    state = State.COMPLETED;
    completeStep(false, result, true);
    drainQueue();
  }

  @Override
  void failed(Throwable error) {
    state = State.COMPLETED;
    completeStep(true, error, true);
    drainQueue();
  }

  @Override
  public @Nullable Object yield(T value) {
    checkOwnBody("yield");
    if (canSkipYieldAwait(value)) {
      return unwrap(yieldAwaited(settledValue(value)));
    } else if (isSyncEntered()) {
      return unwrap(yieldInOneSwitch(value));
    } else {
      return unwrap(yieldAwaited(await(value)));
    }
  }

  @Override
  public void finish(@Nullable T value) {
    checkOwnBody("finish");
    throw new GeneratorReturn(await(value));
  }

  /**
   * A yield in a segment entered by next()/returnValue()/throwError(): the body hands the loop back to
   * that caller once, and the yield's await — its resumption job — completes the head request on the
   * loop's side ({@link #resumeJob}), so a generator that then has no request queued stays where it is
   * instead of being switched to only to suspend again. The job does exactly what the body would have done
   * in that same job (AsyncGeneratorCompleteStep, then look at the queue), so the order is the spec's; it
   * saves two thread switches per such yield, and a generator suspended at a yield keeps one frozen stack
   * instead of two.
   */
  private Request yieldInOneSwitch(@Nullable Object value) {
    Promise<?> p = Promise.resolve(value);
    yielding = p;
    try {
      suspendOn(p);
    } catch (Throwable t) { // the run ends (Unwind), or the accelerator could not suspend: no job will run
      yielding = null;
      throw t;
    }
    Promise<?> failed = yielding; // still set only if the operand rejected
    yielding = null;
    if (failed != null) {
      throw Promise.sneaky((Throwable) requireNonNull(failed.result()));
    }
    return requireNonNull(resumption);
  }

  @Override
  void resumeJob() {
    Promise<?> p = yielding;
    if (p != null && p.isFulfilled()) {
      yielding = null;
      completeStep(false, p.result(), false);
      Request next = queue.peek();
      if (next == null) {
        state = State.SUSPENDED_YIELD;
        resumption = null;
        return;
      }
      resumption = next;
    }
    resumeFromJob();
  }

  /**
   * A segment entered by a fused next() (its consumer awaits the request's promise at once, see {@link
   * #nextFused()}): the head request is the one that entered it until the segment completes it.
   */
  @Override
  boolean callerAwaitsAtOnce() {
    Request head = queue.peek();
    return head != null && head.fused;
  }

  /** The fused path of {@link #nextFused()}: see there for why skipping both turns is exact. */
  private boolean canSkipYieldAwait(@Nullable Object value) {
    Request head = queue.peek();
    if (head == null || !head.fused || !isSyncEntered() || !loop.microtasksEmpty()) {
      return false;
    }
    if (value instanceof Promise<?> p) {
      return p.loop == loop && p.isFulfilled();
    }
    return !(value instanceof Thenable<?>) && !(value instanceof java.util.concurrent.CompletionStage<?>);
  }

  private static @Nullable Object settledValue(@Nullable Object value) {
    if (value instanceof Promise<?> p) {
      p.markHandled();
      return p.result();
    }
    return value;
  }

  /** AsyncGeneratorYield of a value that was already awaited; returns the resumption to unwrap. */
  private Request yieldAwaited(@Nullable Object value) {
    completeStep(false, value, false);
    Request next = queue.peek();
    if (next != null) {
      return next;
    }
    state = State.SUSPENDED_YIELD;
    resumption = null; // served: a generator waiting at a yield keeps no request, promise or result alive
    suspendForRequest();
    return requireNonNull(resumption);
  }

  /** AsyncGeneratorUnwrapYieldResumption: the value a next request sent, or the throw or return it makes. */
  private @Nullable Object unwrap(Request r) {
    return switch (r.kind) {
      case THROW -> throw Promise.sneaky((Throwable) requireNonNull(r.value));
      case RETURN -> throw new GeneratorReturn(await(r.value));
      default -> r.value;
    };
  }

  @Override
  public @Nullable Object yieldAll(AsyncIterable<? extends T> source) {
    checkOwnBody("yieldAll");
    requireNonNull(source, "source");
    @SuppressWarnings("unchecked")
    AsyncIterator<Object> inner = (AsyncIterator<Object>) requireNonNull(source.asyncIterator(), "asyncIterator()");
    return delegateAll(inner);
  }

  @Override
  public @Nullable Object yieldAll(Iterable<? extends T> source) {
    checkOwnBody("yieldAll");
    requireNonNull(source, "source");
    return delegateAll(new FromSyncIterator<>(requireNonNull(source.iterator(), "iterator()")));
  }

  /** ECMA-262's yield* loop over {@code inner}; evaluates to its return value. */
  private @Nullable Object delegateAll(AsyncIterator<Object> inner) {
    Request received = null;
    while (true) {
      IteratorResult<?> step = delegate(inner, received);
      if (step.done()) {
        if (received != null && received.kind == RETURN) {
          // yield*, return received, inner done: the value is passed on as it is, not awaited again, as Node 20
          // does (scenario 73: a promise stays a promise)
          throw new GeneratorReturn(step.value());
        }
        return step.value();
      }
      received = unwrapForDelegation(yieldAwaited(step.value()));
    }
  }

  /**
   * yield*'s AsyncGeneratorYield ends with AsyncGeneratorUnwrapYieldResumption too: a return request's value
   * is awaited before the return is forwarded to the inner iterator (one turn), and if it rejects, the
   * rejection is forwarded as a throw instead. Other requests pass as they are.
   */
  private Request unwrapForDelegation(Request r) {
    if (r.kind != RETURN) {
      return r;
    }
    Object awaited;
    try {
      awaited = await(r.value);
    } catch (Unwind u) {
      throw u;
    } catch (Throwable rejection) {
      return new Request(THROW, rejection, r.promise);
    }
    return new Request(RETURN, awaited, r.promise);
  }

  /**
   * yield*'s pull, {@code inner.next()} at first ({@code received} null) and {@code inner.next(v)} after
   * the outer generator received {@code next(v)}, which it awaits at once: fused (see {@link #nextFused()})
   * when the inner iterator is a generator of this loop and this segment may go on at once with nothing
   * queued, so a chain of delegations (a recursive walk) pulls straight through as for-await stages do.
   */
  private Promise<IteratorResult<Object>> pull(AsyncIterator<Object> inner, @Nullable Request received) {
    @Nullable Object sent = received == null ? null : received.value;
    if (inner instanceof Generator<Object> g && g.loop == loop && mayContinueAtOnce() && loop.microtasksEmpty()) {
      return g.nextFused(sent);
    }
    return received == null ? inner.next() : inner.next(sent);
  }

  /** One step of yield*: forwards what the outer generator received (a sent value, throw or return) inward. */
  private IteratorResult<?> delegate(AsyncIterator<Object> inner, @Nullable Request received) {
    Promise<IteratorResult<Object>> step;
    if (received == null || received.kind == NEXT) {
      step = pull(inner, received);
    } else if (received.kind == THROW) {
      step = inner.throwError((Throwable) requireNonNull(received.value));
    } else {
      step = inner.returnValue(received.value);
    }
    IteratorResult<?> result = (IteratorResult<?>) await(requireNonNull(step, "inner iterator returned null"));
    return requireNonNull(result, "inner iterator fulfilled with null instead of an IteratorResult");
  }

  private void checkOwnBody(String what) {
    if (!isRunningBody()) {
      throw new IllegalStateException(
          "Yielder." + what + " called outside its own generator's body (thread " + Thread.currentThread().getName()
              + "): yield only from the body this Yielder was given to");
    }
  }

  // ---- completing requests ----

  /** AsyncGeneratorCompleteStep: settles the head request. */
  private void completeStep(boolean isThrow, @Nullable Object value, boolean done) {
    Request r = requireNonNull(queue.poll(), "no request to complete");
    if (isThrow) {
      r.promise.rejectWith((Throwable) requireNonNull(value));
    } else {
      r.promise.fulfill(new IteratorResult<>(value, done));
    }
  }

  /** AsyncGeneratorAwaitReturn: the head is a return request on a generator that is not running. */
  private void awaitReturn() {
    Request r = requireNonNull(queue.peek());
    Promise<?> awaited = Promise.resolve(r.value);
    awaited.registerFrom(loop, new Promise.Reaction() {
      @Override
      public void run() {
        state = State.COMPLETED;
        boolean fulfilled = source.isFulfilled();
        completeStep(!fulfilled, source.result(), true);
        drainQueue();
      }
    });
  }

  /** AsyncGeneratorDrainQueue: answers what is queued behind the end of the body. */
  private void drainQueue() {
    Request r;
    while ((r = queue.peek()) != null) {
      if (r.kind == RETURN) {
        state = State.AWAITING_RETURN;
        awaitReturn();
        return;
      }
      completeStep(r.kind == THROW, r.kind == THROW ? r.value : null, true);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> Promise<IteratorResult<T>> cast(Promise<IteratorResult<Object>> p) {
    return (Promise<IteratorResult<T>>) (Promise<?>) p;
  }

  @Override
  public String toString() {
    return "AsyncGenerator[" + state + ", " + queue.size() + " queued]";
  }
}
