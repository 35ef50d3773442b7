package org.eventloop4j.sync;

import org.eventloop4j.EventLoop;
import org.jspecify.annotations.Nullable;

/** A queued acquire of a {@link RateCore}. */
final class RateWaiter extends PermitWaiter<RateWaiter> {
  final RateCore core;

  RateWaiter(RateCore core, int weight, @Nullable EventLoop loop, boolean keepLoopAlive, boolean abortable) {
    super(core.settler(), weight, loop, keepLoopAlive, abortable);
    this.core = core;
  }

  @Override
  void aborted(Throwable reason) {
    core.abort(this, reason);
  }
}
