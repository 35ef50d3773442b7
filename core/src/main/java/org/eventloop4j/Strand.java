package org.eventloop4j;

import org.jspecify.annotations.Nullable;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * A virtual thread that can hold an event loop: a <em>driver</em> (runs the loop and nothing else) or the
 * thread of one async body or generator.
 */
final class Strand implements Runnable, Thread.UncaughtExceptionHandler, ThreadFactory {
  /*
   * Overview: the baton. Exactly one strand holds a running loop (EventLoop.owner). transfer() publishes
   * the new holder and the reason it is woken (a volatile write after every write to loop state, so the
   * woken strand sees all of it), then unparks it; the giving strand either parks right away (park) or,
   * for a driver, returns through frames that no longer touch the loop and ends. A strand is woken only
   * with a reason meant for it:
   *   SEGMENT_ENDED — the body it entered (synchronously, or from a resumption job it is still running)
   *                   suspended or finished, so its call returns;
   *   RESUME        — its own body's awaited promise settled (or, for a generator, a request arrived);
   *   UNWIND        — the run is over: throw Unwind out of the park.
   *
   * Footprint (a suspended body costs its strand; SuspendedHeapTest): the strand is its thread's Runnable
   * and also its thread's uncaught-exception handler, which is how code finds the strand it runs on
   * (current(): EventLoop.current() reads the loop through it) without a ThreadLocal — whose map, table and
   * entry would cost each suspended body 136 bytes. Drivers, which hold no body, also set the DRIVER
   * ThreadLocal as a fallback, so loop callbacks (and, with the accelerator, bodies) that replace their
   * thread's handler keep their loop; a body strand whose handler was replaced is no longer recognised
   * until its body ends (documented on Async). Nothing escapes a strand's run() by design; if
   * something does, the handler logs it. The threads of one loop share one name string.
   */
  static final int NONE = 0;
  static final int SEGMENT_ENDED = 1;
  static final int RESUME = 2;
  static final int UNWIND = 3;

  private static final System.Logger LOG = System.getLogger(Strand.class.getName());
  /** Drivers also register here, so user code that replaces a driver's handler does not lose its loop. */
  private static final ThreadLocal<@Nullable Strand> DRIVER = new ThreadLocal<>();

  /**
   * How long a strand spins before parking when it hands the loop on: {@code -Deventloop4j.spin=N} (default
   * 0). With two carriers and an otherwise idle machine a spinning strand keeps its carrier, so the next
   * hand-off is a cache-line transfer instead of a kernel wake-up; measured on this project's shared 2-CPU
   * machine under load it was 20–50× slower instead (the spinner steals the CPU the other strand needs),
   * hence off by default.
   */
  static final int SPINS = Integer.getInteger("eventloop4j.spin", 0);

  /**
   * How many times a strand yields its carrier before it parks, {@code -Deventloop4j.yields=N} (default 16).
   * Unparking a parked virtual thread submits it to the scheduler, which wakes an idle carrier through the
   * kernel and often moves the hand-off across carriers (2–3× slower per switch, and noisy); a strand that
   * is yielding instead is resumed by a plain write that it sees at its next turn on the same carrier,
   * since a yield re-queues it without waking anyone. Measured (AsyncCall, ForAwaitGenerator, PingPong,
   * default 2 carriers): 2.1 µs / 2.3 µs / 0.71 µs per op without yielding, 0.53 / 0.50 / 0.33–0.58 with
   * 16–32 yields. Yielding pays only when the baton comes back soon, though: with many strands taking turns
   * (100 bodies handing a mutex on) every waiter's yields go round the scheduler's queue in front of the
   * strand that should run, 4.2 µs per hand-off instead of 0.4–0.6 µs with none. So a strand yields only
   * if its previous wait of the same kind was short (see {@link #YIELD_WITHIN}); a wait spent yielding in
   * vain parks as before, having spent a few microseconds of CPU.
   */
  static final int YIELDS = Integer.getInteger("eventloop4j.yields", 16);
  /**
   * A strand yields before parking ({@link #YIELDS}) only if, the last time it waited in the same way, the
   * baton came back to it within this many hand-offs ({@code -Deventloop4j.yieldWithin=N}, default 2): a
   * call answered by its callee, two bodies ping-ponging, a generator serving its consumer. A strand that
   * waited through more hand-offs (one of many taking turns) parks at once, and learns again from each wait.
   * The ways of waiting are remembered apart because one strand often alternates a short and a long one: a
   * middle stage of a generator pipeline waits briefly for the stage above to answer its pull ({@link
   * #AFTER_CALL}), then long at its yield for the next pull from below ({@link #SUSPENDED}). Counted over a
   * 3-stage pipeline of 3 000 items (20 017 waits), one remembered wait per strand guesses wrong 8 010 times,
   * one per kind 2 011; over for await, async calls and a queue with two consumers both miss fewer than 10
   * of 6 000.
   */
  static final int YIELD_WITHIN = Integer.getInteger("eventloop4j.yieldWithin", 2);
  /** A wait for a segment this strand entered synchronously (a call, a generator's next) to end. */
  static final int AFTER_CALL = 0;
  /** A wait inside a resumption job: for the segment entered there to end, or for this strand's own resumption. */
  static final int AFTER_ENTRY = 1;
  /** A suspended body's or an idle strand's wait to be resumed (or unwound). */
  static final int SUSPENDED = 2;
  private static final LongAdder LIVE = new LongAdder();

  final EventLoop loop;
  @Nullable Coroutine coroutine;
  @SuppressWarnings("NullAway.Init")
  Thread thread;
  private volatile int wake;
  /**
   * Bits 3–31: {@code loop.handovers} (modulo 2²⁹) when this strand last gave the baton away; bit k of 0–2:
   * its last wait of kind k (AFTER_CALL, AFTER_ENTRY, SUSPENDED) was long (YIELD_WITHIN). One int keeps a
   * strand, which every suspended body has, at 32 bytes. Read and written by the strand's own thread only.
   */
  private int waits;

  private Strand(EventLoop loop, @Nullable Coroutine coroutine) {
    this.loop = loop;
    this.coroutine = coroutine;
  }

  /**
   * The strand of the calling thread, or null on a thread the runtime did not start. (A body that replaces
   * its thread's uncaught-exception handler loses its strand until it ends: {@code EventLoop.current()} and
   * {@code Async.await} then fail as off a loop.)
   */
  static @Nullable Strand current() {
    return Thread.currentThread().getUncaughtExceptionHandler() instanceof Strand s ? s : DRIVER.get();
  }

  /** A throwable escaped a strand's run(): a bug of this runtime, logged since there is no one to tell. */
  @Override
  public void uncaughtException(Thread t, Throwable e) {
    LOG.log(System.Logger.Level.ERROR,
        "internal error: " + t.getName() + " of event loop " + loop.name() + " ended by", e);
  }

  /** Starts a driver strand that runs {@code prologue} and then drives {@code loop}; it holds the loop. */
  static void startDriver(EventLoop loop, Runnable prologue) {
    Strand s = new Strand(loop, null);
    s.thread = Thread.ofVirtual().name(loop.name() + "-driver").uncaughtExceptionHandler(s).unstarted(() -> {
      LIVE.increment();
      try {
        DRIVER.set(s);
        prologue.run();
        loop.driveAsPureDriver();
      } finally {
        LIVE.decrement();
      }
    });
    handOver(loop, s);
    s.thread.start();
  }

  /** Creates the strand of a coroutine, whose thread {@link #transferToNew} starts. */
  static Strand forCoroutine(Coroutine c) {
    return new Strand(c.loop, c);
  }

  /** A coroutine strand's thread: runs its coroutine, then each one handed to it while it idled. */
  @Override
  public void run() {
    LIVE.increment();
    try {
      Coroutine c = java.util.Objects.requireNonNull(coroutine, "a driver strand runs its own task");
      do {
        c.strandMain();
        c = coroutine; // set again only if the strand idled and was handed a new coroutine (Coroutine.end)
      } while (c != null);
    } finally {
      LIVE.decrement();
    }
  }

  /** Called when a body ended: undoes a replacement of the thread's handler by that body. */
  void reclaimHandler() {
    if (thread.getUncaughtExceptionHandler() != this) {
      thread.setUncaughtExceptionHandler(this);
    }
  }

  /**
   * The number of strands whose thread is running or parked and has not been collected (for leak tests and
   * diagnostics): a strand collected with its abandoned coroutine is counted off once its loop notices.
   */
  static long live() {
    return LIVE.sum();
  }

  /**
   * Makes the JDK drop its registry entries of collected thread containers (the strands collected with
   * their coroutines had one each): it does so whenever a container is registered, which opening and
   * closing an empty executor does.
   */
  static void forgetCollectedContainers() {
    Executors.newThreadPerTaskExecutor(Thread.ofVirtual().factory()).close();
  }

  /** Counts off a strand whose coroutine was collected while suspended (LiveCoroutines): its thread went too. */
  static void collectedWithItsCoroutine() {
    LIVE.decrement();
  }

  /** Gives {@code loop} to {@code target}, waking it with {@code reason}. */
  static void transfer(EventLoop loop, Strand target, int reason) {
    handOver(loop, target);
    target.wake = reason;
    LockSupport.unpark(target.thread);
  }

  /**
   * Starts a coroutine's strand, holding its loop. Its virtual thread is started by a thread-per-task
   * executor of its own, so it lives in that executor's thread container instead of the JDK's root
   * container (which, with the default {@code jdk.trackAllThreads=true}, would keep it reachable until it
   * ends): a strand suspended in a body that nothing can resume any more is collected with it (see
   * LiveCoroutines). The executor is never shut down; it ends with its one thread, or is collected with it.
   */
  static void transferToNew(Strand target) {
    Executors.newThreadPerTaskExecutor(target).execute(target);
  }

  /**
   * The thread factory of the executor that {@link #transferToNew} makes: the strand makes its own thread
   * (a lambda capturing the loop and the strand would cost each suspended body 24 more bytes) and, from the
   * executor's call, holds the loop on it.
   */
  @Override
  public Thread newThread(Runnable task) {
    Thread t = Thread.ofVirtual().name(loop.strandName()).uncaughtExceptionHandler(this).unstarted(task);
    thread = t;
    handOver(loop, this);
    return t;
  }

  /**
   * Makes {@code target} the loop's holder, counting the hand-off and noting it in the giving strand (the
   * caller's) for {@link #park}; the caller then publishes it with a volatile write or a thread start.
   */
  private static void handOver(EventLoop loop, Strand target) {
    int n = ++loop.handovers;
    Strand giver = loop.holder;
    if (giver != null) {
      giver.waits = n << 3 | giver.waits & 7;
    }
    loop.owner = target.thread;
    loop.holder = target;
  }

  /**
   * Parks until woken by {@link #transfer}; returns the reason. {@code kind} is the way it waits ({@link
   * #AFTER_CALL}, {@link #AFTER_ENTRY}, {@link #SUSPENDED}). First it spins ({@link #SPINS}) and, if its last
   * wait of that kind was short, yields ({@link #YIELDS}). Once woken it holds the loop, so {@code
   * loop.handovers} (written before the waker's volatile write of {@code wake}) tells how long this wait was,
   * in hand-offs.
   */
  int park(int kind) {
    int reason = spinThenYield(kind);
    while (reason == NONE) {
      LockSupport.park(this);
      reason = wake;
    }
    wake = NONE;
    noteWait(kind);
    return reason;
  }

  /**
   * The wait's first part, in a frame of its own so that a parked strand's frame stays small (its stack is
   * part of every suspended body's footprint): the reason if it came meanwhile, else NONE.
   */
  private int spinThenYield(int kind) {
    int reason = wake;
    for (int i = 0; reason == NONE && i < SPINS; i++) {
      Thread.onSpinWait();
      reason = wake;
    }
    for (int i = 0; reason == NONE && (waits & 1 << kind) == 0 && i < YIELDS; i++) {
      Thread.yield();
      reason = wake;
    }
    return reason;
  }

  /** Remembers whether this wait of {@code kind} was short, for the next one's {@link #spinThenYield}. */
  private void noteWait(int kind) {
    int waited = (loop.handovers << 3) - (waits & ~7) >>> 3; // hand-offs since it gave the baton away
    waits = waited <= YIELD_WITHIN ? waits & ~(1 << kind) : waits | 1 << kind;
  }


  /**
   * Waits in the loop's pool of idle strands (the caller put it there) until a new coroutine is handed to
   * it — then {@code coroutine} is set and the strand's main loop runs it — or the run ends (UNWIND): then
   * it hands the loop back to the strand that unwinds and ends.
   */
  void idle(EventLoop loop) {
    if (park(SUSPENDED) == UNWIND) {
      transfer(loop, java.util.Objects.requireNonNull(loop.finisher(), "unwinding without a finisher"), SEGMENT_ENDED);
    }
  }

  /** Whether this strand's next wait of {@code kind} yields before parking (for tests). */
  boolean yieldsBeforeParking(int kind) {
    return (waits & 1 << kind) == 0;
  }

  boolean isDriver() {
    return coroutine == null;
  }
}
