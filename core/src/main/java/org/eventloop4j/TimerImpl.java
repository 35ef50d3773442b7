package org.eventloop4j;

import org.jspecify.annotations.Nullable;

/**
 * A timeout, interval or immediate: the handle the user holds and, at the same time, the node the loop
 * queues (no separate entry object, so a pending timer is one 48-byte object).
 */
final class TimerImpl implements Timer {
  /*
   * Overview: `flags` holds ACTIVE (scheduled and neither fired nor cleared; an interval stays active) and
   * REF (counts towards the loop's liveness). The loop's `refs` counter equals the number of timers with
   * both flags, and every transition below keeps that true. Timeouts and intervals live in a TimerQueue
   * list (prev/next/list); immediates sit in the loop's immediate queue and are skipped there once
   * cleared, so clear() on an immediate is O(1) without unlinking.
   */
  static final byte TIMEOUT = 0;
  static final byte INTERVAL = 1;
  static final byte IMMEDIATE = 2;
  private static final byte ACTIVE = 1;
  private static final byte REF = 2;

  final EventLoop loop;
  final Runnable callback;
  @Nullable TimerImpl prev;
  @Nullable TimerImpl next;
  TimerQueue.@Nullable TimerList list;
  long due;
  final int delay;
  final byte kind;
  private byte flags = ACTIVE | REF;

  TimerImpl(EventLoop loop, Runnable callback, int delay, byte kind) {
    this.loop = loop;
    this.callback = callback;
    this.delay = delay;
    this.kind = kind;
  }

  boolean isActive() {
    return (flags & ACTIVE) != 0;
  }

  /** Marks a timeout that is about to run, or a cleared timer, as no longer pending. */
  void deactivate() {
    if ((flags & (ACTIVE | REF)) == (ACTIVE | REF)) {
      loop.unrefHandle();
    }
    flags &= ~ACTIVE;
  }

  @Override
  public void clear() {
    loop.checkAffinity("clear");
    if (!isActive()) {
      return;
    }
    deactivate();
    if (kind != IMMEDIATE) {
      loop.timers.remove(this);
    }
  }

  @Override
  public Timer ref() {
    loop.checkAffinity("ref");
    if ((flags & REF) == 0) {
      flags |= REF;
      if (isActive()) {
        loop.refHandle();
      }
    }
    return this;
  }

  @Override
  public Timer unref() {
    loop.checkAffinity("unref");
    if ((flags & REF) != 0) {
      if (isActive()) {
        loop.unrefHandle();
      }
      flags &= ~REF;
    }
    return this;
  }

  @Override
  public boolean hasRef() {
    return (flags & REF) != 0;
  }

  @Override
  public Timer refresh() {
    loop.checkAffinity("refresh");
    if (kind != IMMEDIATE && isActive()) {
      loop.rearm(this);
    }
    return this;
  }

  @Override
  public String toString() {
    String what = kind == IMMEDIATE ? "Immediate" : kind == INTERVAL ? "Interval(" + delay + " ms)" : "Timeout(" + delay + " ms)";
    return what + (isActive() ? " due at " + due : " (done)") + (hasRef() ? "" : ", unref'd");
  }
}
