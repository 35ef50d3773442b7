package org.eventloop4j.resilience;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/** A count-based sliding window: the outcomes of the last {@code size} calls. Lock-free. */
final class CountWindow extends Window {
  /*
   * Overview. `slots` is a ring of outcome codes; `cursor` the next slot (advanced with a CAS that wraps at
   * `size`); `totals` packs three counters — calls, failures, slow calls — 21 bits each, into one long that
   * is only ever changed by adding a delta, so it can be updated with one atomic add.
   *
   * Recording: claim a slot, swap the new code in with getAndSet, and add (new − old) to `totals`. Every
   * swap's delta is exactly the change it made to the slot, so once the adds have landed `totals` equals
   * the sum over the slots, whatever the interleaving. Two threads hitting the same slot one lap apart
   * (only possible with more concurrent recorders than slots) can apply their deltas out of order, making
   * a field transiently negative; deltas are added as plain signed longs and decoded with sign extension,
   * so the packed value stays exact and a transiently negative field simply does not trip.
   *
   * Fast path: if the slot already holds the new code (a success replacing a success, the steady state of
   * a healthy service), there is nothing to write — the swap would change nothing, so it is linearised at
   * the read — and the outcome costs one CAS and one volatile read. Tests: CountWindowTest (model and
   * threads), CircuitBreakerConcurrencyTest.
   */
  static final int MAX_SIZE = 1 << 19;
  private static final int EMPTY = 0;
  private static final int SUCCESS = 1;
  private static final int FAILURE = 2;
  private static final int SLOW_SUCCESS = 3;
  private static final int SLOW_FAILURE = 4;
  private static final long[] PACKED = {0, pack(1, 0, 0), pack(1, 1, 0), pack(1, 0, 1), pack(1, 1, 1)};

  private final int size;
  private final Thresholds thresholds;
  private final AtomicIntegerArray slots;
  private final AtomicInteger cursor = new AtomicInteger();
  private final AtomicLong totals = new AtomicLong();

  CountWindow(int size, Thresholds thresholds) {
    this.size = size;
    this.thresholds = thresholds;
    this.slots = new AtomicIntegerArray(size);
  }

  private static long pack(long calls, long failures, long slow) {
    return calls + (failures << 21) + (slow << 42);
  }

  @Override
  boolean record(boolean failure, boolean slow) {
    int code = failure ? (slow ? SLOW_FAILURE : FAILURE) : (slow ? SLOW_SUCCESS : SUCCESS);
    int slot = claim();
    if (slots.get(slot) == code) {
      return false;
    }
    int old = slots.getAndSet(slot, code);
    if (old == code) {
      return false;
    }
    long t = totals.addAndGet(PACKED[code] - PACKED[old]);
    return thresholds.exceeded(field(t, 0), field(t, 1), field(t, 2));
  }

  private int claim() {
    int i;
    do {
      i = cursor.get();
    } while (!cursor.compareAndSet(i, i + 1 == size ? 0 : i + 1));
    return i;
  }

  /** Field {@code n} (0 calls, 1 failures, 2 slow) of a packed value, sign-extended. */
  static int field(long packed, int n) {
    long v = packed;
    for (int i = 0; i < n; i++) {
      v = (v - low(v)) >> 21;
    }
    return n == 2 ? (int) v : low(v);
  }

  private static int low(long v) {
    return (int) (v << 43 >> 43);
  }

  @Override
  Counts counts() {
    long t = totals.get();
    int calls = field(t, 0);
    int failures = field(t, 1);
    int slow = field(t, 2);
    return new Counts(calls, failures, slow, thresholds.rate(failures, calls), thresholds.rate(slow, calls));
  }
}
