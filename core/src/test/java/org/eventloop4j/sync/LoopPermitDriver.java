package org.eventloop4j.sync;

import java.util.function.Function;
import org.eventloop4j.AbortController;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.Promise;
import org.jspecify.annotations.Nullable;

/**
 * Drives a {@link PermitCore}-based primitive through real event loops, for the Lincheck stress tests: a
 * thread's lock request runs on that thread's own loop ({@link ThreadLoops}) with an AbortSignal of its own
 * and is answered synchronously as a {@link PermitModel} code (granted at once, queued, rejected); an abort
 * of the thread's last request reports whether it rejected it — it was still waiting — or found it granted
 * or closed first. The answers match {@link PermitModel}'s, so the core tests' specifications apply.
 */
final class LoopPermitDriver {
  private final ThreadLoops loops = new ThreadLoops();
  private final Entry[] last = new Entry[PermitModel.THREADS];

  /** One request: its controller, and the reason it was rejected with, once it was. */
  private static final class Entry {
    final AbortController controller = new AbortController();
    final IllegalStateException abortReason = new IllegalStateException("aborted");
    @Nullable Throwable rejection;
    boolean abortTried;
  }

  /** Makes the request ({@code lock(signal)} and the like) on the thread's loop; its PermitModel code. */
  int enter(int thread, Function<AbortSignal, Promise<?>> request) {
    return loops.call(() -> {
      Entry e = new Entry();
      last[thread] = e;
      Promise<?> p = request.apply(e.controller.signal());
      p.catchError(t -> {
        e.rejection = t;
        return null;
      });
      return switch (p.state()) {
        case FULFILLED -> PermitModel.GRANTED;
        case PENDING -> PermitModel.QUEUED;
        case REJECTED -> PermitModel.REJECTED;
      };
    });
  }

  /** Aborts the thread's last request (once): true if the abort rejected it. */
  boolean abort(int thread) {
    Entry e = last[thread];
    if (e == null || e.abortTried) {
      return false;
    }
    e.abortTried = true;
    loops.call(() -> {
      e.controller.abort(e.abortReason);
      return null;
    });
    return e.rejection == e.abortReason; // set by a reaction that ran before the loop went idle
  }
}
