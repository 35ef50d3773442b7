package org.eventloop4j.internal;

import static java.util.Objects.requireNonNull;

import java.util.function.Function;
import java.util.function.Supplier;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.stream.AsyncGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Lets the exported {@code stream} package reach implementation classes that live package-private in
 * {@code org.eventloop4j}, which registers them here when {@link EventLoop} initialises; and lets the
 * {@code resilience} and {@code stream} packages make, settle and react to promises without a {@link
 * org.eventloop4j.Resolvers} object, a current-loop lookup or a derived promise each ({@link #promises()});
 * lets the {@code worker} package queue close-phase callbacks and hold handles ({@link #loops()}); and lets
 * {@code resilience}'s rate limiter use the budget and waiting queue that live in {@code sync}, beside the
 * permit cores whose waiter list they share ({@link #rateGate}). Not exported.
 */
public final class Bridge {
  private Bridge() {}

  /** Creates generators. */
  public interface Generators {
    /** A new generator for {@code body} on the current loop. */
    <T> AsyncGenerator<T> create(AsyncGenerator.Body<T> body);
  }

  private static volatile @Nullable Generators generators;

  /** Called once by {@code org.eventloop4j}. */
  public static void register(Generators g) {
    generators = g;
  }

  /** {@link AsyncGenerator#of}. */
  public static <T> AsyncGenerator<T> newGenerator(AsyncGenerator.Body<T> body) {
    requireNonNull(body, "body");
    EventLoop.tryCurrent();
    return requireNonNull(generators, "generators").create(body);
  }

  /**
   * Promises of a given loop, for code of this module that already knows the loop and runs on it: no
   * {@code EventLoop.current()} lookup and no resolving-functions object per promise.
   */
  public interface Promises {
    /** Whether the calling thread holds {@code loop} now (the test the resolving functions make). */
    boolean holds(EventLoop loop);

    /**
     * Whether {@code promise} is fulfilled and belongs to a loop the calling thread holds (its state can
     * only be read there): a caller may then pass it on instead of reacting to it.
     */
    boolean fulfilledHere(Promise<?> promise);

    /** A new pending promise of {@code loop}; on that loop's thread. */
    <T> Promise<T> pending(EventLoop loop);

    /** What {@code resolve(value)} of the promise's resolving functions does on its loop's thread. */
    void resolve(Promise<?> promise, @Nullable Object value);

    /** What {@code reject(reason)} of the promise's resolving functions does on its loop's thread. */
    void reject(Promise<?> promise, Throwable reason);

    /**
     * {@code promise.then(callback::onFulfilled, callback::onRejected)} without the derived promise and
     * handler objects: one reaction node, whose callback runs in a microtask of the calling thread's loop
     * (the promise's, or another loop's, as for {@code then}) once the promise settled; marks the promise
     * handled. Call it on a loop thread.
     */
    void react(Promise<?> promise, Callback callback);
  }

  /** What {@link Promises#react} runs when the promise settles; on the loop that registered it. Must not throw. */
  public interface Callback {
    /** The promise fulfilled with {@code value}. */
    void onFulfilled(@Nullable Object value);

    /** The promise rejected with {@code reason}. */
    void onRejected(Throwable reason);
  }

  private static volatile @Nullable Promises promises;

  /** Called once by {@code org.eventloop4j.PromiseAccess}. */
  public static void register(Promises p) {
    promises = p;
  }

  /** The module's {@link Promises} (a constant once loaded). */
  public static Promises promises() {
    return PromisesHolder.INSTANCE;
  }

  /** Loop internals for the module's other packages. */
  public interface Loops {
    /**
     * Queues {@code callback} for {@code loop}'s close phase (libuv's close callbacks: after the check
     * phase's immediates); on that loop's thread.
     */
    void queueCloseCallback(EventLoop loop, Runnable callback);

    /**
     * A keep-alive of {@code loop} that counts as a ref'd handle: the loop stays alive while it is open,
     * but a virtual clock still jumps to its next timer (no work from another thread is promised). Any thread.
     */
    EventLoop.KeepAlive handle(EventLoop loop);

    /**
     * Queues {@code task} for {@code loop}'s next poll phase (this iteration's if none is under way, else the
     * next one's), ahead of posted tasks; it does not keep the loop alive. On that loop's thread.
     */
    void runInNextPoll(EventLoop loop, Runnable task);

    /** Runs {@code task} right after the poll-phase callback running now and its drain; on the loop's thread. */
    void continueInPoll(EventLoop loop, Runnable task);

    /** {@code loop}'s MessagePort dispatcher, made by {@code make} the first time; on the loop's thread. */
    PortDispatcher portHub(EventLoop loop, Function<EventLoop, PortDispatcher> make);
  }

  /** What a loop's MessagePort dispatcher ({@code org.eventloop4j.worker.PortHub}) hears from the loop. */
  public interface PortDispatcher {
    /**
     * The loop dropped its next-poll queue (its run was stopped, or it is closing): the walk under way, if
     * any, is gone, and what it had still to serve must be scheduled anew (or dropped, if the loop is closed).
     */
    void nextPollCleared();
  }

  private static volatile @Nullable Loops loops;

  /** Called once by {@code org.eventloop4j.LoopAccess}. */
  public static void register(Loops l) {
    loops = l;
  }

  /** The module's {@link Loops} (a constant once loaded). */
  public static Loops loops() {
    return LoopsHolder.INSTANCE;
  }

  /**
   * A budget of {@code limit} permits per interval with a FIFO queue of weighted waiters: the engine of
   * {@code org.eventloop4j.resilience.RateLimiter}, which checks every argument before calling it. Thread-safe.
   */
  public interface RateGate {
    /**
     * The grant of {@code permits}: fulfilled at once if the budget has them and nobody waits, else when
     * the queue reaches them; rejected with {@code signal}'s reason on abort, or with the close reason.
     * On a loop thread; the promise belongs to that loop.
     */
    Promise<@Nullable Void> acquire(int permits, @Nullable AbortSignal signal);

    /** Takes {@code permits} if the budget has them and nobody waits; throws ClosedError once closed. */
    boolean tryAcquire(int permits);

    /** Permits the budget has left now. */
    int available();

    /** Acquires waiting. */
    int waiting();

    /** Permits per interval. */
    int limit();

    /** The interval in milliseconds. */
    long intervalMillis();

    /** Whether the window slides. */
    boolean sliding();

    /** Rejects every waiting and later acquire with {@code reason}, or a ClosedError if null; idempotent. */
    void close(@Nullable Throwable reason);

    /** Whether {@link #close} was called. */
    boolean isClosed();
  }

  /** Makes {@link RateGate}s. */
  public interface RateGates {
    /** A new gate; its clock is {@code clockLoop}'s, else the current loop's, else the first user's. */
    RateGate create(int limit, long intervalMs, boolean sliding, @Nullable EventLoop clockLoop);
  }

  private static volatile @Nullable RateGates rateGates;

  /** Called once by {@code org.eventloop4j.sync.RateGateImpl}. */
  public static void register(RateGates g) {
    rateGates = g;
  }

  /** A new {@link RateGate} (see {@link RateGates#create}). */
  public static RateGate rateGate(int limit, long intervalMs, boolean sliding, @Nullable EventLoop clockLoop) {
    return RateGatesHolder.INSTANCE.create(limit, intervalMs, sliding, clockLoop);
  }

  private static final class RateGatesHolder {
    static final RateGates INSTANCE = load("org.eventloop4j.sync.RateGateImpl", () -> rateGates);
  }

  private static final class LoopsHolder {
    static final Loops INSTANCE = load("org.eventloop4j.LoopAccess", () -> loops);
  }

  private static final class PromisesHolder {
    static final Promises INSTANCE = load("org.eventloop4j.PromiseAccess", () -> promises);
  }

  /** Initialises {@code className}, whose static initialiser registers an instance here, and returns it. */
  private static <T> T load(String className, Supplier<@Nullable T> registered) {
    try {
      Class.forName(className, true, Bridge.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new ExceptionInInitializerError(e);
    }
    return requireNonNull(registered.get(), className + " did not register itself");
  }
}
