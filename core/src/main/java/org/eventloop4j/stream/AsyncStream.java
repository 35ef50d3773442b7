package org.eventloop4j.stream;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.TypeError;
import org.jspecify.annotations.Nullable;

/**
 * A lazy, pull-based pipeline of async operators with real backpressure: JavaScript's async iterator
 * helpers, plus ordered and unordered concurrent mapping, bounded read-ahead, size-or-time batching and
 * {@link Flow} interop.
 *
 * <pre>{@code
 * AsyncStream.from(urls)
 *     .mapAsync((url, signal) -> fetch(url, signal), 8)   // 8 in flight, results in input order
 *     .filter(r -> r.ok())
 *     .batch(100, Duration.ofMillis(50))                 // List<Response>: 100 or 50 ms after the first
 *     .forEach(batch -> store(batch));                   // Promise<Void>
 * }</pre>
 *
 * <h2>Laziness and backpressure</h2>
 *
 * <p>A stream is a recipe: building one runs nothing. Each terminal operation (and each call of {@link
 * #asyncIterator()}) starts a new iteration from the source — a re-iterable source (a collection, a range,
 * another stream) runs again; a one-shot source (an {@link AsyncGenerator}, a queue, a {@code
 * java.util.stream.Stream}) yields its remaining elements to the first iteration only. Elements are pulled:
 * no stage reads ahead of what its consumer asked for, except the stages whose buffer is part of their
 * contract — {@code mapAsync}/{@code mapAsyncUnordered} hold at most {@code concurrency} elements (in flight
 * plus finished and not yet taken), {@code buffer(n)} at most {@code n}, {@code batch(size, …)} at most one
 * completed batch and {@link #fromPublisher} at most its prefetch.
 *
 * <h2>Order and microtasks</h2>
 *
 * <p>Within one loop a pipeline's trace is deterministic. Synchronous operators ({@code map}, {@code
 * filter}, {@code peek}, {@code take}, {@code drop}, {@code takeWhile}, {@code dropWhile}) are fused into one
 * stage, as {@code java.util.stream} fuses them: a chain of them costs one reaction per upstream step in
 * all. Over a synchronous source ({@link #from(Iterable)}, {@link #from(Stream)}, {@link #of}, {@link
 * #range}, {@link #generate}) the whole fused stage is synchronous: its {@code next()} answers an
 * already-settled promise, and the terminal operations take every element in one microtask turn queued by
 * the terminal call — never inside the call itself. Any other stage settles a request in the microtask in
 * which its element becomes available; a terminal operation takes the first element of such a stage one
 * reaction later and every further one in the microtask that produced it (no promise per element), and
 * over a plain async iterator (a generator, a queue) one reaction per step. Element by element, user
 * functions of successive stages run in pipeline order ({@code map(1)}, {@code forEach(1)}, {@code map(2)},
 * …); reading ahead ({@code mapAsync}, {@code buffer}, {@code batch}) is the only way to change that.
 *
 * <h2>Ending early and errors</h2>
 *
 * <p>{@code take}, {@code takeWhile}, {@code find}, {@code some}, {@code every}, {@code first}, a {@code
 * break} out of {@link org.eventloop4j.Async#forAwait} in try-with-resources, and an abort all call {@code
 * returnValue} upstream, so every source's {@code finally} runs; a stage that was closed settles its waiting
 * requests with done at once, aborts the work it has in flight ({@code mapAsync}'s {@link AbortSignal}) and
 * drops results that arrive later. An error — thrown by a source or by a user function, or a user function
 * returning {@code null} — closes the stages upstream of it and then rejects the terminal's promise with
 * that very exception (a close that fails too is attached to it as suppressed); an error <em>from</em> the
 * upstream needs no close. Elements are never {@code null}: a {@code null} element is a {@link
 * NullPointerException}, as in Reactive Streams. Bad arguments ({@code null} functions, non-positive sizes)
 * throw at once, when the stream is built — before anything was opened.
 *
 * <h2>Threads</h2>
 *
 * <p>A stream object is immutable and may be built and shared on any thread; its iterations are
 * loop-affine: a terminal operation runs on, and its promise belongs to, the loop that calls it, and all
 * user functions of that iteration run on that loop's thread. {@link #toPublisher(EventLoop)} and {@link
 * #fromPublisher} cross threads as documented there.
 *
 * <p>Experimental API.
 *
 * @param <T> the element type
 */
public final class AsyncStream<T> implements AsyncIterable<T> {
  /*
   * Overview: an AsyncStream is only its `plan`, an AsyncIterable whose asyncIterator() builds one
   * iteration's chain of stages: a source iterator (a SyncStage for synchronous sources, the user's iterator
   * otherwise), then one stage per asynchronous operator (AsyncStage subclasses), with each run of
   * consecutive synchronous operators fused into a single Fused.Plan. Operators only wrap plans, so a
   * stream is immutable and thread-safe; every mutable field lives in the per-iteration stages, on one loop.
   * Terminal runs the terminal operations; StreamPublisher and PublisherStage are the Flow bridges.
   * Tests: the AsyncStream*Test classes and AsyncStreamTckTest (the Reactive Streams TCK).
   */
  private static final int DEFAULT_PREFETCH = 16;

  private final AsyncIterable<T> plan;

  private AsyncStream(AsyncIterable<T> plan) {
    this.plan = plan;
  }

  // ------------------------------------------------------------------------------------------------
  // Sources

  /**
   * The elements of {@code source}, one {@link Iterable#iterator()} per iteration; an iterator that is
   * {@link AutoCloseable} is closed at the end or on an early close. Synchronous.
   */
  public static <T> AsyncStream<T> from(Iterable<? extends T> source) {
    requireNonNull(source, "source");
    return new AsyncStream<>(() -> {
      Iterator<? extends T> it = source.iterator();
      return new SyncSources.IteratorStage<T>(it, it instanceof AutoCloseable c ? c : null);
    });
  }

  /**
   * The elements of an async iterable — an {@link AsyncGenerator}, an {@link org.eventloop4j.sync.AsyncQueue},
   * any {@link AsyncIterator}; {@code source} itself if it is a stream. The source's {@code asyncIterator()}
   * is called when an iteration starts.
   */
  @SuppressWarnings("unchecked")
  public static <T> AsyncStream<T> from(AsyncIterable<? extends T> source) {
    requireNonNull(source, "source");
    if (source instanceof AsyncStream<? extends T> s) {
      return (AsyncStream<T>) s;
    }
    return new AsyncStream<>((AsyncIterable<T>) source);
  }

  /**
   * The elements of a {@code java.util.stream.Stream}, which is one-shot: a second iteration fails with the
   * stream's {@link IllegalStateException}. The stream is closed at its end or on an early close.
   * Synchronous.
   */
  public static <T> AsyncStream<T> from(Stream<? extends T> source) {
    requireNonNull(source, "source");
    return new AsyncStream<>(() -> new SyncSources.IteratorStage<T>(source.iterator(), source));
  }

  /** The given elements, which must not be null. Synchronous. */
  @SafeVarargs
  @SuppressWarnings("varargs")
  public static <T> AsyncStream<T> of(T... values) {
    return from(List.of(values));
  }

  /** The integers {@code startInclusive} up to {@code endExclusive} (empty if {@code end <= start}). Synchronous. */
  public static AsyncStream<Integer> range(int startInclusive, int endExclusive) {
    return new AsyncStream<>(() -> new SyncSources.RangeStage(startInclusive, endExclusive));
  }

  /** An endless stream of {@code supplier}'s results (limit it with {@link #take}). Synchronous. */
  public static <T> AsyncStream<T> generate(Supplier<? extends T> supplier) {
    requireNonNull(supplier, "supplier");
    return new AsyncStream<>(() -> new SyncSources.GenerateStage<T>(supplier));
  }

  /** {@link #fromPublisher(Flow.Publisher, int)} with a prefetch of 16. */
  public static <T> AsyncStream<T> fromPublisher(Flow.Publisher<? extends T> publisher) {
    return fromPublisher(publisher, DEFAULT_PREFETCH);
  }

  /**
   * The elements of a Reactive Streams publisher. Each iteration subscribes anew, at its first {@code
   * next()}; it requests {@code prefetch} elements at once and tops the demand up as elements are taken,
   * so it buffers at most {@code prefetch}. The publisher may signal on any thread: its signals are handed
   * to the iterating loop (with {@link EventLoop#execute}, or as a microtask when they arrive on the loop's
   * own thread), and every {@code request} and {@code cancel} is made from that loop, one at a time. While a
   * request waits for the publisher the loop is kept alive. An early close cancels the subscription.
   *
   * @throws IllegalArgumentException if {@code prefetch} is not positive
   */
  public static <T> AsyncStream<T> fromPublisher(Flow.Publisher<? extends T> publisher, int prefetch) {
    requireNonNull(publisher, "publisher");
    Steps.positive(prefetch, "prefetch");
    return new AsyncStream<>(() -> new PublisherStage<T>(publisher, prefetch));
  }

  // ------------------------------------------------------------------------------------------------
  // Synchronous operators (fused)

  private <R> AsyncStream<R> fuse(Function<Fused.@Nullable Spec, Fused.Spec> op) {
    if (plan instanceof Fused.Plan<T> f) {
      return new AsyncStream<>(new Fused.Plan<>(f.upstream, op.apply(f.last)));
    }
    return new AsyncStream<>(new Fused.Plan<>(plan, op.apply(null)));
  }

  /** Each element transformed by {@code f}; a {@code null} result fails the stream. */
  public <R> AsyncStream<R> map(Function<? super T, ? extends R> f) {
    requireNonNull(f, "f");
    return fuse(prev -> new Fused.MapSpec(prev, f));
  }

  /** The elements that match {@code predicate}. */
  public AsyncStream<T> filter(Predicate<? super T> predicate) {
    requireNonNull(predicate, "predicate");
    return fuse(prev -> new Fused.FilterSpec(prev, predicate));
  }

  /** Calls {@code action} with each element as it passes. */
  public AsyncStream<T> peek(Consumer<? super T> action) {
    requireNonNull(action, "action");
    return fuse(prev -> new Fused.PeekSpec(prev, action));
  }

  /**
   * The first {@code n} elements; the pull after the {@code n}-th closes the upstream (at once for {@code
   * n == 0}), as TC39's {@code take}.
   *
   * @throws IllegalArgumentException if {@code n} is negative
   */
  public AsyncStream<T> take(long n) {
    nonNegative(n, "take");
    return fuse(prev -> new Fused.TakeSpec(prev, n));
  }

  /**
   * All but the first {@code n} elements.
   *
   * @throws IllegalArgumentException if {@code n} is negative
   */
  public AsyncStream<T> drop(long n) {
    nonNegative(n, "drop");
    return fuse(prev -> new Fused.DropSpec(prev, n));
  }

  /** The elements before the first one that does not match {@code predicate}; that one closes the upstream. */
  public AsyncStream<T> takeWhile(Predicate<? super T> predicate) {
    requireNonNull(predicate, "predicate");
    return fuse(prev -> new Fused.TakeWhileSpec(prev, predicate));
  }

  /** The elements from the first one that does not match {@code predicate} on. */
  public AsyncStream<T> dropWhile(Predicate<? super T> predicate) {
    requireNonNull(predicate, "predicate");
    return fuse(prev -> new Fused.DropWhileSpec(prev, predicate));
  }

  private static void nonNegative(long n, String what) {
    if (n < 0) {
      throw new IllegalArgumentException(what + "(n) needs n >= 0, got " + n);
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Asynchronous operators

  /**
   * Each element's async iterable, iterated in turn (TC39's {@code flatMap}: one inner iterable at a time).
   * An early close closes the inner iteration, then the outer one.
   */
  public <R> AsyncStream<R> flatMap(Function<? super T, ? extends AsyncIterable<? extends R>> f) {
    requireNonNull(f, "f");
    return new AsyncStream<>(() -> new FlatMapStage<T, R>(plan.asyncIterator(), f));
  }

  /**
   * {@code fn}'s results in input order, with up to {@code concurrency} calls in flight (head-of-line
   * blocking: at most {@code concurrency} elements are held, running or finished and waiting for an earlier
   * one). See {@link #mapAsync(BiFunction, int)}.
   *
   * @throws IllegalArgumentException if {@code concurrency} is not positive
   */
  public <R> AsyncStream<R> mapAsync(Function<? super T, ? extends Promise<? extends R>> fn, int concurrency) {
    requireNonNull(fn, "fn");
    return mapAsync((v, signal) -> fn.apply(v), concurrency, true, false);
  }

  /**
   * {@code fn}'s results in input order, with up to {@code concurrency} calls in flight; {@code fn} also
   * gets an {@link AbortSignal}, aborted (with an {@link org.eventloop4j.AbortError}, or with the failure
   * that ended the stream) when the stream is closed early or fails, so that work in flight can stop. From
   * the first pull on, the stage keeps {@code concurrency} elements read ahead. The first call that fails —
   * throws, rejects or returns {@code null} — fails the stream at once: the other calls are aborted, their
   * results dropped, the upstream closed.
   *
   * @throws IllegalArgumentException if {@code concurrency} is not positive
   */
  public <R> AsyncStream<R> mapAsync(
      BiFunction<? super T, ? super AbortSignal, ? extends Promise<? extends R>> fn, int concurrency) {
    return mapAsync(fn, concurrency, true, true);
  }

  /**
   * {@code fn}'s results in the order they settle, with up to {@code concurrency} calls in flight (at most
   * {@code concurrency} elements held). Otherwise as {@link #mapAsync(BiFunction, int)}.
   *
   * @throws IllegalArgumentException if {@code concurrency} is not positive
   */
  public <R> AsyncStream<R> mapAsyncUnordered(Function<? super T, ? extends Promise<? extends R>> fn, int concurrency) {
    requireNonNull(fn, "fn");
    return mapAsync((v, signal) -> fn.apply(v), concurrency, false, false);
  }

  /**
   * {@code fn}'s results in the order they settle, with up to {@code concurrency} calls in flight, each given
   * the stage's {@link AbortSignal}. Otherwise as {@link #mapAsync(BiFunction, int)}.
   *
   * @throws IllegalArgumentException if {@code concurrency} is not positive
   */
  public <R> AsyncStream<R> mapAsyncUnordered(
      BiFunction<? super T, ? super AbortSignal, ? extends Promise<? extends R>> fn, int concurrency) {
    return mapAsync(fn, concurrency, false, true);
  }

  private <R> AsyncStream<R> mapAsync(BiFunction<? super T, ? super AbortSignal, ? extends Promise<? extends R>> fn,
      int concurrency, boolean ordered, boolean withSignal) {
    requireNonNull(fn, "fn");
    Steps.positive(concurrency, "concurrency");
    return new AsyncStream<>(() -> new MapAsyncStage<T, R>(plan.asyncIterator(), fn, concurrency, ordered, withSignal));
  }

  /**
   * Reads up to {@code n} elements ahead of the consumer, from its first pull on (TC39's proposed {@code
   * bufferAhead}). An upstream error is delivered after the elements read before it.
   *
   * @throws IllegalArgumentException if {@code n} is not positive
   */
  public AsyncStream<T> buffer(int n) {
    Steps.positive(n, "buffer size");
    return new AsyncStream<>(() -> new BufferStage<T>(plan.asyncIterator(), n));
  }

  /** Lists of {@code size} elements (the last one may be shorter); {@link #batch(int, long)} without a timeout. */
  public AsyncStream<List<T>> batch(int size) {
    Steps.positive(size, "batch size");
    return new AsyncStream<>(() -> new BatchStage<T>(plan.asyncIterator(), size, 0));
  }

  /**
   * Lists of elements, each emitted when it holds {@code size} elements or {@code timeoutMs} milliseconds
   * (on the loop's clock) after its first element arrived, whichever comes first; at the end, the rest. The
   * stage reads ahead into the next batch only while no completed batch waits for the consumer, so it never
   * runs more than one batch ahead of a slow consumer (it holds at most {@code size} elements, plus the one
   * whose pull was in flight when a batch timed out). The timer keeps the loop alive. An upstream error is
   * delivered after a last batch of what was collected before it.
   *
   * @throws IllegalArgumentException if {@code size} or {@code timeoutMs} is not positive
   */
  public AsyncStream<List<T>> batch(int size, long timeoutMs) {
    Steps.positive(size, "batch size");
    if (timeoutMs <= 0) {
      throw new IllegalArgumentException("batch timeout must be positive, got " + timeoutMs + " ms");
    }
    return new AsyncStream<>(() -> new BatchStage<T>(plan.asyncIterator(), size, timeoutMs));
  }

  /** {@link #batch(int, long)} with a {@link Duration}, truncated to milliseconds. */
  public AsyncStream<List<T>> batch(int size, Duration timeout) {
    return batch(size, requireNonNull(timeout, "timeout").toMillis());
  }

  /**
   * The extension point for operators of your own: {@code operator} gets this stream and returns the
   * transformed iterable (typically an {@link AsyncGenerator} that iterates it, or a hand-written {@link
   * AsyncIterator}). It is called anew for each iteration, when the iteration starts — so a generator-based
   * operator still gives a re-iterable stream.
   */
  public <R> AsyncStream<R> pipe(Function<? super AsyncStream<T>, ? extends AsyncIterable<? extends R>> operator) {
    requireNonNull(operator, "operator");
    return new AsyncStream<>(() -> {
      AsyncIterable<? extends R> out = requireNonNull(operator.apply(this), "pipe operator returned null");
      @SuppressWarnings("unchecked")
      AsyncIterator<R> it = (AsyncIterator<R>) out.asyncIterator();
      return requireNonNull(it, "asyncIterator() returned null");
    });
  }

  // ------------------------------------------------------------------------------------------------
  // Iteration and terminal operations

  /** A new iteration: the stream's chain of stages, opened; nothing is pulled yet. Loop-affine. */
  @Override
  public AsyncIterator<T> asyncIterator() {
    return requireNonNull(plan.asyncIterator(), "asyncIterator() returned null");
  }

  /** Calls {@code action} with every element; fulfils after the last. Loop-affine (as every terminal). */
  @Override
  public Promise<@Nullable Void> forEach(Consumer<? super T> action) {
    return forEach(action, null);
  }

  /**
   * {@link #forEach(Consumer)} that stops when {@code signal} aborts: the promise rejects with the signal's
   * reason at once and the iteration is closed (an already-aborted signal opens nothing).
   */
  public Promise<@Nullable Void> forEach(Consumer<? super T> action, @Nullable AbortSignal signal) {
    requireNonNull(action, "action");
    return Terminal.run(this, new Terminal.Sink<T, @Nullable Void>() {
      @Override
      public boolean accept(T value) {
        action.accept(value);
        return true;
      }

      @Override
      public @Nullable Void result() {
        return null;
      }
    }, signal);
  }

  /** Every element, in order, in a mutable list. */
  public Promise<List<T>> toList() {
    return toList(null);
  }

  /** {@link #toList()}, stopped by {@code signal} (see {@link #forEach(Consumer, AbortSignal)}). */
  public Promise<List<T>> toList(@Nullable AbortSignal signal) {
    List<T> list = new ArrayList<>();
    return Terminal.run(this, new Terminal.Sink<T, List<T>>() {
      @Override
      public boolean accept(T value) {
        list.add(value);
        return true;
      }

      @Override
      public List<T> result() {
        return list;
      }
    }, signal);
  }

  /** Folds the elements into {@code initial} with {@code f}, left to right. */
  public <R> Promise<R> reduce(R initial, BiFunction<R, ? super T, R> f) {
    return reduce(initial, f, (AbortSignal) null);
  }

  /** {@link #reduce(Object, BiFunction)}, stopped by {@code signal}. */
  public <R> Promise<R> reduce(R initial, BiFunction<R, ? super T, R> f, @Nullable AbortSignal signal) {
    requireNonNull(f, "f");
    return Terminal.run(this, new Terminal.Sink<T, R>() {
      private R acc = initial;

      @Override
      public boolean accept(T value) {
        acc = f.apply(acc, value);
        return true;
      }

      @Override
      public R result() {
        return acc;
      }
    }, signal);
  }

  /**
   * Folds the elements with {@code f}, starting from the first; an empty stream rejects with a {@link
   * TypeError}, as JavaScript's {@code reduce} without an initial value.
   */
  public Promise<T> reduce(BinaryOperator<T> f) {
    return reduce(f, (AbortSignal) null);
  }

  /** {@link #reduce(BinaryOperator)}, stopped by {@code signal}. */
  public Promise<T> reduce(BinaryOperator<T> f, @Nullable AbortSignal signal) {
    requireNonNull(f, "f");
    return Terminal.run(this, new Terminal.Sink<T, T>() {
      private @Nullable T acc;

      @Override
      public boolean accept(T value) {
        T a = acc;
        acc = a == null ? value : requireNonNull(f.apply(a, value), "reduce function returned null");
        return true;
      }

      @Override
      public T result() {
        T a = acc;
        if (a == null) {
          throw new TypeError("Reduce of empty stream with no initial value");
        }
        return a;
      }
    }, signal);
  }

  /** Whether some element matches; stops (closing the upstream) at the first match. */
  public Promise<Boolean> some(Predicate<? super T> predicate) {
    return some(predicate, null);
  }

  /** {@link #some(Predicate)}, stopped by {@code signal}. */
  public Promise<Boolean> some(Predicate<? super T> predicate, @Nullable AbortSignal signal) {
    requireNonNull(predicate, "predicate");
    return Terminal.run(this, new Match<>(predicate, true), signal);
  }

  /** Whether every element matches; stops (closing the upstream) at the first mismatch. */
  public Promise<Boolean> every(Predicate<? super T> predicate) {
    return every(predicate, null);
  }

  /** {@link #every(Predicate)}, stopped by {@code signal}. */
  public Promise<Boolean> every(Predicate<? super T> predicate, @Nullable AbortSignal signal) {
    requireNonNull(predicate, "predicate");
    return Terminal.run(this, new Match<>(predicate, false), signal);
  }

  /** The first element that matches, or {@code null} (elements are never null); stops at the match. */
  public Promise<@Nullable T> find(Predicate<? super T> predicate) {
    return find(predicate, null);
  }

  /** {@link #find(Predicate)}, stopped by {@code signal}. */
  public Promise<@Nullable T> find(Predicate<? super T> predicate, @Nullable AbortSignal signal) {
    requireNonNull(predicate, "predicate");
    return Terminal.run(this, new Terminal.Sink<T, @Nullable T>() {
      private @Nullable T found;

      @Override
      public boolean accept(T value) {
        if (predicate.test(value)) {
          found = value;
          return false;
        }
        return true;
      }

      @Override
      public @Nullable T result() {
        return found;
      }
    }, signal);
  }

  /** The number of elements. */
  public Promise<Long> count() {
    return count(null);
  }

  /** {@link #count()}, stopped by {@code signal}. */
  public Promise<Long> count(@Nullable AbortSignal signal) {
    return Terminal.run(this, new Terminal.Sink<T, Long>() {
      private long n;

      @Override
      public boolean accept(T value) {
        n++;
        return true;
      }

      @Override
      public Long result() {
        return n;
      }
    }, signal);
  }

  /** The first element, or {@code null} for an empty stream; closes the upstream after it. */
  public Promise<@Nullable T> first() {
    return first(null);
  }

  /** {@link #first()}, stopped by {@code signal}. */
  public Promise<@Nullable T> first(@Nullable AbortSignal signal) {
    return find(v -> true, signal);
  }

  /** some/every: stops at the first element whose test equals {@code stopOn}. */
  private static final class Match<T> implements Terminal.Sink<T, Boolean> {
    private final Predicate<? super T> predicate;
    private final boolean stopOn;
    private boolean stopped;

    Match(Predicate<? super T> predicate, boolean stopOn) {
      this.predicate = predicate;
      this.stopOn = stopOn;
    }

    @Override
    public boolean accept(T value) {
      if (predicate.test(value) == stopOn) {
        stopped = true;
        return false;
      }
      return true;
    }

    @Override
    public Boolean result() {
      return stopped == stopOn;
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Reactive Streams

  /** {@link #toPublisher(EventLoop)} on the calling loop. */
  public Flow.Publisher<T> toPublisher() {
    return toPublisher(EventLoop.current());
  }

  /**
   * This stream as a cold Reactive Streams publisher whose iterations run on {@code loop}: each {@code
   * subscribe} starts a new iteration. {@code subscribe}, {@code request} and {@code cancel} may be called
   * from any thread; every subscriber signal is made on {@code loop}'s thread, serially ({@code onSubscribe}
   * inside {@code subscribe} when that is called on the loop's thread, otherwise from a posted task). The
   * stream is pulled only while the subscriber has outstanding demand, never more than it requested; {@code
   * request} never calls {@code onNext} synchronously. A subscription made from another thread keeps {@code
   * loop} alive while it waits for demand (which will come from another thread); one made on the loop's own
   * thread does not, and while either pulls only the stream's own work does. {@code cancel} closes the
   * iteration. A subscriber that throws from a
   * signal breaks rule 2.13: the subscription is cancelled and the exception is rethrown on the loop, to its
   * uncaught-exception handler. {@code subscribe} on a closed loop signals {@code onError} with the
   * loop's {@link java.util.concurrent.RejectedExecutionException}. Passes the Reactive Streams TCK.
   */
  public Flow.Publisher<T> toPublisher(EventLoop loop) {
    requireNonNull(loop, "loop");
    return new StreamPublisher<>(this, loop);
  }

  @Override
  public String toString() {
    return "AsyncStream[" + plan.getClass().getSimpleName() + "]";
  }
}
