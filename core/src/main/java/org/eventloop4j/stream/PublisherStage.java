package org.eventloop4j.stream;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.internal.MpscQueue;
import org.jspecify.annotations.Nullable;

/**
 * {@code AsyncStream.fromPublisher}: one subscription per iteration, its signals moved from whatever thread
 * the publisher uses to the iterating loop. The {@link Flow.Subscriber} side is {@link #subscriber()}.
 */
final class PublisherStage<T> extends AsyncStage<T> {
  /*
   * Overview. Threads: the publisher calls the Inbox (our Subscriber) on any thread; those calls only touch
   * `signals` (an MPSC queue: elements, then at most one COMPLETE or Failure), the atomic `subscription`
   * and the `scheduled` flag, and post `drainTask` to the loop — as a microtask when they happen on the
   * loop's own thread (a publisher signalling inside our request()), so the stage is never re-entered.
   * Everything else is loop-only; the loop is the queue's one consumer, and EventLoop.execute gives the
   * happens-before edge from the signalling thread.
   *
   * Lost wake-up: drainTask clears `scheduled` before it polls, and a producer offers before it sets
   * `scheduled`; with both flags sequentially consistent, either the poll sees the element or the producer
   * sees `scheduled == false` and posts again.
   *
   * Demand: the first request subscribes; onSubscribe's subscription (stored with a CAS: a second one is
   * cancelled, rule 2.5) gets request(prefetch) from the loop, then request(limit) each time `limit`
   * elements were taken, so at most `prefetch` elements are ever requested and not yet taken. request and
   * cancel are called only from the loop — serially (rule 2.7) — except that an onSubscribe arriving after
   * the stage was closed is cancelled on its own thread, when the loop will never call the subscription.
   * A request waiting for the publisher holds a KeepAlive, so the loop does not end under it — unless the
   * publisher signalled onSubscribe on the loop's own thread (`localPublisher`: it lives on this loop, like
   * toPublisher() of a stream here), whose work keeps the loop alive by itself; holding one then would
   * freeze a virtual clock that the publisher's own timers need.
   * Tests: AsyncStreamFlowTest, AsyncStreamTckTest (SubscriberBlackboxVerification).
   */
  private static final Object COMPLETE = new Object();

  /** An onError signal, queued behind the elements. */
  private record Failure(Throwable error) {}

  private final Flow.Publisher<? extends T> publisher;
  private final int prefetch;
  private final int limit;
  private final EventLoop loop = EventLoop.current();
  private final MpscQueue<Object> signals = new MpscQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicReference<Flow.@Nullable Subscription> subscription = new AtomicReference<>();
  private final Runnable drainTask = this::onSignals;
  private final Inbox inbox = new Inbox();
  private volatile boolean cancelled;
  private volatile boolean localPublisher;
  private boolean subscribed;
  private boolean requestedInitial;
  private int taken;
  private EventLoop.@Nullable KeepAlive keepAlive;

  PublisherStage(Flow.Publisher<? extends T> publisher, int prefetch) {
    this.publisher = publisher;
    this.prefetch = prefetch;
    this.limit = Math.max(1, prefetch - (prefetch >> 2));
  }

  /** The subscriber this stage subscribes with. */
  Flow.Subscriber<T> subscriber() {
    return inbox;
  }

  @Override
  @SuppressWarnings("unchecked")
  boolean progress() {
    if (!subscribed) {
      subscribed = true;
      try {
        publisher.subscribe(inbox);
      } catch (Throwable t) {
        fail(t);
        return true;
      }
    }
    if (!requestInitial()) {
      return true;
    }
    Object s = signals.poll();
    if (s == null) {
      if (subscription.get() == null || !localPublisher) {
        holdLoop();
      }
      return false;
    }
    if (s == COMPLETE) {
      releaseLoop();
      end();
    } else if (s instanceof Failure f) {
      releaseLoop();
      fail(f.error());
    } else {
      emit((T) s);
      releaseLoop();
      return replenish();
    }
    return true;
  }

  /** Requests the prefetch once the subscription arrived; false if that request threw (the stage failed). */
  private boolean requestInitial() {
    Flow.Subscription sub = subscription.get();
    if (requestedInitial || sub == null) {
      return true;
    }
    requestedInitial = true;
    return request(sub, prefetch);
  }

  private boolean replenish() {
    if (++taken < limit) {
      return true;
    }
    taken = 0;
    return request(requireNonNull(subscription.get()), limit);
  }

  private boolean request(Flow.Subscription sub, long n) {
    try {
      sub.request(n);
      return true;
    } catch (Throwable t) {
      cancelSubscription();
      fail(t);
      return false;
    }
  }

  private void onSignals() {
    scheduled.set(false);
    if (!isFinished()) {
      pump();
    }
  }

  private void holdLoop() {
    if (keepAlive == null) {
      keepAlive = loop.keepAlive();
    }
  }

  private void releaseLoop() {
    EventLoop.KeepAlive k = keepAlive;
    keepAlive = null;
    if (k != null) {
      k.close();
    }
  }

  private void cancelSubscription() {
    cancelled = true;
    Flow.Subscription sub = subscription.get();
    if (sub != null) {
      sub.cancel();
    }
  }

  @Override
  Promise<?> onClose() {
    releaseLoop();
    while (signals.poll() != null) {
      // drop what was delivered but not taken
    }
    try {
      cancelSubscription();
    } catch (Throwable t) {
      return Promise.reject(t);
    }
    return Promise.resolve();
  }

  /** Posts the drain to the loop (as a microtask on the loop's own thread); at most one is pending. */
  private void schedule() {
    if (!scheduled.compareAndSet(false, true)) {
      return;
    }
    if (EventLoop.tryCurrent() == loop) {
      loop.queueMicrotask(drainTask);
      return;
    }
    try {
      loop.execute(drainTask);
    } catch (RejectedExecutionException e) {
      // the loop is closed: nobody can take these signals any more; stop the publisher
      Flow.Subscription sub = subscription.get();
      if (sub != null && !cancelled) {
        cancelled = true;
        sub.cancel();
      }
    }
  }

  /** The Flow.Subscriber face of the stage; every method may be called on any thread. */
  private final class Inbox implements Flow.Subscriber<T> {
    @Override
    public void onSubscribe(Flow.Subscription s) {
      requireNonNull(s, "rule 2.13: onSubscribe(null)");
      localPublisher = EventLoop.tryCurrent() == loop;
      if (!subscription.compareAndSet(null, s)) {
        s.cancel();
        return;
      }
      if (cancelled) {
        s.cancel();
        return;
      }
      schedule();
    }

    @Override
    public void onNext(T item) {
      requireNonNull(item, "rule 2.13: onNext(null)");
      signals.offer(item);
      schedule();
    }

    @Override
    public void onError(Throwable error) {
      requireNonNull(error, "rule 2.13: onError(null)");
      signals.offer(new Failure(error));
      schedule();
    }

    @Override
    public void onComplete() {
      signals.offer(COMPLETE);
      schedule();
    }
  }
}
