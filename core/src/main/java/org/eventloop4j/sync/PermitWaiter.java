package org.eventloop4j.sync;

import org.eventloop4j.EventLoop;
import org.jspecify.annotations.Nullable;

/**
 * A queued weighted acquire in the doubly linked waiter list of its core ({@link PermitCore}'s {@link
 * Waiter}, {@link RateCore}'s {@link RateWaiter}): the links, the chain of a drain, and the grant.
 *
 * @param <W> the concrete waiter type, which the links point to
 */
abstract class PermitWaiter<W extends PermitWaiter<W>> extends WaitNode<@Nullable Void> {
  final int weight;
  /** The list links, guarded by the core's lock. */
  @Nullable W prev;
  @Nullable W next;
  boolean queued;
  /** Chains the waiters a drain hands out, to be settled outside the lock. */
  @Nullable W nextOut;
  /** Whether an abort (which may CAS the status without the lock) may cancel this waiter. */
  private final boolean abortable;

  PermitWaiter(Settler settler, int weight, @Nullable EventLoop loop, boolean keepLoopAlive, boolean abortable) {
    super(settler, loop, keepLoopAlive);
    this.weight = weight;
    this.abortable = abortable;
  }

  /**
   * Under the core's lock: WAITING -> GRANTED, false if it was cancelled first. Without an abort every
   * change of the status happens under the lock, so a plain write does (no atomic instruction).
   */
  final boolean grantLocked() {
    if (abortable) {
      return cas(WAITING, GRANTED);
    }
    setPlain(GRANTED);
    return true;
  }

  final boolean fulfil() {
    return settle(null);
  }
}
