package org.eventloop4j.stream;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.jspecify.annotations.Nullable;

/** {@code AsyncStream.toPublisher(loop)}: a cold publisher, one iteration per subscription, run on one loop. */
final class StreamPublisher<T> implements Flow.Publisher<T> {
  private final AsyncIterable<T> stream;
  private final EventLoop loop;

  StreamPublisher(AsyncIterable<T> stream, EventLoop loop) {
    this.stream = stream;
    this.loop = loop;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super T> subscriber) {
    requireNonNull(subscriber, "rule 1.9: subscribe(null)");
    new Subscription<>(stream, loop, subscriber).begin();
  }

  @Override
  public String toString() {
    return "StreamPublisher[" + loop.name() + "]";
  }

  /** One subscription: the iteration and the demand. */
  static final class Subscription<T> implements Flow.Subscription {
    /*
     * Overview. Any thread may call request and cancel; they touch only `requested` (an AtomicLong, capped
     * at Long.MAX_VALUE = unbounded, rule 3.17), the volatile `cancelled` and `posted`, and post `drainTask`
     * to the loop (at most one pending). On the loop's own thread they queue a microtask instead — never
     * calling onNext inside request (rule 3.3), and `draining` keeps a request made from onNext from
     * re-entering the loop below. Everything else is loop-only: the iterator, `pulling` (one step in
     * flight), `done` (one terminal signal; after it, and after cancel, the subscriber reference is dropped,
     * rule 3.13). Every subscriber signal is made on the loop thread, hence serially (rule 1.3) — except
     * onSubscribe+onError for a subscribe on a closed loop, which the subscribing thread signals as nobody
     * else can. A SyncStage iteration is polled in place; any other is stepped with one reaction per
     * element.
     *
     * Liveness: a subscription made from another thread (`foreign`) holds a KeepAlive from subscribe()
     * until its first drain, and afterwards exactly while it waits for demand (no step in flight, not
     * done), since that demand comes from another thread. While it pulls it holds nothing: the stream's own
     * timers and tasks keep the loop alive as they would anyway (holding one then would also freeze a
     * virtual clock, which does not advance while foreign work is awaited). A subscription made on the
     * loop's thread never holds one: its subscriber lives on the loop, and a virtual-time loop must be free
     * to run the timer that will request more. Tests: AsyncStreamFlowTest, AsyncStreamTckTest.
     */
    private final AsyncIterable<T> stream;
    private final EventLoop loop;
    private final AtomicLong requested = new AtomicLong();
    private final AtomicBoolean posted = new AtomicBoolean();
    private final Runnable drainTask = this::onPosted;
    private final Runnable microDrain = this::onMicrotask;
    private final Function<IteratorResult<T>, @Nullable Object> onStep = this::onStep;
    private final Function<Throwable, @Nullable Object> onError = this::onError;
    private final boolean foreign;
    private EventLoop.@Nullable KeepAlive keepAlive;
    private volatile Flow.@Nullable Subscriber<? super T> subscriber;
    private volatile boolean cancelled;
    private volatile @Nullable Throwable badRequest;
    private @Nullable AsyncIterator<T> it;
    private boolean started;
    private boolean done;
    private boolean pulling;
    private boolean draining;
    private boolean microtaskQueued;

    Subscription(AsyncIterable<T> stream, EventLoop loop, Flow.Subscriber<? super T> subscriber) {
      this.stream = stream;
      this.loop = loop;
      this.subscriber = subscriber;
      this.foreign = EventLoop.tryCurrent() != loop;
      this.keepAlive = foreign ? loop.keepAlive() : null;
    }

    void begin() {
      if (onLoop()) {
        start();
        return;
      }
      try {
        loop.execute(this::start);
      } catch (RejectedExecutionException e) {
        releaseLoop();
        Flow.Subscriber<? super T> s = requireNonNull(subscriber);
        subscriber = null;
        done = true;
        s.onSubscribe(this);
        s.onError(e);
      }
    }

    private boolean onLoop() {
      return EventLoop.tryCurrent() == loop;
    }

    private void start() {
      Flow.Subscriber<? super T> s = subscriber;
      if (s == null || cancelled) {
        doCancel();
        return;
      }
      try {
        s.onSubscribe(this);
      } catch (Throwable t) {
        doCancel();
        throw t;
      }
      if (cancelled) {
        doCancel();
        return;
      }
      try {
        it = requireNonNull(stream.asyncIterator(), "asyncIterator() returned null");
      } catch (Throwable t) {
        signalError(t, false);
        return;
      }
      started = true;
      drain();
    }

    @Override
    public void request(long n) {
      if (n <= 0) {
        badRequest = new IllegalArgumentException("rule 3.9: request(n) needs n > 0, got " + n);
      } else {
        requested.getAndAccumulate(n, (r, add) -> r + add < 0 ? Long.MAX_VALUE : r + add);
      }
      wake();
    }

    @Override
    public void cancel() {
      cancelled = true;
      if (onLoop()) {
        doCancel();
      } else {
        wake();
      }
    }

    private void wake() {
      if (onLoop()) {
        if (!draining && !microtaskQueued) {
          microtaskQueued = true;
          loop.queueMicrotask(microDrain);
        }
      } else if (posted.compareAndSet(false, true)) {
        try {
          loop.execute(drainTask);
        } catch (RejectedExecutionException e) {
          subscriber = null;
          releaseLoop();
        }
      }
    }

    private void onPosted() {
      posted.set(false);
      drain();
    }

    private void onMicrotask() {
      microtaskQueued = false;
      drain();
    }

    @SuppressWarnings("unchecked")
    private void drain() {
      if (done || draining) {
        return;
      }
      if (cancelled) {
        doCancel();
        return;
      }
      Throwable bad = badRequest;
      if (bad != null) {
        signalError(bad, true);
        return;
      }
      AsyncIterator<T> i = it;
      if (!started || pulling || i == null) {
        return;
      }
      draining = true;
      try {
        while (!done && !cancelled && badRequest == null && requested.get() > 0) {
          if (!(i instanceof SyncStage<T> sync)) {
            releaseLoop();
            pull(i);
            return;
          }
          Object v;
          try {
            v = sync.poll();
          } catch (Throwable t) {
            signalError(t, false);
            return;
          }
          if (v == SyncStage.END) {
            signalComplete();
            return;
          }
          deliver((T) v);
        }
      } finally {
        draining = false;
      }
      if (!done && (cancelled || badRequest != null)) {
        drain();
      } else if (!done && !pulling) {
        holdLoop();
      }
    }

    /** Waiting for a foreign subscriber's demand, which comes from another thread: keep the loop alive. */
    private void holdLoop() {
      if (foreign && keepAlive == null) {
        keepAlive = loop.keepAlive();
      }
    }

    /** Pulling (the stream's own work keeps the loop alive, or not, as any work does) or done. */
    private void releaseLoop() {
      EventLoop.KeepAlive k = keepAlive;
      keepAlive = null;
      if (k != null) {
        k.close();
      }
    }

    private void pull(AsyncIterator<T> i) {
      Promise<IteratorResult<T>> p;
      try {
        p = Steps.next(i);
      } catch (Throwable t) {
        signalError(t, false);
        return;
      }
      pulling = true;
      p.then(onStep, onError);
    }

    private @Nullable Object onStep(IteratorResult<T> r) {
      pulling = false;
      if (done) {
        return null;
      }
      T v;
      try {
        if (Steps.done(r)) {
          signalComplete();
          return null;
        }
        v = Steps.value(r);
      } catch (Throwable t) {
        signalError(t, true);
        return null;
      }
      draining = true;
      try {
        deliver(v);
      } finally {
        draining = false;
      }
      drain();
      return null;
    }

    private @Nullable Object onError(Throwable e) {
      pulling = false;
      if (!done) {
        signalError(e, false);
      }
      return null;
    }

    private void deliver(T v) {
      if (requested.get() != Long.MAX_VALUE) {
        requested.decrementAndGet();
      }
      Flow.Subscriber<? super T> s = requireNonNull(subscriber);
      try {
        s.onNext(v);
      } catch (Throwable t) {
        doCancel();
        throw t;
      }
    }

    private void signalComplete() {
      Flow.Subscriber<? super T> s = terminate();
      if (s != null) {
        s.onComplete();
      }
    }

    /** Signals onError; {@code close} when the iteration is still open and must be closed first. */
    private void signalError(Throwable t, boolean close) {
      AsyncIterator<T> i = it;
      Flow.Subscriber<? super T> s = terminate();
      if (close && i != null) {
        Steps.close(i);
      }
      if (s != null) {
        s.onError(t);
      }
    }

    private Flow.@Nullable Subscriber<? super T> terminate() {
      if (done) {
        return null;
      }
      done = true;
      Flow.Subscriber<? super T> s = subscriber;
      subscriber = null;
      releaseLoop();
      return s;
    }

    private void doCancel() {
      if (done) {
        return;
      }
      terminate();
      AsyncIterator<T> i = it;
      if (i != null) {
        Steps.close(i);
      }
    }
  }
}
