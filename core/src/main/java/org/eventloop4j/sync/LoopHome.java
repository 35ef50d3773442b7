package org.eventloop4j.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.internal.Bridge;
import org.jspecify.annotations.Nullable;

/**
 * Which loops use a primitive: the first loop that does becomes its home and gets a cached, already
 * fulfilled promise (so an uncontended acquire or push on that loop allocates nothing); any other caller —
 * another loop, or a thread running no loop — marks the primitive {@linkplain #isShared() shared}.
 */
final class LoopHome {
  /*
   * Overview. A primitive created outside any loop is shared from the start. `home` is written once (CAS from
   * null) and then only read; `shared` only goes from false to
   * true. Why it matters: a waiter of a primitive that only its home loop touches can only be woken by that
   * loop, so it must not keep the loop alive (JavaScript: a pending promise keeps nothing alive, and a
   * deadlocked program exits). Once anything else touched the primitive, a grant may come from another
   * thread, so each waiter holds an EventLoop.KeepAlive until it is settled. Every way to obtain permits or
   * items (acquire, tryAcquire, push, offer, resize) notes its caller before it can make a waiter wait for
   * it, so a waiter that reads `shared == false` after enqueueing (under the primitive's lock, which the
   * other caller's slow path also takes, or after a CAS on the same state word) cannot be granted by a
   * foreign thread that had already touched the primitive. What this cannot see coming: a primitive created
   * on loop A whose waiter on A waits before another thread ever touches it lets A end if nothing else keeps
   * A alive (as JavaScript would); a grant posted later waits in A's queue until A runs again. The
   * Javadoc of each primitive says so.
   */
  private static final VarHandle HOME;
  private static final Bridge.Promises PROMISES = Bridge.promises();

  static {
    try {
      HOME = MethodHandles.lookup().findVarHandle(LoopHome.class, "home", Home.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The home loop and its cached fulfilled promise (which belongs to that loop). */
  record Home(EventLoop loop, Promise<@Nullable Void> resolved) {}

  private volatile @Nullable Home home;
  private volatile boolean shared;

  /**
   * Starts unshared if created on a loop thread (that loop will usually be its home); shared if created
   * elsewhere, since a primitive made outside any loop is meant for several.
   */
  LoopHome() {
    this.shared = EventLoop.tryCurrent() == null;
  }

  /**
   * The home if the calling thread holds its loop (which is then the current loop), else null: the fast
   * paths' test, a field read and a thread comparison instead of the current-loop lookup.
   */
  @Nullable Home here() {
    Home h = home;
    return h != null && PROMISES.holds(h.loop) ? h : null;
  }

  /** {@link #here()}'s cached fulfilled promise, or null. */
  @Nullable Promise<@Nullable Void> resolvedHere() {
    Home h = here();
    return h != null ? h.resolved : null;
  }

  /** {@link #here()}'s loop, or null. */
  @Nullable EventLoop loopHere() {
    Home h = here();
    return h != null ? h.loop : null;
  }

  /** A fulfilled promise of {@code loop} (the current loop): the cached one on the home loop. */
  Promise<@Nullable Void> resolved(EventLoop loop) {
    Home h = home;
    if (h != null && h.loop == loop) {
      return h.resolved;
    }
    return claim(loop);
  }

  private Promise<@Nullable Void> claim(EventLoop loop) {
    Home fresh = new Home(loop, Promise.resolve());
    if (home == null && HOME.compareAndSet(this, null, fresh)) {
      return fresh.resolved;
    }
    shared = true;
    return fresh.resolved;
  }

  /** Notes that {@code loop} uses the primitive. */
  void note(EventLoop loop) {
    Home h = home;
    if (h == null) {
      claim(loop);
    } else if (h.loop != loop && !shared) {
      shared = true;
    }
  }

  /** Notes the calling thread, which may run no loop at all. */
  void noteCaller() {
    if (shared) {
      return;
    }
    EventLoop loop = EventLoop.tryCurrent();
    if (loop == null) {
      shared = true;
    } else {
      note(loop);
    }
  }

  /** Whether anything but the home loop has used the primitive. */
  boolean isShared() {
    return shared;
  }
}
