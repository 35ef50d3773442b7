package org.eventloop4j.worker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;

/**
 * A log-linear histogram of durations in nanoseconds with one writer thread and any number of readers:
 * 8 sub-buckets per power of two (≤ 12.5 % relative error), plus count, sum and max.
 */
final class LatencyRecorder {
  /*
   * Overview: each pool thread owns two recorders (wait time, run time), so recording is a few opaque
   * array writes with no contention; a stats snapshot sums every live thread's recorder and the merged
   * recorders of retired threads. Opaque accesses give readers untorn, eventually visible values; a
   * snapshot taken while threads run is approximate, as every live statistic is. Values below 8 ns have a
   * bucket each; value v ≥ 8 with e = ⌊log2 v⌋ goes to 8 + 8(e − 3) + (v >> (e − 3)) − 8.
   */
  private static final VarHandle A = MethodHandles.arrayElementVarHandle(long[].class);
  private static final int SUB = 8;
  private static final int BUCKETS = SUB + SUB * 60;
  private static final int COUNT = BUCKETS;
  private static final int SUM = BUCKETS + 1;
  private static final int MAX = BUCKETS + 2;

  private final long[] cells = new long[BUCKETS + 3];

  /** Records one duration; only the owning thread calls this. */
  void record(long nanos) {
    long v = Math.max(0, nanos);
    bump(index(v), 1);
    bump(COUNT, 1);
    bump(SUM, v);
    if (v > (long) A.getOpaque(cells, MAX)) {
      A.setOpaque(cells, MAX, v);
    }
  }

  private void bump(int i, long delta) {
    A.setOpaque(cells, i, (long) A.getOpaque(cells, i) + delta);
  }

  /** Adds this recorder's values into {@code into} (a merge, from any thread). */
  void addTo(long[] into) {
    for (int i = 0; i < MAX; i++) {
      into[i] += (long) A.getOpaque(cells, i);
    }
    into[MAX] = Math.max(into[MAX], (long) A.getOpaque(cells, MAX));
  }

  /** A fresh accumulator for {@link #addTo}. */
  static long[] accumulator() {
    return new long[BUCKETS + 3];
  }

  /** Merges {@code from} into {@code into} (two accumulators). */
  static void merge(long[] from, long[] into) {
    for (int i = 0; i < MAX; i++) {
      into[i] += from[i];
    }
    into[MAX] = Math.max(into[MAX], from[MAX]);
  }

  private static int index(long v) {
    if (v < SUB) {
      return (int) v;
    }
    int e = 63 - Long.numberOfLeadingZeros(v);
    return SUB + SUB * (e - 3) + (int) (v >>> (e - 3)) - SUB;
  }

  /** The largest value that falls into bucket {@code i}. */
  private static long upperBound(int i) {
    if (i < SUB) {
      return i;
    }
    int e = (i - SUB) / SUB + 3;
    long sub = (i - SUB) % SUB;
    return ((SUB + sub + 1) << (e - 3)) - 1;
  }

  /** The snapshot of an accumulator. */
  static WorkerPool.Histogram snapshot(long[] acc) {
    long count = acc[COUNT];
    if (count == 0) {
      return new WorkerPool.Histogram(0, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }
    long max = acc[MAX];
    return new WorkerPool.Histogram(count, Duration.ofNanos(acc[SUM] / count), percentile(acc, 0.50, max),
        percentile(acc, 0.90, max), percentile(acc, 0.99, max), Duration.ofNanos(max));
  }

  private static Duration percentile(long[] acc, double p, long max) {
    long rank = (long) Math.ceil(p * acc[COUNT]);
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += acc[i];
      if (seen >= rank) {
        return Duration.ofNanos(Math.min(upperBound(i), max));
      }
    }
    return Duration.ofNanos(max);
  }
}
