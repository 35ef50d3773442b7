package org.eventloop4j.sync;

import org.eventloop4j.EventLoop;
import org.jspecify.annotations.Nullable;

/** A queued acquire of a {@link RateCore}. */
final class RateWaiter extends WaitNode<@Nullable Void> {
  final RateCore core;
  final int weight;
  /** The list links, guarded by the core's monitor. */
  @Nullable RateWaiter prev;
  @Nullable RateWaiter next;
  boolean queued;
  /** Chains the waiters a drain hands out, to be settled outside the monitor. */
  @Nullable RateWaiter nextOut;
  /** Whether an abort (which CASes the status without the monitor) may cancel this waiter. */
  private final boolean abortable;

  RateWaiter(RateCore core, int weight, @Nullable EventLoop loop, boolean keepLoopAlive, boolean abortable) {
    super(core.settler(), loop, keepLoopAlive);
    this.core = core;
    this.weight = weight;
    this.abortable = abortable;
  }

  /** Under the core's monitor: WAITING -> GRANTED, false if it was cancelled first. */
  boolean grantLocked() {
    if (abortable) {
      return cas(WAITING, GRANTED);
    }
    setPlain(GRANTED);
    return true;
  }

  boolean fulfil() {
    return settle(null);
  }

  @Override
  void aborted(Throwable reason) {
    core.abort(this, reason);
  }
}
