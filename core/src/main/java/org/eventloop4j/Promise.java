package org.eventloop4j;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A JavaScript {@code Promise} with ECMAScript's semantics, bound to the {@link EventLoop} that created it.
 *
 * <h2>Ordering</h2>
 *
 * <p>Reactions ({@code then}, {@code catchError}, {@code andFinally} and their {@code Compose} forms) run as
 * microtasks on the promise's loop, one microtask per reaction, in registration order; a reaction added to a
 * settled promise is queued at once, at the tail. Every operation costs exactly the microtask turns
 * ("hops") ECMA-262 gives it: {@code then} one hop; adopting a promise (a {@code thenCompose} function's
 * result, {@code resolve(promise)}) two more; {@code andFinally} two more than {@code then}; the
 * combinators settle one hop after their last input's reaction. The conformance scenarios check each of
 * these against Node.
 *
 * <h2>Values</h2>
 *
 * <p>A resolving function ({@code resolve} of {@link #create}, {@link Resolvers#resolve},
 * {@link #resolve(Object)}) given a {@code Promise}, a {@link Thenable} or a {@link CompletionStage} adopts
 * it, as JavaScript adopts thenables. {@link #then(Function)} treats its function's result as a plain value
 * (Java's types cannot express JavaScript's flattening); use {@link #thenCompose} to adopt a promise.
 * Rejection reasons are {@code Throwable}s and are never wrapped: the reason a handler sees is the object
 * that was thrown or passed to {@code reject}.
 *
 * <h2>Threads</h2>
 *
 * <p>Creating and chaining are loop-affine (see the package documentation). Settling through resolving
 * functions or {@link Resolvers} is thread-safe: from a foreign thread the settlement is posted to the
 * promise's loop. A promise may be chained from another loop: the reaction then runs on the loop that
 * registered it, which stays alive until the promise settles. {@link #join()} and
 * {@link #toCompletableFuture()} are for threads that are not the promise's loop.
 *
 * <h2>Errors</h2>
 *
 * <p>A rejected promise that has no reaction by the end of the microtask drain in which it was rejected is
 * reported as an unhandled rejection (see {@link EventLoop.Builder#onUnhandledRejection}).
 *
 * @param <T> the value type
 */
public final class Promise<T> {
  /*
   * Overview. Four fields, so that a settled promise without reactions is 32 bytes:
   *   loop      the owning loop; every field below is read and written on its thread only;
   *   result    the value or the reason once settled;
   *   reactions a stack (newest first) of Reaction nodes while pending, reversed when settling so that
   *             they are queued in registration order;
   *   state     PENDING / FULFILLED / REJECTED in the low bits, plus three flags:
   *             LOCKED  — resolved with a thenable and waiting for it (ECMAScript's "alreadyResolved"
   *                       without being settled): further resolve/reject calls are ignored;
   *             HANDLED — [[PromiseIsHandled]]: a reaction was ever registered;
   *             WARNED  — reported as an unhandled rejection, so a later handler fires rejectionHandled.
   *
   * A Reaction is itself the microtask: settling pushes each reaction onto the loop's microtask queue and
   * Reaction.run() reads the source's outcome. So a `then` link costs the derived promise plus one
   * reaction node and nothing per hop. Adoption of a native promise registers an AdoptReaction instead of
   * calling `then` (which would allocate a throwaway derived promise): the same job count, hence the same
   * hops as NewPromiseResolveThenableJob + PerformPromiseThen. Nothing recurses: every step that the spec
   * makes a job is a job here, so a 10^6-link chain or a deep adoption never grows the stack.
   *
   * Foreign threads never touch the fields: resolving functions check the loop's owner thread and post
   * the settlement to the loop otherwise (EventLoop.execute gives the happens-before edge).
   */
  private static final byte PENDING = 0;
  private static final byte FULFILLED = 1;
  private static final byte REJECTED = 2;
  private static final byte STATE_MASK = 3;
  private static final byte LOCKED = 4;
  private static final byte HANDLED = 8;
  private static final byte WARNED = 16;

  /** The state of a promise, as an inspector would show it. */
  public enum State {
    /** Not settled yet (possibly waiting for a promise it adopted). */
    PENDING,
    /** Fulfilled with a value. */
    FULFILLED,
    /** Rejected with a reason. */
    REJECTED
  }

  /**
   * A promise executor, as passed to JavaScript's {@code new Promise(executor)}.
   *
   * @param <T> the value type
   */
  @FunctionalInterface
  public interface Executor<T> {
    /**
     * Runs synchronously inside {@link #create}; an exception it throws rejects the promise unless the
     * promise was already resolved.
     */
    void execute(Consumer<@Nullable T> resolve, Consumer<Throwable> reject) throws Exception;
  }

  /**
   * The outcome of one input of {@link #allSettled}: {@code {status: "fulfilled", value}} or
   * {@code {status: "rejected", reason}}.
   *
   * @param <T> the value type
   */
  public sealed interface Settled<T> {
    /** {@code "fulfilled"} or {@code "rejected"}, as in JavaScript. */
    String status();

    /** A fulfilled input. */
    record Fulfilled<T>(@Nullable T value) implements Settled<T> {
      @Override
      public String status() {
        return "fulfilled";
      }
    }

    /** A rejected input. */
    record Rejected<T>(Throwable reason) implements Settled<T> {
      @Override
      public String status() {
        return "rejected";
      }
    }
  }

  final EventLoop loop;
  private @Nullable Object result;
  private @Nullable Reaction reactions;
  private byte state;

  Promise(EventLoop loop) {
    this.loop = loop;
  }

  private Promise(EventLoop loop, byte state, @Nullable Object result) {
    this.loop = loop;
    this.state = state;
    this.result = result;
  }

  // ------------------------------------------------------------------------------------------------
  // Creating

  /**
   * JavaScript's {@code new Promise(executor)}: runs {@code executor} synchronously with the promise's two
   * resolving functions. Loop-affine.
   *
   * @throws NullPointerException if {@code executor} is null
   * @throws IllegalStateException off a loop thread
   */
  public static <T> Promise<T> create(Executor<T> executor) {
    requireNonNull(executor, "executor");
    Promise<T> p = new Promise<>(EventLoop.current());
    ResolvingFunctions<T> fns = new ResolvingFunctions<>(p);
    try {
      executor.execute(fns, fns.rejecter());
    } catch (Throwable t) {
      fns.reject(t);
    }
    return p;
  }

  /**
   * JavaScript's {@code Promise.resolve(value)}: {@code value} itself if it is a {@code Promise}; a promise
   * adopting it if it is a {@link Thenable} or {@link CompletionStage}; else a promise fulfilled with it.
   */
  @SuppressWarnings("unchecked")
  public static <T> Promise<T> resolve(@Nullable T value) {
    if (value instanceof Promise<?> p) {
      return (Promise<T>) p;
    }
    Promise<T> p = new Promise<>(EventLoop.current());
    p.resolveWith(value);
    return p;
  }

  /** {@code Promise.resolve(p)} of a promise: {@code p} itself, typed as such. */
  public static <T> Promise<T> resolve(Promise<T> promise) {
    return requireNonNull(promise, "promise");
  }

  /** {@code Promise.resolve(thenable)}: a promise adopting {@code thenable} (its then is called one hop later). */
  public static <T> Promise<T> resolve(Thenable<? extends T> thenable) {
    requireNonNull(thenable, "thenable");
    Promise<T> p = new Promise<>(EventLoop.current());
    p.resolveWith(thenable);
    return p;
  }

  /** A promise fulfilled with {@code null} (JavaScript's {@code Promise.resolve()}). */
  public static Promise<@Nullable Void> resolve() {
    return new Promise<>(EventLoop.current(), FULFILLED, null);
  }

  /** JavaScript's {@code Promise.reject(reason)}. */
  public static <T> Promise<T> reject(Throwable reason) {
    requireNonNull(reason, "reason");
    Promise<T> p = new Promise<>(EventLoop.current());
    p.rejectWith(reason);
    return p;
  }

  /** JavaScript's {@code Promise.withResolvers()}: a pending promise and its resolving functions. */
  public static <T> Resolvers<T> withResolvers() {
    return new ResolvingFunctions<>(new Promise<>(EventLoop.current()));
  }

  /**
   * JavaScript's {@code Promise.try(fn)}: calls {@code fn} synchronously and returns a promise resolved with
   * its result (adopted if it is a promise or thenable) or rejected with what it threw.
   */
  public static <T> Promise<T> attempt(Callable<? extends @Nullable T> fn) {
    requireNonNull(fn, "fn");
    Promise<T> p = new Promise<>(EventLoop.current());
    try {
      p.resolveWith(fn.call());
    } catch (Throwable t) {
      p.rejectWith(t);
    }
    return p;
  }

  /**
   * A promise that settles like {@code stage}. While {@code stage} is incomplete it keeps the current loop
   * alive (it stands for work on other threads). A {@link CompletionException} or
   * {@link ExecutionException} around the cause is unwrapped, so the reason is the original error.
   */
  public static <T> Promise<T> from(CompletionStage<? extends T> stage) {
    requireNonNull(stage, "stage");
    Promise<T> p = new Promise<>(EventLoop.current());
    p.state |= LOCKED;
    p.adoptStage(stage);
    return p;
  }

  // ------------------------------------------------------------------------------------------------
  // Chaining

  /**
   * JavaScript's {@code then(onFulfilled)}: a promise fulfilled with {@code onFulfilled}'s result, or
   * rejected with what it throws; a rejection passes through unchanged. One hop.
   */
  public <R> Promise<R> then(Function<? super T, ? extends @Nullable R> onFulfilled) {
    requireNonNull(onFulfilled, "onFulfilled");
    return chain(new ThenReaction<>(onFulfilled, null));
  }

  /** JavaScript's {@code then(onFulfilled, onRejected)}; either handler's result fulfils the new promise. */
  public <R> Promise<R> then(
      Function<? super T, ? extends @Nullable R> onFulfilled,
      Function<? super Throwable, ? extends @Nullable R> onRejected) {
    requireNonNull(onFulfilled, "onFulfilled");
    requireNonNull(onRejected, "onRejected");
    return chain(new ThenReaction<>(onFulfilled, onRejected));
  }

  /** {@code then} with a consumer: the new promise fulfils with {@code null} after it ran. */
  public Promise<@Nullable Void> thenAccept(Consumer<? super T> onFulfilled) {
    requireNonNull(onFulfilled, "onFulfilled");
    return chain(new AcceptReaction<>(onFulfilled));
  }

  /** {@code then} with a runnable: the new promise fulfils with {@code null} after it ran. */
  public Promise<@Nullable Void> thenRun(Runnable onFulfilled) {
    requireNonNull(onFulfilled, "onFulfilled");
    return chain(new RunReaction(onFulfilled));
  }

  /**
   * {@code then} whose function returns a promise, which the new promise adopts — JavaScript's {@code
   * then(v => promise)}, two hops more than {@link #then(Function)}. A {@code null} result rejects with a
   * {@link NullPointerException}.
   */
  public <R> Promise<R> thenCompose(Function<? super T, ? extends Promise<? extends R>> onFulfilled) {
    requireNonNull(onFulfilled, "onFulfilled");
    return chain(new ComposeReaction<>(onFulfilled, null));
  }

  /** JavaScript's {@code catch(onRejected)}: recovers from a rejection with a value; a value passes through. */
  public Promise<T> catchError(Function<? super Throwable, ? extends @Nullable T> onRejected) {
    requireNonNull(onRejected, "onRejected");
    return chain(new ThenReaction<T, T>(null, onRejected));
  }

  /** {@code catch} whose function returns a promise, which the new promise adopts. */
  public Promise<T> catchCompose(Function<? super Throwable, ? extends Promise<? extends T>> onRejected) {
    requireNonNull(onRejected, "onRejected");
    return chain(new ComposeReaction<T, T>(null, onRejected));
  }

  /**
   * JavaScript's {@code finally(onFinally)}: runs {@code onFinally} with no argument when this promise
   * settles, then settles the same way — unless {@code onFinally} throws, whose exception then rejects the
   * new promise. Costs two hops more than {@code then}, as in ECMAScript.
   */
  public Promise<T> andFinally(Runnable onFinally) {
    requireNonNull(onFinally, "onFinally");
    return andFinallyCompose(() -> {
      onFinally.run();
      return null;
    });
  }

  /**
   * {@code finally} whose function returns a promise (or {@code null}): the outcome waits for it, and its
   * rejection replaces the original outcome.
   */
  public Promise<T> andFinallyCompose(Supplier<? extends @Nullable Promise<?>> onFinally) {
    requireNonNull(onFinally, "onFinally");
    return chain(new FinallyReaction<>(onFinally));
  }

  private <R> Promise<R> chain(DerivingReaction<R> reaction) {
    EventLoop owner = loop.affinity();
    if (owner == loop) {
      Promise<R> derived = new Promise<>(loop);
      reaction.derived = derived;
      register(reaction);
      return derived;
    }
    Promise<R> derived = new Promise<>(owner);
    reaction.derived = derived;
    registerForeign(owner, reaction);
    return derived;
  }

  // ------------------------------------------------------------------------------------------------
  // Combinators

  /** JavaScript's {@code Promise.all}: the values in input order, or the first rejection. */
  @SafeVarargs
  @SuppressWarnings("varargs")
  public static <T> Promise<List<T>> all(Promise<? extends T>... promises) {
    return all(List.of(promises));
  }

  /** JavaScript's {@code Promise.all}: the values in input order, or the first rejection. */
  public static <T> Promise<List<T>> all(Iterable<? extends Promise<? extends T>> promises) {
    return Combinators.all(promises);
  }

  /** JavaScript's {@code Promise.allSettled}: every outcome in input order; never rejects. */
  public static <T> Promise<List<Settled<T>>> allSettled(Iterable<? extends Promise<? extends T>> promises) {
    return Combinators.allSettled(promises);
  }

  /** JavaScript's {@code Promise.allSettled}. */
  @SafeVarargs
  @SuppressWarnings("varargs")
  public static <T> Promise<List<Settled<T>>> allSettled(Promise<? extends T>... promises) {
    return allSettled(List.of(promises));
  }

  /** JavaScript's {@code Promise.race}: settles like the first input to settle; {@code race([])} never settles. */
  public static <T> Promise<T> race(Iterable<? extends Promise<? extends T>> promises) {
    return Combinators.race(promises);
  }

  /** JavaScript's {@code Promise.race}. */
  @SafeVarargs
  @SuppressWarnings("varargs")
  public static <T> Promise<T> race(Promise<? extends T>... promises) {
    return race(List.of(promises));
  }

  /**
   * JavaScript's {@code Promise.any}: the first fulfilment; when every input rejects (at once for no input),
   * an {@link AggregateError} with the reasons in input order.
   */
  public static <T> Promise<T> any(Iterable<? extends Promise<? extends T>> promises) {
    return Combinators.any(promises);
  }

  /** JavaScript's {@code Promise.any}. */
  @SafeVarargs
  @SuppressWarnings("varargs")
  public static <T> Promise<T> any(Promise<? extends T>... promises) {
    return any(List.of(promises));
  }

  // ------------------------------------------------------------------------------------------------
  // Leaving the loop

  /**
   * A future completed with this promise's outcome (the reason unwrapped, as the exception itself). Counts as
   * a handler. Thread-safe. Completing or cancelling the future does not affect the promise.
   */
  public CompletableFuture<T> toCompletableFuture() {
    CompletableFuture<T> future = new CompletableFuture<>();
    Reaction r = new FutureReaction<>(future);
    if (loop.owner == Thread.currentThread()) {
      register(r);
    } else {
      loop.executeOrReject(() -> register(r), future);
    }
    return future;
  }

  /**
   * Waits for the promise to settle and returns its value or throws its reason (unchecked exceptions and
   * errors as they are, a checked exception wrapped in a {@link CompletionException}). For threads that are
   * not the promise's loop; the loop must be running (or run later) for the promise to settle, and
   * {@code join} waits as long as it takes — use {@code toCompletableFuture().get(timeout, unit)} to bound
   * the wait. If the loop is closed before the promise settled, {@code join} throws
   * {@link CancellationException}.
   *
   * @throws IllegalStateException on a loop thread, where blocking would stop the loop itself
   */
  public T join() {
    if (EventLoop.tryCurrent() != null) {
      throw new IllegalStateException(
          "join() called on event loop thread " + Thread.currentThread().getName()
              + ": blocking there would stop the loop; chain with then(...) or use Async.await(...)");
    }
    CompletableFuture<T> future = new CompletableFuture<>();
    loop.trackJoiner(future);
    Reaction r = new FutureReaction<>(future);
    loop.executeOrReject(() -> register(r), future);
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw rethrow(requireNonNull(e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompletionException("interrupted while joining " + this, e);
    }
  }

  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) {
      throw r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    throw new CompletionException(t);
  }

  /** The current state; loop-affine. */
  public State state() {
    return switch (state & STATE_MASK) {
      case FULFILLED -> State.FULFILLED;
      case REJECTED -> State.REJECTED;
      default -> State.PENDING;
    };
  }

  @Override
  public String toString() {
    return switch (state & STATE_MASK) {
      case FULFILLED -> "Promise { " + result + " }";
      case REJECTED -> "Promise { <rejected> " + result + " }";
      default -> "Promise { <pending> }";
    };
  }

  // ------------------------------------------------------------------------------------------------
  // Internals: settling (loop thread only)

  boolean isPending() {
    return (state & STATE_MASK) == PENDING;
  }

  boolean isFulfilled() {
    return (state & STATE_MASK) == FULFILLED;
  }

  /** Neither settled nor locked in on a thenable: the primary resolving functions still work. */
  boolean isUnresolved() {
    return (state & (STATE_MASK | LOCKED)) == 0;
  }

  @Nullable Object result() {
    return result;
  }

  /** ECMAScript's promise resolve function, for a promise that is not resolved yet. */
  void resolveWith(@Nullable Object value) {
    if (value == this) {
      rejectWith(new TypeError("Chaining cycle detected for promise #<Promise>"));
    } else if (value instanceof Promise<?> || value instanceof Thenable<?> || value instanceof CompletionStage<?>) {
      state |= LOCKED;
      loop.enqueueMicrotask(new ResolveThenableJob(this, value));
    } else {
      settle(FULFILLED, value);
    }
  }

  void fulfill(@Nullable Object value) {
    settle(FULFILLED, value);
  }

  void rejectWith(Throwable reason) {
    settle(REJECTED, reason);
    if ((state & HANDLED) == 0) {
      loop.trackRejection(this);
    }
  }

  /** Settles like {@code source}, which is settled. */
  void settleFrom(Promise<?> source) {
    if (source.isFulfilled()) {
      fulfill(source.result);
    } else {
      rejectWith((Throwable) requireNonNull(source.result));
    }
  }

  private void settle(byte outcome, @Nullable Object value) {
    result = value;
    state = (byte) ((state & ~(STATE_MASK | LOCKED)) | outcome);
    Reaction r = reactions;
    if (r != null) {
      reactions = null;
      enqueueAll(r);
    }
  }

  /** Queues a newest-first stack of reactions oldest first. */
  private void enqueueAll(Reaction newestFirst) {
    Reaction reversed = null;
    for (Reaction r = newestFirst, next; r != null; r = next) {
      next = r.next;
      r.next = reversed;
      reversed = r;
    }
    for (Reaction r = reversed, next; r != null; r = next) {
      next = r.next;
      r.next = null;
      loop.enqueueMicrotask(r);
    }
  }

  /** ECMAScript's PerformPromiseThen for an internal reaction; loop thread only. */
  void register(Reaction reaction) {
    reaction.source = this;
    markHandled();
    if ((state & STATE_MASK) == PENDING) {
      reaction.next = reactions;
      reactions = reaction;
    } else {
      loop.enqueueMicrotask(reaction);
    }
  }

  /** ECMAScript's [[PromiseIsHandled]] = true, with the rejectionHandled bookkeeping. */
  void markHandled() {
    byte s = state;
    if ((s & HANDLED) == 0) {
      state = (byte) (s | HANDLED);
      if ((s & WARNED) != 0) {
        loop.rejectionHandledLate(this);
      }
    }
  }

  /** The value of a settled promise, or its reason thrown as it is. */
  @Nullable Object valueOrThrow() {
    if (isFulfilled()) {
      return result;
    }
    throw sneaky((Throwable) requireNonNull(result));
  }

  /** Whether the promise is rejected and has never had a handler. */
  boolean isUnhandledRejection() {
    return (state & (STATE_MASK | HANDLED)) == REJECTED;
  }

  void markWarned() {
    state |= WARNED;
  }

  /** Registers {@code reaction} to run on {@code registeringLoop}, which may be another loop. */
  void registerFrom(EventLoop registeringLoop, Reaction reaction) {
    if (registeringLoop == loop) {
      register(reaction);
    } else {
      registerForeign(registeringLoop, reaction);
    }
  }

  private void registerForeign(EventLoop owner, Reaction reaction) {
    EventLoop.KeepAlive keepAlive = owner.keepAlive();
    ForeignReaction foreign = new ForeignReaction(owner, reaction, keepAlive);
    loop.execute(() -> register(foreign));
  }

  private void adoptStage(CompletionStage<?> stage) {
    EventLoop.KeepAlive keepAlive = loop.keepAlive();
    stage.whenComplete((value, error) -> {
      Runnable settleTask = () -> {
        keepAlive.close();
        if (error == null) {
          resolveWith(value);
        } else {
          rejectWith(unwrap(error));
        }
      };
      if (loop.owner == Thread.currentThread()) {
        settleTask.run();
      } else {
        loop.execute(settleTask);
      }
    });
  }

  static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  // ------------------------------------------------------------------------------------------------
  // Reactions: each one is the microtask that runs it

  /** A reaction registered on a promise; runs as one microtask once the source settled. */
  abstract static class Reaction implements Runnable {
    @Nullable Reaction next;
    @SuppressWarnings("NullAway.Init")
    Promise<?> source;
  }

  /** A reaction that settles a derived promise. */
  abstract static class DerivingReaction<R> extends Reaction {
    @SuppressWarnings("NullAway.Init")
    Promise<R> derived;
  }

  private static final class ThenReaction<T, R> extends DerivingReaction<R> {
    private final @Nullable Function<? super T, ? extends @Nullable R> onFulfilled;
    private final @Nullable Function<? super Throwable, ? extends @Nullable R> onRejected;

    ThenReaction(
        @Nullable Function<? super T, ? extends @Nullable R> onFulfilled,
        @Nullable Function<? super Throwable, ? extends @Nullable R> onRejected) {
      this.onFulfilled = onFulfilled;
      this.onRejected = onRejected;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void run() {
      Promise<?> src = source;
      Object value = src.result;
      try {
        if (src.isFulfilled()) {
          derived.fulfill(onFulfilled == null ? value : onFulfilled.apply((T) value));
        } else if (onRejected == null) {
          derived.rejectWith((Throwable) requireNonNull(value));
        } else {
          derived.fulfill(onRejected.apply((Throwable) requireNonNull(value)));
        }
      } catch (Throwable t) {
        derived.rejectWith(t);
      }
    }
  }

  /**
   * The reaction of {@link #thenAccept} and {@link #thenRun}: a {@link ThenReaction} whose function is the
   * callback followed by {@code return null}, without an adapter object per call.
   */
  private abstract static class VoidReaction extends DerivingReaction<@Nullable Void> {
    /** Runs the callback with the fulfilled value. */
    abstract void call(@Nullable Object value);

    @Override
    public final void run() {
      Promise<?> src = source;
      Object value = src.result;
      if (!src.isFulfilled()) {
        derived.rejectWith((Throwable) requireNonNull(value));
        return;
      }
      try {
        call(value);
      } catch (Throwable t) {
        derived.rejectWith(t);
        return;
      }
      derived.fulfill(null);
    }
  }

  private static final class AcceptReaction<T> extends VoidReaction {
    private final Consumer<? super T> onFulfilled;

    AcceptReaction(Consumer<? super T> onFulfilled) {
      this.onFulfilled = onFulfilled;
    }

    @Override
    @SuppressWarnings("unchecked")
    void call(@Nullable Object value) {
      onFulfilled.accept((T) value);
    }
  }

  private static final class RunReaction extends VoidReaction {
    private final Runnable onFulfilled;

    RunReaction(Runnable onFulfilled) {
      this.onFulfilled = onFulfilled;
    }

    @Override
    void call(@Nullable Object value) {
      onFulfilled.run();
    }
  }

  private static final class ComposeReaction<T, R> extends DerivingReaction<R> {
    private final @Nullable Function<? super T, ? extends Promise<? extends R>> onFulfilled;
    private final @Nullable Function<? super Throwable, ? extends Promise<? extends R>> onRejected;

    ComposeReaction(
        @Nullable Function<? super T, ? extends Promise<? extends R>> onFulfilled,
        @Nullable Function<? super Throwable, ? extends Promise<? extends R>> onRejected) {
      this.onFulfilled = onFulfilled;
      this.onRejected = onRejected;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void run() {
      Promise<?> src = source;
      Object value = src.result;
      try {
        if (src.isFulfilled()) {
          if (onFulfilled == null) {
            derived.fulfill(value);
          } else {
            derived.resolveWith(requireNonNull(onFulfilled.apply((T) value), "thenCompose function returned null"));
          }
        } else if (onRejected == null) {
          derived.rejectWith((Throwable) requireNonNull(value));
        } else {
          derived.resolveWith(
              requireNonNull(onRejected.apply((Throwable) requireNonNull(value)), "catchCompose function returned null"));
        }
      } catch (Throwable t) {
        derived.rejectWith(t);
      }
    }
  }

  /**
   * ECMAScript's finally: {@code then(thenFinally, catchFinally)} where each calls onFinally, wraps its
   * result with PromiseResolve and returns {@code result.then(() => outcome)} — which the derived promise
   * then adopts. Built literally from the same parts so that the hop count is the spec's.
   */
  private static final class FinallyReaction<T> extends DerivingReaction<T> {
    private final Supplier<? extends @Nullable Promise<?>> onFinally;

    FinallyReaction(Supplier<? extends @Nullable Promise<?>> onFinally) {
      this.onFinally = onFinally;
    }

    @Override
    public void run() {
      Promise<?> src = source;
      try {
        Promise<?> waited = onFinally.get();
        Promise<?> resolved = waited != null ? waited : new Promise<>(derived.loop, FULFILLED, null);
        Promise<Object> passOn = new Promise<>(derived.loop);
        ThenReaction<Object, Object> restore = new ThenReaction<>(
            v -> {
              if (src.isFulfilled()) {
                return src.result;
              }
              throw sneaky((Throwable) requireNonNull(src.result));
            },
            null);
        restore.derived = passOn;
        resolved.register(restore);
        derived.resolveWith(passOn);
      } catch (Throwable t) {
        derived.rejectWith(t);
      }
    }
  }

  /** Throws {@code t} as it is, checked or not; declared to return so callers can write {@code throw sneaky(t)}. */
  @SuppressWarnings("unchecked")
  static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
    throw (E) t;
  }

  /** Settles a target promise like the source: adoption of a native promise. */
  static final class AdoptReaction extends Reaction {
    private final Promise<?> target;

    AdoptReaction(Promise<?> target) {
      this.target = target;
    }

    @Override
    public void run() {
      target.settleFrom(source);
    }
  }

  /** Completes a CompletableFuture: the bridge used by join() and toCompletableFuture(). */
  private static final class FutureReaction<T> extends Reaction {
    private final CompletableFuture<T> future;

    FutureReaction(CompletableFuture<T> future) {
      this.future = future;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void run() {
      if (source.isFulfilled()) {
        future.complete((T) source.result);
      } else {
        future.completeExceptionally((Throwable) requireNonNull(source.result));
      }
    }
  }

  /** A reaction registered from another loop: when it fires it runs the real reaction on that loop. */
  private static final class ForeignReaction extends Reaction {
    private final EventLoop target;
    private final Reaction inner;
    private final EventLoop.KeepAlive keepAlive;

    ForeignReaction(EventLoop target, Reaction inner, EventLoop.KeepAlive keepAlive) {
      this.target = target;
      this.inner = inner;
      this.keepAlive = keepAlive;
    }

    @Override
    public void run() {
      inner.source = source;
      target.execute(() -> {
        keepAlive.close();
        inner.run();
      });
    }
  }

  /** ECMAScript's NewPromiseResolveThenableJob. */
  private static final class ResolveThenableJob implements Runnable {
    private final Promise<?> target;
    private final Object thenable;

    ResolveThenableJob(Promise<?> target, Object thenable) {
      this.target = target;
      this.thenable = thenable;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void run() {
      switch (thenable) {
        case Promise<?> p -> p.adoptInto(target);
        case Thenable<?> t -> callThen((Thenable<Object>) t);
        case CompletionStage<?> s -> target.adoptStage(s);
        default -> throw new AssertionError(thenable);
      }
    }

    private void callThen(Thenable<Object> t) {
      ThenableCallbacks callbacks = new ThenableCallbacks(target);
      try {
        t.then(callbacks::resolve, callbacks::reject);
      } catch (Throwable e) {
        callbacks.reject(e);
      }
    }
  }

  private void adoptInto(Promise<?> target) {
    if (loop == target.loop) {
      register(new AdoptReaction(target));
    } else {
      Reaction adopt = new AdoptReaction(target);
      if (loop.owner == Thread.currentThread()) {
        register(new ForeignReaction(target.loop, adopt, target.loop.keepAlive()));
      } else {
        registerForeign(target.loop, adopt);
      }
    }
  }

  /** The fresh pair of resolving functions a thenable's {@code then} receives: the first call wins. */
  private static final class ThenableCallbacks {
    private final Promise<?> target;
    private boolean called;

    ThenableCallbacks(Promise<?> target) {
      this.target = target;
    }

    void resolve(@Nullable Object value) {
      if (target.loop.owner != Thread.currentThread()) {
        target.loop.execute(() -> resolve(value));
      } else if (!called) {
        called = true;
        target.resolveWith(value);
      }
    }

    void reject(Throwable reason) {
      requireNonNull(reason, "reason");
      if (target.loop.owner != Thread.currentThread()) {
        target.loop.execute(() -> reject(reason));
      } else if (!called) {
        called = true;
        target.rejectWith(reason);
      }
    }
  }

  /** The primary resolving functions of a promise: {@code resolve} is this object itself. */
  static final class ResolvingFunctions<T> implements Resolvers<T>, Consumer<@Nullable T> {
    private final Promise<T> promise;

    ResolvingFunctions(Promise<T> promise) {
      this.promise = promise;
    }

    @Override
    public Promise<T> promise() {
      return promise;
    }

    @Override
    public void accept(@Nullable T value) {
      resolve(value);
    }

    Consumer<Throwable> rejecter() {
      return this::reject;
    }

    @Override
    public void resolve(@Nullable T value) {
      EventLoop loop = promise.loop;
      if (loop.owner != Thread.currentThread()) {
        loop.execute(() -> resolve(value));
      } else if (promise.isUnresolved()) {
        promise.resolveWith(value);
      }
    }

    @Override
    public void reject(Throwable reason) {
      requireNonNull(reason, "reason");
      EventLoop loop = promise.loop;
      if (loop.owner != Thread.currentThread()) {
        loop.execute(() -> reject(reason));
      } else if (promise.isUnresolved()) {
        promise.rejectWith(reason);
      }
    }
  }

}
