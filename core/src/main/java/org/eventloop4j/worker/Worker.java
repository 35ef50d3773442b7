package org.eventloop4j.worker;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Resolvers;
import org.eventloop4j.UncaughtException;
import org.jspecify.annotations.Nullable;

/**
 * A worker thread with an event loop of its own, as {@code worker_threads}' {@code Worker}: its script runs
 * as the main task of that loop and may use timers, promises and async functions; it talks to the parent
 * through messages.
 *
 * <pre>{@code
 * loop.run(() -> {
 *   Worker w = Worker.start(scope -> scope.onMessage(m -> scope.postMessage("echo " + m)));
 *   w.onMessage(m -> { System.out.println(m); w.terminate(); });
 *   w.postMessage("hi");
 * });
 * }</pre>
 *
 * <h2>Messages</h2>
 *
 * <p>{@link #postMessage} and {@link WorkerScope#postMessage} deliver in order, as macrotasks on the
 * receiving loop (see {@link MessagePort}). Messages are passed <b>by reference</b>: post immutable values
 * (records, {@code List.of}, strings) or hand objects over and stop using them.
 *
 * <h2>Lifetime and exit codes</h2>
 *
 * <p>Seen from the parent, as in Node: {@link #onOnline} first, then the worker's messages, then (after an
 * uncaught error) {@link #onError}, and last {@link #onExit}, after every message the worker posted.
 *
 * <p>The worker runs until its loop has nothing left to do — a listening, referenced {@code parentPort}
 * counts, as in Node — or until {@link WorkerScope#exit}, an uncaught error, or {@link #terminate()}. The
 * exit code is {@value #EXIT_OK} when the loop ran out of work, the code given to {@code exit}, or
 * {@value #EXIT_ERROR} after an uncaught error or {@code terminate()} (Node's codes). While it runs, a
 * worker keeps the parent's loop alive unless {@link #unref()}ed.
 *
 * <p>{@code terminate()} stops the worker's loop at its next callback boundary: what is queued on it does
 * not run and messages in flight to it are dropped. Unlike V8, the JVM cannot stop code in the middle, so a
 * callback that loops forever or blocks without end delays the exit until it returns.
 *
 * <h2>Errors</h2>
 *
 * <p>An uncaught error or unhandled rejection inside the worker ends it; the parent's {@link #onError}
 * handler then receives the error itself (a checked exception unwrapped), followed by the exit event. With
 * no error handler the error is rethrown on the parent's loop as an uncaught exception, as Node does with
 * an {@code 'error'} event nobody listens to.
 *
 * <h2>Threads</h2>
 *
 * <p>{@link #postMessage}, {@link #threadId()} and {@link #toString()} may be called from any thread; every
 * other method only on the parent loop — the loop that called {@link #start}. Handlers run on that loop.
 */
public final class Worker {
  /*
   * Overview for maintainers.
   *
   * Two threads, two loops: the parent's loop (current at start()) and the worker's, run by a new daemon
   * platform thread with loop.run(script). A MessageChannel joins them: `parentPort` (parent end, unref'd:
   * the worker's liveness is `keepAlive`, held on the parent loop while the worker runs and is ref'd) and
   * the worker end inside `scope`.
   *
   * The worker thread posts the online event to the parent loop as the first thing its main task does,
   * so it precedes every message the script posts.
   *
   * State (AtomicInteger): RUNNING -> TERMINATING (terminate() won) -> EXITED (set on the parent loop by the
   * exit task). The worker thread, after loop.run returns or throws: closes its end of the channel (so the
   * parent end gets CLOSE behind every message already posted), closes its loop, and posts two tasks to
   * the parent loop in order — the error event (if any; it may throw, see class doc) and then the exit
   * event, which records the code, settles terminate()/exited() promises, runs exit handlers and releases
   * the keep-alive. Everything the worker did happens-before those tasks (EventLoop.execute). Messages the
   * worker posted before the parent's first onMessage waited in the parent port and reached its inbox only
   * with that call, whose dispatch walk is posted then, possibly behind the exit task: the exit task then
   * re-posts itself until they are in (MessagePort.flushing), so 'exit' still comes after every message.
   *
   * terminate() closes the worker end at once (so messages in flight are dropped on the worker side) and
   * posts loop.stop() to the worker loop. A terminate that races the worker's thread before its loop
   * started makes the thread skip the script entirely.
   *
   * Parent-loop-confined fields: handlers, exit waiters, keepAlive, exitCode. Tests: WorkerTest.
   */
  private static final System.Logger LOG = System.getLogger(Worker.class.getName());
  private static final AtomicInteger IDS = new AtomicInteger();

  /** The exit code of a worker whose loop ran out of work. */
  public static final int EXIT_OK = 0;
  /** The exit code after an uncaught error in the worker, or after {@link #terminate()} (as in Node). */
  public static final int EXIT_ERROR = 1;

  private static final int RUNNING = 0;
  private static final int TERMINATING = 1;
  private static final int EXITED = 2;

  /**
   * A worker's script: runs on the worker's loop as its main task.
   */
  @FunctionalInterface
  public interface Script {
    /** Runs the script; what it throws is an uncaught error of the worker. */
    void run(WorkerScope scope) throws Exception;
  }

  private final EventLoop parent;
  private final EventLoop loop;
  private final Thread thread;
  private final MessagePort parentPort;
  private final MessagePort workerPort;
  private final WorkerScope scope;
  private final int threadId;
  private final AtomicInteger state = new AtomicInteger(RUNNING);

  private EventLoop.@Nullable KeepAlive keepAlive;
  private @Nullable Consumer<Throwable> errorHandler;
  /** Exit handlers and exited() promises in one list: they run in the order added, as Node's listeners. */
  private final List<IntConsumer> exitHandlers = new ArrayList<>();
  private @Nullable Runnable onlineHandler;
  private int exitCode = -1;

  private Worker(Builder b, Script script) {
    this.parent = EventLoop.current();
    this.threadId = IDS.incrementAndGet();
    String name = b.name != null ? b.name : "eventloop4j-worker-" + threadId;
    this.loop = EventLoop.builder().name(name).build();
    MessageChannel channel = new MessageChannel();
    this.parentPort = channel.port1();
    this.workerPort = channel.port2();
    this.scope = new WorkerScope(loop, workerPort, b.workerData, threadId);
    this.keepAlive = parent.keepAlive();
    parentPort.unref();
    this.thread = Thread.ofPlatform().name(name).daemon().unstarted(() -> body(script));
  }

  /**
   * Starts a worker running {@code script} on a new thread with its own loop. Loop-affine: the calling loop
   * becomes the worker's parent.
   *
   * @throws IllegalStateException off a loop
   */
  public static Worker start(Script script) {
    return builder().start(script);
  }

  /** A builder for a worker with a name or {@code workerData}. */
  public static Builder builder() {
    return new Builder();
  }

  // ------------------------------------------------------------------------------------------------
  // The worker's thread

  private void body(Script script) {
    Throwable error = null;
    int code = EXIT_ERROR;
    try {
      if (state.get() == RUNNING) {
        loop.run(() -> runScript(script));
        code = state.get() == RUNNING ? scope.exitCode() : EXIT_ERROR;
      }
    } catch (Throwable t) {
      error = state.get() == RUNNING ? unwrap(t) : null;
      if (error == null) {
        LOG.log(System.Logger.Level.DEBUG, "worker " + threadId + " ended by terminate() with", t);
      }
    }
    workerPort.closeHere();
    parentPort.closeFromPeer();
    closeLoop();
    report(error, code);
  }

  private void runScript(Script script) {
    workerPort.madeHere(); // as Node's parentPort, made before the script: first in this loop's port order
    try {
      parent.execute(this::emitOnline);
    } catch (RejectedExecutionException e) {
      LOG.log(System.Logger.Level.DEBUG, "worker " + threadId + ": parent loop " + parent.name() + " is closed", e);
    }
    try {
      script.run(scope);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Exception e) {
      throw new ScriptException(e);
    }
  }

  /** Carries a checked exception of the script out of the main task; unwrapped for the error event. */
  private static final class ScriptException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ScriptException(Exception cause) {
      super(cause);
    }
  }

  private static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while ((e instanceof UncaughtException || e instanceof ScriptException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private void closeLoop() {
    try {
      loop.close();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "closing the loop of worker " + threadId + " failed", e);
    }
  }

  private void report(@Nullable Throwable error, int code) {
    try {
      if (error != null) {
        parent.execute(() -> emitError(error));
      }
      parent.execute(() -> emitExit(code));
    } catch (RejectedExecutionException e) {
      LOG.log(System.Logger.Level.WARNING, "worker " + threadId + " exited with code " + code
          + " after its parent loop " + parent.name() + " closed", error != null ? error : e);
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Parent side

  private void emitOnline() {
    Runnable h = onlineHandler;
    onlineHandler = null;
    if (h != null && state.get() != EXITED) {
      h.run();
    }
  }

  private void emitError(Throwable error) {
    Consumer<Throwable> h = errorHandler;
    if (h == null) {
      throw Worker.<RuntimeException>sneaky(error);
    }
    h.accept(error);
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E sneaky(Throwable t) throws E {
    throw (E) t;
  }

  private void emitExit(int code) {
    if (parentPort.flushing() && deferExit(code)) {
      return;
    }
    state.set(EXITED);
    exitCode = code;
    releaseParent();
    List<IntConsumer> handlers = List.copyOf(exitHandlers);
    exitHandlers.clear();
    for (IntConsumer h : handlers) {
      h.accept(code);
    }
  }

  /**
   * Re-posts the exit event behind the messages the worker posted before the parent listened, which that
   * first onMessage call handed to the port's dispatch only then (Node drains the port before 'exit').
   * False if the loop is closed.
   */
  private boolean deferExit(int code) {
    try {
      parent.execute(() -> emitExit(code));
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  private void releaseParent() {
    EventLoop.KeepAlive k = keepAlive;
    keepAlive = null;
    if (k != null) {
      k.close();
    }
  }

  /**
   * Posts {@code message} to the worker's {@code parentPort}; any thread. Passed by reference.
   *
   * @throws NullPointerException if {@code message} is null
   * @throws IllegalStateException if the worker was terminated or has exited
   */
  public void postMessage(Object message) {
    requireNonNull(message, "message");
    int s = state.get();
    if (s != RUNNING || workerPort.isClosed()) {
      throw new IllegalStateException("postMessage to worker " + threadId + ", which "
          + (s == TERMINATING ? "was terminated" : "has exited"));
    }
    parentPort.postMessage(message);
  }

  /** Receives the worker's messages on the parent loop ({@code worker.on('message')}). Returns this. */
  public Worker onMessage(Consumer<Object> handler) {
    checkParent("onMessage");
    parentPort.onMessage(handler);
    return this;
  }

  /**
   * Receives the uncaught error that ended the worker ({@code worker.on('error')}); replaces an earlier
   * handler. Returns this.
   */
  public Worker onError(Consumer<Throwable> handler) {
    checkParent("onError");
    this.errorHandler = requireNonNull(handler, "handler");
    return this;
  }

  /**
   * Runs {@code handler} with the exit code when the worker has ended ({@code worker.on('exit')}), after
   * every message the worker posted. Handlers and the promises of {@link #exited()} and {@link #terminate()}
   * are settled in the order they were added, as Node's {@code 'exit'} listeners. Returns this.
   */
  public Worker onExit(IntConsumer handler) {
    checkParent("onExit");
    requireNonNull(handler, "handler");
    if (state.get() != EXITED) {
      exitHandlers.add(handler);
    }
    return this;
  }

  /**
   * Runs {@code handler} on the parent loop when the worker has started running its script ({@code
   * worker.on('online')}): before any of its messages. A handler set after that does not run. Returns this.
   */
  public Worker onOnline(Runnable handler) {
    checkParent("onOnline");
    this.onlineHandler = requireNonNull(handler, "handler");
    return this;
  }

  /**
   * A promise of the parent loop fulfilled with the exit code once the worker has ended; while the worker
   * runs, it settles in order with the {@link #onExit} handlers (see there).
   */
  public Promise<Integer> exited() {
    checkParent("exited");
    Resolvers<Integer> r = Promise.withResolvers();
    if (state.get() == EXITED) {
      r.resolve(exitCode);
    } else {
      exitHandlers.add(r::resolve);
    }
    return r.promise();
  }

  /**
   * Stops the worker ({@code worker.terminate()}): its loop stops at the next callback boundary, messages
   * in flight to it are dropped. Returns {@link #exited()}: fulfilled with the exit code —
   * {@value #EXIT_ERROR}, or the worker's own code if it had already ended. Idempotent.
   */
  public Promise<Integer> terminate() {
    Promise<Integer> exit = exited();
    if (state.compareAndSet(RUNNING, TERMINATING)) {
      workerPort.closeHere();
      try {
        loop.execute(loop::stop);
      } catch (RejectedExecutionException e) {
        LOG.log(System.Logger.Level.DEBUG, "worker " + threadId + " was already ending", e);
      }
    }
    return exit;
  }

  /** Lets the parent loop end while the worker still runs ({@code worker.unref()}). Returns this. */
  public Worker unref() {
    checkParent("unref");
    releaseParent();
    return this;
  }

  /** Makes the running worker keep the parent loop alive again (the default). Returns this. */
  public Worker ref() {
    checkParent("ref");
    if (keepAlive == null && state.get() != EXITED) {
      keepAlive = parent.keepAlive();
    }
    return this;
  }

  /** The worker's id ({@code worker.threadId}): 1, 2, … in order of creation in this process. */
  public int threadId() {
    return threadId;
  }

  private void checkParent(String what) {
    if (EventLoop.tryCurrent() != parent) {
      throw new IllegalStateException("Worker." + what + "() must be called on its parent loop " + parent.name()
          + ", not on thread " + Thread.currentThread().getName());
    }
  }

  /** The worker's thread (tests: no thread outlives its worker). */
  Thread thread() {
    return thread;
  }

  @Override
  public String toString() {
    return "Worker[" + threadId + ", " + switch (state.get()) {
      case RUNNING -> "running";
      case TERMINATING -> "terminating";
      default -> "exited";
    } + "]";
  }

  // ------------------------------------------------------------------------------------------------

  /** Configures a {@link Worker}; not thread-safe. */
  public static final class Builder {
    private @Nullable String name;
    private @Nullable Object workerData;

    private Builder() {}

    /** The name of the worker's thread and loop. */
    public Builder name(String name) {
      this.name = requireNonNull(name, "name");
      return this;
    }

    /** An object the script reads with {@link WorkerScope#workerData()} ({@code workerData}), by reference. */
    public Builder workerData(Object workerData) {
      this.workerData = requireNonNull(workerData, "workerData");
      return this;
    }

    /**
     * Starts a worker running {@code script}; loop-affine (see {@link Worker#start}).
     *
     * @throws IllegalStateException off a loop
     */
    public Worker start(Script script) {
      requireNonNull(script, "script");
      Worker w = new Worker(this, script);
      w.thread.start();
      return w;
    }
  }
}
