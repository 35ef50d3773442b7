package org.eventloop4j.sync;

import java.util.ArrayList;

/**
 * The sequential specification of {@link PermitCore}, which the core Lincheck tests of {@link Semaphore},
 * {@link Mutex} and {@link ReadWriteMutex} check against: a weighted count of permits with a waiter queue
 * served by priority (higher first) and strictly FIFO within one, abort of a thread's last queued acquire,
 * resize and close. An arrival is granted at once if its permits fit and no waiter of its priority or
 * higher queues; a try is an arrival of priority 0 that never queues.
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
  /** Sorted by priority, descending; FIFO within one priority. */
  private final ArrayList<Ticket> queue = new ArrayList<>();
  private final Ticket[] last = new Ticket[THREADS];

  PermitModel(int capacity) {
    this.capacity = capacity;
  }

  private static final class Ticket {
    final int n;
    final int priority;
    boolean queued = true;

    Ticket(int n, int priority) {
      this.n = n;
      this.priority = priority;
    }
  }

  /** An acquire of {@code n} at priority 0. */
  int enter(int thread, int n) {
    return enter(thread, n, 0);
  }

  /**
   * An acquire of {@code n} at {@code priority}: granted at once, queued behind every waiter of its priority
   * or higher (then the thread's last queued), or refused.
   */
  int enter(int thread, int n, int priority) {
    if (n > capacity) {
      return BAD_WEIGHT;
    }
    if (closed) {
      return REJECTED;
    }
    if (headBelow(priority) && held + n <= capacity) {
      held += n;
      return GRANTED;
    }
    Ticket t = new Ticket(n, priority);
    int at = 0;
    while (at < queue.size() && queue.get(at).priority >= priority) {
      at++;
    }
    queue.add(at, t);
    last[thread] = t;
    return QUEUED;
  }

  /** Whether an arrival of {@code priority} would be the head of the queue. */
  private boolean headBelow(int priority) {
    return queue.isEmpty() || queue.getFirst().priority < priority;
  }

  /** Forgets the thread's last queued acquire: its later request, granted or refused, is the one an abort targets. */
  void forget(int thread) {
    last[thread] = null;
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
    if (!headBelow(0) || held + n > capacity) {
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
    while (!queue.isEmpty() && held + queue.getFirst().n <= capacity) {
      Ticket t = queue.removeFirst();
      t.queued = false;
      held += t.n;
    }
  }
}
