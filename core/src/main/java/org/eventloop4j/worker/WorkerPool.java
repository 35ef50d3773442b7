package org.eventloop4j.worker;

import static java.util.Objects.requireNonNull;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Resolvers;
import org.eventloop4j.TimeoutError;
import org.eventloop4j.internal.Bridge;
import org.jspecify.annotations.Nullable;

/**
 * A pool of threads for CPU-heavy or blocking work, as piscina and workerpool are for Node: every task runs
 * on a pool thread and its outcome settles a promise on the loop that submitted it.
 *
 * <pre>{@code
 * WorkerPool pool = WorkerPool.builder().threads(4).maxQueue(1000).build();
 * loop.run(() -> pool.execute(n -> fib(n), 40)
 *     .thenAccept(System.out::println)
 *     .andFinally(pool::terminate));
 * }</pre>
 *
 * <h2>Tasks and promises</h2>
 *
 * <p>{@link #execute(Task, Object)} and {@link #submit(Callable)} must be called on an event loop; the
 * returned promise belongs to that loop, settles there, and keeps that loop alive while the task is queued
 * or running. Outcomes come back in batches: the first task to finish posts one macrotask with {@link
 * EventLoop#execute}, and that macrotask settles every task of the pool that finished for this loop by
 * the time it runs, in the order they finished (tasks finished by one pool thread settle in the order that
 * thread finished them); their reactions run in the microtask drain after it. If that loop is closed
 * before a task finishes, the task still runs to its end; its outcome is dropped, and each dropped task is
 * counted once in a WARNING of the {@code org.eventloop4j.worker.CompletionInbox} {@link System.Logger}. A value
 * (including {@code null}, JavaScript's {@code undefined}) fulfils the promise; a {@code CompletionStage}
 * or promise returned by the task is adopted. An exception — checked or not — rejects only that task's
 * promise, with the exception itself. Tasks and their arguments are passed by reference: the task may run
 * on any pool thread, so what it touches must be safe to use from another thread.
 *
 * <h2>Scheduling</h2>
 *
 * <p>Tasks start in priority order (higher first; default 0) and, within a priority, in submission order.
 * Waiting raises a task's priority by one level per {@link Builder#agingInterval} so that low priorities are
 * delayed, never starved. Every free thread takes the next task at once. The pool grows from
 * {@link Builder#minThreads} to {@link Builder#maxThreads} while every thread is busy, and a thread idle for
 * {@link Builder#idleTimeout} ends while the pool is above its minimum. One idle thread at a time spins for
 * {@link Builder#spinWait} before it parks, so back-to-back tasks do not pay for a thread wake-up.
 *
 * <h2>Back-pressure</h2>
 *
 * <p>At most {@link Builder#maxQueue} tasks wait (running ones do not count). A task submitted to a full
 * queue, or to a closed pool, is rejected at once: its promise is already rejected with a {@link
 * RejectedExecutionException} that says why. {@link #drain()} says when there is room again, {@link
 * #onIdle()} when the pool has nothing left to do.
 *
 * <h2>Cancellation and timeouts</h2>
 *
 * <p>With {@link TaskOptions#signal}: an abort removes a queued task (it never runs) or interrupts a
 * running one; either way the promise rejects at once with a {@link TaskAbortedException} whose
 * {@linkplain TaskAbortedException#phase() phase} says which and whose cause is the signal's reason. With a
 * run timeout ({@link TaskOptions#timeout}, or {@link Builder#taskTimeout} for every task) a task running
 * longer is interrupted and rejected with a {@link TimeoutError}. Timeouts run on the real clock, never on
 * a loop's virtual clock: the task runs on another thread in real time, and a virtual clock does not move
 * while the loop waits for it. Interrupting is all the JVM allows: a task that ignores interrupts keeps its
 * thread until it returns, and what it returns then is discarded. An interrupt never leaks into the next
 * task of the thread.
 *
 * <h2>Failures</h2>
 *
 * <p>A task that throws an {@link Error} ({@code StackOverflowError}, {@code OutOfMemoryError}, …) is
 * rejected with that error and its thread — whose state can no longer be trusted — is replaced by a new
 * one, so the pool keeps its size. {@link Builder#recycleAfter} replaces each thread after a number of
 * tasks, for code that leaks per-thread state; {@link Builder#stackSize} gives deeply recursive tasks a
 * bigger stack (piscina's {@code resourceLimits}; the heap is the process's, so there is no per-thread heap
 * limit).
 *
 * <h2>Broadcasts and progress</h2>
 *
 * <p>{@link #broadcast(Task, Object)} runs a task once on every pool thread alive at the call, before each
 * thread's queued tasks (to reload configuration or clear thread-local caches), and collects the results in
 * thread creation order. {@link #execute(ProgressTask, Object, Consumer)} runs a task that reports
 * progress: the reports reach {@code onProgress} on the calling loop, the way outcomes do, in order and all
 * before the promise settles. Both methods spell out their interplay with aborts, failures and shutdown.
 *
 * <h2>Shutdown</h2>
 *
 * <p>{@link #close()} accepts nothing new, runs what is queued, and fulfils its promise when every pool
 * thread has ended. {@link #terminate()} accepts nothing new, rejects every queued task and interrupts every
 * running one (each with a {@link TaskAbortedException}), and fulfils its promise when every pool thread
 * has ended. No pool thread outlives that promise (but see the interrupt caveat above). For callers that
 * are not on a loop, {@link #shutdown()}, {@link #shutdownNow()} and {@link #awaitTermination(Duration)}
 * do the same without a promise.
 *
 * <h2>Threads</h2>
 *
 * <p>Every method is thread-safe; those returning promises must be called on a loop. Pool threads are
 * daemon platform threads named after the pool. Everything a loop did before submitting a task
 * happens-before the task runs; everything the task did happens-before its promise's reactions run.
 */
public final class WorkerPool {
  /*
   * Overview for maintainers.
   *
   * Counters (all atomic, each on its own cache line: see PaddedInt):
   *   queued   tasks admitted and not yet claimed or cancelled: submitted − removed (queued()), two counters so
   *            that no line is written by both the submitting loop and the pool threads on every task.
   *            `submitted` is raised at admission (a CAS below maxQueue if bounded) BEFORE the task is offered;
   *            `removed` after a claim or cancellation. queued() reads `removed` first, so it may overcount
   *            but never undercounts, and shutdown logic can rely on it: a closing pool ends only at
   *            queued == 0.
   *   live     pool threads started and not yet ended (the pool's size).
   *   busy     (dynamic pools only; a fixed-size pool does not pay for it on every task) threads that
   *            claimed a task and have not finished it, incremented before `removed` is incremented, so
   *            `queued + busy` never undercounts the threads the work needs: a submitter that found no
   *            parked thread grows the pool while that sum exceeds `live`. Stats count running tasks from
   *            the threads' `current` instead, for every pool.
   *   idleCount threads parked (see PoolThread's park protocol); spinning: 0 or 1, the one thread allowed
   *            to spin for work (more spinners only steal CPU from the loops on a small machine).
   *   undrained batches of finished tasks posted to some loop and not yet taken by its drain (inboxes
   *            count them, once per batch, not per task); the spinner keeps waiting without parking while
   *            it is positive (see PoolThread.spin). A heuristic only: it may be briefly off by one.
   * Waking: a submitter wakes a parked thread only when no thread spins; a thread that claims a task while
   * more are queued wakes the next parked thread, so a burst fans out without the submitter paying for
   * every wake-up. Lost wake-ups are excluded by Dekker-style ordering: the spinner decrements `spinning`
   * then re-reads the queue, a submitter offers then reads `spinning` (all sequentially consistent).
   * State: OPEN -> CLOSING (close) -> TERMINATING (terminate, from OPEN or CLOSING) -> TERMINATED (finish).
   *
   * Submission (on the caller's loop): check OPEN, admit, build the PoolTask (counted by the caller loop's
   * inbox, which keeps that loop alive), register the abort listener, offer, then wake a parked thread or
   * grow. Shutdown races:
   *   - a task admitted just before close() is accepted: threads do not end while queued > 0, and if the
   *     last thread ended anyway (it read queued == 0 before the admission), either that thread, which
   *     re-reads `queued` after giving up its slot, or the submitter, which re-reads `live` after offering,
   *     starts a new one;
   *   - a task offered after terminate() swept the queue is swept by its own submitter, which re-reads the
   *     state after offering (terminate sets the state before sweeping);
   *   - a task claimed just as terminate() scans the threads is caught by the claiming thread, which checks
   *     the state after claiming (terminate sets it before scanning `current`).
   * Each PoolTask's own CAS state machine makes every one of these settle the promise exactly once.
   *
   * Threads end when take() says so (terminating; closing with nothing queued; idle past the timeout above
   * the minimum). threadExited() hands the slot to a replacement for a killed or recycled thread while the
   * pool still has work, else decrements `live`; the last one out (and close/terminate, if no thread is
   * left) calls tryFinish(), which completes termination once: stops the timeout thread, releases
   * awaitTermination, settles the close/terminate promises.
   *
   * Completions: a task's outcome travels back through the CompletionInbox of its (pool, caller loop) pair,
   * found at submission through `lastInbox` (a racy one-entry cache) or the `inboxes` map; the inbox posts
   * one drain macrotask per batch and holds the loop's keep-alive while that loop has tasks in flight (see
   * its overview). When the last one settles, the inbox retires and leaves the map.
   *
   * Broadcasts: broadcast() snapshots `threads`, sorts them by creation number and offers each one a part
   * (a PoolTask with an internal promise; a Broadcast combines them) into that thread's own part queue, then
   * signals it; take() serves a thread's parts before the shared queue, without touching `submitted`,
   * `removed` or maxQueue. A thread refuses parts once it committed to ending, under its parts lock, and it
   * commits only with no part waiting, except when terminating (then it rejects them) or when it is killed
   * or recycled (threadExited hands them to the replacement, which runs them first). Races:
   *   - a broadcast against a thread that is ending: the part lands before the commit (and runs) or is
   *     refused (that thread is left out); never both, never lost (PoolThread's overview);
   *   - a broadcast against terminate(): terminate sets the state, then sweeps every thread's parts; the
   *     broadcaster offers, then re-reads the state and sweeps, as submissions do; the part's CAS settles
   *     it once.
   *
   * Idle (onIdle): idle() reads `queued` and every thread's `quiet` flag, which a thread clears at a claim
   * and sets again only when, after publishing its last outcome, it finds nothing to take (foundNothing,
   * then a fence, then a read of the waiters; a waiter adds itself, then checks idle(): Dekker again). A
   * waiter is checked after it is taken from the line (signalIdle), and fulfilled through its loop's inbox,
   * behind that loop's outcomes already pushed. Tests: WorkerPoolIdleTest (rounds from two loops).
   *
   * Progress: execute(ProgressTask, ...) wraps the task so that it gets a ProgressSink, which pushes
   * reports into the same CompletionInbox as the outcome (see its overview for why none arrives after).
   *
   * Timeouts use one lazily started ScheduledThreadPoolExecutor thread per pool. Statistics live in the
   * threads (single writer) and in `retired` once a thread ended. Clock reads: one at each submission (the
   * wait time's start and the aging key) and one per task on its pool thread (PoolThread's overview); a
   * pool built with recordTiming(false) reads neither for priority-0 tasks until its first task with a
   * priority (TaskQueue's overview). A read costs about 25 ns on this project's VM; what that takes off
   * the throughput depends on which side is the bottleneck (PoolThroughput.eventloop4jUntimed; the row is
   * as bimodal as the timed one).
   *
   * Tests: WorkerPoolTest (every feature, latches only), WorkerPoolStressTest (random submit/abort/close
   * from several loops), CompletionInboxTest (batch order, nothing lost, a closed caller loop),
   * MailboxLincheckTest (the completion path's state machine), SeedProgramsTest
   * (parallelProcessingExample), WorkerPoolBroadcastTest, WorkerPoolProgressTest, WorkerPoolTimingTest, and
   * WorkerPoolStressTest.broadcastsAndProgress (broadcasts racing killed, recycled and idle threads and
   * shutdown; reports racing their task's end).
   */
  private static final System.Logger LOG = System.getLogger(WorkerPool.class.getName());
  private static final Bridge.Promises PROMISES = Bridge.promises();
  private static final AtomicInteger IDS = new AtomicInteger();
  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(WorkerPool.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final int OPEN = 0;
  private static final int CLOSING = 1;
  private static final int TERMINATING = 2;
  private static final int TERMINATED = 3;

  /** The largest shift of an aging key, so that keys never overflow (≈ 36 years in nanoseconds). */
  private static final long MAX_AGE_SHIFT = 1L << 60;

  /**
   * A task with an argument, as run by {@link #execute(Task, Object)}; may throw checked exceptions.
   *
   * @param <A> the argument type
   * @param <R> the result type
   */
  @FunctionalInterface
  public interface Task<A, R> {
    /** Runs on a pool thread. */
    R run(A arg) throws Exception;
  }

  /**
   * A task that reports progress, as run by {@link #execute(ProgressTask, Object, Consumer)}; may throw
   * checked exceptions.
   *
   * @param <A> the argument type
   * @param <P> the type of the progress values
   * @param <R> the result type
   */
  @FunctionalInterface
  public interface ProgressTask<A, P, R> {
    /**
     * Runs on a pool thread; each {@code progress.accept(value)} sends {@code value} to the submitting loop
     * (any thread may call it; it never blocks).
     */
    R run(A arg, Consumer<? super P> progress) throws Exception;
  }

  /**
   * A snapshot of a pool's statistics; racy but untorn while tasks run.
   *
   * @param threads pool threads alive now
   * @param queued tasks waiting to start
   * @param active tasks running now
   * @param completed tasks that ran and fulfilled their promise (each thread's run of a broadcast counts as a
   *     task here and in the counts and times below, never in {@code queued})
   * @param failed tasks that ran and were rejected (threw, timed out, aborted or killed while running)
   * @param cancelled tasks removed from the queue before they ran (aborted, or by terminate)
   * @param rejected submissions refused at once (full queue, closed pool)
   * @param utilisation the share of the pool's capacity spent running tasks since it was built: total run
   *     time ÷ (elapsed time × maximum threads), between 0 and 1 (0 without {@linkplain
   *     Builder#recordTiming timing})
   * @param waitTime time from submission to start, over every task started (empty without timing)
   * @param runTime time from start to end, over every task that ran (empty without timing)
   */
  public record Stats(int threads, int queued, int active, long completed, long failed, long cancelled, long rejected,
      double utilisation, Histogram waitTime, Histogram runTime) {}

  /**
   * A latency distribution (log-linear buckets, ≤ 12.5 % relative error).
   *
   * @param count the number of values
   * @param mean the mean
   * @param p50 the median
   * @param p90 the 90th percentile
   * @param p99 the 99th percentile
   * @param max the largest value
   */
  public record Histogram(long count, Duration mean, Duration p50, Duration p90, Duration p99, Duration max) {}

  final String name;
  private final int minThreads;
  private final int maxThreads;
  private final int maxQueue;
  private final long idleTimeoutNanos;
  private final long spinNanos;
  private final long agingNanos;
  private final long defaultTimeoutNanos;
  final int recycleAfter;
  /** The stack size of each pool thread in bytes; 0: the JVM's default ({@code -Xss}). */
  final long stackSize;
  private final LongSupplier clock;
  private final @Nullable Consumer<Thread> onThreadStart;
  private final long createdNanos = System.nanoTime();

  private final TaskQueue queue = new TaskQueue();
  private final ConcurrentHashMap<EventLoop, CompletionInbox> inboxes = new ConcurrentHashMap<>();
  private @Nullable CompletionInbox lastInbox;
  private final PaddedInt submitted = new PaddedInt();
  private final PaddedInt removed = new PaddedInt();
  private final PaddedInt live = new PaddedInt();
  private final PaddedInt busy = new PaddedInt();
  final PaddedInt idleCount = new PaddedInt();
  private final PaddedInt spinning = new PaddedInt();
  private final PaddedInt undrained = new PaddedInt();
  private final boolean dynamic;
  private final boolean realClock;
  /** Builder.recordTiming: whether each task's wait and run times are measured (two clock reads a task). */
  final boolean recordTiming;
  private final ConcurrentLinkedDeque<PoolThread> idle = new ConcurrentLinkedDeque<>();
  private final Set<PoolThread> threads = ConcurrentHashMap.newKeySet();
  private final AtomicInteger threadSeq = new AtomicInteger();
  private final AtomicLong taskSeq = new AtomicLong();
  private volatile int state = OPEN;

  private final ConcurrentLinkedQueue<LoopWaiter> drainWaiters = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<LoopWaiter> idleWaiters = new ConcurrentLinkedQueue<>();
  private final List<LoopWaiter> terminationWaiters = new ArrayList<>();
  private final AtomicBoolean finished = new AtomicBoolean();
  private final CountDownLatch terminatedLatch = new CountDownLatch(1);

  private final Object timerLock = new Object();
  private @Nullable ScheduledThreadPoolExecutor timer;
  private boolean timerStopped;

  private final Object retiredLock = new Object();
  private final long[] retiredWait = LatencyRecorder.accumulator();
  private final long[] retiredRun = LatencyRecorder.accumulator();
  private long retiredCompleted;
  private long retiredFailed;
  private long retiredBusyNanos;
  private final LongAdder cancelled = new LongAdder();
  private final LongAdder rejected = new LongAdder();

  private WorkerPool(Builder b, int minThreads, int maxThreads) {
    this.name = b.name != null ? b.name : "eventloop4j-pool-" + IDS.incrementAndGet();
    this.minThreads = minThreads;
    this.maxThreads = maxThreads;
    this.maxQueue = b.maxQueue;
    this.idleTimeoutNanos = Math.min(saturatedNanos(b.idleTimeout), MAX_AGE_SHIFT);
    this.spinNanos = b.spinWait.toNanos();
    this.agingNanos = b.agingInterval.toNanos();
    this.defaultTimeoutNanos = b.taskTimeout == null ? 0 : saturatedNanos(b.taskTimeout);
    this.recycleAfter = b.recycleAfter;
    this.stackSize = b.stackSize;
    this.clock = b.clock;
    this.realClock = b.clock == Builder.SYSTEM_CLOCK;
    this.recordTiming = b.recordTiming;
    this.dynamic = minThreads < maxThreads;
    this.onThreadStart = b.onThreadStart;
  }

  /** A pool with one thread per available processor, an unbounded queue and default settings. */
  public static WorkerPool create() {
    return builder().build();
  }

  /** A builder for a pool's size, queue bound, timeouts and scheduling. */
  public static Builder builder() {
    return new Builder();
  }

  private void startMinimum() {
    for (int i = 0; i < minThreads; i++) {
      live.incrementAndGet();
      startThread(List.of());
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Submitting

  /**
   * Runs {@code task.run(arg)} on a pool thread; a promise of the calling loop for its result (see the
   * class documentation). Loop-affine.
   *
   * @throws IllegalStateException off a loop
   * @throws NullPointerException if {@code task} is null
   */
  public <A, R> Promise<R> execute(Task<? super A, ? extends R> task, A arg) {
    return execute(task, arg, TaskOptions.defaults());
  }

  /** {@link #execute(Task, Object)} with a priority, an abort signal or a run timeout. */
  public <A, R> Promise<R> execute(Task<? super A, ? extends R> task, A arg, TaskOptions options) {
    requireNonNull(task, "task");
    return enqueue(task, arg, null, requireNonNull(options, "options"));
  }

  /**
   * Runs {@code task.call()} on a pool thread; a promise of the calling loop for its result. Loop-affine.
   *
   * @throws IllegalStateException off a loop
   */
  public <R> Promise<R> submit(Callable<? extends R> task) {
    return submit(task, TaskOptions.defaults());
  }

  /** {@link #submit(Callable)} with a priority, an abort signal or a run timeout. */
  public <R> Promise<R> submit(Callable<? extends R> task, TaskOptions options) {
    requireNonNull(task, "task");
    return enqueue(null, null, task, requireNonNull(options, "options"));
  }

  /**
   * Runs {@code task.run(arg, progress)} on a pool thread, as {@link #execute(Task, Object)} does, and hands
   * each value the task gives {@code progress} to {@code onProgress} on the calling loop (workerpool's {@code
   * emit}). Loop-affine.
   *
   * <p>Reports come back the way outcomes do (see the class documentation): in batches, each {@code
   * onProgress} call in a macrotask of the calling loop, in the order they were made. Every report made
   * before the task returned or threw — on the task's thread, or on another thread whose report
   * happens-before the task's return (one it joined) — is handed over before the promise settles, and none
   * after it settled. A report made once the task's outcome is decided is dropped: after it returned or
   * threw, or after an abort, a run timeout or {@link #terminate()} rejected it (the task may still be
   * running, since an interrupt cannot stop it); a report racing with that moment from another thread is
   * either handed over before the settlement or dropped. Dropping is by design and not logged. {@code
   * progress} may be called from any thread and never blocks; a report is passed by reference, so it must
   * be safe to read on the loop. An exception thrown by {@code onProgress} is an uncaught exception of the
   * calling loop (reported after the batch it ran in, as {@link EventLoop} reports any callback's); the task
   * goes on, and its promise settles as usual.
   *
   * @throws IllegalStateException off a loop
   * @throws NullPointerException if {@code task} or {@code onProgress} is null
   */
  public <A, P, R> Promise<R> execute(ProgressTask<? super A, P, ? extends R> task, A arg,
      Consumer<? super P> onProgress) {
    return execute(task, arg, onProgress, TaskOptions.defaults());
  }

  /** {@link #execute(ProgressTask, Object, Consumer)} with a priority, an abort signal or a run timeout. */
  public <A, P, R> Promise<R> execute(ProgressTask<? super A, P, ? extends R> task, A arg,
      Consumer<? super P> onProgress, TaskOptions options) {
    requireNonNull(task, "task");
    ProgressSink<P> sink = new ProgressSink<>(requireNonNull(onProgress, "onProgress"));
    Task<A, R> fn = a -> task.run(a, sink);
    return enqueue(fn, arg, null, requireNonNull(options, "options"), sink);
  }

  /**
   * Runs {@code task.run(arg)} once on every pool thread alive now — to reload configuration or clear a
   * thread-local cache everywhere (poolifier's broadcast, workerpool's asked-for {@code executeAll}); a
   * promise of the calling loop for the results, one per thread, in the order the threads were started.
   * Loop-affine. The promise settles on the calling loop and keeps it alive until then, as {@link
   * #execute(Task, Object)}'s does.
   *
   * <ul>
   *   <li><b>Which threads.</b> Each thread alive at the call runs it exactly once; a thread that is just
   *       ending (idle timeout, recycling, a killed thread) or just starting at that moment may be left
   *       out, and a thread started after the call does not run it: it starts with fresh thread-local
   *       state, and shared state the task changed is what it reads. With no thread alive (a {@code
   *       minThreads(0)} pool that shrank to nothing) the promise fulfils with an empty list.
   *   <li><b>When.</b> Each thread runs it as its next task, before anything queued, whatever their
   *       priority; a thread busy with a task finishes that task first (a broadcast never interrupts). Its
   *       run counts as one task in {@link #stats()} (waitTime, runTime, completed or failed, cancelled),
   *       never in {@code queued}, and not toward {@link Builder#recycleAfter}; the pool's {@link
   *       Builder#taskTimeout} applies to it. It is not held back by {@link Builder#maxQueue}: a full
   *       queue does not reject it.
   *   <li><b>Idle timeout, recycling, killed threads.</b> A thread with a broadcast waiting does not end on
   *       its idle timeout before it ran it. A thread recycled or killed by an {@link Error} before its turn
   *       hands its share to the thread that replaces it, which runs it first, in its place in the results.
   *       A share that throws an {@code Error} rejects with it, and its thread is replaced as usual.
   *   <li><b>Failures.</b> The promise settles once every thread's share has: it fulfils with the results
   *       if none failed, rejects with the very exception if one failed, and with an {@link
   *       org.eventloop4j.AggregateError} whose {@code errors()} are the exceptions in thread order if
   *       several did.
   *   <li><b>Shutdown.</b> A closed pool rejects the call at once, like {@code execute}. {@link #close()}
   *       lets every thread run its share before it ends. {@link #terminate()} rejects the shares still
   *       waiting and interrupts the running ones, each with a {@link TaskAbortedException}, so the promise
   *       rejects with one of those (or an {@code AggregateError} of them).
   * </ul>
   *
   * @throws IllegalStateException off a loop
   * @throws NullPointerException if {@code task} is null
   */
  public <A, R> Promise<List<R>> broadcast(Task<? super A, ? extends R> task, A arg) {
    requireNonNull(task, "task");
    return broadcastAll(task, arg, null);
  }

  /** {@link #broadcast(Task, Object)} for a {@link Callable}. */
  public <R> Promise<List<R>> broadcast(Callable<? extends R> task) {
    requireNonNull(task, "task");
    return broadcastAll(null, null, task);
  }

  private <R> Promise<List<R>> broadcastAll(@Nullable Task<?, ?> fn, @Nullable Object arg,
      @Nullable Callable<?> callable) {
    EventLoop loop = EventLoop.current();
    Promise<List<R>> p = PROMISES.pending(loop);
    if (state != OPEN) {
      PROMISES.reject(p, closedRefusal());
      return p;
    }
    Broadcast b = new Broadcast(p, name);
    CompletionInbox inbox = inboxFor(loop);
    List<PoolThread> targets = new ArrayList<>(threads);
    targets.sort(Comparator.comparingInt(w -> w.seq));
    int n = 0;
    for (PoolThread w : targets) {
      Promise<Object> part = PROMISES.pending(loop);
      if (w.offerPart(() -> newTask(fn, arg, callable, inbox, part, TaskOptions.defaults(), true))) {
        PROMISES.react(part, b.part(n++));
        w.signal();
      }
    }
    b.start(n);
    if (state >= TERMINATING) {
      sweepParts(); // terminate() swept before these were offered (see the overview)
    }
    return p;
  }

  private <R> Promise<R> enqueue(@Nullable Task<?, ?> fn, @Nullable Object arg, @Nullable Callable<?> callable,
      TaskOptions o) {
    return enqueue(fn, arg, callable, o, null);
  }

  private <R> Promise<R> enqueue(@Nullable Task<?, ?> fn, @Nullable Object arg, @Nullable Callable<?> callable,
      TaskOptions o, @Nullable ProgressSink<?> sink) {
    EventLoop loop = EventLoop.current();
    Promise<R> p = PROMISES.pending(loop);
    AbortSignal signal = o.signalValue();
    Throwable refusal = refusal(signal);
    if (refusal != null) {
      PROMISES.reject(p, refusal);
      return p;
    }
    CompletionInbox inbox = inboxFor(loop);
    PoolTask t = newTask(fn, arg, callable, inbox, p, o, false);
    if (sink != null) {
      sink.bind(t, inbox);
    }
    if (signal != null) {
      t.setRegistration(signal.addListener(() -> abort(t, signal)));
    }
    queue.offer(t);
    afterOffer(t, signal);
    return p;
  }

  /** Closes the races with an abort and with shutdown (see the overview), then wakes a thread. */
  private void afterOffer(PoolTask t, @Nullable AbortSignal signal) {
    if (signal != null && signal.aborted()) {
      abort(t, signal);
    }
    int s = state;
    if (s >= TERMINATING) {
      sweepQueue();
      return;
    }
    signalWork();
    if (s == CLOSING && live.get() == 0) {
      grow();
    }
  }

  /** Why a submission is refused at once, or null if it was admitted (counted in `queued`). */
  private @Nullable Throwable refusal(@Nullable AbortSignal signal) {
    if (state != OPEN) {
      return closedRefusal();
    }
    if (signal != null && signal.aborted()) {
      cancelled.increment();
      return TaskAbortedException.aborted(TaskAbortedException.Phase.QUEUED, requireNonNull(signal.reason()));
    }
    if (!admit()) {
      rejected.increment();
      return new RejectedExecutionException("WorkerPool " + name + " queue is full (maxQueue " + maxQueue
          + "): wait for pool.drain() before submitting more");
    }
    return null;
  }

  /** The refusal of a submission to a pool that is not open (counted as rejected). */
  private RejectedExecutionException closedRefusal() {
    rejected.increment();
    return new RejectedExecutionException("WorkerPool " + name + " is " + (state == CLOSING ? "closing" : "terminated")
        + ": it accepts no new tasks");
  }

  private boolean admit() {
    if (maxQueue == Integer.MAX_VALUE) {
      submitted.getAndIncrement();
      return true;
    }
    while (true) {
      int r = removed.get();
      int s = submitted.get();
      if (s - r >= maxQueue) {
        if (removed.get() != r) {
          continue; // a task left meanwhile: without this re-read a full answer could be stale
        }
        return false; // `removed` read r before and after `submitted` read s: the queue held s - r then
      }
      if (submitted.compareAndSet(s, s + 1)) {
        return true; // removals only raise `removed`, so at the CAS at most s - r < maxQueue were queued
      }
    }
  }

  /**
   * Tasks admitted and not yet claimed or cancelled; may overcount, never undercounts (see the overview).
   * The counters wrap around; their difference stays exact.
   */
  private int queued() {
    int r = removed.get();
    return submitted.get() - r;
  }

  private PoolTask newTask(@Nullable Task<?, ?> fn, @Nullable Object arg, @Nullable Callable<?> callable,
      CompletionInbox inbox, Promise<?> p, TaskOptions o, boolean part) {
    int priority = o.priorityValue();
    if (priority != 0 && !recordTiming) {
      queue.prioritiesInUse(age(System.nanoTime())); // before this task's stamp: see TaskQueue's overview
    }
    boolean stamped = recordTiming || queue.stampsTasks();
    long now = stamped ? System.nanoTime() : 0;
    long age = stamped ? age(now) : TaskQueue.UNSTAMPED;
    long shift = agingShift(priority);
    long seq = priority == 0 ? 0 : taskSeq.incrementAndGet();
    Duration timeout = o.timeoutValue();
    long timeoutNanos = timeout != null ? saturatedNanos(timeout) : defaultTimeoutNanos;
    return new PoolTask(fn, arg, callable, inbox, p, priority, now, age - shift, seq, timeoutNanos, part);
  }

  /**
   * The inbox through which tasks submitted on {@code loop} come back (on that loop). {@code lastInbox} is a
   * racy one-entry cache: each loop only ever stores its own inbox there, and reads only check it.
   */
  private CompletionInbox inboxFor(EventLoop loop) {
    CompletionInbox in = lastInbox;
    if (in == null || in.loop != loop || !in.usable()) {
      in = inboxes.computeIfAbsent(loop, l -> new CompletionInbox(l, this));
      lastInbox = in;
    }
    return in;
  }

  /** A retired inbox (no task in flight any more); on its loop. */
  void forget(CompletionInbox in) {
    inboxes.remove(in.loop, in);
    if (lastInbox == in) {
      lastInbox = null;
    }
  }

  /** The aging clock's time since the pool was built; {@code now} is System.nanoTime(), read by the caller. */
  private long age(long now) {
    return (realClock ? now : clock.getAsLong()) - createdNanos;
  }

  /** {@code priority × agingInterval}, clamped so that aging keys cannot overflow. */
  private long agingShift(int priority) {
    long lo = priority * agingNanos;
    boolean overflow = Math.multiplyHigh(priority, agingNanos) != (lo >> 63);
    if (overflow) {
      return priority > 0 ? MAX_AGE_SHIFT : -MAX_AGE_SHIFT;
    }
    return Math.clamp(lo, -MAX_AGE_SHIFT, MAX_AGE_SHIFT);
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** The abort listener of a task, on its loop. */
  private void abort(PoolTask t, AbortSignal signal) {
    Throwable reason = requireNonNull(signal.reason(), "reason");
    if (t.cancelQueued(TaskAbortedException.aborted(TaskAbortedException.Phase.QUEUED, reason))) {
      cancelled.increment();
      dequeued();
    } else {
      t.interruptRunning(TaskAbortedException.aborted(TaskAbortedException.Phase.RUNNING, reason));
    }
  }

  /** A task left the queue (claimed or cancelled). */
  private void dequeued() {
    removed.getAndIncrement();
    if (!drainWaiters.isEmpty()) {
      signalDrain();
    }
    if (!idleWaiters.isEmpty()) {
      signalIdle();
    }
  }

  /**
   * After an offer: a spinning thread will find the task by itself; otherwise wake a parked one. A dynamic
   * pool below its maximum grows while the work exceeds the threads that are not busy.
   */
  private void signalWork() {
    // idleCount first: it changes only when a thread parks or wakes, while `spinning` flips whenever a
    // thread finds the queue empty, so a busy pool costs the submitter no read of a line the workers write.
    if (idleCount.get() > 0 && spinning.get() == 0) {
      signalParked();
    }
    if (dynamic && live.get() < maxThreads && queued() + busy.get() > live.get()) {
      grow();
    }
  }

  /** Wakes one parked thread, if there is one. */
  private void signalParked() {
    PoolThread w;
    while ((w = idle.poll()) != null) {
      if (w.signal()) {
        return;
      }
    }
  }

  private void grow() {
    while (true) {
      int n = live.get();
      if (n >= maxThreads || state >= TERMINATING) {
        return;
      }
      if (live.compareAndSet(n, n + 1)) {
        startThread(List.of());
        return;
      }
    }
  }

  /**
   * Starts a thread for a slot already counted in `live`; it runs the broadcast parts {@code inherited} from
   * the thread it replaces first.
   */
  private void startThread(List<PoolTask> inherited) {
    PoolThread w = new PoolThread(this, threadSeq.incrementAndGet());
    w.inheritParts(inherited);
    threads.add(w);
    try {
      if (onThreadStart != null) {
        onThreadStart.accept(w.thread);
      }
      w.thread.start();
    } catch (RuntimeException | Error e) {
      threads.remove(w);
      LOG.log(System.Logger.Level.ERROR, "WorkerPool " + name + " could not start a thread", e);
      rejectParts(w.takeParts(true), new RejectedExecutionException("WorkerPool " + name
          + " could not start a thread to run a broadcast task", e));
      if (live.decrementAndGet() == 0) {
        tryFinish();
      }
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Pool threads (called by PoolThread)

  /** The next task for {@code w} (its own broadcast parts first), or null when it should end. */
  @Nullable PoolTask take(PoolThread w) {
    while (true) {
      PoolTask part = w.pollPart();
      if (part != null) {
        if (w.claim(part)) {
          if (dynamic) {
            busy.incrementAndGet();
          }
          return part;
        }
        continue;
      }
      PoolTask t = queue.poll();
      if (t != null) {
        if (w.claim(t)) {
          if (dynamic) {
            busy.incrementAndGet();
          }
          dequeued();
          if (idleCount.get() > 0 && !queue.isEmpty()) {
            signalParked();
          }
          return t;
        }
        continue;
      }
      foundNothing(w);
      int s = state;
      if (s >= TERMINATING || s == CLOSING && queued() == 0) {
        if (endThread(w, s >= TERMINATING)) {
          return null;
        }
        continue;
      }
      w.unchain();
      if (spin(w)) {
        continue;
      }
      if (!w.park(idleTimeoutNanos)) {
        return null;
      }
    }
  }

  /**
   * {@code w} found nothing to do in a closing or terminating pool: it ends, refusing further broadcast parts,
   * unless a closing pool still has a part waiting for it (it runs that first). Terminating rejects them.
   */
  private boolean endThread(PoolThread w, boolean terminating) {
    if (!terminating) {
      return w.closeParts(true);
    }
    rejectParts(w.takeParts(true), TaskAbortedException.terminated(TaskAbortedException.Phase.QUEUED, name));
    return true;
  }

  /** Rejects broadcast parts that will not run (each only if still queued: a part settles once). */
  private void rejectParts(List<PoolTask> parts, Throwable rejection) {
    for (PoolTask t : parts) {
      if (t.cancelQueued(rejection)) {
        cancelled.increment();
      }
    }
  }

  /**
   * Spins as the pool's one spinning thread, if no other thread spins; true if work appeared. Leaving the
   * role re-checks the queue: a submitter that saw a spinner woke nobody.
   */
  private boolean spin(PoolThread w) {
    if (spinNanos == 0 || spinning.get() != 0 || !spinning.compareAndSet(0, 1)) {
      return false;
    }
    boolean found;
    try {
      found = w.spin(spinNanos);
    } finally {
      spinning.decrementAndGet();
    }
    return found || hasQueuedWork();
  }

  /** An inbox posted a drain for a batch of finished tasks (any thread; see the spin policy). */
  void batchPosted() {
    undrained.incrementAndGet();
  }

  /** An inbox's drain took its batch (on the loop). */
  void batchTaken() {
    undrained.decrementAndGet();
  }

  /**
   * Whether some loop has finished tasks of this pool waiting for its drain: it is likely to submit more
   * as soon as it settles them, so the spinner keeps spinning (see PoolThread.spin).
   */
  boolean awaitingDrain() {
    return undrained.get() > 0;
  }

  /** A pool thread finished (or dropped) the task it claimed. */
  void taskEnded() {
    if (dynamic) {
      busy.decrementAndGet();
    }
  }

  /** Tasks running now, counted from the threads (stats). */
  private int activeCount() {
    int n = 0;
    for (PoolThread w : threads) {
      if (w.current() != null) {
        n++;
      }
    }
    return n;
  }

  boolean hasQueuedWork() {
    return !queue.isEmpty();
  }

  /**
   * For a spinning thread's polls: {@link #hasQueuedWork} without reading the queue's tail line, which the
   * submitter writes on every task (see TaskFifo#headLinked). The check before parking stays exact.
   */
  boolean likelyQueuedWork() {
    return queue.likelyNonEmpty();
  }

  boolean open() {
    return state == OPEN;
  }

  boolean terminating() {
    return state >= TERMINATING;
  }

  boolean mayShrink() {
    return live.get() > minThreads;
  }

  void announceIdle(PoolThread w) {
    idle.push(w);
    idleCount.incrementAndGet();
  }

  /** A thread idle past the timeout asks to end; true if it may (its slot is then given up). */
  boolean retire(PoolThread w) {
    while (true) {
      int n = live.get();
      if (n <= minThreads) {
        return false;
      }
      if (live.compareAndSet(n, n - 1)) {
        break;
      }
    }
    if (queued() > 0 && state < TERMINATING) {
      while (true) {
        int n = live.get();
        if (n >= maxThreads) {
          return true;
        }
        if (live.compareAndSet(n, n + 1)) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * A thread ended; {@code shrunk} if it gave up its slot already, {@code replace} if it needs a successor,
   * which then runs the broadcast parts {@code left} waiting for this one (otherwise they are rejected).
   */
  void threadExited(PoolThread w, boolean replace, boolean shrunk, List<PoolTask> left) {
    threads.remove(w);
    retireStats(w);
    int s = state;
    if (replace && !shrunk && (s == OPEN || s == CLOSING && (queued() > 0 || !left.isEmpty()))) {
      startThread(left);
      return;
    }
    rejectParts(left, s >= TERMINATING ? TaskAbortedException.terminated(TaskAbortedException.Phase.QUEUED, name)
        : new RejectedExecutionException("WorkerPool " + name + " thread " + w.thread.getName()
            + " ended before it ran a broadcast task, and no thread replaces it"));
    if (!shrunk) {
      live.decrementAndGet();
    }
    if (state == CLOSING && queued() > 0 && live.get() == 0) {
      grow();
    }
    foundNothing(null);
    tryFinish();
  }

  private void retireStats(PoolThread w) {
    synchronized (retiredLock) {
      w.waitTimes.addTo(retiredWait);
      w.runTimes.addTo(retiredRun);
      retiredCompleted += w.completed();
      retiredFailed += w.failed();
      retiredBusyNanos += w.busyNanos();
    }
  }

  /** Schedules the run timeout of a task that a thread just started, if it has one. */
  @Nullable ScheduledFuture<?> armTimeout(PoolTask t) {
    long nanos = t.timeoutNanos;
    if (nanos <= 0 || nanos == Long.MAX_VALUE) {
      return null;
    }
    ScheduledThreadPoolExecutor ex = timer();
    if (ex == null) {
      return null;
    }
    return ex.schedule(() -> timeOut(t, nanos), nanos, TimeUnit.NANOSECONDS);
  }

  private void timeOut(PoolTask t, long nanos) {
    t.interruptRunning(new TimeoutError("WorkerPool " + name + " task ran longer than its timeout of "
        + Duration.ofNanos(nanos) + " and was interrupted"));
  }

  private @Nullable ScheduledThreadPoolExecutor timer() {
    synchronized (timerLock) {
      if (timer == null && !timerStopped) {
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1,
            r -> Thread.ofPlatform().name(name + "-timeouts").daemon().unstarted(r));
        ex.setRemoveOnCancelPolicy(true);
        timer = ex;
      }
      return timer;
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Back-pressure

  /**
   * A promise of the calling loop fulfilled as soon as the queue has room for a task — at once if it has
   * room now (the analogue of a stream's {@code 'drain'} event). Rejected with a {@link
   * RejectedExecutionException} if the pool is or gets closed. Loop-affine.
   */
  public Promise<@Nullable Void> drain() {
    LoopWaiter w = new LoopWaiter(EventLoop.current());
    if (state != OPEN || queued() < maxQueue) {
      w.complete(closedError());
      return w.promise();
    }
    drainWaiters.add(w);
    if (queued() < maxQueue || state != OPEN) {
      signalDrain();
    }
    return w.promise();
  }

  private void signalDrain() {
    Throwable error = closedError();
    LoopWaiter w;
    while ((w = drainWaiters.poll()) != null) {
      w.complete(error);
    }
  }

  /**
   * A promise of the calling loop fulfilled once the pool has nothing to do: no task queued, running or
   * waiting to run as a broadcast part — at once if that holds now (p-queue's {@code onIdle}). It counts
   * the tasks of every loop, also those submitted after this call, and never rejects: a closed or
   * terminated pool is idle once its last task ended. Loop-affine; the promise keeps the loop alive.
   *
   * <p>Ordering: the tasks submitted from the calling loop that ended before the pool became idle settle
   * their promises first; tasks of other loops have ended by then, and their promises settle on their own
   * loops (possibly later). The promise may come late, never early: a task submitted from another thread at
   * the moment of idleness may run before it settles.
   *
   * @throws IllegalStateException off a loop
   */
  public Promise<@Nullable Void> onIdle() {
    LoopWaiter w = new LoopWaiter(EventLoop.current());
    if (idle()) {
      w.completeBehind(inboxes.get(w.loop)); // behind the loop's tasks that ended but have not settled yet
      return w.promise();
    }
    idleWaiters.add(w);
    signalIdle(); // after the add: a thread that ended its task before it saw no waiter (foundNothing)
    return w.promise();
  }

  /**
   * Pool thread {@code w} found nothing to take (null: a thread ended): the pool may just have become idle.
   * The fence orders the thread's {@code quiet = true} (a release store) before its read of the waiters,
   * as a waiter's add (a CAS) comes before its {@link #idle()} check: one of the two sees the other. Only
   * on the way to spinning or parking, never between two tasks.
   */
  private void foundNothing(@Nullable PoolThread w) {
    if (w != null) {
      w.markQuiet();
    }
    VarHandle.fullFence();
    if (!idleWaiters.isEmpty()) {
      signalIdle();
    }
  }

  /**
   * Fulfils the waiters while the pool is idle. Each waiter is taken first and checked after, so the
   * idleness it gets came after its registration (a check made before could be stale: the waiter of a
   * later round of work would be fulfilled early). One taken while the pool is busy goes back in line and
   * is checked once more, as a new registration would be.
   */
  private void signalIdle() {
    LoopWaiter w;
    while ((w = idleWaiters.poll()) != null) {
      if (idle()) {
        w.completeBehind(inboxes.get(w.loop));
        continue;
      }
      idleWaiters.add(w);
      if (!idle()) {
        return; // the thread that makes the pool idle finds the waiter (see foundNothing)
      }
    }
  }

  /**
   * Nothing queued, running or waiting as a broadcast part. A task counts as queued from its submission
   * until its thread is no longer quiet (the claim, which clears {@code quiet} first, comes before {@link
   * #dequeued()}), and that thread stays not quiet until it has published the task's outcome and found
   * nothing more to take, so a task is never between the two counts, and its outcome is in its loop's
   * inbox before the pool counts as idle.
   */
  private boolean idle() {
    if (queued() > 0) {
      return false;
    }
    for (PoolThread t : threads) {
      if (!t.quiet() || t.hasParts()) {
        return false;
      }
    }
    return true;
  }

  private @Nullable Throwable closedError() {
    return state == OPEN ? null : new RejectedExecutionException("WorkerPool " + name + " is closed");
  }

  // ------------------------------------------------------------------------------------------------
  // Shutdown

  /**
   * Stops accepting tasks, finishes what is queued and running, and ends every pool thread; a promise of the
   * calling loop fulfilled once they have all ended. Idempotent; after {@link #terminate()} it only waits.
   *
   * @throws IllegalStateException off a loop (use {@link #shutdown()})
   */
  public Promise<@Nullable Void> close() {
    LoopWaiter w = new LoopWaiter(EventLoop.current());
    shutdown();
    return whenTerminated(w);
  }

  /**
   * Stops accepting tasks, rejects every queued task and interrupts every running one (each with a {@link
   * TaskAbortedException}), and ends every pool thread; a promise of the calling loop fulfilled once they
   * have all ended. Idempotent.
   *
   * @throws IllegalStateException off a loop (use {@link #shutdownNow()})
   */
  public Promise<@Nullable Void> terminate() {
    LoopWaiter w = new LoopWaiter(EventLoop.current());
    shutdownNow();
    return whenTerminated(w);
  }

  /** {@link #close()} without a promise; any thread, never blocks. */
  public void shutdown() {
    if (advance(CLOSING)) {
      signalDrain();
      wakeAll();
    }
    tryFinish();
  }

  /** {@link #terminate()} without a promise; any thread, never blocks. */
  public void shutdownNow() {
    if (advance(TERMINATING)) {
      signalDrain();
      sweepQueue();
      sweepParts();
      for (PoolThread w : threads) {
        PoolTask t = w.current();
        if (t != null) {
          t.interruptRunning(TaskAbortedException.terminated(TaskAbortedException.Phase.RUNNING, name));
        }
      }
      wakeAll();
    }
    tryFinish();
  }

  /**
   * Waits until every pool thread has ended after {@link #shutdown()} or {@link #shutdownNow()}; true if
   * they did within {@code timeout}. For threads that are not event loops.
   *
   * @throws IllegalStateException on a loop thread, where blocking would stop the loop
   * @throws InterruptedException if interrupted while waiting
   */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    if (EventLoop.tryCurrent() != null) {
      throw new IllegalStateException("awaitTermination on event loop thread " + Thread.currentThread().getName()
          + " would block the loop: use close() or terminate(), which return promises");
    }
    return terminatedLatch.await(saturatedNanos(timeout), TimeUnit.NANOSECONDS);
  }

  /** Whether the pool refuses new tasks (closing, terminating or terminated). */
  public boolean isShutdown() {
    return state != OPEN;
  }

  /** Whether every pool thread has ended after a shutdown. */
  public boolean isTerminated() {
    return state == TERMINATED;
  }

  private boolean advance(int to) {
    while (true) {
      int s = state;
      if (s >= to) {
        return false;
      }
      if (STATE.compareAndSet(this, s, to)) {
        return true;
      }
    }
  }

  private void sweepQueue() {
    PoolTask t;
    while ((t = queue.poll()) != null) {
      if (t.cancelQueued(TaskAbortedException.terminated(TaskAbortedException.Phase.QUEUED, name))) {
        cancelled.increment();
        dequeued();
      }
    }
  }

  /** Rejects every broadcast part still waiting for its thread (terminate). */
  private void sweepParts() {
    for (PoolThread w : threads) {
      rejectParts(w.takeParts(false), TaskAbortedException.terminated(TaskAbortedException.Phase.QUEUED, name));
    }
  }

  private void wakeAll() {
    for (PoolThread w : threads) {
      w.signal();
    }
  }

  private void tryFinish() {
    int s = state;
    if (s == OPEN || live.get() > 0 || s == CLOSING && queued() > 0 || !finished.compareAndSet(false, true)) {
      return;
    }
    state = TERMINATED;
    sweepQueue();
    stopTimer();
    terminatedLatch.countDown();
    List<LoopWaiter> waiters;
    synchronized (terminationWaiters) {
      waiters = List.copyOf(terminationWaiters);
      terminationWaiters.clear();
    }
    waiters.forEach(w -> w.complete(null));
  }

  private void stopTimer() {
    ScheduledThreadPoolExecutor ex;
    synchronized (timerLock) {
      timerStopped = true;
      ex = timer;
    }
    if (ex == null) {
      return;
    }
    ex.shutdownNow();
    try {
      if (!ex.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.log(System.Logger.Level.WARNING, "the timeout thread of WorkerPool " + name + " did not stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Promise<@Nullable Void> whenTerminated(LoopWaiter w) {
    synchronized (terminationWaiters) {
      if (!finished.get()) {
        terminationWaiters.add(w);
        return w.promise();
      }
    }
    w.complete(null);
    return w.promise();
  }

  // ------------------------------------------------------------------------------------------------
  // Introspection

  /** A snapshot of the pool's statistics (see {@link Stats}). Any thread; allocates. */
  public Stats stats() {
    long[] waits = LatencyRecorder.accumulator();
    long[] runs = LatencyRecorder.accumulator();
    long completed;
    long failed;
    long busyNanos;
    synchronized (retiredLock) {
      LatencyRecorder.merge(retiredWait, waits);
      LatencyRecorder.merge(retiredRun, runs);
      completed = retiredCompleted;
      failed = retiredFailed;
      busyNanos = retiredBusyNanos;
    }
    for (PoolThread w : threads) {
      w.waitTimes.addTo(waits);
      w.runTimes.addTo(runs);
      completed += w.completed();
      failed += w.failed();
      busyNanos += w.busyNanos();
    }
    long elapsed = Math.max(1, System.nanoTime() - createdNanos);
    double utilisation = Math.min(1.0, busyNanos / ((double) elapsed * maxThreads));
    return new Stats(live.get(), Math.max(0, queued()), activeCount(), completed, failed, cancelled.sum(),
        rejected.sum(), utilisation, LatencyRecorder.snapshot(waits), LatencyRecorder.snapshot(runs));
  }

  /** The pool's name, which its threads' names start with. */
  public String name() {
    return name;
  }

  /** The inbox of {@code loop}'s tasks in flight, if it has any (tests). */
  @Nullable CompletionInbox inboxOf(EventLoop loop) {
    return inboxes.get(loop);
  }

  /** The fewest threads the pool keeps, as resolved by {@link Builder#build()} (tests). */
  int minThreads() {
    return minThreads;
  }

  /** The most threads the pool grows to, as resolved by {@link Builder#build()} (tests). */
  int maxThreads() {
    return maxThreads;
  }

  /** The pool threads alive now (tests). */
  List<Thread> liveThreads() {
    List<Thread> list = new ArrayList<>();
    for (PoolThread w : threads) {
      list.add(w.thread);
    }
    return list;
  }

  @Override
  public String toString() {
    return "WorkerPool[" + name + ", " + switch (state) {
      case OPEN -> "open";
      case CLOSING -> "closing";
      case TERMINATING -> "terminating";
      default -> "terminated";
    } + ", " + live.get() + " threads, " + queued() + " queued]";
  }

  // ------------------------------------------------------------------------------------------------

  /** A promise of some loop waiting for a pool event; completing it posts to that loop. */
  private static final class LoopWaiter {
    private final EventLoop loop;
    private final Resolvers<@Nullable Void> resolvers = Promise.withResolvers();
    private final EventLoop.KeepAlive keepAlive;

    LoopWaiter(EventLoop loop) {
      this.loop = loop;
      this.keepAlive = loop.keepAlive();
    }

    Promise<@Nullable Void> promise() {
      return resolvers.promise();
    }

    /**
     * Fulfils the promise behind everything {@code inbox} (the pool's inbox of this waiter's loop, if it has
     * one) already holds: the finished tasks of the loop settle first.
     */
    void completeBehind(@Nullable CompletionInbox inbox) {
      if (inbox == null) {
        complete(null);
      } else {
        inbox.push(settler(null));
      }
    }

    private Runnable settler(@Nullable Throwable error) {
      return () -> {
        keepAlive.close();
        if (error != null) {
          resolvers.reject(error);
        } else {
          resolvers.resolve(null);
        }
      };
    }

    void complete(@Nullable Throwable error) {
      Runnable settle = settler(error);
      if (EventLoop.tryCurrent() == loop) {
        settle.run();
        return;
      }
      try {
        loop.execute(settle);
      } catch (RejectedExecutionException e) {
        keepAlive.close();
        LOG.log(System.Logger.Level.DEBUG, "WorkerPool waiter dropped: its event loop " + loop.name() + " is closed", e);
      }
    }
  }

  /**
   * Configures a {@link WorkerPool}. Not thread-safe; each {@link #build()} starts a new pool with its
   * minimum number of threads.
   *
   * <h2>Size</h2>
   *
   * <p>With {@code p} = {@link Runtime#availableProcessors()} read at {@link #build()}, a bound left unset
   * defaults to {@code p} clamped by the bound that was set (piscina clamps the same way, around other
   * defaults):
   *
   * <ul>
   *   <li>neither set: {@code p} to {@code p} threads;
   *   <li>only {@code maxThreads(max)}: {@code min(p, max)} to {@code max};
   *   <li>only {@code minThreads(min)}: {@code min} to {@code max(p, min)};
   *   <li>both, or {@link #threads}: as set.
   * </ul>
   *
   * <p>So {@code maxThreads(1)} alone is a one-thread pool on any machine, and {@code minThreads(0)} alone
   * is a pool that starts empty and grows to {@code p}. Only bounds set explicitly on both sides can
   * conflict: {@link #build()} rejects an explicit {@code minThreads > maxThreads}.
   */
  public static final class Builder {
    /** A size left to its default; resolved in {@link #build()}. */
    private static final int UNSET = -1;
    private int minThreads = UNSET;
    private int maxThreads = UNSET;
    private int maxQueue = Integer.MAX_VALUE;
    private Duration idleTimeout = Duration.ofSeconds(10);
    private Duration spinWait = Duration.ofNanos(50_000);
    private Duration agingInterval = Duration.ofSeconds(1);
    private @Nullable Duration taskTimeout;
    private int recycleAfter;
    private long stackSize;
    private @Nullable String name;
    private boolean recordTiming = true;
    static final LongSupplier SYSTEM_CLOCK = System::nanoTime;
    private LongSupplier clock = SYSTEM_CLOCK;
    private @Nullable Consumer<Thread> onThreadStart;

    private Builder() {}

    /**
     * A fixed size: {@code minThreads(n).maxThreads(n)}. Default: the number of available processors (see
     * the class documentation for a pool that sets only one bound).
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public Builder threads(int n) {
      positive(n, "threads");
      minThreads = n;
      maxThreads = n;
      return this;
    }

    /**
     * Threads kept even when idle, started at once (0 allowed). Default: {@code min(p, maxThreads)}, see
     * the class documentation.
     *
     * @throws IllegalArgumentException if {@code n < 0}
     */
    public Builder minThreads(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("minThreads must be >= 0, was " + n);
      }
      minThreads = n;
      return this;
    }

    /**
     * The most threads the pool grows to while all are busy. Default: {@code max(p, minThreads)}, see the
     * class documentation.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public Builder maxThreads(int n) {
      positive(n, "maxThreads");
      maxThreads = n;
      return this;
    }

    /** The most tasks that may wait (default: unbounded); a full queue rejects at once. */
    public Builder maxQueue(int n) {
      positive(n, "maxQueue");
      maxQueue = n;
      return this;
    }

    /** How long a thread above the minimum may stay idle before it ends (default 10 s). */
    public Builder idleTimeout(Duration d) {
      idleTimeout = positive(d, "idleTimeout");
      return this;
    }

    /** The default run timeout of every task (default: none); see {@link TaskOptions#timeout}. */
    public Builder taskTimeout(Duration d) {
      taskTimeout = positive(d, "taskTimeout");
      return this;
    }

    /** Replaces each thread after it ran {@code tasks} tasks (default: never). */
    public Builder recycleAfter(int tasks) {
      positive(tasks, "recycleAfter");
      recycleAfter = tasks;
      return this;
    }

    /**
     * The stack size of each pool thread, in bytes (piscina's {@code resourceLimits.stackSizeMb}); default:
     * the JVM's ({@code -Xss}, usually 1 MB on 64-bit Linux). For deeply recursive tasks; a task that still
     * overflows it is rejected with its {@link StackOverflowError} and its thread replaced, as for any
     * {@code Error}. The JVM may round the size, and treats it as a hint on some platforms ({@link
     * Thread.Builder#stackSize}); HotSpot on Linux, macOS and Windows honours it.
     *
     * @throws IllegalArgumentException if {@code bytes < 1}
     */
    public Builder stackSize(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("stackSize must be >= 1 byte, was " + bytes);
      }
      stackSize = bytes;
      return this;
    }

    /** The waiting time that raises a task by one priority level (default 1 s). */
    public Builder agingInterval(Duration d) {
      agingInterval = positive(d, "agingInterval");
      return this;
    }

    /** How long an idle thread spins before it parks (default 50 µs; zero parks at once). */
    public Builder spinWait(Duration d) {
      requireNonNull(d, "spinWait");
      if (d.isNegative() || d.compareTo(Duration.ofSeconds(1)) > 0) {
        throw new IllegalArgumentException("spinWait must be between 0 and 1 s, was " + d);
      }
      spinWait = d;
      return this;
    }

    /**
     * Whether the pool measures each task's wait and run time (default true), as piscina's {@code
     * recordTiming}: {@link Stats#waitTime}, {@link Stats#runTime} and {@link Stats#utilisation} come from
     * these, which cost two clock reads per task ({@code System.nanoTime()}, 20–40 ns each on a virtual
     * machine), one on the submitting thread and one on the pool thread. With false the pool reads no clock for a
     * task of priority 0: the stats keep every count, the two histograms stay empty and utilisation 0.
     * Priorities and aging work as before, except that tasks queued before the pool's first task with a
     * priority count, for aging, as submitted at that moment (no clock was read for them).
     */
    public Builder recordTiming(boolean record) {
      recordTiming = record;
      return this;
    }

    /** The pool's name, the prefix of its threads' names. */
    public Builder name(String name) {
      this.name = requireNonNull(name, "name");
      return this;
    }

    /** The clock of aging (tests). */
    Builder clock(LongSupplier nanoClock) {
      this.clock = requireNonNull(nanoClock, "clock");
      return this;
    }

    /** Called with each pool thread before it starts (tests). */
    Builder onThreadStart(Consumer<Thread> hook) {
      this.onThreadStart = requireNonNull(hook, "hook");
      return this;
    }

    /**
     * Builds the pool and starts its minimum number of threads. The builder keeps what was set: unset bounds
     * are resolved again (against the processor count of that moment) by every call.
     *
     * @throws IllegalArgumentException if both bounds were set and {@code minThreads > maxThreads}
     */
    public WorkerPool build() {
      if (minThreads != UNSET && maxThreads != UNSET && minThreads > maxThreads) {
        throw new IllegalArgumentException("minThreads " + minThreads + " exceeds maxThreads " + maxThreads);
      }
      WorkerPool pool = new WorkerPool(this, resolvedMin(), resolvedMax());
      pool.startMinimum();
      return pool;
    }

    /** maxThreads as set, else max(p, minThreads): never below an explicit minimum. */
    private int resolvedMax() {
      return maxThreads != UNSET ? maxThreads : Math.max(processors(), minThreads);
    }

    /** minThreads as set, else min(p, maxThreads): never above an explicit maximum. */
    private int resolvedMin() {
      return minThreads != UNSET ? minThreads : Math.min(processors(), resolvedMax());
    }

    private static int processors() {
      return Runtime.getRuntime().availableProcessors();
    }

    private static void positive(int n, String what) {
      if (n < 1) {
        throw new IllegalArgumentException(what + " must be >= 1, was " + n);
      }
    }

    private static Duration positive(Duration d, String what) {
      requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, was " + d);
      }
      return d;
    }
  }
}
