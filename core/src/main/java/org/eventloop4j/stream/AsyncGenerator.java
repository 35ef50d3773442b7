package org.eventloop4j.stream;

import org.eventloop4j.internal.Bridge;
import org.jspecify.annotations.Nullable;

/**
 * JavaScript's {@code async function*}: a body that awaits and yields, driven by {@code next()}.
 *
 * <pre>{@code
 * AsyncGenerator<Integer> g = AsyncGenerator.of(y -> {
 *   for (int i = 0; i < 3; i++) {
 *     Async.await(Async.sleep(1000));
 *     y.yield(i);
 *   }
 * });
 * }</pre>
 *
 * <h2>Order</h2>
 *
 * <p>Exactly ECMAScript's: {@code next()}, {@code returnValue()} and {@code throwError()} queue a request and
 * return its promise at once; requests are served strictly in order, one resumption each, and wait while
 * the body runs or awaits. The body starts inside the first {@code next()}, synchronously. {@code yield v}
 * awaits {@code v} first (a rejected {@code v} throws at the {@code yield}), so the first {@code next()}'s
 * handler runs two microtask turns later. A {@code yield} evaluates to the value the request that resumes
 * it sent ({@link AsyncIterator#next(Object) next(v)}). The request served when the body ends gets {@code
 * {value: r, done: true}}, where {@code r} is what {@link Yielder#finish finish(r)} returned (null if the
 * body just ends); every later request gets {@code {value: null, done: true}}.
 *
 * <h2>returnValue and throwError</h2>
 *
 * <p>Before the body started, {@code returnValue(v)} ends the generator without running it (awaiting {@code
 * v}) and {@code throwError(e)} rejects with {@code e}. At a {@code yield}, {@code throwError(e)} throws
 * {@code e} there, and {@code returnValue(v)} makes the {@code yield} complete like a {@code return}: the
 * body unwinds through its {@code finally} blocks, which may await and even yield again. The return is
 * carried by an internal {@link Error}: a {@code catch (Exception e)} around a {@code yield} never sees it,
 * a {@code catch (Throwable t)} does and must rethrow it.
 *
 * <p>Loop-affine: a generator belongs to the loop that created it. Its body runs like an async body (see
 * {@link org.eventloop4j.Async}). A body may call its own generator's {@code next()}: the request is queued,
 * as in JavaScript, and served after the running one.
 *
 * @param <T> the value type
 */
public interface AsyncGenerator<T> extends AsyncIterator<T>, AsyncIterable<T> {
  /**
   * The body of an async generator.
   *
   * @param <T> the value type
   */
  @FunctionalInterface
  interface Body<T> {
    /** Runs the body; yield values through {@code y}. */
    void run(Yielder<T> y) throws Exception;
  }

  /**
   * The {@code yield} of one generator body; valid only in that body's own code.
   *
   * @param <T> the value type
   */
  interface Yielder<T> {
    /**
     * JavaScript's {@code yield value} (which awaits {@code value} first). Evaluates to what the request
     * that resumes the body sent: {@code v} for {@code next(v)}, null for {@code next()}.
     */
    @Nullable Object yield(T value);

    /**
     * JavaScript's {@code yield* source}: yields every value of {@code source}, forwarding the values sent
     * by {@code next(v)} and the {@code throwError} and {@code returnValue} requests to it. Evaluates to
     * {@code source}'s return value (the {@code value} of its {@code done} step).
     */
    @Nullable Object yieldAll(AsyncIterable<? extends T> source);

    /**
     * {@code yield*} over a sync iterable, as JavaScript wraps one (CreateAsyncFromSyncIterator): each
     * element is awaited (a promise element yields its value, a rejected one throws here), and a
     * {@code returnValue} request closes {@code source} if it is {@link AutoCloseable}.
     */
    @Nullable Object yieldAll(Iterable<? extends T> source);

    /**
     * JavaScript's {@code return value} in the body: awaits {@code value} here (a rejection throws here,
     * where a {@code catch} around it sees it), then ends the body through its {@code finally} blocks; the
     * request being served gets {@code {value, done: true}}. Never returns normally: like a
     * {@code returnValue} request at a {@code yield}, it is carried by an internal {@link Error} that a
     * {@code catch (Throwable t)} must rethrow.
     */
    void finish(@Nullable T value);
  }

  /** A new generator, suspended before its body; loop-affine. */
  static <T> AsyncGenerator<T> of(Body<T> body) {
    return Bridge.newGenerator(body);
  }

  /** The generator is its own iterator, as in JavaScript. */
  @Override
  default AsyncIterator<T> asyncIterator() {
    return this;
  }
}
