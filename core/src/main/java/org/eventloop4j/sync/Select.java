package org.eventloop4j.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Resolvers;
import org.jspecify.annotations.Nullable;

/**
 * One waiting {@link AsyncQueue#select}: a branch ({@link Taker}) queued on each queue, of which exactly one
 * may take an item. The select is also the {@link Settler} of its branches and the listener of its abort
 * signal.
 *
 * @param <T> the item type
 */
final class Select<T> implements Settler, Runnable {
  /*
   * Overview. `state` goes OPEN -> DONE exactly once (win(), by CAS): the branch granted an item by a push
   * (Taker.grant, under that queue's lock), the abort, the failure of a queue, or the end of the last
   * queue. Whoever wins settles the promise; a branch whose grant loses is cancelled and its queue hands
   * the item to the next consumer, so no item is taken twice or lost. While registering, the calling
   * thread may take an item that is ready on a queue (under that queue's lock, with the queue's SLOW bit
   * set so that nothing else moves its indexes): it first HOLDs the select (OPEN -> HELD), then takes
   * and commits (DONE) or, if the item was gone, releases (OPEN). win() waits while HELD (spinning, then
   * parking, as QueueBuffer's waits do); the holder holds one queue lock and takes no other, so the wait is
   * short and cannot deadlock.
   *
   * `pending` counts the branches not yet ended (closed and drained queues) plus one for the registration
   * itself, so that the select ends (fulfils with Selected.end()) only once every queue has ended and the
   * registration is over. After the select is settled, cleanup() unqueues the other branches; a branch
   * registered while a push won concurrently is unqueued by the registering thread, which re-checks the
   * state after registering (branches are published in an AtomicReferenceArray before that check).
   *
   * Tests: AsyncQueueSelectTest (behaviour, a seeded model test, a cross-thread race).
   */
  static final Object LOST = new Object();
  static final Object END = new Object();
  private static final int OPEN = 0;
  private static final int HELD = 1;
  private static final int DONE = 2;
  private static final AtomicInteger ROTATION = new AtomicInteger();
  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(Select.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private volatile int state;
  private final AsyncQueue<T>[] queues;
  private final AtomicReferenceArray<@Nullable Taker<T, Object>> branches;
  private final AtomicInteger pending;
  private final Resolvers<AsyncQueue.Selected<T>> resolvers = Promise.withResolvers();
  private final EventLoop.@Nullable KeepAlive keepAlive;
  private volatile AbortSignal.@Nullable Registration registration;
  private @Nullable AbortSignal signal;

  private Select(AsyncQueue<T>[] queues, EventLoop loop) {
    this.queues = queues;
    this.branches = new AtomicReferenceArray<>(queues.length);
    this.pending = new AtomicInteger(queues.length + 1);
    boolean shared = false;
    for (AsyncQueue<T> q : queues) {
      shared |= q.isShared();
    }
    this.keepAlive = shared && !loop.isVirtualTime() ? loop.keepAlive() : null;
  }

  /** {@link AsyncQueue#select(List, AbortSignal)}: loop-affine. */
  @SuppressWarnings({"unchecked", "rawtypes"}) // items are only read out of the queues, as T
  static <T> Promise<AsyncQueue.Selected<T>> start(
      List<? extends AsyncQueue<? extends T>> list, @Nullable AbortSignal signal) {
    EventLoop loop = EventLoop.current();
    int n = list.size();
    if (n == 0) {
      throw new IllegalArgumentException("select needs at least one queue");
    }
    AsyncQueue<T>[] queues = new AsyncQueue[n];
    for (int i = 0; i < n; i++) {
      queues[i] = (AsyncQueue<T>) java.util.Objects.requireNonNull(list.get(i), "queue");
    }
    if (signal != null && signal.aborted()) {
      return Promise.reject(WaitNode.abortReason(signal));
    }
    int first = Math.floorMod(ROTATION.getAndIncrement(), n);
    for (int k = 0; k < n; k++) {
      int i = (first + k) % n;
      T item = queues[i].poll();
      if (item != null) {
        return Promise.resolve(AsyncQueue.Selected.of(i, item));
      }
    }
    Select<T> select = new Select<>(queues, loop);
    select.register(first);
    if (signal != null) {
      select.listen(signal);
    }
    return select.resolvers.promise();
  }

  private void register(int first) {
    int n = queues.length;
    for (int k = 0; k < n && state == OPEN; k++) {
      int i = (first + k) % n;
      Taker<T, Object> branch = new Taker<>(queues[i], shape(i), this);
      Object r = queues[i].enterSelect(branch, this);
      if (r == branch) {
        branches.set(i, branch);
      } else if (r == END) {
        pending.decrementAndGet();
      } else if (r instanceof Throwable failure) {
        fail(failure);
      } else if (r != LOST) {
        @SuppressWarnings("unchecked")
        AsyncQueue.Selected<T> got = (AsyncQueue.Selected<T>) r;
        resolvers.resolve(got); // on the calling loop: settles at once
      }
    }
    if (state != OPEN) {
      cleanup();
    } else if (pending.decrementAndGet() == 0) {
      end();
    }
  }

  private Taker.Shape<T, Object> shape(int index) {
    return new Taker.Shape<>() {
      @Override
      public Object one(T item) {
        return AsyncQueue.Selected.of(index, item);
      }

      @Override
      public Object many(List<T> items) {
        return AsyncQueue.Selected.of(index, items.getFirst());
      }

      @Override
      public Object end() {
        return END;
      }
    };
  }

  private void listen(AbortSignal s) {
    signal = s;
    AbortSignal.Registration r = s.addListener(this);
    registration = r;
    if (state != OPEN) {
      r.close();
    } else if (s.aborted()) {
      run();
    }
  }

  // ------------------------------------------------------------------------------------------------
  // The state

  /**
   * Settles the select from any thread: true for exactly one caller. Waits while a registration holds
   * (spinning, then parking: {@link QueueBuffer#backOff}, as the holder may be a virtual thread that needs
   * this carrier).
   */
  boolean win() {
    boolean interrupted = false;
    try {
      for (int spins = 0;; spins++) {
        int s = state;
        if (s == DONE) {
          return false;
        }
        if (s == OPEN && STATE.compareAndSet(this, OPEN, DONE)) {
          return true;
        }
        interrupted |= QueueBuffer.backOff(spins);
      }
    } finally {
      QueueBuffer.restoreInterrupt(interrupted);
    }
  }

  /** The registering thread, under a queue's lock: reserves the win while it takes a ready item. */
  boolean hold() {
    return STATE.compareAndSet(this, OPEN, HELD);
  }

  /** After {@link #hold()}: the item was taken; the select is won. */
  void commit() {
    state = DONE;
  }

  /** After {@link #hold()}: no item after all. */
  void release() {
    state = OPEN;
  }

  // ------------------------------------------------------------------------------------------------
  // Settler of the branches, abort listener

  @Override
  public Object open(@Nullable EventLoop loop) {
    return this;
  }

  /** A branch was granted an item (it won the select first), or its queue ended ({@link #END}). */
  @Override
  public boolean fulfil(@Nullable EventLoop loop, Object handle, @Nullable Object value) {
    if (value == END) {
      if (pending.decrementAndGet() == 0) {
        end();
      }
      return true;
    }
    try {
      @SuppressWarnings("unchecked")
      AsyncQueue.Selected<T> got = (AsyncQueue.Selected<T>) value;
      resolvers.resolve(got);
      return true;
    } catch (RejectedExecutionException e) {
      PermitCore.log().log(System.Logger.Level.DEBUG,
          "a selected item could not reach its event loop (closed); it goes to the hook", e);
      return false;
    } finally {
      cleanup();
    }
  }

  /** A branch's queue failed (closed with a cause, or cancelled): the select rejects with the cause. */
  @Override
  public void reject(@Nullable EventLoop loop, Object handle, Throwable reason) {
    fail(reason);
  }

  /** The abort listener. */
  @Override
  public void run() {
    AbortSignal s = signal;
    if (s != null) {
      fail(WaitNode.abortReason(s));
    }
  }

  private void fail(Throwable reason) {
    if (!win()) {
      return;
    }
    try {
      resolvers.reject(reason);
    } catch (RejectedExecutionException e) {
      PermitCore.log().log(System.Logger.Level.DEBUG,
          "a select's rejection could not reach its event loop (closed): " + reason, e);
    } finally {
      cleanup();
    }
  }

  private void end() {
    if (!win()) {
      return;
    }
    try {
      resolvers.resolve(AsyncQueue.Selected.end());
    } catch (RejectedExecutionException e) {
      PermitCore.log().log(System.Logger.Level.DEBUG, "a select's end could not reach its event loop (closed)", e);
    } finally {
      cleanup();
    }
  }

  /** Unqueues every branch still waiting; releases the keep-alive and the abort registration. */
  private void cleanup() {
    for (int i = 0; i < queues.length; i++) {
      Taker<T, Object> b = branches.get(i);
      if (b != null) {
        queues[i].forget(b);
      }
    }
    AbortSignal.Registration r = registration;
    if (r != null) {
      r.close();
    }
    closeKeepAlive();
  }

  private void closeKeepAlive() {
    if (keepAlive != null) {
      keepAlive.close();
    }
  }
}
