package org.eventloop4j.sync;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.RejectedExecutionException;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.internal.Bridge;
import org.jspecify.annotations.Nullable;

/**
 * How a waiting call learns its outcome once its primitive served or refused it: the seam between a
 * primitive's concurrent core (its CAS state word and waiter lists, which never touch an event loop) and
 * the loops its callers wait on.
 *
 * <p>{@link #ON_LOOP}, the only production settler, gives each waiter a promise of the loop that waits
 * and settles it there (at once on that loop, posted from any other thread). Model-checking tests
 * (SemaphoreLincheckTest, AsyncQueueLincheckTest) give a core a settler that records each outcome
 * synchronously, so that Lincheck can explore the core's interleavings without running any loop.
 */
interface Settler {
  /*
   * Overview: a waiter keeps the handle open() made for it and passes it back, with its loop, to
   * fulfil/reject exactly once (its status CAS decides which). One settler serves every waiter of a
   * primitive, so the seam costs no allocation: ON_LOOP's handle is the waiter's promise itself, made and
   * settled through the module's internal promise bridge (no Resolvers object, no current-loop lookup).
   */

  /** Makes a waiter's handle when it is queued; called on the waiting caller's thread, on {@code loop}. */
  Object open(@Nullable EventLoop loop);

  /**
   * Fulfils the waiter (waiting on {@code loop}); false if it can no longer receive anything (its loop is
   * closed). Any thread.
   */
  boolean fulfil(@Nullable EventLoop loop, Object handle, @Nullable Object value);

  /** Rejects the waiter; a waiter that can no longer observe it is only logged. Any thread. */
  void reject(@Nullable EventLoop loop, Object handle, Throwable reason);

  /** The production settler: a promise of the waiting loop per waiter, settled on that loop. */
  Settler ON_LOOP = new Settler() {
    private final Bridge.Promises promises = Bridge.promises();

    @Override
    public Object open(@Nullable EventLoop loop) {
      return promises.pending(requireNonNull(loop, "loop"));
    }

    @Override
    public boolean fulfil(@Nullable EventLoop loop, Object handle, @Nullable Object value) {
      Promise<?> p = (Promise<?>) handle;
      EventLoop l = requireNonNull(loop, "loop");
      if (promises.holds(l)) {
        promises.resolve(p, value);
        return true;
      }
      try {
        l.execute(() -> promises.resolve(p, value));
        return true;
      } catch (RejectedExecutionException e) {
        PermitCore.log().log(System.Logger.Level.DEBUG,
            "a grant could not reach its waiter's event loop (closed); it is handed on", e);
        return false;
      }
    }

    @Override
    public void reject(@Nullable EventLoop loop, Object handle, Throwable reason) {
      Promise<?> p = (Promise<?>) handle;
      EventLoop l = requireNonNull(loop, "loop");
      if (promises.holds(l)) {
        promises.reject(p, reason);
        return;
      }
      try {
        l.execute(() -> promises.reject(p, reason));
      } catch (RejectedExecutionException e) {
        PermitCore.log().log(System.Logger.Level.DEBUG,
            "a rejection could not reach its waiter's event loop (closed): " + reason, e);
      }
    }
  };
}
