package org.eventloop4j.sync;

import java.util.ArrayDeque;

/**
 * The sequential specification of {@link PermitCore}, which the core Lincheck tests of {@link Semaphore},
 * {@link Mutex} and {@link ReadWriteMutex} check against: a weighted, strictly FIFO count of permits with
 * a waiter queue, abort of a thread's last queued acquire, resize and close.
 */
class PermitModel {
  static final int GRANTED = 0;
  static final int QUEUED = 1;
  static final int REJECTED = 2;
  static final int BAD_WEIGHT = 3;
  /** A try that would have to wait: nothing taken. */
  static final int BUSY = 4;
  static final int THREADS = 8; // thread ids, including the init and post parts

  private int capacity;
  private int held;
  private boolean closed;
  private final ArrayDeque<Ticket> queue = new ArrayDeque<>();
  private final Ticket[] last = new Ticket[THREADS];

  PermitModel(int capacity) {
    this.capacity = capacity;
  }

  private static final class Ticket {
    final int n;
    boolean queued = true;

    Ticket(int n) {
      this.n = n;
    }
  }

  /** An acquire of {@code n}: granted at once, queued (then the thread's last queued), or refused. */
  int enter(int thread, int n) {
    if (n > capacity) {
      return BAD_WEIGHT;
    }
    if (closed) {
      return REJECTED;
    }
    if (queue.isEmpty() && held + n <= capacity) {
      held += n;
      return GRANTED;
    }
    Ticket t = new Ticket(n);
    queue.add(t);
    last[thread] = t;
    return QUEUED;
  }

  /** Aborts the thread's last queued acquire (once): true if it was still waiting, so the abort took it. */
  boolean abort(int thread) {
    Ticket t = last[thread];
    last[thread] = null;
    if (t == null || !t.queued) {
      return false;
    }
    queue.remove(t);
    t.queued = false;
    drain();
    return true;
  }

  /** A try of {@code n}: refused as an acquire would be (weight first, then closed), else taken or busy. */
  int tryAcquire(int n) {
    if (n > capacity) {
      return BAD_WEIGHT;
    }
    if (closed) {
      return REJECTED;
    }
    if (!queue.isEmpty() || held + n > capacity) {
      return BUSY;
    }
    held += n;
    return GRANTED;
  }

  /** Returns {@code n} permits if the number held is within [min, max]. */
  boolean release(int n, int min, int max) {
    if (held < min || held > max) {
      return false;
    }
    held -= n;
    drain();
    return true;
  }

  int available() {
    return Math.max(0, capacity - held);
  }

  int held() {
    return held;
  }

  int waiting() {
    return queue.size();
  }

  void resize(int permits) {
    capacity = permits;
    queue.removeIf(t -> {
      boolean heavy = t.n > permits;
      if (heavy) {
        t.queued = false;
      }
      return heavy;
    });
    drain();
  }

  void close() {
    if (!closed) {
      closed = true;
      queue.forEach(t -> t.queued = false);
      queue.clear();
    }
  }

  private void drain() {
    while (!queue.isEmpty() && held + queue.peek().n <= capacity) {
      Ticket t = queue.poll();
      t.queued = false;
      held += t.n;
    }
  }
}
