package org.eventloop4j;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import org.jspecify.annotations.Nullable;

/**
 * The coroutines of one loop that have started and not ended, held weakly: the ones to unwind when the
 * run ends. Loop-confined (only the strand holding the loop touches it).
 */
final class LiveCoroutines {
  /*
   * Overview. Why weakly: a suspended body is referenced by what can resume it — the reaction it
   * registered on the promise it awaits (or, for a generator, the generator object its consumer holds) —
   * and by its own frames. If nothing outside its own frames can reach it any more, nobody can ever resume
   * it: JavaScript simply forgets such a function, and so do we. Its strand is a virtual thread started in
   * a thread container of its own (Strand.transferToNew), not in the JDK's root container, which with the
   * default jdk.trackAllThreads=true would hold every virtual thread strongly until it ends; so the body,
   * its strand and its stack become garbage together, also while the loop keeps running (a server loop
   * started with start() would otherwise grow with every body abandoned on a promise that never settles).
   * When the run ends, every body still in memory is unwound (EventLoop.unwindAll), so that no strand
   * outlives the run; one already collected had no thread left to end.
   *
   * A link whose coroutine was collected is dropped when the loop next registers a body (from the
   * reference queue) or when a walk finds it cleared; if that coroutine held a strand (which was collected
   * with it), Strand's count of live strands is corrected then, so that the count stays exact, and the JDK
   * is made to forget the collected strands' thread containers (it keeps a weak reference to each in a
   * registry that it cleans only when a container is registered: ≈ 64 bytes each until then).
   *
   * Tests: AsyncLeakTest (abandoned bodies and generators collected while the loop runs, and unwound at
   * its end), SuspendedHeapTest (the retained heap of a suspended body, with its link).
   */

  /** One live coroutine: a weak reference with the list's links. */
  static final class Link extends WeakReference<Coroutine> {
    @Nullable Link prev;
    @Nullable Link next;
    boolean linked;
    /** Whether its coroutine holds a started strand (collected with it, if it is collected). */
    boolean ownsStrand;

    Link(Coroutine c, ReferenceQueue<Coroutine> queue) {
      super(c, queue);
    }
  }

  private final ReferenceQueue<Coroutine> collected = new ReferenceQueue<>();
  private @Nullable Link head;

  /** Adds {@code c}, which has just started; returns its link. */
  Link add(Coroutine c) {
    if (dropCollected()) {
      Strand.forgetCollectedContainers();
    }
    Link l = new Link(c, collected);
    l.next = head;
    if (head != null) {
      head.prev = l;
    }
    head = l;
    l.linked = true;
    return l;
  }

  /**
   * Removes the link of a coroutine that ended (or was unwound); idempotent. The link is not cleared: its
   * coroutine drops it, so it is garbage with it, and one the GC queues anyway is skipped as unlinked.
   */
  void remove(Link l) {
    if (!l.linked) {
      return;
    }
    l.linked = false;
    Link p = l.prev;
    Link n = l.next;
    if (p == null) {
      head = n;
    } else {
      p.next = n;
    }
    if (n != null) {
      n.prev = p;
    }
    l.prev = l.next = null;
  }

  /** A live coroutine other than {@code self}, or null; drops the collected ones it passes. */
  @Nullable Coroutine anyExcept(@Nullable Coroutine self) {
    for (Link l = head; l != null;) {
      Link next = l.next;
      Coroutine c = l.get();
      if (c == null) {
        dropDead(l);
      } else if (c != self) {
        return c;
      }
      l = next;
    }
    return null;
  }

  /**
   * The number of live coroutines not collected (a walk over the list: for tests and diagnostics); lets
   * the JDK forget the thread containers of the strands collected since the last look.
   */
  int size() {
    int n = 0;
    boolean strands = false;
    for (Link l = head; l != null;) {
      Link next = l.next;
      if (l.get() == null) {
        strands |= dropDead(l);
      } else {
        n++;
      }
      l = next;
    }
    if (strands | dropCollected()) {
      Strand.forgetCollectedContainers();
    }
    return n;
  }

  /** Drops the links the GC queued; whether a strand went with one of them. */
  private boolean dropCollected() {
    boolean strands = false;
    Reference<? extends Coroutine> r;
    while ((r = collected.poll()) != null) {
      strands |= dropDead((Link) r);
    }
    return strands;
  }

  /** Drops a link whose coroutine was collected; whether a strand went with it (then counted off). */
  private boolean dropDead(Link l) {
    if (!l.linked) {
      return false;
    }
    remove(l);
    if (l.ownsStrand) {
      Strand.collectedWithItsCoroutine();
      return true;
    }
    return false;
  }
}
