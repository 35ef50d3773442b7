package org.eventloop4j.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.jspecify.annotations.Nullable;

/**
 * One pending call of a primitive: its status, its {@link Settler} handle (in production its promise, of the
 * loop that waits), and what it holds on to while waiting — the abort registration
 * and, for primitives shared between threads, a keep-alive of the waiting loop. Also the abort listener
 * itself ({@link #run()}).
 *
 * @param <V> the promise's value type
 */
abstract class WaitNode<V> implements Runnable {
  /*
   * Overview: `status` goes WAITING -> GRANTED or WAITING -> CANCELLED exactly once, by CAS; whoever wins
   * settles the promise, the loser does nothing. The registration is published after the listener is
   * added, so it may be closed twice (by dispose and by listen itself when the node was settled in
   * between); Registration.close is idempotent. The keep-alive is closed after the settlement was posted:
   * the posted task keeps the loop alive from then on.
   */
  static final int WAITING = 0;
  static final int GRANTED = 1;
  static final int CANCELLED = 2;
  private static final VarHandle STATUS;

  static {
    try {
      STATUS = MethodHandles.lookup().findVarHandle(WaitNode.class, "status", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  volatile int status;
  private final Settler settler;
  private final @Nullable EventLoop loop;
  private final Object handle;
  private final EventLoop.@Nullable KeepAlive keepAlive;
  private @Nullable AbortSignal signal;
  private volatile AbortSignal.@Nullable Registration registration;

  /**
   * A node settled by {@code settler}, waiting on {@code loop} (the current loop; null only for the
   * loop-free settlers of model-checking tests), which it keeps alive while it waits if {@code
   * keepLoopAlive}.
   */
  WaitNode(Settler settler, @Nullable EventLoop loop, boolean keepLoopAlive) {
    this.settler = settler;
    this.loop = loop;
    this.handle = settler.open(loop);
    // On a virtual clock a keep-alive would stop time from moving on to the timer that may well be the one
    // to release this waiter; cross-thread hand-offs are for real-time loops.
    this.keepAlive = keepLoopAlive && loop != null && !loop.isVirtualTime() ? loop.keepAlive() : null;
  }

  final boolean cas(int expected, int next) {
    return STATUS.compareAndSet(this, expected, next);
  }

  /** A plain (non-volatile) write of the status, for changes made under the owner's lock only. */
  final void setPlain(int next) {
    STATUS.set(this, next);
  }

  /** The loop that waits (null only for the loop-free settlers of model-checking tests). */
  final @Nullable EventLoop loop() {
    return loop;
  }

  /** The waiter's promise ({@link Settler#ON_LOOP} only). */
  @SuppressWarnings("unchecked")
  final Promise<V> promise() {
    return (Promise<V>) handle;
  }

  /** The settler's handle of this node (model-checking tests read their recorded outcome from it). */
  final Object handle() {
    return handle;
  }

  /** Makes an abort of {@code s} cancel this node; call once, after the node is queued. */
  final void listen(AbortSignal s) {
    signal = s;
    AbortSignal.Registration r = s.addListener(this);
    registration = r;
    if (status != WAITING) {
      r.close();
    } else if (s.aborted()) {
      run();
    }
  }

  /** The abort listener. */
  @Override
  public final void run() {
    AbortSignal s = signal;
    if (s != null) {
      aborted(abortReason(s));
    }
  }

  /** The reason an aborted {@code s} rejects with. */
  static Throwable abortReason(AbortSignal s) {
    Throwable r = s.reason();
    return r != null ? r : new IllegalStateException("signal reported aborted without a reason");
  }

  /**
   * Called (on the waiting loop, or on the aborting thread) when the signal aborts: removes exactly this
   * waiter and rejects it with {@code reason}, unless it was served first.
   */
  abstract void aborted(Throwable reason);

  /** Fulfils the promise; false if the waiting loop is closed, so the grant must go back. Any thread. */
  final boolean settle(@Nullable V value) {
    try {
      return settler.fulfil(loop, handle, value);
    } finally {
      dispose();
    }
  }

  /** Rejects the promise; a closed waiting loop cannot observe it any more, so that is only logged. */
  final void fail(Throwable reason) {
    try {
      settler.reject(loop, handle, reason);
    } finally {
      dispose();
    }
  }

  private void dispose() {
    AbortSignal.Registration r = registration;
    if (r != null) {
      r.close();
    }
    if (keepAlive != null) {
      keepAlive.close();
    }
  }
}
