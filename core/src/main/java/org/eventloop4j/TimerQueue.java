package org.eventloop4j;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The loop's pending timeouts and intervals, in Node.js's exact order. Loop thread only.
 */
final class TimerQueue {
  /*
   * Overview — Node's own design (lib/internal/timers.js), reproduced decision for decision so that the
   * order is Node's in every case, overdue timers included. Timers with the same delay go into one FIFO
   * list (TimerList); since the clock never goes back, each list is sorted by expiry. A binary min-heap
   * orders the lists by (expiry, id): `expiry` is the list's key — its first timer's expiry when created,
   * re-set when the list is looked at and found early — and `id` a counter taken at creation and at every
   * re-key, which breaks ties between lists as Node's timerListId does. An open-addressing map finds the
   * list of a delay. Arming is an O(1) append (plus a heap insert for a new delay); clearing is an O(1)
   * unlink that also drops a list it empties (Node's unenroll); taking the next timer costs a heap sift
   * per list, not per timer.
   *
   * The timers phase (EventLoop.timersStep) works as Node's processTimers/listOnTimeout: take the top list
   * if its expiry is due, run its timers one by one while they are due (a drain after each), then re-key it
   * to max(next expiry, now + 1) with a fresh id, or drop it once empty. So a list runs all its due timers
   * before the next list, even overdue ones of other lists that expired earlier (scenario 62). A timer
   * unlinked to run is removed without dropping its list (Node's L.remove), so an interval re-armed by its
   * own callback rejoins the same list.
   *
   * Tested by TimerQueueTest (random schedules against a transliteration of Node's algorithm) and the
   * timer conformance scenarios (13, 14, 16, 17, 19, 62).
   */
  static final class TimerList {
    final int delay;
    @Nullable TimerImpl head;
    @Nullable TimerImpl tail;
    long expiry;
    long id;
    int heapIndex = -1;

    TimerList(int delay) {
      this.delay = delay;
    }

    boolean before(TimerList other) {
      return expiry < other.expiry || (expiry == other.expiry && id < other.id);
    }
  }

  private TimerList[] heap = new TimerList[16];
  private int heapSize;
  private @Nullable TimerList[] table = new TimerList[16];
  private int tableSize;
  private int count;
  private long nextListId;

  /** Appends {@code t}, whose {@code due} is set, to the list of its delay. */
  void add(TimerImpl t) {
    TimerList list = find(t.delay);
    if (list == null) {
      list = new TimerList(t.delay);
      put(list);
      list.expiry = t.due;
      list.id = nextListId++;
      heapInsert(list);
    }
    link(list, t);
    count++;
  }

  /**
   * Node's refresh (insert → L.append): moves {@code t} to the tail of the list of its delay with the new
   * {@code due}. A queued timer is already in that list, so no lookup is needed; one unlinked to run (an
   * interval refreshed from its own callback) is appended as by {@link #add}.
   */
  void rearm(TimerImpl t, long due) {
    TimerList list = t.list;
    if (list == null) {
      t.due = due;
      add(t);
      return;
    }
    unlink(t);
    t.due = due;
    link(list, t);
    count++;
  }

  /** Node's unenroll: unlinks {@code t} if it is queued, and drops its list if that empties it. */
  void remove(TimerImpl t) {
    TimerList list = t.list;
    if (list == null) {
      return;
    }
    unlink(t);
    if (list.head == null) {
      drop(list);
    }
  }

  /** Node's L.remove: unlinks {@code t} but keeps its list, even empty (refresh, or a timer about to run). */
  void unlink(TimerImpl t) {
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

  /** The list with the smallest (expiry, id), or {@code null}. */
  @Nullable TimerList top() {
    return heapSize == 0 ? null : heap[0];
  }

  /** The expiry of the top list (the earliest moment a timer may be due), or {@code Long.MAX_VALUE}. */
  long nextExpiry() {
    return heapSize == 0 ? Long.MAX_VALUE : heap[0].expiry;
  }

  /** Re-keys {@code list}, found early, to {@code expiry} with a fresh id (Node's listOnTimeout). */
  void rekey(TimerList list, long expiry) {
    list.expiry = expiry;
    list.id = nextListId++;
    if (list.heapIndex >= 0) {
      siftDown(list.heapIndex);
    }
  }

  /** Removes {@code list} from the heap and the map, if it is still there. */
  void drop(TimerList list) {
    if (list.heapIndex >= 0) {
      heapRemoveAt(list.heapIndex);
      delete(list);
    }
  }

  /** The number of queued timers. */
  int size() {
    return count;
  }

  /** Drops every timer, deactivating each. */
  void clear() {
    TimerList list;
    while ((list = top()) != null) {
      TimerImpl t;
      while ((t = list.head) != null) {
        unlink(t);
        t.deactivate();
      }
      drop(list);
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

  // ---- binary heap of lists, keyed by (expiry, id) ----

  private void heapInsert(TimerList list) {
    if (heapSize == heap.length) {
      heap = Arrays.copyOf(heap, heapSize << 1);
    }
    siftUp(heapSize++, list);
  }

  private void heapRemoveAt(int i) {
    TimerList removed = heap[i];
    TimerList last = heap[--heapSize];
    heap[heapSize] = null;
    removed.heapIndex = -1;
    if (i < heapSize) {
      siftUp(i, last);
      if (heap[i] == last) {
        siftDown(i);
      }
    }
  }

  private void siftUp(int index, TimerList list) {
    int i = index;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      TimerList p = heap[parent];
      if (!list.before(p)) {
        break;
      }
      place(i, p);
      i = parent;
    }
    place(i, list);
  }

  private void siftDown(int index) {
    int i = index;
    TimerList x = heap[i];
    int half = heapSize >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      TimerList c = heap[child];
      int right = child + 1;
      if (right < heapSize && heap[right].before(c)) {
        child = right;
        c = heap[child];
      }
      if (!c.before(x)) {
        break;
      }
      place(i, c);
      i = child;
    }
    place(i, x);
  }

  private void place(int i, TimerList list) {
    heap[i] = list;
    list.heapIndex = i;
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
