package org.eventloop4j.sync;

import org.eventloop4j.EventLoop;
import org.jspecify.annotations.Nullable;

/** A queued acquire of a {@link PermitCore} (or, with weight 0, an idle watcher). */
final class Waiter extends WaitNode<@Nullable Void> {
  final PermitCore core;
  final int weight;
  /** Higher is served first; the core's list is sorted by it (descending, FIFO within one). */
  final int priority;
  /** The list links, guarded by the core's lock. */
  @Nullable Waiter prev;
  @Nullable Waiter next;
  boolean queued;
  /** Chains the waiters a drain hands out, to be settled outside the lock. */
  @Nullable Waiter nextOut;
  /** Whether an abort (which CASes the status without the lock) may cancel this waiter. */
  private final boolean abortable;

  Waiter(PermitCore core, int weight, int priority, @Nullable EventLoop loop, boolean keepLoopAlive,
      boolean abortable) {
    super(core.settler(), loop, keepLoopAlive);
    this.core = core;
    this.weight = weight;
    this.priority = priority;
    this.abortable = abortable;
  }

  /**
   * Under the core's lock: WAITING -> GRANTED, false if it was cancelled first. Without an abort every
   * change of the status happens under the lock, so a plain write does (no atomic instruction).
   */
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
