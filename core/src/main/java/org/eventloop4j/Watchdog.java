package org.eventloop4j;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The blocked-loop detector behind {@link EventLoop.Builder#onBlocked}: a platform daemon thread per running
 * loop that looks at the loop every quarter of the threshold.
 *
 * <p>Maintainer overview. The loop counts the callbacks it starts ({@link Probe#turns}, an opaque write per
 * macrotask, so a turn costs the loop nothing it can measure) and says when it is parked waiting for work
 * ({@link Probe#busyThread} is null then). A sample that finds the loop busy with the same count as the
 * previous sample extends the current episode; once an episode lasts the threshold, the busy thread's stack
 * is taken ({@link Thread#getStackTrace}, which also works for the mounted virtual thread of an async body)
 * and the handler is called, once per episode, on this thread. A microtask storm is one macrotask that never
 * ends, so it is reported too, as Node's loop would be blocked by it. An episode starts at the first sample
 * that sees it, so {@code blockedFor} is short by up to one period.
 *
 * <p>Threads. The sampling state is confined to the watchdog thread; the probe reads are opaque/volatile
 * reads of the loop's fields. A platform thread rather than a virtual one, because a virtual watchdog would
 * need a free carrier exactly when blocked bodies hold them all. {@link #stop} joins the thread, so it never
 * outlives the loop's run.
 *
 * <p>Tests: BlockedLoopTest (the sampling rules on a fake probe and clock; end to end, blocked in a macrotask,
 * a microtask and an async body, in both body modes).
 */
final class Watchdog implements Runnable {
  private static final System.Logger LOG = System.getLogger(Watchdog.class.getName());

  /** What the watchdog reads of a loop; any thread. */
  interface Probe {
    /** The number of callbacks the loop has started. */
    long turns();

    /** The thread holding the loop, or null while it waits for work. */
    @Nullable Thread busyThread();

    String loopName();
  }

  private final Probe probe;
  private final long thresholdNanos;
  private final Consumer<BlockedLoop> handler;
  private volatile boolean stopped;
  private @Nullable Thread thread;

  // sampling state, watchdog thread only
  private boolean primed;
  private long lastTurns;
  private long since;
  private boolean reported;

  Watchdog(Probe probe, Duration threshold, Consumer<BlockedLoop> handler) {
    this.probe = probe;
    this.thresholdNanos = threshold.toNanos();
    this.handler = handler;
  }

  /** Starts a watchdog thread for {@code probe}'s loop. */
  static Watchdog start(Probe probe, Duration threshold, Consumer<BlockedLoop> handler) {
    Watchdog w = new Watchdog(probe, threshold, handler);
    w.thread = Thread.ofPlatform().daemon().name("eventloop4j-watchdog-" + probe.loopName()).start(w);
    return w;
  }

  Probe probe() {
    return probe;
  }

  /** Stops the thread and waits for it (it may be finishing a handler call). */
  void stop() {
    stopped = true;
    Thread t = thread;
    if (t == null) {
      return;
    }
    LockSupport.unpark(t);
    boolean interrupted = false;
    while (t.isAlive()) {
      try {
        t.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void run() {
    long period = Math.max(thresholdNanos / 4, 1);
    while (!stopped) {
      LockSupport.parkNanos(this, period);
      if (!stopped) {
        sample(System.nanoTime());
      }
    }
  }

  /**
   * One look at the loop at time {@code now} (nanoseconds): returns the report it made, if any. Watchdog
   * thread only (tests call it directly, with their own probe and clock).
   */
  @Nullable BlockedLoop sample(long now) {
    Thread busy = probe.busyThread();
    long turns = probe.turns();
    if (busy == null || !primed || turns != lastTurns) {
      primed = busy != null;
      lastTurns = turns;
      since = now;
      reported = false;
      return null;
    }
    if (reported || now - since < thresholdNanos) {
      return null;
    }
    reported = true;
    BlockedLoop b = new BlockedLoop(probe.loopName(), busy, Duration.ofNanos(now - since),
        List.of(busy.getStackTrace()));
    try {
      handler.accept(b);
    } catch (RuntimeException | Error e) {
      LOG.log(System.Logger.Level.WARNING, "the onBlocked handler of event loop " + b.loopName() + " threw", e);
    }
    return b;
  }
}
