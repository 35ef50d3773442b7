package org.eventloop4j;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * Async context that behaves: a value bound for the extent of a call and carried across the awaits of the
 * async body that bound it — the role of Node's {@code AsyncLocalStorage} (and TC39's {@code
 * AsyncContext.Variable}) for async bodies.
 *
 * <pre>{@code
 * static final AsyncLocal<String> REQUEST = new AsyncLocal<>();
 * REQUEST.run("req-1", () -> Async.async(() -> {
 *   Async.await(Async.sleep(10));
 *   log(REQUEST.get());          // "req-1", whatever ran on this thread meanwhile
 *   return null;
 * }));
 * }</pre>
 *
 * <h2>Why not ThreadLocal or ScopedValue</h2>
 *
 * <p>While an async body is suspended, other callbacks of its loop may run on its virtual thread (see
 * {@link Async}), so a {@link ThreadLocal} set by one body leaks into them, and a {@link ScopedValue}
 * bound in a body is visible to them too. An {@code AsyncLocal} binding lives in the body itself: it is
 * seen by that body's own code, before and after every await, and by the async bodies and generators it
 * starts (they inherit a snapshot when created); it is never seen by callbacks that merely run on the
 * same thread. Outside async bodies, {@code run} binds the value for the synchronous extent of the call —
 * bodies started there inherit it; plain callbacks scheduled there (timers, {@code then} handlers) do
 * not, which is where this differs from {@code AsyncLocalStorage}.
 *
 * <p>Threads: loop-affine, like the bodies it serves. Bindings are immutable snapshots: inheriting one
 * costs nothing, binding copies a small array.
 *
 * @param <T> the value type
 */
public final class AsyncLocal<T> {
  /*
   * Overview: a context is an immutable Object[] of alternating keys (AsyncLocal instances) and values,
   * innermost binding first. Each Coroutine holds the context of its own code; the loop holds the context
   * of the synchronous callback running now. current() picks the body's context when the calling code is
   * a body's own code (Coroutine.isRunningBody), else the loop's. Tested by AsyncLocalTest.
   */
  private static final Object[] EMPTY = new Object[0];

  private final @Nullable T initial;

  /** A local whose value is {@code null} where nothing is bound. */
  public AsyncLocal() {
    this(null);
  }

  /** A local whose value is {@code initial} where nothing is bound. */
  public AsyncLocal(@Nullable T initial) {
    this.initial = initial;
  }

  /** The value bound by the innermost enclosing {@code run}/{@code call} of the calling code, or the initial one. */
  @SuppressWarnings("unchecked")
  public @Nullable T get() {
    Object[] context = current();
    for (int i = 0; i < context.length; i += 2) {
      if (context[i] == this) {
        return (T) context[i + 1];
      }
    }
    return initial;
  }

  /** Runs {@code action} with this local bound to {@code value}; the binding ends when it returns or throws. */
  public void run(@Nullable T value, Runnable action) {
    requireNonNull(action, "action");
    call(value, () -> {
      action.run();
      return null;
    });
  }

  /**
   * {@link #run} returning the action's result; an exception it throws passes through unchanged (checked ones
   * too).
   */
  public <R> R call(@Nullable T value, Callable<R> action) {
    requireNonNull(action, "action");
    Holder holder = holder();
    Object[] outer = holder.get();
    holder.set(bind(outer, value));
    try {
      return action.call();
    } catch (Exception e) {
      throw Promise.sneaky(e);
    } finally {
      holder.set(outer);
    }
  }

  private Object[] bind(Object[] outer, @Nullable T value) {
    Object[] inner = Arrays.copyOf(outer, outer.length + 2);
    System.arraycopy(inner, 0, inner, 2, outer.length);
    inner[0] = this;
    inner[1] = value;
    return inner;
  }

  /** The context the calling code sees: its body's, or the loop's for a plain callback. */
  static Object[] current() {
    return holder().get();
  }

  private static Holder holder() {
    Coroutine c = Coroutine.running();
    if (c != null) {
      return c;
    }
    EventLoop loop = EventLoop.tryCurrent();
    return loop != null ? loop.callbackContext : OFF_LOOP;
  }

  /** A holder for a loop's plain callbacks. */
  static Holder newSlot() {
    return new Holder() {
      private Object[] context = EMPTY;

      @Override
      public Object[] get() {
        return context;
      }

      @Override
      public void set(Object[] c) {
        context = c;
      }
    };
  }

  /** Where a context is kept: a coroutine, a loop (for its plain callbacks), or nowhere off-loop. */
  interface Holder {
    Object[] get();

    void set(Object[] context);
  }

  private static final Holder OFF_LOOP = new Holder() {
    @Override
    public Object[] get() {
      return EMPTY;
    }

    @Override
    public void set(Object[] context) {
      // off any loop there is no async code to carry a binding to
    }
  };
}
