package org.eventloop4j.sync;

import java.util.concurrent.RejectedExecutionException;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Timer;
import org.eventloop4j.internal.Bridge;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RateCore}'s wake-up as a timer of an event loop: the loop of the waiter at the head of the
 * queue. Thread-safe.
 */
final class LoopAlarm implements RateCore.Alarm {
  /*
   * Overview: arm and disarm are called under the core's monitor; this object's own monitor guards
   * `generation`, `timer` and `timerLoop` (always taken inside the core's, or alone — never the other way
   * round). Each arm is a new generation. On the head's own loop thread the timer is set at once; from any
   * other thread setting it is posted to that loop, and the posted task sets it only if its generation is
   * still the current one. A timer that fires for an old generation does nothing; disarm clears the live
   * timer on its loop (at once, or posted), so that an aborted or closed wait does not keep a loop alive
   * until a window it no longer needs. The timer keeps its loop alive, as a JavaScript rate limiter's
   * setTimeout does: that is what lets a program whose calls wait for the next window run on to it.
   */
  private static final Bridge.Promises PROMISES = Bridge.promises();

  private long generation;
  private @Nullable Timer timer;
  private @Nullable EventLoop timerLoop;

  @Override
  public boolean arm(long delayMs, @Nullable EventLoop loop, RateCore core) {
    disarm();
    EventLoop target = java.util.Objects.requireNonNull(loop, "a waiting loop");
    long gen;
    synchronized (this) {
      gen = ++generation;
    }
    if (PROMISES.holds(target)) {
      set(target, gen, delayMs, core);
      return true;
    }
    try {
      target.execute(() -> set(target, gen, delayMs, core));
      return true;
    } catch (RejectedExecutionException closed) {
      return false;
    }
  }

  /** On {@code loop}: sets the timer of generation {@code gen}, unless a later arm or disarm came first. */
  private void set(EventLoop loop, long gen, long delayMs, RateCore core) {
    synchronized (this) {
      if (gen != generation) {
        return;
      }
      timer = loop.setTimeout(() -> fire(gen, core), delayMs);
      timerLoop = loop;
    }
  }

  private void fire(long gen, RateCore core) {
    synchronized (this) {
      if (gen != generation) {
        return;
      }
      timer = null;
      timerLoop = null;
    }
    core.wake();
  }

  @Override
  public void disarm() {
    Timer t;
    EventLoop l;
    synchronized (this) {
      generation++;
      t = timer;
      l = timerLoop;
      timer = null;
      timerLoop = null;
    }
    if (t == null || l == null) {
      return;
    }
    if (PROMISES.holds(l)) {
      t.clear();
      return;
    }
    try {
      l.execute(t::clear);
    } catch (RejectedExecutionException closed) {
      // a closed loop runs no timer
    }
  }
}
