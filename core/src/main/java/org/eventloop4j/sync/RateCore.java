package org.eventloop4j.sync;

import java.util.function.LongSupplier;
import org.eventloop4j.EventLoop;
import org.jspecify.annotations.Nullable;

/**
 * The engine of {@link org.eventloop4j.resilience.RateLimiter} (through {@link RateGateImpl}): a budget of
 * permits per window of time with a FIFO queue of weighted waiters, on one clock. Thread-safe; loop-free
 * (time comes from a {@code LongSupplier}, wake-ups are asked of an {@link Alarm}, outcomes go through a
 * {@link Settler}).
 */
final class RateCore extends WaiterList<RateWaiter> {
  /*
   * Overview for maintainers.
   *
   * Two budgets, chosen at construction:
   *   fixed   windows of `interval` ms that open on demand: the first grant after the previous window
   *           ended opens [t, t + interval) at its own time t, and a window grants at most `limit` permits.
   *           O(1) state (windowEnd, used). Over any span of `interval` ms up to 2 × limit permits may be
   *           granted (the end of one window and the start of the next), as with p-queue's and
   *           Resilience4j's windows, which are aligned to a start instead of opening on demand.
   *   strict  a sliding window: at most `limit` permits granted within any span of `interval` ms. The
   *           GrantLog keeps the permits granted in the last interval as (time, count) entries, one per
   *           distinct millisecond (grant times never decrease); n permits fit at time t when, once the
   *           entries at or before t - interval are dropped, the rest plus n stay within the limit, and a
   *           head that does not fit is due when enough of the oldest entries leave the interval.
   *
   * Everything happens under one monitor (`this`): an arrival reads the clock, grants at once if nobody
   * queues and its permits fit, else links a waiter; when the head cannot be granted yet, the alarm is
   * armed for the time it will fit (dueLocked) on the head's loop (re-armed when the head changes loop or
   * due time), and its wake-up grants from the head while the permits fit, then re-arms for the new head.
   * Any call that finds the wake-up overdue (its loop stopped, busy, or closed after its timer was set)
   * serves the queue itself first. An abort of the head does the same at once. A
   * rate-limited call is not a hot path, and a single monitor keeps the two budgets' code plain; its
   * sections never block, run user code or wait for another thread.
   *
   * Waiter status goes WAITING -> GRANTED (under the monitor) or WAITING -> CANCELLED (by an abort, CAS,
   * without the monitor; close under it). A drain that finds a CANCELLED waiter unlinks it and goes on.
   * Settling happens outside the monitor, through the Settler, as in PermitCore. A grant that cannot reach
   * its waiter's loop (closed) is not given back: its permits were spent in their window, which can only
   * make the rate lower, never higher.
   *
   * Tests: RateLimiterTest (virtual-time schedules of both budgets, weights, FIFO, abort, close, bad input,
   * liveness, another thread), RateCoreLincheckTest (model checking against RateModel, the clock advanced
   * by an operation).
   */

  /** Asks for a wake-up: {@link #wake} once {@code delayMs} have passed. */
  interface Alarm {
    /**
     * Replaces any armed wake-up by one in {@code delayMs} (at least 1), on {@code loop} (the head waiter's);
     * false if that loop is closed, so that no wake-up could come from it.
     */
    boolean arm(long delayMs, @Nullable EventLoop loop, RateCore core);

    /** Cancels the armed wake-up, if any. */
    void disarm();
  }

  /** What {@link #enter} answers when the permits were taken at once. */
  static final Object GRANTED = new Object();

  private static final long NEVER = Long.MIN_VALUE / 4;

  private final int limit;
  private final long interval;
  private final boolean strict;
  private final LongSupplier clock;
  private final Settler settler;
  private final Alarm alarm;
  private final String what;

  // fixed budget
  private long windowEnd = NEVER;
  private int used;
  // strict budget
  private final @Nullable GrantLog grants;

  /** The due time the alarm is armed for, or NEVER; and the loop it is armed on (the head's). */
  private long armedFor = NEVER;
  private @Nullable EventLoop armedLoop;
  private boolean closed;
  private @Nullable Throwable closeReason;

  RateCore(int limit, long interval, boolean strict, LongSupplier clock, Settler settler, Alarm alarm, String what) {
    this.limit = limit;
    this.interval = interval;
    this.strict = strict;
    this.clock = clock;
    this.settler = settler;
    this.alarm = alarm;
    this.what = what;
    this.grants = strict ? new GrantLog(interval) : null;
  }

  Settler settler() {
    return settler;
  }

  int limit() {
    return limit;
  }

  long interval() {
    return interval;
  }

  boolean strict() {
    return strict;
  }

  // ------------------------------------------------------------------------------------------------
  // Budget (under the monitor)

  /** Whether {@code n} permits fit at time {@code t}. */
  private boolean fitsLocked(int n, long t) {
    if (grants != null) {
      grants.expire(t);
      return grants.inWindow() + n <= limit;
    }
    return t >= windowEnd || used + n <= limit;
  }

  /** Spends {@code n} permits (which fit) at time {@code t}. */
  private void takeLocked(int n, long t) {
    if (grants != null) {
      grants.add(t, n);
      return;
    }
    if (t >= windowEnd) {
      windowEnd = t + interval;
      used = 0;
    }
    used += n;
  }

  /** The earliest time at which {@code n} permits (at most the limit) fit, given what was spent. */
  private long dueLocked(int n, long t) {
    if (grants != null) {
      grants.expire(t);
      return grants.dueFor(n, limit, t);
    }
    return fitsLocked(n, t) ? t : windowEnd;
  }

  /** The permits the budget has left at {@code t}. */
  private int leftLocked(long t) {
    if (grants != null) {
      grants.expire(t);
      return (int) (limit - grants.inWindow());
    }
    return t >= windowEnd ? limit : limit - used;
  }

  /** The permits the budget has left now (a queued waiter may be waiting for more than that). */
  int available() {
    synchronized (this) {
      return leftLocked(clock.getAsLong());
    }
  }

  int waiting() {
    synchronized (this) {
      return waiting;
    }
  }

  boolean isClosed() {
    synchronized (this) {
      return closed;
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Acquiring

  /**
   * An acquire of {@code n} permits (1 <= n <= limit, checked by the caller) waiting on {@code loop}:
   * {@link #GRANTED}, the queued {@link RateWaiter}, or the closed-limiter refusal. A waiter that no signal
   * can cancel ({@code abortable} false) is granted by a plain write. Any thread.
   */
  Object enter(int n, @Nullable EventLoop loop, boolean keepLoopAlive, boolean abortable) {
    Object result;
    RateWaiter out;
    synchronized (this) {
      if (closed) {
        return closedReason();
      }
      long t = clock.getAsLong();
      out = overdueLocked(t);
      if (head == null && fitsLocked(n, t)) {
        takeLocked(n, t);
        result = GRANTED;
      } else {
        RateWaiter w = new RateWaiter(this, n, loop, keepLoopAlive, abortable);
        linkLocked(w);
        if (head == w) {
          out = chain(out, grantLocked(t)); // grants nothing (w did not fit), arms the wake-up for w
        }
        result = w;
      }
    }
    deliver(out);
    return result;
  }

  /** Takes {@code n} permits if an arrival would be granted them at once; throws if closed. Any thread. */
  boolean tryAcquire(int n) {
    RateWaiter out;
    boolean taken;
    synchronized (this) {
      if (closed) {
        throw new ClosedError("the " + what + " is closed", closeReason);
      }
      long t = clock.getAsLong();
      out = overdueLocked(t);
      taken = head == null && fitsLocked(n, t);
      if (taken) {
        takeLocked(n, t);
      }
    }
    deliver(out);
    return taken;
  }

  /**
   * Serves the queue if its wake-up is overdue (the head's loop is stopped, or busy, or was closed after its
   * timer was set), so that any call after the due time moves the queue on; the waiters it granted.
   */
  private @Nullable RateWaiter overdueLocked(long t) {
    return armedFor != NEVER && armedFor <= t ? grantLocked(t) : null;
  }

  /** The armed wake-up came: grants from the head what fits now, and re-arms for the rest. Any thread. */
  void wake() {
    advanceAndWake(() -> {});
  }

  /**
   * The loop-free seam of the model-checking test: runs {@code advanceClock} (which moves the time this
   * core reads) and the wake-up in one section, as an alarm that fires exactly when its time comes.
   */
  void advanceAndWake(Runnable advanceClock) {
    RateWaiter out;
    synchronized (this) {
      advanceClock.run();
      armedFor = NEVER;
      armedLoop = null;
      out = grantLocked(clock.getAsLong());
    }
    deliver(out);
  }

  /**
   * Grants from the head while the permits fit at {@code t}, then arms the alarm for the new head (or
   * disarms it when nobody waits); returns the granted waiters, chained through {@code nextOut}.
   */
  private @Nullable RateWaiter grantLocked(long t) {
    RateWaiter out = null;
    RateWaiter last = null;
    for (;;) {
      for (RateWaiter w = head; w != null; w = head) {
        if (w.status == WaitNode.WAITING) {
          if (!fitsLocked(w.weight, t)) {
            break;
          }
          if (w.grantLocked()) {
            takeLocked(w.weight, t);
            out = out == null ? w : out;
            if (last != null) {
              last.nextOut = w;
            }
            last = w;
          }
        }
        unlinkLocked(w);
      }
      if (armLocked(t)) {
        return out;
      }
    }
  }

  /**
   * Arms the alarm for the head's due time, or disarms it when nobody waits; false if the head's loop is
   * closed. Then the head's grant could never reach it and no wake-up can come from its loop: it leaves
   * the queue (its rejection is only logged: nobody can observe it) and the caller serves the next one.
   */
  private boolean armLocked(long t) {
    RateWaiter h = head;
    if (h == null) {
      disarmLocked();
      return true;
    }
    long due = dueLocked(h.weight, t);
    if (due == armedFor && h.loop() == armedLoop) {
      return true;
    }
    armedFor = due;
    armedLoop = h.loop();
    if (alarm.arm(Math.max(1, due - t), h.loop(), this)) {
      return true;
    }
    armedFor = NEVER;
    armedLoop = null;
    if (h.cas(WaitNode.WAITING, WaitNode.CANCELLED)) {
      h.fail(new ClosedError("the event loop of a waiter of the " + what + " is closed"));
    }
    unlinkLocked(h);
    return false;
  }

  private void disarmLocked() {
    if (armedFor != NEVER) {
      armedFor = NEVER;
      armedLoop = null;
      alarm.disarm();
    }
  }

  /** The chain {@code first} followed by the chain {@code then}. */
  private static @Nullable RateWaiter chain(@Nullable RateWaiter first, @Nullable RateWaiter then) {
    if (first == null) {
      return then;
    }
    RateWaiter last = first;
    while (last.nextOut != null) {
      last = last.nextOut;
    }
    last.nextOut = then;
    return first;
  }

  /** Settles granted waiters, outside the monitor. */
  private static void deliver(@Nullable RateWaiter first) {
    for (RateWaiter w = first; w != null; ) {
      RateWaiter next = w.nextOut;
      w.nextOut = null;
      w.fulfil();
      w = next;
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Abort and close

  /** Removes exactly {@code w} and rejects it with {@code reason}, unless it was granted first. Any thread. */
  void abort(RateWaiter w, Throwable reason) {
    RateWaiter out;
    synchronized (this) {
      if (!w.cas(WaitNode.WAITING, WaitNode.CANCELLED)) {
        return;
      }
      unlinkLocked(w);
      out = grantLocked(clock.getAsLong());
    }
    w.fail(reason);
    deliver(out);
  }

  /** Rejects every waiting and later acquire with {@code reason} (null: a ClosedError). Idempotent. */
  void close(@Nullable Throwable reason) {
    RateWaiter victims = null;
    Throwable failure;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      closeReason = reason;
      failure = closedReason();
      for (RateWaiter w = head; w != null; w = head) {
        unlinkLocked(w);
        if (w.cas(WaitNode.WAITING, WaitNode.CANCELLED)) {
          w.nextOut = victims;
          victims = w;
        }
      }
      disarmLocked();
    }
    for (RateWaiter w = reverse(victims); w != null; ) {
      RateWaiter next = w.nextOut;
      w.nextOut = null;
      w.fail(failure);
      w = next;
    }
  }

  private static @Nullable RateWaiter reverse(@Nullable RateWaiter chain) {
    RateWaiter reversed = null;
    for (RateWaiter w = chain; w != null; ) {
      RateWaiter next = w.nextOut;
      w.nextOut = reversed;
      reversed = w;
      w = next;
    }
    return reversed;
  }

  private Throwable closedReason() {
    Throwable r = closeReason;
    return r != null ? r : new ClosedError("the " + what + " is closed");
  }

  // ------------------------------------------------------------------------------------------------
  // The waiter list (under the monitor)

  private void linkLocked(RateWaiter w) {
    linkAfterLocked(w, tail);
  }
}
