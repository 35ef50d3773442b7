package org.eventloop4j;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.eventloop4j.internal.Bridge;
import org.eventloop4j.internal.JobQueue;
import org.eventloop4j.internal.MpscQueue;
import org.eventloop4j.stream.AsyncGenerator;
import org.jspecify.annotations.Nullable;

/**
 * An event loop with Node.js's queues, phases and timers: every callback runs on one thread, one at a time,
 * to completion.
 *
 * <h2>Order</h2>
 *
 * <p>One iteration runs the phases <b>timers</b> (every timer due when the phase began, in order of
 * expiry, ties in order of creation; a timer created during the phase waits for the next one) →
 * <b>poll</b> (tasks posted with {@link #execute} and I/O completions; waits here when nothing else is due)
 * → <b>check</b> (the immediates queued before the phase began) → <b>close</b>. After <em>every</em>
 * callback — the main task, each timer, immediate and posted task — the nextTick queue runs until empty,
 * then the microtask queue (promise reactions and {@link #queueMicrotask}) until empty, and again while
 * either refilled; a nextTick queued by a microtask waits for the microtask queue to empty. Rejections
 * still unhandled after such a drain are reported then.
 *
 * <p>Where Node leaves the order open, this loop fixes it: a {@code setTimeout(0)} and a {@code
 * setImmediate} scheduled by the main task run immediate-first on a virtual clock; on the real clock the
 * timer runs first only if a millisecond has already passed when the first timers phase begins, as in
 * Node.
 *
 * <h2>Time</h2>
 *
 * <p>{@link #now()} is the loop's clock in milliseconds, read once per phase as Node caches it. Delays are
 * whole milliseconds; one below 1 or above 2<sup>31</sup>−1 becomes 1 (the latter with a warning through
 * {@link System.Logger}), as in Node. A loop built with {@link Builder#virtualTime()} starts at 0 and
 * moves its clock to the next timer whenever it would otherwise wait, so an hour of timers runs in
 * milliseconds in exact order; work on other threads that the loop waits for (see {@link #keepAlive()})
 * takes no virtual time.
 *
 * <h2>Lifetime</h2>
 *
 * <p>{@link #run(Runnable)} returns once nothing keeps the loop alive: no referenced timer or immediate,
 * no posted task, no open {@link KeepAlive}. A pending promise keeps nothing alive. {@link #start()} runs
 * the loop on its own thread until {@link #close()}.
 *
 * <h2>Threads</h2>
 *
 * <p>{@link #execute}, {@link #keepAlive()}, {@link #close()} and {@link #now()} may be called from any
 * thread; every other method is loop-affine: only from the loop's own thread, or, while the loop is not
 * running, from the one thread that sets it up. A misplaced call throws {@link IllegalStateException}.
 *
 * <h2>Errors</h2>
 *
 * <p>An exception thrown by a callback (timer, immediate, nextTick, microtask, posted task, the main task)
 * goes to {@link Builder#onUncaughtException}; a rejection unhandled at the end of a drain goes to
 * {@link Builder#onUnhandledRejection}, or without that handler is treated as an uncaught exception.
 * Without an uncaught-exception handler the loop stops at once — no further callback runs — and {@code
 * run} throws the error: an unchecked one as it is, a checked one as the cause of an
 * {@link UncaughtException}. The loop's queues are then emptied and it may be run again.
 */
public final class EventLoop implements AutoCloseable {
  /** The origin {@link Builder#onUncaughtExceptionWithOrigin} reports for an error thrown by a callback. */
  public static final String UNCAUGHT_EXCEPTION = "uncaughtException";
  /** The origin {@link Builder#onUncaughtExceptionWithOrigin} reports for an unhandled rejection. */
  public static final String UNHANDLED_REJECTION = "unhandledRejection";

  /*
   * Overview for maintainers.
   *
   * State. Every queue is a plain single-threaded structure owned by whichever thread holds the loop (the
   * `owner`): JobQueues for nextTicks, microtasks, immediates and close callbacks, the TimerQueue, and the
   * counters `refs` (referenced active timers and immediates). Only three things are shared with other
   * threads: the MPSC queue `posted` (execute), the atomic `keepAlives` counter, and the volatile
   * `sleeping` flag with `waiter`, which close the lost-wake-up race below.
   *
   * The driver is a state machine whose position lives in fields (`phase`, `phaseNow`, `budget`,
   * `timerList`, and `drainStage` for the nextTick/microtask drain), not in locals, so that whichever
   * strand holds the loop can continue it: the async/await runtime (Strand, Coroutine) hands the loop
   * between virtual threads mid-phase and even mid-drain. `drive()` repeats one step — one callback with
   * its drain, or a move to the next phase — and returns as soon as `interrupted()`: another strand holds
   * the loop now (the only frames still on this stack then touch nothing), a body's own resumption came up
   * in its nested drive (`exitNested`), an error had no handler, or stop() was called. Phase budgets
   * (immediates queued before the check phase began, posted tasks present when poll began) give Node's
   * "queued during the phase waits" rules.
   *
   * Runs. run/runUntilIdle/advance/close start a driver strand (Strand.startDriver) and block the caller
   * on `runDone`, which whoever holds the loop when the run is over completes (signalDone), after
   * unwinding the live coroutines at the end of a final run (runEnded). start() is the same run, not
   * waited for.
   *
   * Waking. The loop publishes `sleeping = true` (volatile) and re-checks `posted` before parking; a
   * producer appends to `posted` (a volatile getAndSet) and then reads `sleeping`. With both accesses
   * sequentially consistent, either the loop sees the task or the producer sees the flag and unparks it.
   * Closing the last KeepAlive wakes the loop the same way, so it can notice it is done.
   *
   * Blocked-loop detector. runCallback counts callbacks (`turns`, an opaque write); with onBlocked set, a
   * Watchdog thread per run samples that count and `sleeping`/`owner` and reports a callback that stays
   * past the threshold (see Watchdog). It starts with the run and is joined when the run ends.
   *
   * Errors. `fatal` holds the first error that has no handler; every drain and phase loop checks it and
   * stops, and run() rethrows it after resetting the queues.
   *
   * Known gap: a task posted by execute() at the very moment a closing loop takes its last look at
   * `posted` is neither run nor rejected (the status check and the append are not one atomic step).
   *
   * Tests: EventLoopTest (phases, liveness, affinity, bad input), TimerQueueTest (order model),
   * MpscQueueStressTest and MpscQueueLincheckTest, AsyncTest/AsyncLeakTest (strands), the conformance
   * suite (Node's output, line by line).
   */
  private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());

  static {
    Bridge.register(new Bridge.Generators() {
      @Override
      public <T> AsyncGenerator<T> create(AsyncGenerator.Body<T> body) {
        return Generator.create(body);
      }
    });
  }
  private static final AtomicInteger IDS = new AtomicInteger();
  private static final VarHandle TURNS;

  static {
    try {
      TURNS = MethodHandles.lookup().findVarHandle(EventLoop.class, "turns", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
  private static final long MAX_DELAY = Integer.MAX_VALUE;
  private static final int MAX_POLL_BATCH = 1024;
  private static final int MAX_IDLE_STRANDS = Integer.getInteger("eventloop4j.idleStrands", 8);

  private static final int IDLE = 0;
  private static final int RUNNING = 1;
  private static final int STARTED = 2;
  private static final int CLOSED = 3;

  private static final int START = 0;
  private static final int TIMERS = 1;
  private static final int POLL = 2;
  private static final int CHECK = 3;
  private static final int CLOSING = 4;
  private static final int END = 5;
  private static final int AFTER_BEFORE_EXIT = 6;
  private static final int DONE = 7;

  private static final int NO_DRAIN = 0;
  private static final int TICKS = 1;
  private static final int MICROTASKS = 2;

  /** What the driver does when it would wait. */
  private enum Mode {
    /** {@code run}: wait (or jump the virtual clock) and go on until the loop is done. */
    RUN,
    /** {@code runUntilIdle}: stop instead of waiting. */
    UNTIL_IDLE,
    /** {@code advance}: jump the virtual clock up to {@code advanceTarget}, then stop. */
    ADVANCE,
    /** {@code start}: keep going until closed, even with nothing to do. */
    SERVE,
    /** {@code close}: run what was posted, never wait, then end. */
    CLOSE;

    /** Whether the end of such a run ends the loop's async bodies too. */
    boolean isFinal() {
      return this == RUN || this == SERVE || this == CLOSE;
    }
  }

  /**
   * A handle that keeps a loop alive until closed — for work in flight on other threads, like Node's
   * ref'ed handles. Thread-safe; {@link #close()} is idempotent.
   */
  public interface KeepAlive extends AutoCloseable {
    /** Releases the loop; later calls do nothing. */
    @Override
    void close();
  }

  private final String name;
  private @Nullable String strandName;
  private final boolean virtualTime;
  private final long startNanos = System.nanoTime();
  private final @Nullable BiConsumer<Throwable, String> onUncaughtException;
  private final @Nullable BiConsumer<Throwable, Promise<?>> onUnhandledRejection;
  private final @Nullable Consumer<Promise<?>> onRejectionHandled;
  private final @Nullable Runnable onBeforeExit;
  private final @Nullable Duration blockedThreshold;
  private final @Nullable Consumer<BlockedLoop> onBlocked;
  /** The blocked-loop detector of the current run, if {@link Builder#onBlocked} configured one. */
  private @Nullable Watchdog watchdog;
  /** Callbacks started, for the watchdog: written opaque by the holder only, read opaque by the watchdog. */
  private long turns;

  private final JobQueue<Runnable> ticks = new JobQueue<>();
  private final JobQueue<Runnable> microtasks = new JobQueue<>();
  private final JobQueue<TimerImpl> immediates = new JobQueue<>();
  private final JobQueue<Runnable> closeCallbacks = new JobQueue<>();
  final TimerQueue timers = new TimerQueue();
  private final MpscQueue<Runnable> posted = new MpscQueue<>();
  /**
   * Loop-confined work for the next poll phase (MessagePort's dispatch walks, see {@link #runInNextPoll}); the
   * first {@code nextPollBudget} entries belong to the poll phase under way, the rest wait for the next one.
   */
  private final ArrayDeque<Runnable> nextPoll = new ArrayDeque<>();
  private int nextPollBudget;
  /** The loop's MessagePort dispatcher (org.eventloop4j.worker), made on the loop when a port first binds to it. */
  private Bridge.@Nullable PortDispatcher portHub;
  private final AtomicInteger keepAlives = new AtomicInteger();
  /** Open handle() keep-alives: liveness only, they do not hold a virtual clock back. */
  private final AtomicInteger handles = new AtomicInteger();
  private final AtomicInteger status = new AtomicInteger(IDLE);
  private final Set<CompletableFuture<?>> joiners = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

  volatile @Nullable Thread owner;
  /**
   * The strand whose thread is {@link #owner} (set with it, before the volatile write that wakes that strand):
   * the baton protocol asks the loop, not the thread, which strand it is on.
   */
  @Nullable Strand holder;
  /**
   * How many times the baton changed hands (Strand.handOver), wrapping around; written by the holder only.
   * An int: strands keep a copy each, and differences stay exact across the wrap.
   */
  int handovers;
  private volatile boolean sleeping;
  private volatile @Nullable Thread waiter;

  private long virtualNow;
  private long cachedNow;
  private boolean nowStale = true;
  private int refs;

  private int phase = DONE;
  private long phaseNow;
  private TimerQueue.@Nullable TimerList timerList;
  private int budget;
  private boolean pollRan;
  private boolean pollWaited;
  private Mode mode = Mode.RUN;
  private long advanceTarget;
  private boolean stopRequested;
  private boolean exitNested;
  private @Nullable Strand finisher;
  /** The {@link AsyncLocal} context of the plain callback running now. */
  final AsyncLocal.Holder callbackContext = AsyncLocal.newSlot();
  private final LiveCoroutines liveCoroutines = new LiveCoroutines();
  /** The coroutine whose continuation is mounted now (the accelerator, see Continuations); loop-affine. */
  @Nullable Coroutine mounted;
  private final Strand[] idleStrands = new Strand[MAX_IDLE_STRANDS];
  private int idleCount;
  private int drainStage;
  private volatile @Nullable CompletableFuture<@Nullable Void> runDone;
  private volatile @Nullable Thread lastHolder;
  /**
   * Driver strands that handed the loop to a body and are returning through frames that no longer touch
   * it: a run joins them before it returns, so that no thread outlives it. Touched by the holder only (and
   * by the run's caller once the run is over); pruned of ended threads as it grows, so it stays tiny.
   */
  private final List<Thread> retiringDrivers = new ArrayList<>(2);
  private boolean serving;
  private volatile boolean joinersFailed;
  private @Nullable Throwable fatal;
  private final List<Promise<?>> maybeUnhandled = new ArrayList<>();
  private final List<Promise<?>> handledLate = new ArrayList<>();

  private EventLoop(Builder b) {
    this.name = b.name != null ? b.name : "eventloop4j-" + IDS.incrementAndGet();
    this.virtualTime = b.virtualTime;
    this.onUncaughtException = b.onUncaughtException;
    this.onUnhandledRejection = b.onUnhandledRejection;
    this.onRejectionHandled = b.onRejectionHandled;
    this.onBeforeExit = b.onBeforeExit;
    this.blockedThreshold = b.blockedThreshold;
    this.onBlocked = b.onBlocked;
  }

  /** A loop on the real clock with Node's default error handling. */
  public static EventLoop create() {
    return builder().build();
  }

  /** A builder for a loop with a virtual clock, error handlers or a name. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The loop whose callback or async body is running on the calling thread.
   *
   * @throws IllegalStateException if the calling thread is not running a loop
   */
  public static EventLoop current() {
    EventLoop loop = tryCurrent();
    if (loop == null) {
      throw new IllegalStateException(
          "no event loop is running on thread " + Thread.currentThread().getName()
              + ": call this inside loop.run(...) or a callback of a loop");
    }
    return loop;
  }

  /** The loop running on the calling thread, or {@code null} if there is none. */
  public static @Nullable EventLoop tryCurrent() {
    Strand s = Strand.current(); // every loop runs on strands, and a strand serves one loop
    return s == null ? null : s.loop;
  }

  /** The name of the virtual threads of this loop's async bodies: one string for all of them. */
  String strandName() {
    String n = strandName;
    if (n == null) {
      n = name + "-async";
      strandName = n;
    }
    return n;
  }

  // ------------------------------------------------------------------------------------------------
  // Running

  /**
   * Runs {@code main} as the first task, then the loop, until nothing keeps it alive; blocks the calling
   * thread until then. Callbacks run on virtual threads (one at a time: see {@link Async}), never on the
   * calling thread. Async bodies still suspended when the loop ends are unwound (their {@code finally}
   * blocks run), so that no thread outlives {@code run}.
   *
   * @throws IllegalStateException if the loop is running, started or closed, or if this thread already runs
   *     another loop's callback that would be blocked
   * @throws RuntimeException the uncaught error that ended the loop (see the class documentation)
   */
  public void run(Runnable main) {
    requireNonNull(main, "main");
    runOnStrand("run", Mode.RUN, () -> runCallback(main));
  }

  /**
   * Runs everything that is due now — expired timers, immediates, posted tasks and what they queue — and
   * returns when the loop would wait. A virtual clock does not move. Async bodies stay suspended.
   */
  public void runUntilIdle() {
    runOnStrand("runUntilIdle", Mode.UNTIL_IDLE, null);
  }

  /**
   * Moves a virtual clock forward by {@code ms}, firing every timer that expires on the way in order, and
   * running everything due at the new time; returns when the loop would wait.
   *
   * @throws IllegalStateException on a loop with the real clock
   * @throws IllegalArgumentException if {@code ms} is negative
   */
  public void advance(long ms) {
    if (!virtualTime) {
      throw new IllegalStateException("advance() needs a loop built with EventLoop.builder().virtualTime()");
    }
    if (ms < 0) {
      throw new IllegalArgumentException("advance by a negative time: " + ms + " ms");
    }
    advanceTarget = Math.addExact(virtualNow, ms);
    runOnStrand("advance", Mode.ADVANCE, null);
    setVirtualNow(advanceTarget);
  }

  /**
   * Virtual time only, from inside a callback: the callback "takes" {@code ms} milliseconds — the clock moves
   * forward at once, as if it had computed that long, without running anything. A timers phase in progress
   * keeps the time it started with, as Node's does, so this is how a test makes a callback slow (overdue
   * timers, a slow interval) without waiting on the wall clock.
   *
   * @throws IllegalStateException on a loop with the real clock, or off the loop's thread
   * @throws IllegalArgumentException if {@code ms} is negative
   */
  public void spendTime(long ms) {
    if (!virtualTime) {
      throw new IllegalStateException("spendTime() needs a loop built with EventLoop.builder().virtualTime()");
    }
    if (ms < 0) {
      throw new IllegalArgumentException("spendTime with a negative time: " + ms + " ms");
    }
    checkAffinity("spendTime");
    setVirtualNow(Math.addExact(virtualNow, ms));
  }

  /** {@link #advance(long)} with a {@link Duration}, truncated to milliseconds. */
  public void advance(Duration d) {
    advance(requireNonNull(d, "duration").toMillis());
  }

  /**
   * Starts the loop on a thread of its own, where it runs until {@link #close()}, idle or not — for servers
   * and embedding. Feed it with {@link #execute}. An uncaught error without a handler is logged and ends
   * the loop as {@code close()} would.
   *
   * @throws IllegalStateException if the loop is running, started or closed
   */
  public EventLoop start() {
    if (!status.compareAndSet(IDLE, STARTED)) {
      throw new IllegalStateException("start(): loop " + name + " is " + statusName());
    }
    mode = Mode.SERVE;
    serving = true;
    runDone = new CompletableFuture<>();
    startWatchdog();
    beginStrandRun(null);
    return this;
  }

  private void afterServe() {
    stopWatchdog();
    Throwable error = fatal;
    if (error != null) {
      LOG.log(System.Logger.Level.ERROR, "event loop " + name + " stopped by an uncaught error", error);
    }
    fatal = null;
    status.set(CLOSED);
    resetQueues();
    owner = null;
    holder = null;
    failJoiners();
  }

  /**
   * Closes the loop; any thread. The loop finishes the phase step it is in (a callback and its drain),
   * cancels its timers and immediates without running them (and the messages its own callbacks posted to
   * its MessagePorts, not yet dispatched), runs the tasks already posted, unwinds the
   * async bodies still suspended, and ends. Later {@link #execute} calls throw {@link
   * RejectedExecutionException}, later {@code run} calls {@link IllegalStateException}; threads blocked in
   * {@link Promise#join()} on a promise of this loop that is still pending get a {@link
   * CancellationException}. Waits for a started loop to end unless called from the loop itself. Idempotent.
   */
  @Override
  public void close() {
    int previous = status.getAndSet(CLOSED);
    if (previous == CLOSED) {
      return;
    }
    wakeUp();
    CompletableFuture<@Nullable Void> done = runDone;
    if (previous == IDLE) {
      mode = Mode.CLOSE;
      clearNextPoll(); // what the last run's callbacks left for its ports, like its immediates
      done = new CompletableFuture<>();
      runDone = done;
      beginStrandRun(null);
    }
    if (EventLoop.tryCurrent() != this && done != null) {
      done.join();
      joinEndingThreads(true);
    }
    if (previous == IDLE) {
      resetQueues();
      owner = null;
    holder = null;
      failJoiners();
    }
  }

  /**
   * Stops the loop at once, as {@code process.exit()} does: the running callback finishes, nothing queued
   * runs, and {@code run} returns normally. The queues are emptied; the loop can be run again.
   */
  public void stop() {
    checkAffinity("stop");
    stopRequested = true;
  }

  /** Runs the loop on a driver strand in {@code how} mode and blocks the caller until that run ends. */
  private void runOnStrand(String what, Mode how, @Nullable Runnable prologue) {
    enter(what);
    CompletableFuture<@Nullable Void> done = new CompletableFuture<>();
    runDone = done;
    mode = how;
    startWatchdog();
    try {
      beginStrandRun(prologue);
      done.join();
      joinEndingThreads(how.isFinal());
    } finally {
      stopWatchdog();
      leave();
    }
  }

  /** Starts the blocked-loop detector for this run, if one is configured. */
  private void startWatchdog() {
    Consumer<BlockedLoop> handler = onBlocked;
    if (handler != null) {
      watchdog = Watchdog.start(new Watchdog.Probe() {
        @Override
        public long turns() {
          return (long) TURNS.getOpaque(EventLoop.this);
        }

        @Override
        public @Nullable Thread busyThread() {
          return sleeping ? null : owner;
        }

        @Override
        public String loopName() {
          return name;
        }
      }, requireNonNull(blockedThreshold), handler);
    }
  }

  /** The blocked-loop detector of the current run, if any (for tests). */
  @Nullable Watchdog watchdog() {
    return watchdog;
  }

  private void stopWatchdog() {
    Watchdog w = watchdog;
    if (w != null) {
      watchdog = null;
      w.stop();
    }
  }

  private void beginStrandRun(@Nullable Runnable prologue) {
    stopRequested = false;
    phase = START;
    Strand.startDriver(this, () -> {
      if (prologue != null) {
        prologue.run();
      }
      drainStage = TICKS;
    });
  }

  private void enter(String what) {
    EventLoop outer = tryCurrent();
    if (outer != null) {
      throw new IllegalStateException(
          what + "() called from a callback of loop " + outer.name
              + ": running a loop inside another loop's callback would block it");
    }
    if (!status.compareAndSet(IDLE, RUNNING)) {
      throw new IllegalStateException(what + "(): loop " + name + " is " + statusName());
    }
  }

  private void leave() {
    Throwable error = fatal;
    boolean stopped = stopRequested || error != null;
    fatal = null;
    stopRequested = false;
    if (stopped || mode == Mode.CLOSE) {
      resetQueues();
    }
    owner = null;
    holder = null;
    if (!status.compareAndSet(RUNNING, IDLE)) {
      resetQueues();
      failJoiners();
    }
    if (error != null) {
      throw asUnchecked(error);
    }
  }

  private static RuntimeException asUnchecked(Throwable error) {
    if (error instanceof RuntimeException r) {
      return r;
    }
    if (error instanceof Error e) {
      throw e;
    }
    return new UncaughtException(error);
  }

  static void joinUninterruptibly(Thread thread) {
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void failJoiners() {
    joinersFailed = true;
    List<CompletableFuture<?>> pending;
    synchronized (joiners) {
      pending = new ArrayList<>(joiners);
      joiners.clear();
    }
    for (CompletableFuture<?> f : pending) {
      f.completeExceptionally(new CancellationException("event loop " + name + " closed before the promise settled"));
    }
  }

  private void resetQueues() {
    ticks.clear();
    microtasks.clear();
    timers.clear();
    clearImmediates();
    closeCallbacks.clear();
    clearNextPoll();
    maybeUnhandled.clear();
    handledLate.clear();
    drainStage = NO_DRAIN;
    phase = DONE;
  }

  private void clearNextPoll() {
    nextPoll.clear();
    nextPollBudget = 0;
    Bridge.PortDispatcher hub = portHub;
    if (hub != null) {
      hub.nextPollCleared();
    }
  }

  private void clearImmediates() {
    TimerImpl t;
    while ((t = immediates.poll()) != null) {
      t.deactivate();
    }
  }

  private String statusName() {
    return switch (status.get()) {
      case IDLE -> "idle";
      case RUNNING -> "already running";
      case STARTED -> "started on its own thread";
      default -> "closed";
    };
  }

  // ------------------------------------------------------------------------------------------------
  // The driver: a state machine whose position lives in fields

  /**
   * Runs the loop from wherever its fields say it is, until the run is over ({@code phase == DONE}), an
   * error or stop halts it, or this strand stops holding the loop: it handed it to an async body, or (inside
   * {@code await}) its own body's resumption came up. Callers tell these apart with {@link #holds()} and
   * {@link #takeExitNested()}.
   */
  void drive() {
    Thread me = Thread.currentThread();
    while (true) {
      if (fatal != null || stopRequested) {
        phase = DONE;
        drainStage = NO_DRAIN;
        return;
      }
      if (drainStage != NO_DRAIN) {
        continueDrain();
        if (interrupted(me)) {
          return;
        }
        continue;
      }
      if (mode != Mode.CLOSE && status.get() == CLOSED) {
        beginClose();
      }
      switch (phase) {
        case START -> enterTimers();
        case TIMERS -> timersStep();
        case POLL -> pollStep();
        case CHECK -> checkStep();
        case CLOSING -> closeStep();
        case END -> endOfIteration();
        case AFTER_BEFORE_EXIT -> afterBeforeExit();
        default -> {
          return;
        }
      }
      if (interrupted(me)) {
        return;
      }
    }
  }

  /** Whether drive() must look before the next step: a hand-off, an error, stop, an open drain or a close. */
  private boolean needsDriver(Thread me) {
    return interrupted(me) || drainStage != NO_DRAIN || mode != Mode.CLOSE && status.get() == CLOSED;
  }

  private boolean interrupted(Thread me) {
    return owner != me || exitNested || fatal != null || stopRequested;
  }

  /** Whether the calling thread holds the loop. */
  boolean holds() {
    return owner == Thread.currentThread();
  }

  /** Consumes the flag a body's own resumption sets to end the nested drive it was dequeued by. */
  boolean takeExitNested() {
    boolean exit = exitNested;
    exitNested = false;
    return exit;
  }

  /** Ends the nested drive of the body running on the calling strand: its own resumption is next. */
  void requestExitNested() {
    exitNested = true;
  }

  private void beginClose() {
    mode = Mode.CLOSE;
    timers.clear();
    clearImmediates();
    clearNextPoll(); // same-loop port walks, like immediates: the program is over
  }

  private void enterTimers() {
    phase = TIMERS;
    nowStale = true;
    timerList = null;
    phaseNow = timers.size() > 0 ? now() : Long.MIN_VALUE;
  }

  /** One step of Node's processTimers/listOnTimeout (see TimerQueue): at most one timer per step. */
  private void timersStep() {
    TimerQueue.TimerList list = timerList;
    if (list == null) {
      list = timers.top();
      if (list == null || list.expiry > phaseNow) {
        enterPoll();
        return;
      }
      timerList = list;
    }
    TimerImpl t = list.head;
    if (t == null) {
      timers.drop(list);
      timerList = null;
    } else if (t.due > phaseNow) {
      timers.rekey(list, Math.max(t.due, phaseNow + 1));
      timerList = null;
    } else {
      timers.unlink(t);
      fire(t);
    }
  }

  private void fire(TimerImpl t) {
    if (t.kind == TimerImpl.INTERVAL) {
      long start = freshNow();
      runCallback(t.callback);
      if (t.isActive() && t.list == null) {
        arm(t, start);
      }
    } else {
      t.deactivate();
      runCallback(t.callback);
    }
    drain();
  }

  /** Node's getLibuvNow(): updates the loop's cached time, then returns it. */
  private long freshNow() {
    nowStale = true;
    return now();
  }

  private void enterPoll() {
    phase = POLL;
    budget = MAX_POLL_BATCH;
    nextPollBudget = nextPoll.size();
    pollRan = false;
    pollWaited = false;
  }

  /**
   * Runs what was posted (at most a batch, so timers and immediates are not starved); waits if nothing was.
   * Posted tasks run back to back here, each followed by its drain, until the batch or the queue ends or
   * the loop needs {@link #drive()}'s attention (what drive() checks between steps).
   */
  private void pollStep() {
    Thread me = Thread.currentThread();
    while (true) {
      Runnable task = nextPollTask();
      if (task == null) {
        if (budget == 0 || (task = posted.poll()) == null) {
          break;
        }
        budget--;
      }
      pollRan = true;
      runCallback(task);
      drain();
      if (needsDriver(me)) {
        return;
      }
    }
    if (!pollRan && !pollWaited && shouldWait()) {
      pollWaited = true;
      waitForWork();
      return;
    }
    enterCheck();
  }

  /** The next task of {@link #nextPoll} that belongs to this poll phase, or null. */
  private @Nullable Runnable nextPollTask() {
    if (nextPollBudget == 0) {
      return null;
    }
    nextPollBudget--;
    return nextPoll.poll();
  }

  /**
   * Queues {@code task} for the next poll phase, ahead of the tasks posted with {@link #execute}: in the
   * current one's place if no poll phase is under way, else the next iteration's (a libuv async handle
   * signalled from its own loop is noticed at the next poll). Does not keep the loop alive: it serves ports,
   * which keep it alive as handles when referenced. Loop-affine.
   */
  void runInNextPoll(Runnable task) {
    checkAffinity("runInNextPoll");
    nextPoll.addLast(task);
  }

  /**
   * Runs {@code task} right after the poll-phase callback running now (and its drain), before anything else
   * of the phase: how a MessagePort dispatch walk goes on one message per callback. Outside a poll phase it
   * waits for the next one. Loop-affine.
   */
  void continueInPoll(Runnable task) {
    checkAffinity("continueInPoll");
    nextPoll.addFirst(task);
    if (phase == POLL) {
      nextPollBudget++;
    }
  }

  /** The loop's port dispatcher, made by {@code make} the first time. Loop-affine. */
  Bridge.PortDispatcher portHub(Function<EventLoop, Bridge.PortDispatcher> make) {
    checkAffinity("portHub");
    Bridge.PortDispatcher hub = portHub;
    if (hub == null) {
      portHub = hub = make.apply(this);
    }
    return hub;
  }

  private void enterCheck() {
    phase = CHECK;
    budget = immediates.size();
  }

  private void checkStep() {
    if (budget == 0) {
      phase = CLOSING;
      budget = closeCallbacks.size();
      return;
    }
    budget--;
    TimerImpl im = requireNonNull(immediates.poll());
    if (im.isActive()) {
      im.deactivate();
      runCallback(im.callback);
      drain();
    }
  }

  private void closeStep() {
    if (budget == 0) {
      phase = END;
      return;
    }
    budget--;
    runCallback(requireNonNull(closeCallbacks.poll()));
    drain();
  }

  private void endOfIteration() {
    if (isAlive()) {
      enterTimers();
    } else if (mode == Mode.RUN && onBeforeExit != null) {
      phase = AFTER_BEFORE_EXIT;
      runCallback(onBeforeExit);
      drain();
    } else {
      phase = DONE;
    }
  }

  private void afterBeforeExit() {
    if (isAlive()) {
      enterTimers();
    } else {
      phase = DONE;
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Strands: which thread holds the loop, and how a run ends (see Strand and Coroutine)

  /** The body of a driver strand after its prologue: drive, then end the run if this strand still holds it. */
  void driveAsPureDriver() {
    drive();
    if (holds()) {
      runEnded(null);
    }
  }

  /**
   * Called by the holder once {@link #drive()} returned with the run over. At the end of a final run every
   * suspended async body is unwound first; {@code self}, if the holder is a body, unwinds itself afterwards
   * and signals the end from its strand's exit ({@link #signalDone()}).
   */
  void runEnded(@Nullable Coroutine self) {
    if (mode.isFinal()) {
      finisher = holder;
      unwindAll(self);
      if (self != null) {
        return;
      }
    }
    signalDone();
  }

  /** Whether the run is ending and bodies are being unwound. */
  boolean isFinishing() {
    return finisher != null;
  }

  @Nullable Strand finisher() {
    return finisher;
  }

  /** Notes a driver strand's thread that hands the loop over and ends (see {@link #retiringDrivers}). */
  void retiringDriver(Thread t) {
    if (!retiringDrivers.isEmpty()) {
      retiringDrivers.removeIf(d -> !d.isAlive());
    }
    retiringDrivers.add(t);
  }

  /** After a run: waits for the threads that held this loop last or were ending (no thread outlives run). */
  private void joinEndingThreads(boolean lastHolderToo) {
    Thread last = lastHolder;
    if (lastHolderToo && last != null && last != Thread.currentThread()) {
      joinUninterruptibly(last);
    }
    for (Thread d : retiringDrivers) {
      joinUninterruptibly(d);
    }
    retiringDrivers.clear();
  }

  /** Tells the thread blocked in run/advance/close that the run is over; the caller then owns the state. */
  void signalDone() {
    finisher = null;
    lastHolder = Thread.currentThread();
    if (serving) {
      serving = false;
      afterServe();
    }
    owner = null;
    holder = null;
    requireNonNull(runDone).complete(null);
  }

  /** Notes a coroutine that started; it is held weakly (see LiveCoroutines). */
  void register(Coroutine c) {
    c.live = liveCoroutines.add(c);
  }

  /** Forgets a coroutine that ended or was unwound. */
  void unregister(Coroutine c) {
    LiveCoroutines.Link l = c.live;
    if (l != null) {
      c.live = null;
      liveCoroutines.remove(l);
    }
  }

  /** The number of started coroutines not yet ended, unwound or collected (for tests). */
  int liveCoroutineCount() {
    return liveCoroutines.size();
  }

  private void unwindAll(@Nullable Coroutine self) {
    Strand me = requireNonNull(holder, "unwinding needs a strand");
    Coroutine c;
    while ((c = firstLiveExcept(self)) != null) {
      c.unwind(me);
    }
    Strand idle;
    while ((idle = takeIdleStrand()) != null) {
      Strand.transfer(this, idle, Strand.UNWIND);
      me.park(Strand.AFTER_CALL);
      joinUninterruptibly(idle.thread); // it handed back and is ending: no strand outlives the run
    }
  }

  /** Puts a strand whose body ended into the pool of idle strands; false if the pool is full. */
  boolean offerIdleStrand(Strand s) {
    if (idleCount == idleStrands.length) {
      return false;
    }
    idleStrands[idleCount++] = s;
    return true;
  }

  /** An idle strand to run a new coroutine on, or null. */
  @Nullable Strand takeIdleStrand() {
    if (idleCount == 0) {
      return null;
    }
    Strand s = idleStrands[--idleCount];
    idleStrands[idleCount] = null;
    return s;
  }

  private @Nullable Coroutine firstLiveExcept(@Nullable Coroutine self) {
    return liveCoroutines.anyExcept(self);
  }

  /** Whether no microtask is queued: one condition of the settled-await fast path (see Coroutine). */
  boolean microtasksEmpty() {
    return microtasks.isEmpty();
  }

  private boolean isAlive() {
    if (mode == Mode.CLOSE) {
      return !posted.isEmpty() || !closeCallbacks.isEmpty();
    }
    if (mode == Mode.ADVANCE && timers.nextExpiry() <= advanceTarget
        || mode == Mode.UNTIL_IDLE && timers.nextExpiry() <= now()) {
      return true; // stepping the clock fires unreferenced timers too
    }
    return refs > 0 || keepAlives.get() > 0 || handles.get() > 0 || !posted.isEmpty() || !closeCallbacks.isEmpty() || mode == Mode.SERVE;
  }

  /** Poll phase: whether to block (or jump the virtual clock) before the check phase. */
  private boolean shouldWait() {
    return mode != Mode.CLOSE && immediates.isEmpty() && closeCallbacks.isEmpty() && isAlive();
  }

  private void waitForWork() {
    long next = timers.nextExpiry();
    boolean external = keepAlives.get() > 0;
    if (!posted.isEmpty()) {
      return;
    }
    if (mode == Mode.UNTIL_IDLE || mode == Mode.ADVANCE && !external && next > advanceTarget) {
      phase = DONE;
      return;
    }
    if (virtualTime && !external && next != Long.MAX_VALUE) {
      setVirtualNow(next);
    } else {
      park(virtualTime ? Long.MAX_VALUE : next);
    }
    nowStale = true;
  }

  /** Parks until a task is posted, a keep-alive closes, the loop is closed, or the clock reaches {@code dueMs}. */
  private void park(long dueMs) {
    waiter = Thread.currentThread();
    sleeping = true;
    try {
      while (posted.isEmpty() && !closingOrDone()) {
        if (dueMs == Long.MAX_VALUE) {
          LockSupport.park(this);
        } else {
          long waitNanos = (dueMs - realNow()) * 1_000_000L;
          if (waitNanos <= 0) {
            break;
          }
          LockSupport.parkNanos(this, waitNanos);
        }
        if (!sleeping) {
          sleeping = true;
        }
      }
    } finally {
      sleeping = false;
    }
  }

  private boolean closingOrDone() {
    return status.get() == CLOSED || !isAlive() || virtualTime && keepAlives.get() == 0 && timers.size() > 0;
  }

  private void wakeUp() {
    if (sleeping) {
      sleeping = false;
      Thread w = waiter;
      if (w != null) {
        LockSupport.unpark(w);
      }
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Callbacks and the drain

  private void runCallback(Runnable callback) {
    TURNS.setOpaque(this, turns + 1);
    try {
      callback.run();
    } catch (Unwind u) {
      throw u;
    } catch (Throwable t) {
      reportUncaught(t, UNCAUGHT_EXCEPTION);
    }
  }

  /** Node's processTicksAndRejections: ticks, then microtasks, again while either refilled. */
  private void drain() {
    drainStage = TICKS;
    continueDrain();
  }

  /** The drain as a resumable state machine: {@code drainStage} says whether ticks or microtasks are next. */
  private void continueDrain() {
    Thread me = Thread.currentThread();
    while (true) {
      if (drainStage == TICKS) {
        if (!runAll(ticks, me)) {
          return;
        }
        drainStage = MICROTASKS;
      }
      if (!runAll(microtasks, me)) {
        return;
      }
      if (ticks.isEmpty() && !processRejections()) {
        drainStage = NO_DRAIN;
        return;
      }
      if (interrupted(me)) {
        drainStage = ticks.isEmpty() ? MICROTASKS : TICKS;
        return;
      }
      drainStage = TICKS;
    }
  }

  /** Runs the queue until empty; false if the drain must stop here (see {@link #interrupted}). */
  private boolean runAll(JobQueue<Runnable> queue, Thread me) {
    if (interrupted(me)) {
      return false;
    }
    Runnable job;
    while ((job = queue.poll()) != null) {
      try {
        job.run();
      } catch (Unwind u) {
        throw u;
      } catch (Throwable t) {
        reportUncaught(t, UNCAUGHT_EXCEPTION);
      }
      if (interrupted(me)) {
        return false;
      }
    }
    return true;
  }

  /** Gives {@code t} to the uncaught-exception handler with its Node origin, or ends the run with it. */
  private void reportUncaught(Throwable t, String origin) {
    BiConsumer<Throwable, String> handler = onUncaughtException;
    if (handler == null) {
      fail(t);
      return;
    }
    try {
      handler.accept(t, origin);
    } catch (Throwable second) {
      second.addSuppressed(t);
      fail(second);
    }
  }

  private void fail(Throwable t) {
    if (fatal == null) {
      fatal = t;
    } else if (fatal != t) {
      fatal.addSuppressed(t);
    }
  }

  /** Reports what the last drain left unhandled; true if a handler ran (it may have queued work). */
  private boolean processRejections() {
    if (maybeUnhandled.isEmpty() && handledLate.isEmpty()) {
      return false;
    }
    boolean ranHandler = !handledLate.isEmpty() && onRejectionHandled != null;
    for (Promise<?> p : takeAll(handledLate)) {
      if (onRejectionHandled != null) {
        runCallback(() -> onRejectionHandled.accept(p));
      }
    }
    for (Promise<?> p : takeAll(maybeUnhandled)) {
      if (p.isUnhandledRejection() && fatal == null) {
        ranHandler = true;
        p.markWarned();
        reportUnhandled(p);
      }
    }
    return ranHandler;
  }

  private void reportUnhandled(Promise<?> p) {
    Throwable reason = (Throwable) requireNonNull(p.result());
    BiConsumer<Throwable, Promise<?>> handler = onUnhandledRejection;
    if (handler == null) {
      reportUncaught(reason, UNHANDLED_REJECTION);
    } else {
      runCallback(() -> handler.accept(reason, p));
    }
  }

  private static List<Promise<?>> takeAll(List<Promise<?>> list) {
    if (list.isEmpty()) {
      return List.of();
    }
    List<Promise<?>> copy = new ArrayList<>(list);
    list.clear();
    return copy;
  }

  void trackRejection(Promise<?> p) {
    maybeUnhandled.add(p);
  }

  void rejectionHandledLate(Promise<?> p) {
    handledLate.add(p);
  }

  // ------------------------------------------------------------------------------------------------
  // Scheduling (loop-affine)

  /**
   * Node's {@code setTimeout(callback, ms)}: runs {@code callback} once, {@code ms} milliseconds from now
   * (coerced as the class documentation says).
   *
   * @throws NullPointerException if {@code callback} is null
   */
  public Timer setTimeout(Runnable callback, long ms) {
    return schedule(callback, ms, TimerImpl.TIMEOUT);
  }

  /** {@link #setTimeout(Runnable, long)} with a {@link Duration}, truncated to milliseconds. */
  public Timer setTimeout(Runnable callback, Duration delay) {
    return setTimeout(callback, toMillis(delay));
  }

  /**
   * Node's {@code setInterval(callback, ms)}: runs {@code callback} every {@code ms} milliseconds, each run
   * due {@code ms} after the start of the timers phase of the previous one; missed runs are not made up.
   */
  public Timer setInterval(Runnable callback, long ms) {
    return schedule(callback, ms, TimerImpl.INTERVAL);
  }

  /** {@link #setInterval(Runnable, long)} with a {@link Duration}, truncated to milliseconds. */
  public Timer setInterval(Runnable callback, Duration interval) {
    return setInterval(callback, toMillis(interval));
  }

  /** Node's {@code setImmediate(callback)}: runs {@code callback} in the next check phase. */
  public Timer setImmediate(Runnable callback) {
    requireNonNull(callback, "callback");
    checkAffinity("setImmediate");
    TimerImpl t = new TimerImpl(this, callback, 0, TimerImpl.IMMEDIATE);
    refs++;
    immediates.add(t);
    return t;
  }

  /** Queues {@code callback} on the microtask queue, behind promise reactions already queued. */
  public void queueMicrotask(Runnable callback) {
    requireNonNull(callback, "callback");
    checkAffinity("queueMicrotask");
    microtasks.add(callback);
  }

  /** Node's {@code process.nextTick(callback)}: runs before any microtask of the current drain. */
  public void nextTick(Runnable callback) {
    requireNonNull(callback, "callback");
    checkAffinity("nextTick");
    ticks.add(callback);
  }

  private Timer schedule(Runnable callback, long ms, byte kind) {
    requireNonNull(callback, "callback");
    checkAffinity(kind == TimerImpl.INTERVAL ? "setInterval" : "setTimeout");
    TimerImpl t = new TimerImpl(this, callback, coerceDelay(ms), kind);
    refs++;
    arm(t, freshNow());
    return t;
  }

  /** Re-arms a refreshed timer from the current time (Node's refresh: getLibuvNow()). */
  void rearm(TimerImpl t) {
    timers.rearm(t, freshNow() + t.delay);
  }

  void arm(TimerImpl t, long start) {
    t.due = start + t.delay;
    timers.add(t);
  }

  private static int coerceDelay(long ms) {
    if (ms > MAX_DELAY) {
      LOG.log(System.Logger.Level.WARNING,
          "TimeoutOverflowWarning: " + ms + " does not fit into a 32-bit signed integer; the timeout was set to 1 ms");
      return 1;
    }
    return ms < 1 ? 1 : (int) ms;
  }

  private static long toMillis(Duration d) {
    requireNonNull(d, "delay");
    try {
      return d.toMillis();
    } catch (ArithmeticException e) {
      return d.isNegative() ? 0 : Long.MAX_VALUE;
    }
  }

  void refHandle() {
    refs++;
  }

  void unrefHandle() {
    refs--;
  }

  void enqueueMicrotask(Runnable job) {
    microtasks.add(job);
  }

  /** Registers a closing callback that runs in the close phase (MessagePort's 'close', through Bridge.loops()). */
  void queueCloseCallback(Runnable callback) {
    checkAffinity("close callback");
    closeCallbacks.add(callback);
  }

  // ------------------------------------------------------------------------------------------------
  // Thread-safe entry points

  /**
   * Posts {@code task} to the loop; any thread, lock-free, never blocks. It runs in a poll phase, like an I/O
   * callback, followed by a drain; tasks from one thread run in the order posted. A task posted to a
   * sleeping loop wakes it. The posted task keeps the loop alive until it ran.
   *
   * @throws RejectedExecutionException if the loop is closed
   */
  public void execute(Runnable task) {
    requireNonNull(task, "task");
    if (status.get() == CLOSED) {
      throw new RejectedExecutionException("event loop " + name + " is closed");
    }
    posted.offer(task);
    wakeUp();
  }

  /** Posts {@code task}, or fails {@code future} with a {@link CancellationException} if the loop is closed. */
  void executeOrReject(Runnable task, CompletableFuture<?> future) {
    try {
      execute(task);
    } catch (RejectedExecutionException e) {
      future.completeExceptionally(new CancellationException(e.getMessage()));
    }
  }

  /** Registers a thread blocked in join(), so that close() can cancel it; a closed loop cancels it at once. */
  void trackJoiner(CompletableFuture<?> future) {
    joiners.add(future);
    future.whenComplete((v, e) -> joiners.remove(future));
    if (joinersFailed) {
      failJoiners();
    }
  }

  /**
   * Keeps the loop alive until the returned handle is closed; any thread. For work in flight elsewhere
   * whose completion will be posted with {@link #execute}.
   */
  public KeepAlive keepAlive() {
    return counted(keepAlives);
  }

  /**
   * Keeps the loop alive as a ref'd handle does (a listening MessagePort, reached through Bridge.loops()),
   * until closed; any thread. Unlike {@link #keepAlive()} it promises no work from another thread, so a
   * virtual clock still jumps to the next timer while it is open.
   */
  KeepAlive handle() {
    return counted(handles);
  }

  private KeepAlive counted(AtomicInteger counter) {
    counter.incrementAndGet();
    return new KeepAlive() {
      private final AtomicInteger closed = new AtomicInteger();

      @Override
      public void close() {
        if (closed.compareAndSet(0, 1) && counter.decrementAndGet() == 0) {
          wakeUp();
        }
      }
    };
  }

  // ------------------------------------------------------------------------------------------------
  // Time

  /**
   * The loop's clock in milliseconds: virtual time, or real time since the loop was created. On the loop
   * thread it is the value cached for the current phase, as Node's loop time; elsewhere a fresh reading.
   */
  public long now() {
    if (virtualTime) {
      return virtualNow;
    }
    if (owner != Thread.currentThread()) {
      return realNow();
    }
    if (nowStale) {
      cachedNow = realNow();
      nowStale = false;
    }
    return cachedNow;
  }

  private long realNow() {
    return (System.nanoTime() - startNanos) / 1_000_000L;
  }

  private void setVirtualNow(long ms) {
    virtualNow = Math.max(virtualNow, ms);
  }

  /** Whether the loop runs on a virtual clock. */
  public boolean isVirtualTime() {
    return virtualTime;
  }

  /** The loop's name (its thread's name when started). */
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return "EventLoop[" + name + ", " + statusName() + (virtualTime ? ", virtual time " + virtualNow + " ms" : "") + "]";
  }

  // ------------------------------------------------------------------------------------------------
  // Affinity

  /**
   * Throws unless the calling thread may use loop-affine methods: the loop's own thread, or any thread while
   * the loop is not running.
   */
  void checkAffinity(String what) {
    Thread o = owner;
    if (o != null && o != Thread.currentThread()) {
      throw new IllegalStateException(
          what + " called from thread " + Thread.currentThread().getName() + ", but event loop " + name
              + " runs on thread " + o.getName() + ": post work to it with loop.execute(...)");
    }
  }

  /**
   * The loop a reaction registered from the calling thread belongs to: this loop on its own thread (or while
   * it is not running), else the calling thread's own loop.
   */
  EventLoop affinity() {
    Thread o = owner;
    Thread me = Thread.currentThread();
    if (o == me) {
      return this;
    }
    EventLoop current = tryCurrent();
    if (current != null) {
      return current;
    }
    if (o == null) {
      return this;
    }
    throw new IllegalStateException(
        "a promise of event loop " + name + " was chained from thread " + me.getName()
            + ", which runs no event loop: chain inside a loop, or use join()/toCompletableFuture()");
  }

  // ------------------------------------------------------------------------------------------------

  /** Configures an {@link EventLoop}. Not thread-safe; each {@link #build()} makes a new loop. */
  public static final class Builder {
    private boolean virtualTime;
    private @Nullable String name;
    private @Nullable BiConsumer<Throwable, String> onUncaughtException;
    private @Nullable BiConsumer<Throwable, Promise<?>> onUnhandledRejection;
    private @Nullable Consumer<Promise<?>> onRejectionHandled;
    private @Nullable Runnable onBeforeExit;
    private @Nullable Duration blockedThreshold;
    private @Nullable Consumer<BlockedLoop> onBlocked;

    private Builder() {}

    /** A virtual clock starting at 0 that jumps to the next timer whenever the loop would wait. */
    public Builder virtualTime() {
      this.virtualTime = true;
      return this;
    }

    /** The loop's name, used in error messages and as its thread's name when started. */
    public Builder name(String name) {
      this.name = requireNonNull(name, "name");
      return this;
    }

    /**
     * Node's {@code process.on('uncaughtException')}: called on the loop thread with every error thrown by a
     * callback (and unhandled rejections without their own handler); the loop carries on. An exception
     * thrown by the handler ends the loop.
     */
    public Builder onUncaughtException(Consumer<Throwable> handler) {
      requireNonNull(handler, "handler");
      this.onUncaughtException = (error, origin) -> handler.accept(error);
      return this;
    }

    /**
     * {@link #onUncaughtException(Consumer)} with Node's second argument, the origin: {@value
     * EventLoop#UNCAUGHT_EXCEPTION} for an error thrown by a callback, {@value EventLoop#UNHANDLED_REJECTION}
     * for a rejection that reached this handler because no {@link #onUnhandledRejection} handler was set.
     * There is one such handler: this call and {@code onUncaughtException} replace each other's.
     */
    public Builder onUncaughtExceptionWithOrigin(BiConsumer<Throwable, String> handler) {
      this.onUncaughtException = requireNonNull(handler, "handler");
      return this;
    }

    /**
     * Node's {@code process.on('unhandledRejection')}: called after a drain with each promise rejected
     * during it that still has no handler, and its reason.
     */
    public Builder onUnhandledRejection(BiConsumer<Throwable, Promise<?>> handler) {
      this.onUnhandledRejection = requireNonNull(handler, "handler");
      return this;
    }

    /**
     * Node's {@code process.on('rejectionHandled')}: called after the drain in which a handler was added to
     * a promise that had been reported as an unhandled rejection.
     */
    public Builder onRejectionHandled(Consumer<Promise<?>> handler) {
      this.onRejectionHandled = requireNonNull(handler, "handler");
      return this;
    }

    /**
     * Node's {@code process.on('beforeExit')}: called by {@link EventLoop#run} each time the loop runs out
     * of work; anything it schedules keeps the loop going.
     */
    public Builder onBeforeExit(Runnable handler) {
      this.onBeforeExit = requireNonNull(handler, "handler");
      return this;
    }

    /**
     * A blocked-loop detector: while the loop runs, a watchdog thread looks at it every quarter of {@code
     * threshold}, and when one callback — a macrotask with the ticks, microtasks and async-body steps it
     * drains — has kept the loop for at least {@code threshold}, calls {@code handler} once for it with the
     * blocking code's stack, sampled while it still blocks (see {@link BlockedLoop}). Waiting for work is
     * not blocking. Node leaves this to userland packages.
     *
     * <p>Threads: the handler runs on the watchdog thread, while the loop is still blocked, so it must not
     * wait for the loop; it may be called again for a later block. An exception it throws is logged. The
     * watchdog starts with each {@code run}, {@code runUntilIdle}, {@code advance} and {@code start} and is
     * stopped and joined when that run ends: no thread outlives it. A virtual clock does not matter: the
     * threshold is real time. Cost: one opaque write per callback on the loop, and a sample per period.
     *
     * @throws IllegalArgumentException if {@code threshold} is shorter than 1 ms
     */
    public Builder onBlocked(Duration threshold, Consumer<BlockedLoop> handler) {
      requireNonNull(threshold, "threshold");
      requireNonNull(handler, "handler");
      if (threshold.compareTo(Duration.ofMillis(1)) < 0) {
        throw new IllegalArgumentException("onBlocked threshold must be at least 1 ms, was " + threshold);
      }
      this.blockedThreshold = threshold;
      this.onBlocked = handler;
      return this;
    }

    /**
     * {@link #onBlocked(Duration, Consumer)} with a handler that logs each report at WARNING level, with
     * the blocking code's stack, to the {@code System.Logger} named {@code org.eventloop4j.EventLoop}.
     */
    public Builder onBlocked(Duration threshold) {
      return onBlocked(threshold, b -> LOG.log(System.Logger.Level.WARNING, b.toString(), b.toException()));
    }

    /** A new, idle loop. */
    public EventLoop build() {
      return new EventLoop(this);
    }
  }
}
