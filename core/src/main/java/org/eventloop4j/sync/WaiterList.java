package org.eventloop4j.sync;

import org.jspecify.annotations.Nullable;

/**
 * The doubly linked waiter list of a core ({@link PermitCore}, {@link RateCore}), which extends it so that
 * its hot paths read {@code head} as a field of their own. Not thread-safe: the subclass guards every call
 * with its lock. A doubly linked list, so that an abort unlinks its waiter in O(1).
 *
 * @param <W> the waiter type
 */
abstract class WaiterList<W extends PermitWaiter<W>> {
  /** The first and last linked waiters, and how many are linked. */
  @Nullable W head;
  @Nullable W tail;
  int waiting;

  /** Links {@code w} right behind {@code p}, or at the head if {@code p} is null. */
  final void linkAfterLocked(W w, @Nullable W p) {
    w.queued = true;
    W n = p == null ? head : p.next;
    w.prev = p;
    w.next = n;
    if (p == null) {
      head = w;
    } else {
      p.next = w;
    }
    if (n == null) {
      tail = w;
    } else {
      n.prev = w;
    }
    waiting++;
  }

  /** Unlinks {@code w}; nothing if it is not linked (idempotent, as an abort and a drain may both try). */
  final void unlinkLocked(W w) {
    if (!w.queued) {
      return;
    }
    w.queued = false;
    W p = w.prev;
    W n = w.next;
    if (p == null) {
      head = n;
    } else {
      p.next = n;
    }
    if (n == null) {
      tail = p;
    } else {
      n.prev = p;
    }
    w.prev = null;
    w.next = null;
    waiting--;
  }
}
