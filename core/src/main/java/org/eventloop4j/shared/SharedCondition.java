package org.eventloop4j.shared;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.TimeUnit;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Timer;
import org.eventloop4j.shared.Atomics.WaitResult;
import org.jspecify.annotations.Nullable;

/**
 * A condition variable that lives in one element of an {@link Int32Array}, used with a {@link SharedMutex}:
 * the shared-structs proposal's {@code Atomics.Condition}, with {@link java.util.concurrent.locks.Condition}'s
 * method names ({@code notify} and {@code notifyAll} are {@code Object}'s).
 *
 * <pre>{@code
 * mutex.lock();
 * try {
 *   while (queueIsEmpty()) {
 *     condition.await(mutex);          // releases the mutex while it waits, holds it again on return
 *   }
 *   take();
 * } finally {
 *   mutex.unlock();
 * }
 * // elsewhere, after changing the state under the mutex:
 * condition.signal();
 * }</pre>
 *
 * <p><b>Wake-ups.</b> {@link #await} releases the mutex and waits in one step with respect to {@link
 * #signal()}/{@link #signalAll()}: a signal that comes after the waiter released the mutex wakes it (or
 * makes its wait return at once), never slips by. Like every condition variable it may also return without a
 * signal (a signal meant for an earlier waiter, or, on a mapped buffer, the {@value
 * SharedMutex#MAPPED_POLL_MS} ms re-check), so wait in a loop on the predicate, as above. Waiters are woken
 * in the order they started waiting; a woken waiter then competes for the mutex like any other locker.
 *
 * <p><b>State.</b> The element is a sequence number that every signal increments; any number of
 * {@code SharedCondition} objects over the same element are the same condition. Use one condition with one
 * mutex at a time.
 *
 * <p><b>Threads.</b> Thread-safe. {@code await} blocks and is refused on event-loop threads (as {@link
 * Atomics#wait} is); loops use {@link #awaitAsync}, which answers a promise of the calling loop, resolved
 * there once the mutex is held again. Signalling never blocks and works anywhere, with or without the mutex.
 *
 * <p><b>Errors.</b> Awaiting with a mutex that is not locked throws {@link IllegalStateException} ({@code
 * awaitAsync}: a rejected promise) and waits for nothing. An interrupted {@code await} takes the mutex again
 * before it throws {@link InterruptedException}, as {@link java.util.concurrent.locks.Condition#await()}
 * does, so the caller's {@code finally} can unlock.
 */
public final class SharedCondition {
  /*
   * Overview. The classic futex condition variable: await reads the sequence number, unlocks, waits while
   * the element still holds that number, and locks again; signal increments the number and then calls Atomics.notify.
   * A signal after the read changes the number, so the wait either sees the change ("not-equal", returns at
   * once) or is already on the waiter list when the signal looks — Waiters' critical section makes check and
   * enqueue atomic. The count that signal returns is Atomics.notify's: the waiters it took off the list.
   * No requeueing (Linux's FUTEX_CMP_REQUEUE has no Atomics counterpart): signalAll wakes every waiter and
   * they contend for the mutex, which is correct and costs a herd only when many wait.
   * Tests: SharedMutexTest (the condition's tests are with the mutex's).
   */
  private final Int32Array view;
  private final int index;

  /** A condition in a buffer of its own. */
  public SharedCondition() {
    this(new Int32Array(1), 0);
  }

  /**
   * The condition in element {@code index} of {@code view} (any value: it is a sequence number).
   *
   * @throws IndexOutOfBoundsException if {@code index} is outside the view
   */
  public SharedCondition(Int32Array view, int index) {
    this.view = requireNonNull(view, "view");
    this.index = index;
    Atomics.load(view, index); // the bounds check
  }

  /**
   * Releases {@code mutex}, waits for a signal, and takes {@code mutex} again before returning.
   *
   * @throws IllegalStateException if {@code mutex} is not locked, or on an event-loop thread
   * @throws InterruptedException if interrupted while waiting (the mutex is held again when it is thrown)
   */
  public void await(SharedMutex mutex) throws InterruptedException {
    await(mutex, Atomics.NO_TIMEOUT);
  }

  /**
   * {@link #await(SharedMutex)} for at most {@code timeoutMs} milliseconds of waiting for the signal (taking
   * the mutex again can take longer).
   *
   * @return false if the time elapsed without a signal; the mutex is held again either way
   */
  public boolean await(SharedMutex mutex, long timeoutMs) throws InterruptedException {
    requireNonNull(mutex, "mutex");
    SharedMutex.refuseOnLoop("SharedCondition.await");
    int seq = Atomics.load(view, index);
    mutex.unlock();
    boolean notified;
    try {
      notified = waitForChange(seq, timeoutMs);
    } finally {
      relock(mutex);
    }
    return notified;
  }

  /**
   * Releases {@code mutex} and answers a promise of the calling loop, resolved there once a signal came and
   * the mutex is held again (through {@link SharedMutex#lockAsync()}). A real-time loop stays alive while
   * the promise is pending, as for {@code lockAsync}: the signal is expected from another thread.
   *
   * @throws IllegalStateException off an event-loop thread
   */
  public Promise<@Nullable Void> awaitAsync(SharedMutex mutex) {
    return awaitAsync(mutex, Atomics.NO_TIMEOUT).then(signalled -> null);
  }

  /**
   * {@link #awaitAsync(SharedMutex)} for at most {@code timeoutMs} milliseconds of waiting for the signal,
   * measured on the loop's clock (so a virtual clock's time), which it keeps alive until then: the promise
   * fulfils with whether a signal came, once the mutex is held again either way. A mutex that is not
   * locked rejects the promise with {@link IllegalStateException} and waits for nothing.
   *
   * @throws IllegalStateException off an event-loop thread
   */
  public Promise<Boolean> awaitAsync(SharedMutex mutex, long timeoutMs) {
    requireNonNull(mutex, "mutex");
    EventLoop loop = EventLoop.current();
    int seq = Atomics.load(view, index);
    try {
      mutex.unlock();
    } catch (IllegalStateException e) {
      return Promise.reject(e);
    }
    long deadline = timeoutMs == Atomics.NO_TIMEOUT ? Long.MAX_VALUE : loop.now() + Math.max(timeoutMs, 0);
    EventLoop.@Nullable KeepAlive alive = loop.isVirtualTime() ? null : loop.keepAlive();
    // A ref'd timer to the deadline keeps the loop (and a virtual clock) going until then: waitAsync's own
    // timeout timer is unref'd, as in Node.
    @Nullable Timer untilDeadline =
        deadline == Long.MAX_VALUE ? null : loop.setTimeout(() -> {}, deadline - loop.now());
    Promise<Boolean> signalled = waitUntil(loop, seq, deadline)
        .thenCompose(s -> mutex.lockAsync().then(locked -> s));
    signalled.andFinally(() -> {
      if (alive != null) {
        alive.close();
      }
      if (untilDeadline != null) {
        untilDeadline.clear();
      }
    }).catchError(e -> null); // the caller handles `signalled` itself
    return signalled;
  }

  /** Waits asynchronously while the element holds {@code seq}, until {@code deadline} on the loop's clock. */
  private Promise<Boolean> waitUntil(EventLoop loop, int seq, long deadline) {
    long left = deadline == Long.MAX_VALUE ? Atomics.NO_TIMEOUT : deadline - loop.now();
    if (left <= 0) {
      return Promise.resolve(Atomics.load(view, index) != seq);
    }
    long slice = view.buffer.isMapped() ? Math.min(left, SharedMutex.MAPPED_POLL_MS) : left;
    return Atomics.waitAsync(view, index, seq, slice).thenCompose(r ->
        r != WaitResult.TIMED_OUT || Atomics.load(view, index) != seq
            ? Promise.resolve(true)
            : waitUntil(loop, seq, deadline));
  }

  /** Wakes the longest waiting waiter, if any; returns how many it woke (0 or 1). Any thread. */
  public int signal() {
    return signal(1);
  }

  /** Wakes every waiter; returns how many it woke. Any thread. */
  public int signalAll() {
    return signal(Integer.MAX_VALUE);
  }

  /**
   * Wakes the {@code count} longest waiting waiters (the proposal's {@code Atomics.Condition.notify(cv,
   * count)}); returns how many it woke. Any thread.
   *
   * @throws IllegalArgumentException if {@code count} is negative
   */
  public int signal(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("SharedCondition.signal: count must not be negative, was " + count);
    }
    Atomics.add(view, index, 1);
    return Atomics.notify(view, index, count);
  }

  @Override
  public String toString() {
    return "SharedCondition[sequence " + Atomics.load(view, index) + ", element " + index + "]";
  }

  /** Waits while the element holds {@code seq}; true unless the timeout elapsed first. */
  private boolean waitForChange(int seq, long timeoutMs) throws InterruptedException {
    boolean forever = timeoutMs == Atomics.NO_TIMEOUT;
    long deadline = forever ? 0 : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(timeoutMs, 0));
    while (true) {
      long left = forever ? Atomics.NO_TIMEOUT : TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime() + 999_999);
      WaitResult r = SharedMutex.waitWhile(view, index, seq, Math.max(left, 0));
      if (r != WaitResult.TIMED_OUT || Atomics.load(view, index) != seq) {
        return true;
      }
      if (!forever && deadline - System.nanoTime() <= 0) {
        return false;
      }
    }
  }

  /** Takes the mutex again after a wait, even if interrupted meanwhile (the interrupt is kept). */
  private static void relock(SharedMutex mutex) {
    boolean interrupted = false;
    while (true) {
      try {
        mutex.lock();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
