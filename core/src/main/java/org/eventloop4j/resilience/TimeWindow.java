package org.eventloop4j.resilience;

import org.eventloop4j.internal.LoopClock;

/**
 * A time-based sliding window: the outcomes of the last {@code buckets × bucketMillis} milliseconds on the
 * breaker's clock, aggregated per bucket. Guarded by its own monitor.
 */
final class TimeWindow extends Window {
  /*
   * Overview. Slot i of the ring holds the counts of the latest clock interval k (time / bucketMillis) with
   * k mod n = i;
   * `calls/failures/slow` are the running sums over the live buckets. Before every record or read,
   * roll(now) retires every bucket whose interval fell out of the window — at most `n` of them, however
   * long the window stayed untouched — so the sums always describe exactly the intervals
   * (now/bucketMillis − n, now/bucketMillis]. A short synchronized block: this window is for rates over
   * time, where a clock read per call is needed anyway. Tests: CircuitBreakerTest, CircuitBreakerModelTest.
   */
  private final LoopClock clock;
  private final Thresholds thresholds;
  private final long bucketMillis;
  private final int n;
  private final int[] bucketCalls;
  private final int[] bucketFailures;
  private final int[] bucketSlow;
  private long latest = Long.MIN_VALUE;
  private int calls;
  private int failures;
  private int slow;

  TimeWindow(LoopClock clock, long bucketMillis, int buckets, Thresholds thresholds) {
    this.clock = clock;
    this.bucketMillis = bucketMillis;
    this.n = buckets;
    this.thresholds = thresholds;
    this.bucketCalls = new int[buckets];
    this.bucketFailures = new int[buckets];
    this.bucketSlow = new int[buckets];
  }

  @Override
  synchronized boolean record(boolean failure, boolean isSlow) {
    int b = roll(clock.now());
    bucketCalls[b]++;
    calls++;
    if (failure) {
      bucketFailures[b]++;
      failures++;
    }
    if (isSlow) {
      bucketSlow[b]++;
      slow++;
    }
    return thresholds.exceeded(calls, failures, slow);
  }

  @Override
  synchronized Counts counts() {
    roll(clock.now());
    return new Counts(calls, failures, slow, thresholds.rate(failures, calls), thresholds.rate(slow, calls));
  }

  /** Retires the buckets that left the window and returns the slot of the current interval. */
  private int roll(long now) {
    long current = Math.floorDiv(now, bucketMillis);
    if (latest == Long.MIN_VALUE) {
      latest = current;
    }
    if (current <= latest) {
      return slot(latest);
    }
    long from = Math.max(latest + 1, current - n + 1);
    for (long i = from; i <= current; i++) {
      retire(slot(i));
    }
    latest = current;
    return slot(current);
  }

  private void retire(int s) {
    calls -= bucketCalls[s];
    failures -= bucketFailures[s];
    slow -= bucketSlow[s];
    bucketCalls[s] = 0;
    bucketFailures[s] = 0;
    bucketSlow[s] = 0;
  }

  private int slot(long interval) {
    return (int) Math.floorMod(interval, (long) n);
  }
}
