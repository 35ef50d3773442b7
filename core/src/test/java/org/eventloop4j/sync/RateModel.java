package org.eventloop4j.sync;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The sequential specification of {@link RateCore}: a rate limiter of {@code limit} permits per {@code
 * interval} — fixed windows opening on demand, or a sliding window — with a FIFO queue of weighted
 * acquires, abort, close, and time that moves only when {@link #advance()} says so (the wake-up then comes
 * exactly on time). Answers use {@link PermitModel}'s codes. For Lincheck: public, with a public
 * constructor per configuration in the subclasses of the tests.
 */
public class RateModel {
  static final int LIMIT = 2;
  static final long INTERVAL = 10;
  static final long STEP = 5;

  private static final class Entry {
    final int n;
    int status = PermitModel.QUEUED;

    Entry(int n) {
      this.n = n;
    }
  }

  private final boolean sliding;
  private long time;
  private long windowEnd = Long.MIN_VALUE / 4;
  private int used;
  /** Sliding: the grant time of each permit granted, oldest first. */
  private final List<Long> grants = new ArrayList<>();
  private final ArrayDeque<Entry> queue = new ArrayDeque<>();
  private final Entry[] last = new Entry[PermitModel.THREADS];
  private boolean closed;

  protected RateModel(boolean sliding) {
    this.sliding = sliding;
  }

  private boolean fits(int n) {
    if (sliding) {
      int size = grants.size();
      return size + n <= LIMIT || grants.get(size + n - LIMIT - 1) <= time - INTERVAL;
    }
    return time >= windowEnd || used + n <= LIMIT;
  }

  private void take(int n) {
    if (sliding) {
      for (int i = 0; i < n; i++) {
        grants.add(time);
      }
      return;
    }
    if (time >= windowEnd) {
      windowEnd = time + INTERVAL;
      used = 0;
    }
    used += n;
  }

  private void serve() {
    while (!queue.isEmpty() && fits(queue.peekFirst().n)) {
      Entry e = queue.pollFirst();
      take(e.n);
      e.status = PermitModel.GRANTED;
    }
  }

  protected int enter(int thread, int n) {
    if (closed) {
      return PermitModel.REJECTED;
    }
    if (queue.isEmpty() && fits(n)) {
      take(n);
      return PermitModel.GRANTED;
    }
    Entry e = new Entry(n);
    queue.addLast(e);
    last[thread] = e;
    return PermitModel.QUEUED;
  }

  protected boolean abort(int thread) {
    Entry e = last[thread];
    last[thread] = null;
    if (e == null || e.status != PermitModel.QUEUED) {
      return false;
    }
    e.status = PermitModel.REJECTED;
    queue.remove(e);
    serve();
    return true;
  }

  protected int tryAcquire(int n) {
    if (closed) {
      return PermitModel.REJECTED;
    }
    if (queue.isEmpty() && fits(n)) {
      take(n);
      return PermitModel.GRANTED;
    }
    return PermitModel.BUSY;
  }

  protected void advance() {
    time += STEP;
    serve();
  }

  protected int available() {
    int n = 0;
    while (n < LIMIT && fits(n + 1)) {
      n++;
    }
    return n;
  }

  protected int waiting() {
    return queue.size();
  }

  protected void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Entry e : queue) {
      e.status = PermitModel.REJECTED;
    }
    queue.clear();
  }
}
