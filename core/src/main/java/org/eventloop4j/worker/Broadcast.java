package org.eventloop4j.worker;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.eventloop4j.AggregateError;
import org.eventloop4j.Promise;
import org.eventloop4j.internal.Bridge;
import org.jspecify.annotations.Nullable;

/**
 * The promise of one {@link WorkerPool#broadcast} and the outcomes of its parts, one per pool thread;
 * settles the promise once every part has settled. Loop-confined: every method runs on the caller's loop.
 */
final class Broadcast {
  /*
   * Overview. The pool creates one PoolTask per thread, each with an internal promise, and reacts to each
   * (Bridge.Promises.react, so the internal promises are handled). Reactions run in microtasks, so never
   * before the synchronous broadcast call that created the parts returned: start(n) is always called
   * first. Part i's outcome lands in slot i (thread creation order), so the order of the results does not
   * depend on the order the parts finished. Tests: WorkerPoolBroadcastTest.
   */
  private static final Bridge.Promises PROMISES = Bridge.promises();

  private final Promise<?> promise;
  private final String poolName;
  private @Nullable Object @Nullable [] values;
  private @Nullable Throwable @Nullable [] errors;
  private int left;

  Broadcast(Promise<?> promise, String poolName) {
    this.promise = promise;
    this.poolName = poolName;
  }

  /** The reaction of part {@code i}, registered on its internal promise. */
  Bridge.Callback part(int i) {
    return new Bridge.Callback() {
      @Override
      public void onFulfilled(@Nullable Object value) {
        done(i, value, null);
      }

      @Override
      public void onRejected(Throwable reason) {
        done(i, null, reason);
      }
    };
  }

  /** All {@code n} parts were handed to their threads; with none, fulfils at once with an empty list. */
  void start(int n) {
    values = new Object[n];
    errors = new Throwable[n];
    left = n;
    if (n == 0) {
      PROMISES.resolve(promise, List.of());
    }
  }

  private void done(int i, @Nullable Object value, @Nullable Throwable error) {
    Object[] v = values;
    Throwable[] e = errors;
    if (v == null || e == null) {
      throw new IllegalStateException("a broadcast part settled before the broadcast started");
    }
    v[i] = value;
    e[i] = error;
    if (--left == 0) {
      settle(v, e);
    }
  }

  private void settle(@Nullable Object[] v, @Nullable Throwable[] e) {
    List<Throwable> failed = new ArrayList<>();
    for (Throwable t : e) {
      if (t != null) {
        failed.add(t);
      }
    }
    if (failed.isEmpty()) {
      PROMISES.resolve(promise, Collections.unmodifiableList(Arrays.asList(v)));
    } else if (failed.size() == 1) {
      PROMISES.reject(promise, failed.getFirst());
    } else {
      PROMISES.reject(promise, new AggregateError(failed, failed.size() + " of " + e.length
          + " threads of WorkerPool " + poolName + " failed the broadcast task"));
    }
  }
}
