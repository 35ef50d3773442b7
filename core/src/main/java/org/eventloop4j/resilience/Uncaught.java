package org.eventloop4j.resilience;

import org.eventloop4j.EventLoop;

/** Hands an error thrown by user code (a listener, a predicate) to the loop's uncaught-exception path. */
final class Uncaught {
  private static final System.Logger LOG = System.getLogger("org.eventloop4j.resilience");

  private Uncaught() {}

  /**
   * Rethrows {@code error} from a microtask of the calling thread's loop, so it reaches that loop's
   * uncaught-exception handler (or ends its run, as Node does); without a loop it is logged.
   */
  static void report(Throwable error, String what) {
    EventLoop loop = EventLoop.tryCurrent();
    if (loop == null) {
      LOG.log(System.Logger.Level.ERROR, what + " threw outside any event loop", error);
      return;
    }
    loop.queueMicrotask(() -> {
      throw Uncaught.<RuntimeException>sneaky(error);
    });
  }

  @SuppressWarnings("unchecked")
  static <E extends Throwable> E sneaky(Throwable t) throws E {
    throw (E) t;
  }
}
