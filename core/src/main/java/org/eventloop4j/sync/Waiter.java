package org.eventloop4j.sync;

import org.eventloop4j.EventLoop;
import org.jspecify.annotations.Nullable;

/** A queued acquire of a {@link PermitCore} (or, with weight 0, an idle watcher). */
final class Waiter extends PermitWaiter<Waiter> {
  final PermitCore core;
  /** Higher is served first; the core's list is sorted by it (descending, FIFO within one). */
  final int priority;

  Waiter(PermitCore core, int weight, int priority, @Nullable EventLoop loop, boolean keepLoopAlive,
      boolean abortable) {
    super(core.settler(), weight, loop, keepLoopAlive, abortable);
    this.core = core;
    this.priority = priority;
  }

  @Override
  void aborted(Throwable reason) {
    core.abort(this, reason);
  }
}
