package org.eventloop4j.sync;

import static java.util.Objects.requireNonNull;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.internal.Bridge;
import org.eventloop4j.stream.AsyncIterable;
import org.eventloop4j.stream.AsyncIterator;
import org.eventloop4j.stream.IteratorResult;
import org.jspecify.annotations.Nullable;

/**
 * An async producer–consumer queue with backpressure: bounded, unbounded or rendezvous, with an overflow
 * policy, closeable, cancellable, and an {@link AsyncIterable} whose consumers share the items. Safe to
 * share between loops and threads.
 *
 * <pre>{@code
 * AsyncQueue<Job> jobs = AsyncQueue.bounded(64);
 * producer: jobs.push(job).thenRun(...);      // waits while 64 jobs are queued
 * consumer: jobs.forEach(job -> handle(job)); // several consumers split the jobs, each job to one
 * jobs.close();                               // consumers drain what is queued, then finish
 * }</pre>
 *
 * <h2>Kinds</h2>
 *
 * <ul>
 *   <li>{@link #bounded(int)}: at most {@code capacity} items are buffered; {@link #push} waits for room
 *       (the default {@link Overflow#WAIT}), or, with {@link Builder#overflow}, drops the oldest buffered
 *       item ({@link Overflow#DROP_OLDEST}) or the pushed one ({@link Overflow#DROP_NEWEST}) instead;
 *   <li>{@link #conflated()}: capacity 1 and drop-oldest — consumers see the latest item;
 *   <li>{@link #rendezvous()} (capacity 0): nothing is buffered; a push waits until a consumer takes its
 *       item;
 *   <li>{@link #unbounded()}: a push never waits.
 * </ul>
 *
 * <h2>Reserving room</h2>
 *
 * <p>A producer that takes its item from somewhere else (another queue, a socket) can first make sure
 * there is room: {@link #reserve()} waits for room like a push (in one FIFO with the waiting pushes) and
 * grants a {@link Permit}; {@link #tryReserve()} grants one only if there is room now. The permit's
 * {@link Permit#send send} then never waits, and its {@link Permit#release release} (or {@code close}, for
 * try-with-resources) gives the room back unused. On a bounded {@link Overflow#WAIT} queue, an
 * outstanding permit counts against the capacity ({@link #reserved()}); elsewhere it holds no room. A
 * rendezvous queue has no room to reserve.
 *
 * <h2>Ordering</h2>
 *
 * <p>Items leave in the order they entered: the buffer is FIFO, and a waiting push enters it (or meets a
 * consumer) in the order the pushes began waiting. Waiting consumers are served in the order they began
 * waiting; each item goes to exactly one consumer. A consumer arriving while items are buffered takes the
 * oldest at once. Pushes from different threads that overlap in time enter in some order; pushes from one
 * thread enter in program order.
 *
 * <h2>Threads</h2>
 *
 * <p>Every method is thread-safe. The promise-returning ones ({@code push}, {@code reserve}, {@code pop},
 * {@code popMany}, the iterator's {@code next}) must be called on a loop thread; their promise belongs to,
 * and settles on, the calling loop, also when another thread supplies the item or the room (the settlement
 * is then posted to that loop). {@link #offer}, {@link #tryReserve}, a permit's send and release, {@link
 * #poll}, {@link #close}, {@link #cancel} and the introspection methods work on any thread. Everything a
 * producer did before pushing an item happens-before the consumer's reactions to receiving it. With nobody
 * waiting and no permit holding room, push and pop take no lock (a CAS on one state word, and a slot in a
 * ring buffer); on the queue's first loop a push that need not wait allocates nothing. Liveness is the
 * {@link Semaphore}'s: a queue created inside a loop callback and used by that loop only keeps nothing
 * alive while a call waits (as a pending promise in JavaScript); a queue created outside any loop, or used
 * by another loop or thread, keeps each waiting call's loop alive.
 *
 * <h2>Closing and cancelling</h2>
 *
 * <ul>
 *   <li>{@link #close()}: no more pushes — waiting and later pushes and reserves reject with {@link
 *       ClosedError}, and an outstanding permit's send throws it (its release does nothing);
 *       consumers drain what is buffered, then every pop gets {@code {done: true}} (popMany: the empty
 *       list) and iterations end;
 *   <li>{@link #close(Throwable)}: the same, but once drained consumers are rejected with the cause (and
 *       the pushes' {@link ClosedError} carries it as its cause);
 *   <li>{@link #cancel(Throwable)}: the buffer is discarded, each item handed to the {@linkplain
 *       Builder#onUndelivered onUndelivered hook}; waiting and later consumers are rejected with the cause,
 *       pushes as after {@code close}.
 * </ul>
 *
 * <p>The hook also receives every item dropped by an overflow policy and every item handed to a consumer
 * whose loop was closed before it could take it: nothing the queue accepted is lost silently. Items whose
 * push was rejected (by close, cancel or abort) are not passed to the hook: the rejection returns them to
 * their producer.
 *
 * <p>Without a hook, items that {@code cancel} discards or that could not reach a consumer's closed loop
 * are reported lost on the {@link System.Logger} named after this class: one {@code WARNING} record per call
 * that lost items, giving their count and the reason. Items dropped by an overflow policy, which is what
 * the policy asks for, are reported at {@code DEBUG} only.
 *
 * <h2>Cancellation</h2>
 *
 * <p>A push or pop with an {@link AbortSignal} that is already aborted rejects with the signal's reason and
 * changes nothing. If the signal aborts while the call waits, exactly that waiter leaves and rejects with
 * the reason; the pushed item is not enqueued. If the call was served first — an item handed to the
 * consumer, or the pushed item taken in — the abort does nothing and the call fulfils: no item is lost or
 * duplicated.
 *
 * <h2>Errors</h2>
 *
 * <p>A {@code null} item throws {@link NullPointerException}; a negative capacity, or a drop policy on a
 * rendezvous queue, {@link IllegalArgumentException}; {@link #offer} after close throws {@link
 * ClosedError}. An exception thrown by the hook does not stop the other items from being handed to it;
 * on a loop thread it is rethrown from a nextTick (reaching the loop's uncaught-exception handler),
 * elsewhere thrown from the call that dropped the items, once all were handed over.
 *
 * @param <T> the item type
 */
public final class AsyncQueue<T> implements AsyncIterable<T> {
  /*
   * Overview for maintainers.
   *
   * State word (`state`, volatile long, changed by CAS or atomic add/or):
   *
   *   bit 63 SLOW | bit 62 CLOSED | bits 31..61 tail index | bits 0..30 head index   (both mod 2^31)
   *
   * size = tail - head. A producer reserves by moving the tail and then puts its item at the old tail
   * index; a consumer claims by moving the head and takes the items at the old head indexes (see
   * QueueBuffer for why neither can fail, and why the short wait for another thread's put or take it
   * committed to ends in a park: a waiter that only spun kept a virtual thread off every carrier, and
   * SyncStressTest hung). Because the indexes live in the state word, the CAS that admits
   * a call also fixes which item it gets: the k-th claim gets the k-th reserved item, which is what makes
   * the queue linearizable (with separate counters, a later claimer could take an earlier item). SLOW means
   * somebody waits — consumers (`takers`, only while size == 0) or producers (`putters`: pushes and
   * reserves, only while size + held == capacity) — or a permit holds room (held = `reserved` on a
   * bounded WAIT queue, 0 elsewhere). Both lists, `reserved` and the SLOW bit are changed only under
   * `lock`. A waiter sets
   * SLOW by a CAS on the very state it found empty (or full), so a fast-path push or pop racing with it
   * either happened first (the waiter's CAS fails and it re-reads) or sees SLOW and takes the lock: no lost
   * wake-up. While SLOW is set, no fast path changes `size`.
   *
   * Fast paths: push CAS tail+1 if !SLOW && !CLOSED && size < capacity (held is 0 while SLOW is clear),
   * then put; pop CAS head+1 if !SLOW
   * && size > 0, then take (a closed queue still drains). Slow paths, under the lock: a push hands its
   * item straight to the oldest taker, or reserves room, or queues a Putter; a pop claims items and moves
   * one waiting putter's item into the buffer per slot it freed (so FIFO holds: the putters' items go in
   * behind the buffered ones, in putter order), or — rendezvous — takes items straight from putters, or
   * queues a Taker. Nodes go WAITING -> GRANTED (served, under the lock) or -> CANCELLED (abort, close),
   * by CAS; the loser of that race does nothing, which is why an abort never loses an item.
   *
   * A drop-oldest push into a full queue moves both indexes in one CAS (drop the oldest, reserve its
   * place), so that nobody sees the queue without either item (AsyncQueueCoreLincheckTest found a poll
   * answering null in between when these were two steps).
   *
   * size() reads the state word without the lock only while SLOW is clear. With somebody waiting, a locked
   * section may be between the two CASes of one change (a take's claim, then the reserve of the waiting
   * push's item that the freed room lets in), which no fast path can see (they need SLOW clear) but a bare
   * read would: so size() reads under the lock then. The model checks at -Deventloop4j.stress=5
   * (AsyncQueueLincheckTest, AsyncQueueReserveCoreLincheckTest) found size() 0 between the two.
   *
   * `lock` is a monitor: a spin lock (one CAS in, a release store out) was faster on one loop but, with
   * producers and consumers on different threads, its timed back-off parks made the cross-thread queue
   * bimodal (40 -> 46-140 ns per item), where a monitor wakes a blocked contender at once. A plain pop's
   * Taker (no signal, no select) changes status only under it, so its grant is a plain write; SLOW is
   * cleared by a release store (while it is set only lock holders write the word).
   *
   * Promises are settled after the lock is released (WaitNode.settle through the queue's Settler: at once
   * on the waiting loop, else posted). A handed-over item whose consumer's loop turned out to be closed
   * goes to the hook; without a hook, undelivered() logs each call's losses once (Loss: WARNING, except
   * the overflow policy's drops at DEBUG; AsyncQueueTest reads the records). place() and claim() are the
   * loop-free cores of push/offer and pop/popMany (the Settler seam: model-checking tests run them with a
   * recording settler and no loop).
   *
   * Reservation (reserve, tryReserve, Permit). `reserved` counts the permits granted and neither sent nor
   * released nor refused; reserved() reads it under the lock, and a send moves its count to its item (or
   * to a consumer) inside one lock section, so reserved() and size() stay linearizable together. On a
   * bounded WAIT queue a permit holds room: reserveRoom sets SLOW before it checks size + reserved <
   * capacity (a fast push racing with it either CASed first, and counts, or sees SLOW), and
   * updateSlowLocked keeps SLOW while held > 0, so every push and offer meanwhile runs placeLocked, which
   * checks size + held. Unbounded and drop-policy queues hold no room: their permits only count, SLOW is
   * not touched, and a send is a push under the policy. A waiting reserve is a Reserver in `putters`, so
   * reserves and pushes share one FIFO; room goes to the oldest (placeLocked: a push that finds a producer
   * waiting waits behind it; a permit's send does not, its room being its own). Invariant: a producer
   * waits only while there is no room, so every step that frees room calls admitLocked, which serves the
   * oldest producers while room lasts: a pop (freed places), a send whose item went straight to a consumer
   * (its permit's place), a release. An abort frees none. A bounded queue never hands a waiting push's
   * item to a consumer past the room (only rendezvous does, takeFromPuttersLocked): a consumer waits with
   * it until a permit is sent or released, and admitLocked then gives the push's item to that consumer.
   * The races: grant vs abort — the Reserver's WAITING -> GRANTED (under the lock, with reserved + 1) or
   * -> CANCELLED CAS decides; an abort that lost leaves the permit with the caller (AsyncQueueReserveTest
   * reserve_abortAfterTheGrant..., AsyncQueueReserveCoreLincheckTest). Release vs pending waiters — the
   * release and the admission of the next waiter are one lock section, so room is never both free and
   * waited for (release_givesTheRoom..., the core check, AsyncQueueReserveStressTest's final room count).
   * Send vs close — both take the lock; a send after the CLOSED bit throws ClosedError, spends the permit
   * (REFUSED) and gives the item back to its caller, not to the hook (close_waitingReservesReject...). A
   * permit granted to a closed loop — settleServed sees the settler's false and releases it, in the same
   * loop over `served` (no recursion), so the room goes to the next waiter (grantToAClosedLoop...).
   * Permit state (UNUSED, SENT, RELEASED, REFUSED) is guarded by the lock; send and release work from any
   * thread and note their caller (LoopHome), as they may grant a waiter.
   *
   * select() (Select.java) queues one Taker per queue, all settled by the Select, which lets exactly one
   * of them be granted (Taker.grant); registering on a queue with items ready takes one under the lock
   * with SLOW set (enterSelect), so that it never takes an item it cannot keep.
   *
   * Tests: AsyncQueueTest, AsyncQueueCoreLincheckTest (model checking, loop-free: bounded, rendezvous,
   * conflated, with abort, close and cancel, against a sequential FIFO), AsyncQueueReserveTest,
   * AsyncQueueReserveCoreLincheckTest (the same core with reserve, tryReserve, send, release, reserved;
   * capacity 1 and 2, conflated), AsyncQueueReserveStressTest, AsyncQueueLincheckTest (stress
   * mode through real loops), AsyncQueueSelectTest, SyncStressTest, SeedProgramsTest, RingStarvationTest
   * (the buffer's waits give their carrier up).
   */
  private static final System.Logger LOG = System.getLogger(AsyncQueue.class.getName());
  private static final VarHandle STATE;
  private static final Bridge.Promises PROMISES = Bridge.promises();

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(AsyncQueue.class, "state", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final long M31 = (1L << 31) - 1;
  private static final int TAIL_SHIFT = 31;
  private static final long INDEXES = (M31 << TAIL_SHIFT) | M31;
  private static final long UNBOUNDED = M31 - 1;
  private static final long CLOSED = 1L << 62;
  private static final long SLOW = 1L << 63;
  private static final Object PLACED = new Object();
  private static final Object FULL = new Object();
  private static final Object DROPPED = new Object();
  private static final Object QUEUE_TAKER = new Object();

  /** What a bounded queue does with a push when it is full. */
  public enum Overflow {
    /** The push waits for room; {@code offer} answers false. The default. */
    WAIT,
    /** The oldest buffered item is dropped (to the hook) to make room; push and offer never wait. */
    DROP_OLDEST,
    /** The pushed item is dropped (to the hook) and push fulfils; {@code offer} answers false. */
    DROP_NEWEST
  }

  private final long capacity;
  private final Overflow overflow;
  private final @Nullable Consumer<? super T> onUndelivered;
  private final Settler settler;
  private final QueueBuffer<T> buffer;
  private final Object lock = new Object();
  private final LoopHome home = new LoopHome();
  private final Taker.Shape<T, IteratorResult<T>> single = Taker.single();
  private final Taker.Shape<T, List<T>> batch = Taker.batch();
  private final QueueNode.WaitList<Taker<T, ?>> takers = new QueueNode.WaitList<>();
  /** Waiting pushes ({@link Putter}) and reserves ({@link Reserver}), in the order they began waiting. */
  private final QueueNode.WaitList<QueueNode<?>> putters = new QueueNode.WaitList<>();
  /** Whether a permit holds room (bounded WAIT queues with a buffer): then SLOW stays set while one does. */
  private final boolean holdsRoom;
  /** Permits granted and neither sent nor released; guarded by {@code lock}. */
  private int reserved;
  private volatile long state;
  private volatile @Nullable Throwable cause;
  private volatile boolean cancelled;

  private AsyncQueue(Builder<T> b) {
    this.capacity = b.unbounded ? UNBOUNDED : b.capacity;
    this.overflow = b.overflow;
    this.onUndelivered = b.onUndelivered;
    this.settler = b.settler;
    this.holdsRoom = !b.unbounded && b.overflow == Overflow.WAIT && b.capacity > 0;
    this.buffer = b.unbounded ? QueueBuffer.unbounded() : QueueBuffer.bounded(Math.max(1, b.capacity));
  }

  // ------------------------------------------------------------------------------------------------
  // Factories

  /** A queue buffering at most {@code capacity} items, whose push waits for room (0: {@link #rendezvous()}). */
  public static <T> AsyncQueue<T> bounded(int capacity) {
    return AsyncQueue.<T>builder().capacity(capacity).build();
  }

  /** A queue whose push never waits. */
  public static <T> AsyncQueue<T> unbounded() {
    return AsyncQueue.<T>builder().unbounded().build();
  }

  /** A queue without buffer: each push waits until a consumer takes its item. */
  public static <T> AsyncQueue<T> rendezvous() {
    return bounded(0);
  }

  /** Capacity 1, {@link Overflow#DROP_OLDEST}: a consumer gets the latest item; a push never waits. */
  public static <T> AsyncQueue<T> conflated() {
    return AsyncQueue.<T>builder().capacity(1).overflow(Overflow.DROP_OLDEST).build();
  }

  /** A builder: capacity 16, {@link Overflow#WAIT}, no hook. */
  public static <T> Builder<T> builder() {
    return new Builder<>();
  }

  private static long head(long s) {
    return s & M31;
  }

  private static long tail(long s) {
    return (s >>> TAIL_SHIFT) & M31;
  }

  private static long size(long s) {
    return (tail(s) - head(s)) & M31;
  }

  /** {@code s} with the tail index moved by one: a reservation. */
  private static long reserved(long s) {
    return (s & ~(M31 << TAIL_SHIFT)) | (((tail(s) + 1) & M31) << TAIL_SHIFT);
  }

  /** {@code s} with the head index moved by {@code k}: a claim of the k oldest items. */
  private static long claimed(long s, long k) {
    return (s & ~M31) | ((head(s) + k) & M31);
  }

  private boolean cas(long expected, long next) {
    return STATE.compareAndSet(this, expected, next);
  }

  Settler settler() {
    return settler;
  }

  // ------------------------------------------------------------------------------------------------
  // Producing

  /**
   * Adds {@code item}: a promise fulfilled once the item is in the queue (or handed to a consumer) — at
   * once if there is room. A full {@link Overflow#WAIT} queue makes it wait; see {@link Overflow} for the
   * others. Rejects with {@link ClosedError} once the queue is closed. Loop-affine.
   *
   * @throws NullPointerException if {@code item} is null
   */
  public Promise<@Nullable Void> push(T item) {
    Promise<@Nullable Void> done = home.resolvedHere();
    if (done != null && placeFast(requireNonNull(item, "item")) == PLACED) {
      return done;
    }
    return push(item, null, EventLoop.current());
  }

  /** {@link #push(Object)}, giving up (the item not enqueued) if {@code signal} aborts while it waits. */
  public Promise<@Nullable Void> push(T item, AbortSignal signal) {
    return push(item, requireNonNull(signal, "signal"), EventLoop.current());
  }

  private Promise<@Nullable Void> push(T item, @Nullable AbortSignal signal, EventLoop loop) {
    requireNonNull(item, "item");
    if (signal != null && signal.aborted()) {
      return Promise.reject(requireNonNull(signal.reason()));
    }
    Promise<@Nullable Void> done = home.resolved(loop);
    Object placed = place(item, true, loop);
    if (placed == PLACED || placed == DROPPED) {
      return done;
    }
    if (placed instanceof Putter<?> p) {
      if (signal != null) {
        p.listen(signal);
      }
      return p.promise();
    }
    return Promise.reject((Throwable) placed);
  }

  /**
   * The loop-free core of {@code push} ({@code mayWait}) and {@code offer}: PLACED (in the buffer, or
   * handed to a waiting consumer), DROPPED (by the overflow policy; a push's item went to the hook, an
   * offer's stays with its caller), FULL (offer only), the queued {@link Putter} (push only; waiting on
   * {@code loop}, null for a loop-free settler), or the {@link ClosedError}. Any thread.
   */
  Object place(T item, boolean mayWait, @Nullable EventLoop loop) {
    Object fast = placeFast(item);
    if (fast == PLACED || (fast != null && !mayWait)) {
      return fast;
    }
    if (fast == DROPPED) {
      undelivered(List.of(item), Loss.OVERFLOW);
      return DROPPED;
    }
    List<T> dropped = overflow == Overflow.DROP_OLDEST ? new ArrayList<>(1) : List.of();
    Object outcome;
    synchronized (lock) {
      outcome = placeLocked(item, mayWait, false, loop, dropped);
    }
    undelivered(dropped, Loss.OVERFLOW);
    if (outcome instanceof Taker<?, ?> t) {
      handTo(t, item);
      return PLACED;
    }
    if (outcome == DROPPED && mayWait) {
      undelivered(List.of(item), Loss.OVERFLOW);
    }
    return outcome;
  }

  /**
   * Adds {@code item} if that needs no waiting: true if it entered the queue (or went to a consumer);
   * false if the queue is full, in which case the caller keeps the item ({@link Overflow#DROP_OLDEST}
   * makes room instead and answers true). Any thread.
   *
   * @throws NullPointerException if {@code item} is null
   * @throws ClosedError if the queue is closed
   */
  public boolean offer(T item) {
    requireNonNull(item, "item");
    home.noteCaller();
    Object placed = place(item, false, null);
    if (placed instanceof ClosedError e) {
      throw e;
    }
    return placed == PLACED;
  }

  /** The lock-free push: PLACED, FULL, DROPPED (drop-newest and full), or null (take the lock). */
  private @Nullable Object placeFast(T item) {
    for (;;) {
      long s = state;
      if ((s & (SLOW | CLOSED)) != 0) {
        return null;
      }
      if (size(s) < capacity) {
        if (cas(s, reserved(s))) {
          buffer.put(tail(s), item);
          return PLACED;
        }
      } else if (overflow == Overflow.WAIT) {
        return FULL;
      } else if (overflow == Overflow.DROP_NEWEST) {
        return DROPPED;
      } else if (cas(s, reserved(claimed(s, 1)))) {
        undelivered(List.of(replaceOldest(s, item)), Loss.OVERFLOW);
        return PLACED;
      }
    }
  }

  /**
   * After a CAS from the full state {@code s} that moved both indexes by one (drop-oldest: one step, so
   * that nobody sees the queue without its oldest item and without the new one): takes the oldest item
   * out and puts {@code item} in; returns the dropped one. In this order: on a ring of {@code capacity}
   * slots both indexes name the same slot.
   */
  private T replaceOldest(long s, T item) {
    T dropped = buffer.take(head(s));
    buffer.put(tail(s), item);
    return dropped;
  }

  /**
   * Under the lock: a granted Taker (hand the item over after unlocking), PLACED, FULL (offer), DROPPED,
   * a queued Putter (push: {@code mayWait}), or a ClosedError. Room goes to the oldest waiting producer
   * first, so a call finding one waiting waits (or is FULL) — unless it is a permit's send ({@code
   * permitted}), whose room was set aside at its grant (its count already given back by the caller).
   */
  private Object placeLocked(T item, boolean mayWait, boolean permitted, @Nullable EventLoop loop,
      List<T> dropped) {
    for (;;) {
      long s = state;
      if ((s & CLOSED) != 0) {
        return closedForPush();
      }
      boolean first = permitted || putters.isEmpty();
      Taker<T, ?> taker = first ? takers.grantFirst() : null;
      if (taker != null) {
        updateSlowLocked();
        return taker;
      }
      if (first && size(s) + held() < capacity) {
        if (cas(s, reserved(s))) {
          buffer.put(tail(s), item);
          return PLACED;
        }
      } else if (overflow == Overflow.DROP_NEWEST) {
        return DROPPED;
      } else if (overflow == Overflow.DROP_OLDEST) {
        if (cas(s, reserved(claimed(s, 1)))) {
          dropped.add(replaceOldest(s, item));
          return PLACED;
        }
      } else if (!mayWait) {
        return FULL;
      } else if ((s & SLOW) != 0 || cas(s, s | SLOW)) {
        Putter<T> p = new Putter<>(this, item, loop, home.isShared());
        putters.add(p);
        return p;
      }
    }
  }

  private ClosedError closedForPush() {
    return new ClosedError(cancelled ? "the queue was cancelled" : "the queue is closed", cause);
  }

  // ------------------------------------------------------------------------------------------------
  // Reserving

  /**
   * Reserves room for one item, to be {@linkplain Permit#send sent} later without waiting: a promise of a
   * {@link Permit}, fulfilled at once if there is room, else once there is. Waiting reserves and waiting
   * {@link #push pushes} share one FIFO: room goes to them in the order they began waiting, so a reserve
   * queued before a push gets the room first. From its grant until it is sent or released, the permit
   * counts against the capacity: while k permits are held, at most {@code capacity - k} items are
   * buffered, and pushes beyond that wait (consumers then wait for the permits' items too).
   *
   * <p>On an {@linkplain #unbounded() unbounded} queue and on a bounded one with {@link
   * Overflow#DROP_OLDEST} or {@link Overflow#DROP_NEWEST} (so also a {@linkplain #conflated() conflated}
   * one) a reserve fulfils at once and its permit holds no room: its send is a push under the queue's
   * policy (it never waits; a drop policy may drop an item to the hook to make room, or drop the sent
   * one).
   *
   * <p>Loop-affine: the promise belongs to, and settles on, the calling loop, also when another thread
   * frees the room. If that loop is closed by the time room is granted, the permit goes back (to the
   * next waiting push or reserve): no room is lost. Rejects with {@link ClosedError} once the queue is
   * closed or cancelled (a waiting reserve too, at the close).
   *
   * @throws IllegalStateException on a rendezvous queue (capacity 0), which has no room to reserve
   */
  public Promise<Permit<T>> reserve() {
    return reserve(null, EventLoop.current());
  }

  /**
   * {@link #reserve()}, giving up if {@code signal} aborts while it waits: exactly this reserve leaves and
   * rejects with the signal's reason. If it was granted first, the abort does nothing and the promise
   * fulfils with the permit (which the caller then owns: send or release it). An already aborted signal
   * rejects at once and reserves nothing. Loop-affine.
   *
   * @throws IllegalStateException on a rendezvous queue (capacity 0)
   */
  public Promise<Permit<T>> reserve(AbortSignal signal) {
    return reserve(requireNonNull(signal, "signal"), EventLoop.current());
  }

  @SuppressWarnings("unchecked")
  private Promise<Permit<T>> reserve(@Nullable AbortSignal signal, EventLoop loop) {
    checkReservable();
    home.note(loop);
    if (signal != null && signal.aborted()) {
      return Promise.reject(requireNonNull(signal.reason()));
    }
    Object r = reserveRoom(true, loop);
    if (r instanceof Reserver<?> w) {
      if (signal != null) {
        w.listen(signal);
      }
      return (Promise<Permit<T>>) (Promise<?>) w.promise();
    }
    if (r instanceof ClosedError e) {
      return Promise.reject(e);
    }
    Promise<Permit<T>> ready = PROMISES.pending(loop);
    PROMISES.resolve(ready, r);
    return ready;
  }

  /**
   * A permit for one item if there is room now (see {@link #reserve()} for what it holds), else {@code
   * null}; never waits, and never takes room a waiting push or reserve is waiting for. Any thread.
   *
   * @throws ClosedError if the queue is closed or cancelled
   * @throws IllegalStateException on a rendezvous queue (capacity 0)
   */
  @SuppressWarnings("unchecked")
  public @Nullable Permit<T> tryReserve() {
    checkReservable();
    home.noteCaller();
    Object r = reserveRoom(false, null);
    if (r instanceof ClosedError e) {
      throw e;
    }
    return r instanceof Permit<?> p ? (Permit<T>) p : null;
  }

  private void checkReservable() {
    if (capacity == 0) {
      throw new IllegalStateException(
          "a rendezvous queue (capacity 0) has no room to reserve: push waits for a consumer instead");
    }
  }

  /**
   * The loop-free core of {@code reserve} ({@code mayWait}) and {@code tryReserve}: a granted {@link
   * Permit}, FULL (tryReserve only), the queued {@link Reserver} (reserve only; waiting on {@code loop},
   * null for a loop-free settler), or the {@link ClosedError}. Any thread.
   */
  Object reserveRoom(boolean mayWait, @Nullable EventLoop loop) {
    synchronized (lock) {
      if ((state & CLOSED) != 0) {
        return closedForPush();
      }
      if (holdsRoom) {
        setSlowLocked(); // before the room check: no fast push may fill the room meanwhile
        if (!putters.isEmpty() || size(state) + reserved >= capacity) {
          return waitForRoomLocked(mayWait, loop);
        }
      }
      reserved++;
      return new Permit<>(this);
    }
  }

  private Object waitForRoomLocked(boolean mayWait, @Nullable EventLoop loop) {
    if (!mayWait) {
      updateSlowLocked();
      return FULL;
    }
    Reserver<T> r = new Reserver<>(this, new Permit<>(this), loop, home.isShared());
    putters.add(r);
    return r;
  }

  /** Under the lock: sets SLOW (then only lock holders change the state word). */
  private void setSlowLocked() {
    for (;;) {
      long s = state;
      if ((s & SLOW) != 0 || cas(s, s | SLOW)) {
        return;
      }
    }
  }

  /**
   * Permits granted and neither sent nor released (nor refused as closed): each holds room on a bounded
   * {@link Overflow#WAIT} queue. Consistent with {@link #size()}: a send moves its permit's count to the
   * item in one step. Any thread.
   */
  public int reserved() {
    synchronized (lock) {
      return reserved;
    }
  }

  /** {@link Permit#send}: the permit's room (given back under the lock) is taken by its item. */
  private void send(Permit<T> permit, T item) {
    home.noteCaller();
    List<T> dropped = overflow == Overflow.DROP_OLDEST ? new ArrayList<>(1) : List.of();
    List<Object> served = new ArrayList<>(0);
    Object outcome;
    synchronized (lock) {
      outcome = permit.sendLocked(item, dropped, served);
    }
    if (outcome instanceof ClosedError e) {
      throw e;
    }
    undelivered(dropped, Loss.OVERFLOW);
    if (outcome instanceof Taker<?, ?> t) {
      handTo(t, item);
    } else if (outcome == DROPPED) {
      undelivered(List.of(item), Loss.OVERFLOW);
    }
    settleServed(served);
  }

  /** {@link Permit#release}. */
  private void release(Permit<T> permit) {
    home.noteCaller();
    List<Object> served = new ArrayList<>(0);
    synchronized (lock) {
      permit.releaseLocked(served);
    }
    settleServed(served);
  }

  /**
   * Room for one item in an {@link AsyncQueue}, granted by {@link AsyncQueue#reserve()} or {@link
   * AsyncQueue#tryReserve()}: {@link #send} puts one item in without waiting, or {@link #release} gives
   * the room back unused. Use it once; {@link #close()} releases an unused permit, so that
   * try-with-resources never keeps room:
   *
   * <pre>{@code
   * queue.reserve().thenAccept(permit -> source.next().then(item -> { permit.send(item); ... }));
   * try (var permit = queue.tryReserve()) { if (permit != null) permit.send(read()); }
   * }</pre>
   *
   * <p>Thread-safe: send and release may be called from any thread, not only the loop that reserved. Once
   * the queue is closed or cancelled, send throws {@link ClosedError} (the item stays with the caller: it
   * is not handed to the onUndelivered hook) and release only ends the permit.
   *
   * @param <T> the item type
   */
  public static final class Permit<T> implements AutoCloseable {
    private static final int UNUSED = 0;
    private static final int SENT = 1;
    private static final int RELEASED = 2;
    /** Spent by a send that the closed queue refused. */
    private static final int REFUSED = 3;

    private final AsyncQueue<T> queue;
    /** Guarded by the queue's lock. */
    private int state;

    private Permit(AsyncQueue<T> queue) {
      this.queue = queue;
    }

    /**
     * Puts {@code item} in without waiting: to the oldest waiting consumer, else into the buffer, behind
     * every item that entered before it (a drop policy's queue: as a push under the policy). Any thread.
     *
     * @throws NullPointerException if {@code item} is null
     * @throws IllegalStateException if this permit was already sent or released
     * @throws ClosedError if the queue was closed or cancelled (the permit is then spent; the item was not
     *     taken and stays with the caller)
     */
    public void send(T item) {
      queue.send(this, requireNonNull(item, "item"));
    }

    /**
     * Gives the room back unused, to the oldest waiting push or reserve. Does nothing after a send, a
     * release, or on a closed queue (but ends the permit). Idempotent; any thread.
     */
    public void release() {
      queue.release(this);
    }

    /** {@link #release()}: an unused permit gives its room back. */
    @Override
    public void close() {
      release();
    }

    /**
     * Under the queue's lock: the outcome of placing {@code item} (see {@code placeLocked}) or the
     * ClosedError; the room its count freed, if its item went straight to a consumer, admits waiters.
     */
    private Object sendLocked(T item, List<T> dropped, List<Object> served) {
      if (state == SENT || state == RELEASED) {
        throw new IllegalStateException(state == SENT
            ? "this permit was already used: its item was sent"
            : "this permit was released: its room went back to the queue");
      }
      if (state == REFUSED) {
        return queue.closedForPush();
      }
      queue.reserved--;
      if ((queue.state & CLOSED) != 0) {
        state = REFUSED;
        queue.updateSlowLocked();
        return queue.closedForPush();
      }
      state = SENT;
      Object outcome = queue.placeLocked(item, false, true, null, dropped);
      queue.admitLocked(served);
      return outcome;
    }

    /** Under the queue's lock: an unused permit's room goes to the oldest waiting producers. */
    private void releaseLocked(List<Object> served) {
      if (state != UNUSED) {
        return;
      }
      state = RELEASED;
      queue.reserved--;
      queue.admitLocked(served);
    }

    @Override
    public String toString() {
      return "AsyncQueue.Permit[" + switch (state) {
        case UNUSED -> "unused";
        case SENT -> "sent";
        case RELEASED -> "released";
        default -> "refused: queue closed";
      } + "]";
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Consuming

  /**
   * Takes the oldest item: {@code {value: item, done: false}} — at once if one is ready — or, once the
   * queue is closed and drained, {@code {done: true}}; rejects with the cause of {@link #close(Throwable)}
   * or {@link #cancel}. Loop-affine.
   */
  public Promise<IteratorResult<T>> pop() {
    return take(null, 1, single);
  }

  /** {@link #pop()}, giving up if {@code signal} aborts while it waits. */
  public Promise<IteratorResult<T>> pop(AbortSignal signal) {
    return take(requireNonNull(signal, "signal"), 1, single);
  }

  /**
   * Takes every item that is ready, up to {@code max}, oldest first; waits for one if none is. Fulfils with
   * a non-empty list, or — closed and drained — the empty list; rejects like {@link #pop()}. Loop-affine.
   *
   * @throws IllegalArgumentException if {@code max} is below 1
   */
  public Promise<List<T>> popMany(int max) {
    return take(null, checkMax(max), batch);
  }

  /** {@link #popMany(int)}, giving up if {@code signal} aborts while it waits. */
  public Promise<List<T>> popMany(int max, AbortSignal signal) {
    return take(requireNonNull(signal, "signal"), checkMax(max), batch);
  }

  private static int checkMax(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("popMany needs max >= 1, was " + max);
    }
    return max;
  }

  private <R> Promise<R> take(@Nullable AbortSignal signal, int max, Taker.Shape<T, R> shape) {
    EventLoop loop = home.loopHere();
    if (loop == null) {
      loop = EventLoop.current();
      home.note(loop);
    }
    if (signal != null && signal.aborted()) {
      return Promise.reject(requireNonNull(signal.reason()));
    }
    Object got = claim(max, shape, loop, signal != null);
    if (got instanceof Taker<?, ?> t) {
      if (signal != null) {
        t.listen(signal);
      }
      @SuppressWarnings("unchecked")
      Promise<R> waiting = (Promise<R>) t.promise();
      return waiting;
    }
    if (got instanceof Throwable failure) {
      return Promise.reject(failure);
    }
    Promise<R> ready = PROMISES.pending(loop);
    PROMISES.resolve(ready, got);
    return ready;
  }

  /**
   * The loop-free core of {@code pop} and {@code popMany}: what the call gets at once, shaped by {@code
   * shape} (up to {@code max} items, or the end of a closed, drained queue), the failure of a queue closed
   * with a cause (a Throwable, which no shape produces), or the queued {@link Taker} (waiting on {@code
   * loop}, null for a loop-free settler). Any thread.
   */
  <R> Object claim(int max, Taker.Shape<T, R> shape, @Nullable EventLoop loop) {
    return claim(max, shape, loop, true);
  }

  /**
   * {@link #claim(int, Taker.Shape, EventLoop)}; a queued taker that is not {@code abortable} (a pop
   * without a signal) is granted by a plain write.
   */
  private <R> Object claim(int max, Taker.Shape<T, R> shape, @Nullable EventLoop loop, boolean abortable) {
    for (;;) {
      long s = state;
      long n = size(s);
      if ((s & SLOW) != 0 || n == 0) {
        return takeSlow(max, shape, loop, abortable);
      }
      long k = Math.min(n, max);
      if (cas(s, claimed(s, k))) {
        return k == 1 ? shape.one(buffer.take(head(s))) : shape.many(takeN(head(s), k));
      }
    }
  }

  /** Takes the {@code k} items claimed from head index {@code first} on. */
  private List<T> takeN(long first, long k) {
    List<T> items = new ArrayList<>((int) k);
    for (long i = 0; i < k; i++) {
      items.add(buffer.take((first + i) & M31));
    }
    return items;
  }

  private <R> Object takeSlow(int max, Taker.Shape<T, R> shape, @Nullable EventLoop loop, boolean abortable) {
    List<Object> served = new ArrayList<>(0);
    Object outcome;
    synchronized (lock) {
      outcome = takeLocked(max, true, served);
      if (outcome == QUEUE_TAKER) {
        Taker<T, R> taker = new Taker<>(this, shape, loop, home.isShared(), abortable);
        takers.add(taker);
        outcome = taker;
      }
    }
    settleServed(served);
    return shaped(outcome, shape);
  }

  /** The outcome of takeLocked as the call reports it: items and the end shaped; a Taker or failure as is. */
  @SuppressWarnings("unchecked")
  private <R> Object shaped(Object outcome, Taker.Shape<T, R> shape) {
    if (outcome instanceof List<?> items) {
      List<T> got = (List<T>) items;
      return got.size() == 1 ? shape.one(got.getFirst()) : shape.many(got);
    }
    return outcome == PLACED ? shape.end() : outcome;
  }

  /**
   * Under the lock: the items taken (a List), the queue's failure (a Throwable), PLACED for "closed and
   * drained", FULL for "nothing ready" (poll), or QUEUE_TAKER: the caller queues a taker (SLOW is set).
   * Waiting producers the freed room admitted are added to {@code served}, to be settled after unlocking
   * ({@link #settleServed}). Only a rendezvous queue takes items straight from waiting pushes: on a
   * bounded one, pushes that wait while the buffer is empty wait for room that permits hold, and a
   * consumer waits with them (room is the permits' until they are sent or released).
   */
  private Object takeLocked(int max, boolean mayWait, List<Object> served) {
    for (;;) {
      long s = state;
      long n = size(s);
      if (n > 0) {
        long k = Math.min(n, max);
        if (cas(s, claimed(s, k))) {
          List<T> got = takeN(head(s), k);
          admitLocked(served);
          return got;
        }
        continue;
      }
      List<T> direct = capacity == 0 ? takeFromPuttersLocked(max, served) : null;
      if (direct != null) {
        return direct;
      }
      if ((s & CLOSED) != 0) {
        Throwable c = cause;
        return c != null ? c : PLACED;
      }
      if (!mayWait) {
        return FULL;
      }
      if ((s & SLOW) != 0 || cas(s, s | SLOW)) {
        return QUEUE_TAKER;
      }
    }
  }

  /** Under the lock (SLOW set, so only lock holders change the state): reserves a place; its tail index. */
  private long reserveLocked() {
    for (;;) {
      long s = state;
      if (cas(s, reserved(s))) {
        return tail(s);
      }
    }
  }

  /** Room that permits hold: counts against the capacity on queues whose permits hold room. */
  private int held() {
    return holdsRoom ? reserved : 0;
  }

  /**
   * Under the lock, after room was freed (a pop, a permit handed to a consumer or released): serves the
   * oldest waiting producers while there is room. A push's item goes to a waiting consumer if there is
   * one (only a permit can have kept them apart), else into the buffer; a reserve is granted its permit
   * (reserved + 1). Each served node is added to {@code served}, with its consumer if it had one.
   */
  @SuppressWarnings("unchecked")
  private void admitLocked(List<Object> served) {
    QueueNode<?> n;
    while (size(state) + held() < capacity && (n = putters.grantFirst()) != null) {
      if (n instanceof Reserver<?> r) {
        reserved++;
        served.add(r);
        continue;
      }
      Putter<T> p = (Putter<T>) n;
      Taker<T, ?> t = takers.grantFirst();
      if (t != null) {
        served.add(new HandOff<>(t, p));
      } else {
        buffer.put(reserveLocked(), p.item);
        served.add(p);
      }
    }
    updateSlowLocked();
  }

  /** After unlocking: gives {@code item} to the granted consumer {@code t}, or to the hook if its loop closed. */
  @SuppressWarnings("unchecked")
  private void handTo(Taker<?, ?> t, T item) {
    if (!((Taker<T, ?>) t).give(item)) {
      undelivered(List.of(item), Loss.LOOP_CLOSED);
    }
  }

  /** A waiting push whose item the lock holder gave to a waiting consumer: both settle after unlocking. */
  private record HandOff<T>(Taker<T, ?> taker, Putter<T> putter) {}

  /**
   * After unlocking: fulfils the producers {@code served} lists — a push (and the consumer its item went
   * to), a reserve with its permit. A permit that cannot reach its reserve's closed loop is released,
   * which may serve more: those are appended and settled by the same loop (no recursion).
   */
  @SuppressWarnings("unchecked")
  private void settleServed(List<Object> served) {
    for (int i = 0; i < served.size(); i++) {
      Object o = served.get(i);
      if (o instanceof Putter<?> p) {
        p.settle(null);
      } else if (o instanceof Reserver<?> r) {
        if (!((Reserver<T>) r).settle((Permit<T>) r.permit)) {
          synchronized (lock) {
            ((Permit<T>) r.permit).releaseLocked(served);
          }
        }
      } else {
        HandOff<T> h = (HandOff<T>) o;
        handTo(h.taker, h.putter.item);
        h.putter.settle(null);
      }
    }
  }

  /** Under the lock, with nothing buffered: takes up to {@code max} items straight from waiting putters. */
  @SuppressWarnings("unchecked")
  private @Nullable List<T> takeFromPuttersLocked(int max, List<Object> served) {
    List<T> got = null;
    QueueNode<?> n;
    // rendezvous only: no permits there, so every waiting producer is a push
    while ((got == null || got.size() < max) && (n = putters.grantFirst()) != null) {
      Putter<T> p = (Putter<T>) n;
      (got != null ? got : (got = new ArrayList<>())).add(p.item);
      served.add(p);
    }
    if (got != null) {
      updateSlowLocked();
    }
    return got;
  }

  /**
   * Takes the oldest item if one is ready, else answers {@code null} (also once closed and drained); never
   * waits. Any thread.
   */
  public @Nullable T poll() {
    home.noteCaller();
    for (;;) {
      long s = state;
      if ((s & SLOW) != 0) {
        return pollSlow();
      }
      if (size(s) == 0) {
        return null;
      }
      if (cas(s, claimed(s, 1))) {
        return buffer.take(head(s));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private @Nullable T pollSlow() {
    List<Object> served = new ArrayList<>(0);
    Object outcome;
    synchronized (lock) {
      outcome = takeLocked(1, false, served);
    }
    settleServed(served);
    return outcome instanceof List<?> items ? (T) items.getFirst() : null;
  }

  // ------------------------------------------------------------------------------------------------
  // Select

  /**
   * The outcome of {@link #select}: the item taken and the position (in the list given to {@code select})
   * of the queue it came from; or, once every queue is closed and drained, {@code done} (index -1, no
   * value) — as {@link IteratorResult} ends an iteration.
   *
   * @param index the position of the queue the item came from, -1 when done
   * @param value the item, null when done
   * @param done whether every queue was closed and drained
   * @param <T> the item type
   */
  public record Selected<T>(int index, @Nullable T value, boolean done) {
    /** An item from the queue at {@code index}. */
    public static <T> Selected<T> of(int index, T value) {
      return new Selected<>(index, requireNonNull(value, "value"), false);
    }

    /** The end: every queue was closed and drained. */
    public static <T> Selected<T> end() {
      return new Selected<>(-1, null, true);
    }
  }

  /**
   * Takes the first item ready from any of {@code queues}: exactly one item from exactly one queue. See
   * {@link #select(List, AbortSignal)}. Loop-affine.
   *
   * @throws IllegalArgumentException if no queue is given
   */
  @SafeVarargs
  @SuppressWarnings("varargs") // the array is only read
  public static <T> Promise<Selected<T>> select(AsyncQueue<? extends T>... queues) {
    return Select.start(List.of(queues), null);
  }

  /** {@link #select(List, AbortSignal)} without a signal. Loop-affine. */
  public static <T> Promise<Selected<T>> select(List<? extends AsyncQueue<? extends T>> queues) {
    return Select.start(queues, null);
  }

  /**
   * Takes the first item ready from any of {@code queues} — Go's {@code select} over receives, Kotlin's
   * {@code select { onReceive }}: the promise fulfils with exactly one item, taken from exactly one queue,
   * and the position of that queue in {@code queues}. Loop-affine; the queues may be shared with any
   * threads.
   *
   * <p><b>Ordering and fairness.</b> If items are ready in several queues, the select takes the oldest
   * item of one of them, trying the queues in an order that rotates from one select to the next, so that
   * no queue is starved while others always have items. Otherwise the select waits on every queue at once,
   * as one consumer among their other consumers (FIFO with their pops), and takes the first item any of
   * them is given; the other queues do not notice anything but a consumer that came and left. Never more
   * than one item is taken: an item pushed to a second queue at the same moment stays there for its next
   * consumer.
   *
   * <p><b>Closed queues.</b> A queue closed with {@link #close()} and drained drops out of the select; once
   * every queue has, the select fulfils with {@link Selected#end()} ({@code done()}). A queue closed with a
   * cause, or cancelled, rejects the select with that cause once it is drained (as its {@link #pop()}
   * would): a failure is never skipped silently.
   *
   * <p><b>Abort.</b> A signal already aborted rejects with its reason and takes nothing. An abort while
   * the select waits withdraws it from every queue and rejects with the reason — unless an item was taken
   * first (possibly on another thread, before the promise settled): then the select fulfils with it and
   * the abort does nothing. No item is lost either way.
   *
   * @throws IllegalArgumentException if {@code queues} is empty
   * @throws NullPointerException if {@code queues}, one of them or {@code signal} is null
   */
  public static <T> Promise<Selected<T>> select(List<? extends AsyncQueue<? extends T>> queues, AbortSignal signal) {
    return Select.start(queues, requireNonNull(signal, "signal"));
  }

  /** Whether anything but the first loop used this queue (a select then keeps its loop alive). */
  boolean isShared() {
    return home.isShared();
  }

  /**
   * Registers {@code branch} of {@code select}: under the lock, with SLOW set first so that no fast path
   * moves the indexes meanwhile, takes an item ready now if the select can still be won; else queues the
   * branch as a consumer. Returns the {@link Selected} (item taken, select won), {@link Select#LOST} (won
   * elsewhere meanwhile), {@link Select#END} (closed and drained), the failure (closed with a cause or
   * cancelled, and drained), or the queued branch.
   */
  Object enterSelect(Taker<T, Object> branch, Select<?> select) {
    List<Object> served = new ArrayList<>(0);
    Object out;
    synchronized (lock) {
      out = selectLocked(branch, select, served);
    }
    settleServed(served);
    return out;
  }

  private Object selectLocked(Taker<T, Object> branch, Select<?> select, List<Object> served) {
    setSlowLocked();
    if (size(state) > 0 || (capacity == 0 && !putters.isEmpty())) {
      if (!select.hold()) {
        updateSlowLocked();
        return Select.LOST;
      }
      if (takeLocked(1, false, served) instanceof List<?> items) {
        select.commit();
        updateSlowLocked();
        @SuppressWarnings("unchecked")
        T item = (T) items.getFirst();
        return branch.shape(item);
      }
      select.release();
    }
    if ((state & CLOSED) != 0) {
      updateSlowLocked();
      Throwable c = cause;
      return c != null ? c : Select.END;
    }
    takers.add(branch);
    return branch;
  }

  /** Unqueues a select's branch that did not win (if it still waits). */
  void forget(Taker<T, ?> branch) {
    if (branch.cas(WaitNode.WAITING, WaitNode.CANCELLED)) {
      synchronized (lock) {
        takers.remove(branch);
        updateSlowLocked();
      }
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Abort, close, cancel

  /** The abort of a waiting push: removes it and rejects it with {@code reason}, unless it was served. */
  void abort(Putter<T> p, Throwable reason) {
    abortProducer(p, reason);
  }

  /**
   * The abort of a waiting reserve: removes it and rejects it with {@code reason}, unless it was granted
   * (then its caller gets the permit). Frees no room: a reserve waits only while there is none.
   */
  void abort(Reserver<T> r, Throwable reason) {
    abortProducer(r, reason);
  }

  private void abortProducer(QueueNode<?> n, Throwable reason) {
    if (n.cas(WaitNode.WAITING, WaitNode.CANCELLED)) {
      synchronized (lock) {
        putters.remove(n);
        updateSlowLocked();
      }
      n.fail(reason);
    }
  }

  /** The abort of a waiting pop: removes it and rejects it with {@code reason}, unless it was served. */
  void abort(Taker<T, ?> t, Throwable reason) {
    if (t.cas(WaitNode.WAITING, WaitNode.CANCELLED)) {
      synchronized (lock) {
        takers.remove(t);
        updateSlowLocked();
      }
      t.fail(reason);
    }
  }

  /** Under the lock: clears SLOW once nobody waits and no permit holds room. */
  private void updateSlowLocked() {
    long s = state;
    if ((s & SLOW) != 0 && takers.isEmpty() && putters.isEmpty() && held() == 0) {
      // With SLOW set only lock holders change the word, so a release store cannot lose an update; the
      // lock's release publishes it like any other write of the section.
      STATE.setRelease(this, s & ~SLOW);
    }
  }

  /**
   * Closes the queue for producers: waiting and later pushes reject with {@link ClosedError}; consumers
   * drain the buffer, then get {@code done}. Idempotent. Any thread.
   */
  public void close() {
    terminate(null, false);
  }

  /** {@link #close()}, but consumers that find the queue drained are rejected with {@code cause}. */
  public void close(Throwable cause) {
    terminate(requireNonNull(cause, "cause"), false);
  }

  /**
   * Discards the buffer, handing each item to the onUndelivered hook; rejects waiting and later consumers
   * with {@code cause} and pushes with {@link ClosedError}. Also after {@link #close}; idempotent. Any
   * thread.
   */
  public void cancel(Throwable cause) {
    terminate(requireNonNull(cause, "cause"), true);
  }

  private void terminate(@Nullable Throwable reason, boolean cancel) {
    List<QueueNode<?>> refused;
    List<Taker<T, ?>> waiting;
    List<T> discarded = List.of();
    synchronized (lock) {
      boolean closed = (state & CLOSED) != 0;
      if (cancel ? cancelled : closed) {
        return;
      }
      if (cancel || !closed) {
        cause = reason;
      }
      cancelled = cancel;
      STATE.getAndBitwiseOr(this, CLOSED);
      refused = putters.cancelAll();
      waiting = takers.cancelAll();
      if (cancel) {
        discarded = claimAllLocked();
      }
      updateSlowLocked();
    }
    ClosedError pushError = closedForPush();
    refused.forEach(p -> p.fail(pushError));
    for (Taker<T, ?> t : waiting) {
      if (reason == null) {
        t.end();
      } else {
        t.fail(reason);
      }
    }
    undelivered(discarded, Loss.CANCELLED);
  }

  private List<T> claimAllLocked() {
    for (;;) {
      long s = state;
      if (cas(s, claimed(s, size(s)))) {
        return takeN(head(s), size(s));
      }
    }
  }

  /**
   * Why items could not be delivered, and how loud their loss is without a hook: a drop by the overflow
   * policy is what the user configured (DEBUG); the others lose items the queue accepted (WARNING).
   */
  private enum Loss {
    OVERFLOW(System.Logger.Level.DEBUG, "dropped by the overflow policy"),
    CANCELLED(System.Logger.Level.WARNING, "discarded by cancel()"),
    LOOP_CLOSED(System.Logger.Level.WARNING, "handed to a consumer whose event loop was closed");

    final System.Logger.Level level;
    final String why;

    Loss(System.Logger.Level level, String why) {
      this.level = level;
      this.why = why;
    }
  }

  /** Hands items to the hook; see the class documentation for where its exceptions go. */
  private void undelivered(List<T> items, Loss loss) {
    if (items.isEmpty()) {
      return;
    }
    Consumer<? super T> hook = onUndelivered;
    if (hook == null) {
      LOG.log(loss.level,
          () -> items.size() + " item(s) " + loss.why + " and lost: the queue has no onUndelivered hook");
      return;
    }
    RuntimeException first = null;
    for (T item : items) {
      try {
        hook.accept(item);
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      report(first);
    }
  }

  private static void report(RuntimeException e) {
    EventLoop loop = EventLoop.tryCurrent();
    if (loop == null) {
      throw e;
    }
    loop.nextTick(() -> {
      throw e;
    });
  }

  // ------------------------------------------------------------------------------------------------
  // Iteration and introspection

  /**
   * A new iterator over the queue: each {@code next()} is a {@link #pop()}. Several iterators (consumers)
   * share the items, each to exactly one of them. {@code returnValue} and {@code throwError} end only this
   * iterator (later {@code next()} calls answer {@code done}); they do not close the queue. Loop-affine.
   */
  @Override
  public AsyncIterator<T> asyncIterator() {
    return new Iterator();
  }

  /**
   * The number of items buffered (including ones being put or taken right now). Any thread; takes the
   * queue's lock while somebody waits.
   */
  public int size() {
    long s = state;
    if ((s & SLOW) != 0) {
      // a locked section may be between the two steps of one change: a take that moves a waiting push's
      // item into the room it freed (AsyncQueueLincheckTest at -Deventloop4j.stress=5 saw size() 0 there)
      synchronized (lock) {
        s = state;
      }
    }
    return (int) Math.min(Integer.MAX_VALUE, size(s));
  }

  /** The capacity: {@link Integer#MAX_VALUE} for an unbounded queue, 0 for a rendezvous one. Any thread. */
  public int capacity() {
    return (int) Math.min(Integer.MAX_VALUE, capacity);
  }

  /** Whether {@link #close} or {@link #cancel} was called. Any thread. */
  public boolean isClosed() {
    return (state & CLOSED) != 0;
  }

  @Override
  public String toString() {
    long s = state;
    return "AsyncQueue[size=" + size(s) + ", capacity=" + (capacity == UNBOUNDED ? "unbounded" : capacity)
        + ", " + overflow + (cancelled ? ", cancelled" : (s & CLOSED) != 0 ? ", closed" : "") + "]";
  }

  /** An iterator that pops until done, or until this consumer stops. */
  private final class Iterator implements AsyncIterator<T> {
    private boolean finished;

    @Override
    public Promise<IteratorResult<T>> next() {
      return finished ? Promise.resolve(IteratorResult.end()) : pop();
    }

    @Override
    public Promise<IteratorResult<T>> returnValue(@Nullable T value) {
      finished = true;
      return Promise.resolve(new IteratorResult<>(value, true));
    }

    @Override
    public Promise<IteratorResult<T>> throwError(Throwable error) {
      finished = true;
      return Promise.reject(error);
    }
  }

  // ------------------------------------------------------------------------------------------------

  /**
   * Configures an {@link AsyncQueue}. Not thread-safe; each {@link #build()} makes a new queue.
   *
   * @param <T> the item type
   */
  public static final class Builder<T> {
    private int capacity = 16;
    private boolean unbounded;
    private Overflow overflow = Overflow.WAIT;
    private @Nullable Consumer<? super T> onUndelivered;
    private Settler settler = Settler.ON_LOOP;

    private Builder() {}

    /** How waiters are settled: model-checking tests pass a loop-free, recording settler. */
    Builder<T> settler(Settler settler) {
      this.settler = requireNonNull(settler, "settler");
      return this;
    }

    /** At most {@code capacity} buffered items; 0 makes a rendezvous queue. */
    public Builder<T> capacity(int capacity) {
      if (capacity < 0) {
        throw new IllegalArgumentException("capacity must be >= 0, was " + capacity);
      }
      this.capacity = capacity;
      this.unbounded = false;
      return this;
    }

    /** No capacity limit. */
    public Builder<T> unbounded() {
      this.unbounded = true;
      return this;
    }

    /** What a full bounded queue does with a push. */
    public Builder<T> overflow(Overflow overflow) {
      this.overflow = requireNonNull(overflow, "overflow");
      return this;
    }

    /**
     * Receives every item the queue accepted but could not deliver: dropped by the overflow policy,
     * discarded by {@link AsyncQueue#cancel}, or handed to a consumer whose loop was closed. Called on the
     * thread that dropped the item, never under a lock. Without a hook such items are logged (see
     * "Closing and cancelling" in the {@link AsyncQueue} documentation).
     */
    public Builder<T> onUndelivered(Consumer<? super T> hook) {
      this.onUndelivered = requireNonNull(hook, "hook");
      return this;
    }

    /**
     * A new, empty queue.
     *
     * @throws IllegalArgumentException for a drop policy on a rendezvous (capacity 0) queue
     */
    public AsyncQueue<T> build() {
      if (!unbounded && capacity == 0 && overflow != Overflow.WAIT) {
        throw new IllegalArgumentException(
            "a rendezvous queue (capacity 0) has no buffer to drop from: use Overflow.WAIT");
      }
      return new AsyncQueue<>(this);
    }
  }
}
