package org.eventloop4j.sync;

import org.eventloop4j.AbortSignal;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.internal.Bridge;
import org.eventloop4j.internal.LoopClock;
import org.jspecify.annotations.Nullable;

/**
 * {@link org.eventloop4j.resilience.RateLimiter}'s engine, reached through {@link Bridge#rateGate}: a
 * {@link RateCore} on the limiter's clock, woken by a {@link LoopAlarm}, settling on the waiter's loop, and
 * the {@link LoopHome} that tells whether a waiter must keep its loop alive. It lives here because its
 * waiters share {@link PermitWaiter} and {@link WaiterList} with the permit cores. Arguments are checked by
 * the limiter.
 */
final class RateGateImpl implements Bridge.RateGate {
  private static final String WHAT = "rate limiter";

  static {
    Bridge.register((Bridge.RateGates) RateGateImpl::new);
  }

  private final RateCore core;
  private final LoopHome home = new LoopHome();

  private RateGateImpl(int limit, long intervalMs, boolean sliding, @Nullable EventLoop clockLoop) {
    this.core = new RateCore(limit, intervalMs, sliding, new LoopClock(clockLoop)::now, Settler.ON_LOOP,
        new LoopAlarm(), WHAT);
  }

  @Override
  public Promise<@Nullable Void> acquire(int permits, @Nullable AbortSignal signal) {
    EventLoop loop = EventLoop.current();
    home.noteCaller();
    if (signal != null && signal.aborted()) {
      return Promise.reject(WaitNode.abortReason(signal));
    }
    Object entered = core.enter(permits, loop, home.isShared(), signal != null);
    if (entered == RateCore.GRANTED) {
      return home.resolved(loop);
    }
    if (entered instanceof RateWaiter w) {
      if (signal != null) {
        w.listen(signal);
      }
      return w.promise();
    }
    return Promise.reject((Throwable) entered);
  }

  @Override
  public boolean tryAcquire(int permits) {
    home.noteCaller();
    return core.tryAcquire(permits);
  }

  @Override
  public int available() {
    return core.available();
  }

  @Override
  public int waiting() {
    return core.waiting();
  }

  @Override
  public int limit() {
    return core.limit();
  }

  @Override
  public long intervalMillis() {
    return core.interval();
  }

  @Override
  public boolean sliding() {
    return core.strict();
  }

  @Override
  public void close(@Nullable Throwable reason) {
    core.close(reason);
  }

  @Override
  public boolean isClosed() {
    return core.isClosed();
  }
}
