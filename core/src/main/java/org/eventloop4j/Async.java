package org.eventloop4j;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import org.eventloop4j.stream.AsyncIterable;
import org.jspecify.annotations.Nullable;

/**
 * JavaScript's {@code async} functions and {@code await} in plain Java.
 *
 * <pre>{@code
 * Promise<Integer> p = Async.async(() -> {
 *   int a = Async.await(fetchA());      // suspends this body, not the loop
 *   Async.await(Async.sleep(10));
 *   return a + 1;
 * });
 * }</pre>
 *
 * <h2>Order</h2>
 *
 * <p>{@link #async} runs the body synchronously until its first {@link #await}, then returns its pending
 * promise; the rest of the body runs from microtasks, with exactly ECMAScript's hop counts: awaiting a
 * promise or a plain value resumes one microtask turn after it settles, a {@link Thenable} or a {@link
 * CompletionStage} two; {@code return value} fulfils the function's promise at once while returning a
 * promise adopts it (two turns more, so {@code return await p} settles sooner than {@code return p}). An
 * exception thrown by the body — before or after an await — rejects the promise; it never reaches the
 * caller of {@code async}.
 *
 * <h2>Threads</h2>
 *
 * <p>Bodies run on virtual threads, but only while they hold their loop: exactly one of the loop and its
 * bodies runs at a time, so run-to-completion holds and no user code races. {@link EventLoop#current()}
 * works inside bodies and stack traces show the body's frames. A body that blocks (sleeps, waits on a
 * lock, computes) blocks its loop, exactly as in JavaScript; {@link EventLoop.Builder#onBlocked} reports
 * such a block while it lasts, with the body's stack. Consequences to know:
 *
 * <ul>
 *   <li>Never hold a monitor or lock across an {@code await}: another body or callback that wants it hangs
 *       the loop, and a callback that happens to run on the same virtual thread would re-enter it.
 *   <li>Neither a {@link ThreadLocal} nor a {@link ScopedValue} is async context: while a body is suspended,
 *       loop callbacks may run on its virtual thread and see its values and bindings. Use {@link
 *       AsyncLocal}, which the body carries across its awaits and those callbacks never see.
 *   <li>Leave the thread's uncaught-exception handler alone inside a body: the runtime recognises a body's
 *       virtual thread by it (a {@code ThreadLocal} would cost every suspended body 136 bytes). A body that
 *       replaces it is not recognised until it ends: its {@code await} and {@link EventLoop#current()} then
 *       fail with an {@link IllegalStateException} as off a loop. Loop callbacks, and bodies under the
 *       accelerator, are not affected.
 *   <li>Do not await inside a class initializer (the virtual thread would pin its carrier; with the
 *       accelerator below, the await fails with an {@link IllegalStateException} saying so).
 * </ul>
 *
 * <p><b>Accelerator (opt-in).</b> Run the JVM with {@code -Deventloop4j.continuations=true} and {@code
 * --add-exports java.base/jdk.internal.vm=org.eventloop4j.core} ({@code =ALL-UNNAMED} on the class path) and
 * bodies run as the JDK's internal continuations mounted on the loop's own thread instead of on virtual
 * threads of their own: the same order, the same threading rules, no thread switch per await (a
 * non-awaiting call from plain code ≈ 40 ns instead of ≈ 550; a suspended body ≈ 0.5 KB instead of
 * ≈ 1.3 KB). Decided once per JVM; with the property but without the export, a warning is logged and
 * virtual threads are used.
 *
 * <h2>Lifetime</h2>
 *
 * <p>A body suspended on a promise that never settles keeps nothing alive, as in JavaScript. Once nothing
 * but the body itself can reach that promise (or, for a generator, once nobody holds the generator), the
 * body can never resume, and it is garbage — its thread and stack too, also while the loop keeps running
 * (a server loop does not grow with the bodies it abandons); its {@code finally} blocks never run, as in
 * JavaScript. When the loop's run ends, every body still in memory is <em>unwound</em>: its {@code await}
 * throws an internal {@link Error} so that its {@code finally} blocks run and its thread ends (JavaScript
 * would simply never run them). A body that catches {@code Throwable} sees that error; it must let it
 * propagate. So whether an abandoned body's {@code finally} runs at the end depends on whether the GC
 * collected it first: release resources with {@code finally} in bodies that finish, not in abandoned ones.
 */
public final class Async {
  private Async() {}

  /**
   * JavaScript's {@code async () => { body }} called at once: runs {@code body} until its first {@link
   * #await} and returns the promise of its result. Loop-affine.
   *
   * @throws NullPointerException if {@code body} is null
   * @throws IllegalStateException off a loop thread
   */
  public static <T> Promise<T> async(Callable<? extends @Nullable T> body) {
    requireNonNull(body, "body");
    AsyncFunction<T> f = new AsyncFunction<>(EventLoop.current(), body);
    f.enterSync();
    return f.promise;
  }

  /**
   * JavaScript's {@code await promise}: suspends the calling async body until {@code promise} settles and
   * returns its value, or throws its reason — the very exception object, unwrapped, even a checked one (so
   * catch {@code Exception} or {@code Throwable} to handle checked reasons).
   *
   * @throws IllegalStateException when not called from an async body's own code
   */
  public static <T> T await(Promise<T> promise) {
    requireNonNull(promise, "promise");
    return cast(current("await").await(promise));
  }

  /** {@code await} of a {@link CompletionStage}: adopted like a thenable (two microtask turns when done). */
  public static <T> T await(CompletionStage<T> stage) {
    requireNonNull(stage, "stage");
    return cast(current("await").await(stage));
  }

  /** {@code await} of a {@link Thenable}: its {@code then} is called one turn later, as in JavaScript. */
  public static <T> T await(Thenable<T> thenable) {
    requireNonNull(thenable, "thenable");
    return cast(current("await").await(thenable));
  }

  /**
   * {@code await value} of a plain value: one microtask turn, then {@code value} itself. A value whose
   * run-time class is a promise, thenable or stage is awaited as such.
   */
  public static <T> T await(@Nullable T value) {
    return cast(current("await").await(value));
  }

  /**
   * {@code await(async(fn))} — awaiting the call of an async function at once — run without a thread switch:
   * {@code fn} runs on the calling body's own stack and its awaits suspend that body. Observably identical to
   * {@code Async.await(Async.async(fn))}, microtask for microtask, and far cheaper (no virtual thread is
   * started). {@code fn} must not yield on behalf of an enclosing generator.
   *
   * @throws IllegalStateException when not called from an async body's own code
   */
  public static <T> T awaitCall(Callable<? extends @Nullable T> fn) {
    requireNonNull(fn, "fn");
    return cast(current("awaitCall").awaitCall(fn));
  }

  /** A promise fulfilled after {@code ms} milliseconds on the current loop's clock (Node's timers/promises). */
  public static Promise<@Nullable Void> sleep(long ms) {
    return Timers.sleep(ms);
  }

  /** {@link #sleep(long)} that rejects with the signal's reason, and clears its timer, when aborted. */
  public static Promise<@Nullable Void> sleep(long ms, AbortSignal signal) {
    return Timers.sleep(ms, signal);
  }

  /**
   * JavaScript's {@code for await (const v of iterable)} inside an async body. Each step awaits the
   * iterator's {@code next()}. Leaving the loop early must close the iterator as JavaScript does; Java
   * cannot see a {@code break}, so use try-with-resources, whose {@code close()} calls {@code
   * returnValue()} and awaits it when the iteration did not reach its end:
   *
   * <pre>{@code
   * try (var values = Async.forAwait(generator)) {
   *   for (String v : values) { if (v.isEmpty()) break; }
   * }   // the generator's finally blocks have run here
   * }</pre>
   */
  public static <T> ForAwait<T> forAwait(AsyncIterable<T> iterable) {
    requireNonNull(iterable, "iterable");
    return new ForAwait<>(iterable.asyncIterator());
  }

  /**
   * {@code for await} over a synchronous iterable of promises (or plain values): each element is awaited in
   * iteration order, whatever order they settle in. A rejected element is thrown at the loop, after the
   * source iterator is closed if it is {@link AutoCloseable} (current ECMAScript, not Node 20).
   */
  public static <T> ForAwait<T> forAwait(Iterable<? extends @Nullable Object> iterable) {
    requireNonNull(iterable, "iterable");
    return new ForAwait<>(new FromSyncIterator<>(iterable.iterator()));
  }

  /** Whether the calling code runs inside an async body (where {@link #await} is allowed). */
  public static boolean inAsyncBody() {
    return Coroutine.running() != null;
  }

  static Coroutine current(String what) {
    Coroutine c = Coroutine.running();
    if (c == null) {
      throw new IllegalStateException(
          "Async." + what + " called outside an async body (thread " + Thread.currentThread().getName()
              + "): call it inside Async.async(() -> ...) or an AsyncGenerator body");
    }
    return c;
  }

  @SuppressWarnings("unchecked")
  private static <T> T cast(@Nullable Object value) {
    return (T) value;
  }
}
