package org.eventloop4j.sync;

/**
 * The permits a sliding window granted within its last interval, as (time, count) entries oldest first:
 * one entry per distinct millisecond, so it holds at most {@code min(limit, interval + 1)} entries however
 * large the limit. Not thread-safe (its {@link RateCore} guards it).
 */
final class GrantLog {
  private final long interval;
  private long[] times = new long[8];
  private int[] counts = new int[8];
  private int head;
  private int size;
  /** Permits of the entries held: granted in (t - interval, t] once {@link #expire} ran for t. */
  private long inWindow;

  GrantLog(long interval) {
    this.interval = interval;
  }

  /** Drops the entries granted at or before {@code t - interval}. */
  void expire(long t) {
    while (size > 0 && times[head] <= t - interval) {
      inWindow -= counts[head];
      head = (head + 1) & (times.length - 1);
      size--;
    }
  }

  /** Permits granted within the interval up to {@code t} (after {@link #expire(long)} for {@code t}). */
  long inWindow() {
    return inWindow;
  }

  /** Records {@code n} permits granted at {@code t} (never earlier than the last grant). */
  void add(long t, int n) {
    inWindow += n;
    if (size > 0) {
      int last = (head + size - 1) & (times.length - 1);
      if (times[last] == t) {
        counts[last] += n;
        return;
      }
    }
    if (size == times.length) {
      grow();
    }
    int at = (head + size) & (times.length - 1);
    times[at] = t;
    counts[at] = n;
    size++;
  }

  /**
   * The earliest time at or after {@code t} at which the window has room for {@code room} more permits,
   * {@code limit} in all (after {@link #expire(long)} for {@code t}): when enough of the oldest entries
   * have left the interval.
   */
  long dueFor(long room, long limit, long t) {
    long excess = inWindow + room - limit;
    for (int i = 0; excess > 0 && i < size; i++) {
      int at = (head + i) & (times.length - 1);
      excess -= counts[at];
      if (excess <= 0) {
        return times[at] + interval;
      }
    }
    return t;
  }

  private void grow() {
    int n = times.length;
    long[] t = new long[n * 2];
    int[] c = new int[n * 2];
    for (int i = 0; i < size; i++) {
      t[i] = times[(head + i) & (n - 1)];
      c[i] = counts[(head + i) & (n - 1)];
    }
    times = t;
    counts = c;
    head = 0;
  }
}
