package org.eventloop4j.sync;

import java.util.concurrent.RejectedExecutionException;
import org.eventloop4j.Promise;
import org.eventloop4j.Resolvers;
import org.jspecify.annotations.Nullable;

/**
 * How a waiting call learns its outcome once its primitive served or refused it: the seam between a
 * primitive's concurrent core (its CAS state word and waiter lists, which never touch an event loop) and
 * the loops its callers wait on.
 *
 * <p>{@link #ON_LOOP}, the only production settler, gives each waiter a promise of the loop that waits
 * and settles it there ({@link Resolvers}: at once on that loop, posted from any other thread).
 * Model-checking tests (SemaphoreLincheckTest, AsyncQueueLincheckTest) give a core a settler that records
 * each outcome synchronously, so that Lincheck can explore the core's interleavings without running any
 * loop.
 */
interface Settler {
  /*
   * Overview: a waiter keeps the handle open() made for it and passes it back to fulfil/reject exactly once
   * (its status CAS decides which). One settler serves every waiter of a primitive, so the seam costs no
   * allocation: ON_LOOP's handle is the promise's Resolvers, which the waiter needs anyway.
   */

  /** Makes a waiter's handle when it is queued; called on the waiting caller's thread. */
  Object open();

  /** Fulfils the waiter; false if it can no longer receive anything (its loop is closed). Any thread. */
  boolean fulfil(Object handle, @Nullable Object value);

  /** Rejects the waiter; a waiter that can no longer observe it is only logged. Any thread. */
  void reject(Object handle, Throwable reason);

  /** The production settler: a promise of the current loop per waiter, settled on that loop. */
  Settler ON_LOOP = new Settler() {
    @Override
    public Object open() {
      return Promise.withResolvers();
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean fulfil(Object handle, @Nullable Object value) {
      try {
        ((Resolvers<@Nullable Object>) handle).resolve(value);
        return true;
      } catch (RejectedExecutionException e) {
        PermitCore.log().log(System.Logger.Level.DEBUG,
            "a grant could not reach its waiter's event loop (closed); it is handed on", e);
        return false;
      }
    }

    @Override
    public void reject(Object handle, Throwable reason) {
      try {
        ((Resolvers<?>) handle).reject(reason);
      } catch (RejectedExecutionException e) {
        PermitCore.log().log(System.Logger.Level.DEBUG,
            "a rejection could not reach its waiter's event loop (closed): " + reason, e);
      }
    }
  };
}
