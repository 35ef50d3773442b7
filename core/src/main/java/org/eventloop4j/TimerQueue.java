package org.eventloop4j;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The loop's pending timeouts and intervals, handed out in exact order of expiry, ties in order of arming.
 * Loop thread only.
 */
final class TimerQueue {
  /*
   * Overview — Node's design (lib/internal/timers.js), made exact. Timers with the same delay go into one
   * FIFO list; because the loop's clock never goes back, each list is already sorted by (due, seq). A binary
   * min-heap orders the lists by the key of their head, and an open-addressing map finds the list of a
   * delay. So arming is an O(1) append (plus a heap insert for a new delay), clearing is an O(1) unlink,
   * and taking the next timer costs one sift of a heap whose size is the number of distinct delays.
   *
   * Keys are refreshed lazily: clearing or firing a list's head only ever makes its real key larger than
   * the one the heap holds, so peek() repairs the top (re-key and sift down, or drop an empty list) until
   * the top's key is exact. A key that is too small can only delay the list's turn to be looked at, never
   * reorder timers. Unlike Node, each step takes one timer rather than draining a whole list, so overdue
   * timers of different delays still run in order of start + delay.
   *
   * Tested by TimerQueueTest (random arm/clear/fire sequences against a sorted reference model).
   */
  static final class TimerList {
    final int delay;
    @Nullable TimerImpl head;
    @Nullable TimerImpl tail;
    long keyDue;
    long keySeq;

    TimerList(int delay) {
      this.delay = delay;
    }

    boolean keyBefore(TimerList other) {
      return keyDue < other.keyDue || (keyDue == other.keyDue && keySeq < other.keySeq);
    }
  }

  private TimerList[] heap = new TimerList[16];
  private int heapSize;
  private @Nullable TimerList[] table = new TimerList[16];
  private int tableSize;
  private int count;

  /** Appends {@code t}, whose {@code due} and {@code seq} are set. */
  void add(TimerImpl t) {
    TimerList list = find(t.delay);
    if (list == null) {
      list = new TimerList(t.delay);
      put(list);
      link(list, t);
      list.keyDue = t.due;
      list.keySeq = t.seq;
      heapInsert(list);
    } else {
      link(list, t);
    }
    count++;
  }

  /** Unlinks {@code t} if it is queued. */
  void remove(TimerImpl t) {
    TimerList list = t.list;
    if (list == null) {
      return;
    }
    TimerImpl p = t.prev;
    TimerImpl n = t.next;
    if (p == null) {
      list.head = n;
    } else {
      p.next = n;
    }
    if (n == null) {
      list.tail = p;
    } else {
      n.prev = p;
    }
    t.prev = t.next = null;
    t.list = null;
    count--;
  }

  /** The next timer to fire, or {@code null} if none is queued. */
  @Nullable TimerImpl peek() {
    while (heapSize > 0) {
      TimerList top = heap[0];
      TimerImpl h = top.head;
      if (h == null) {
        heapRemoveTop();
        delete(top);
      } else if (h.due != top.keyDue || h.seq != top.keySeq) {
        top.keyDue = h.due;
        top.keySeq = h.seq;
        siftDown(0);
      } else {
        return h;
      }
    }
    return null;
  }

  /** Removes and returns the next timer if it is due at {@code now}, else {@code null}. */
  @Nullable TimerImpl pollDue(long now) {
    TimerImpl t = peek();
    if (t == null || t.due > now) {
      return null;
    }
    remove(t);
    return t;
  }

  /** The number of queued timers. */
  int size() {
    return count;
  }

  /** Drops every timer, deactivating each. */
  void clear() {
    TimerImpl t;
    while ((t = peek()) != null) {
      remove(t);
      t.deactivate();
    }
  }

  private static void link(TimerList list, TimerImpl t) {
    TimerImpl tail = list.tail;
    t.list = list;
    t.prev = tail;
    t.next = null;
    if (tail == null) {
      list.head = t;
    } else {
      tail.next = t;
    }
    list.tail = t;
  }

  // ---- binary heap of lists, keyed by (keyDue, keySeq) ----

  private void heapInsert(TimerList list) {
    if (heapSize == heap.length) {
      heap = Arrays.copyOf(heap, heapSize << 1);
    }
    int i = heapSize++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      TimerList p = heap[parent];
      if (!list.keyBefore(p)) {
        break;
      }
      heap[i] = p;
      i = parent;
    }
    heap[i] = list;
  }

  private void heapRemoveTop() {
    TimerList last = heap[--heapSize];
    heap[heapSize] = null;
    if (heapSize > 0) {
      heap[0] = last;
      siftDown(0);
    }
  }

  private void siftDown(int i) {
    TimerList x = heap[i];
    int half = heapSize >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      TimerList c = heap[child];
      int right = child + 1;
      if (right < heapSize && heap[right].keyBefore(c)) {
        child = right;
        c = heap[child];
      }
      if (!c.keyBefore(x)) {
        break;
      }
      heap[i] = c;
      i = child;
    }
    heap[i] = x;
  }

  // ---- open-addressing map delay -> list (linear probing, backward-shift deletion) ----

  private int slot(int delay) {
    return (delay * 0x9E3779B9) >>> 1 & (table.length - 1);
  }

  private @Nullable TimerList find(int delay) {
    @Nullable TimerList[] t = table;
    for (int i = slot(delay); ; i = (i + 1) & (t.length - 1)) {
      TimerList l = t[i];
      if (l == null || l.delay == delay) {
        return l;
      }
    }
  }

  private void put(TimerList list) {
    if ((tableSize + 1) * 2 > table.length) {
      rehash(table.length << 1);
    }
    insertSlot(list);
    tableSize++;
  }

  private void insertSlot(TimerList list) {
    int i = slot(list.delay);
    while (table[i] != null) {
      i = (i + 1) & (table.length - 1);
    }
    table[i] = list;
  }

  private void rehash(int capacity) {
    @Nullable TimerList[] old = table;
    table = new TimerList[capacity];
    for (TimerList l : old) {
      if (l != null) {
        insertSlot(l);
      }
    }
  }

  private void delete(TimerList list) {
    @Nullable TimerList[] t = table;
    int mask = t.length - 1;
    int i = slot(list.delay);
    while (t[i] != list) {
      i = (i + 1) & mask;
    }
    t[i] = null;
    tableSize--;
    for (int j = (i + 1) & mask; t[j] != null; j = (j + 1) & mask) {
      TimerList moved = t[j];
      t[j] = null;
      insertSlot(moved);
    }
  }
}
