package org.eventloop4j;

import static java.util.Objects.requireNonNull;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * The DOM's {@code AbortSignal}: tells an operation that its caller gave up, and why. A signal comes from
 * an {@link AbortController}, or from {@link #abort(Throwable)}, {@link #timeout(long)} and
 * {@link #any(AbortSignal...)}. It is aborted at most once; its {@linkplain #reason() reason} never
 * changes afterwards.
 *
 * <h2>Listeners</h2>
 *
 * <p>{@link #addListener(Runnable)} registers a one-shot listener: when the signal is aborted every
 * listener registered by then runs once, in registration order, and is dropped. As in the DOM:
 *
 * <ul>
 *   <li>registering a listener that is already registered (the same object) does nothing and returns the
 *       existing registration;
 *   <li>a listener registered after the abort is <em>never</em> called — check {@link #aborted()} first;
 *   <li>a listener removed while the abort is being dispatched (by an earlier listener) is not called;
 *   <li>a signal made by {@link #any} is aborted, with its reason set, before any listener runs; the
 *       aborting source's listeners run first, then the combined signal's.
 * </ul>
 *
 * <h2>Threads and ordering</h2>
 *
 * <p>Every method is thread-safe, and a signal belongs to no loop. Each listener runs on the loop that was
 * current when it was registered (see {@link EventLoop#tryCurrent()}):
 *
 * <ul>
 *   <li>if the abort happens on that loop's thread, the listener runs synchronously inside the call that
 *       aborted the signal ({@link AbortController#abort()}, a timeout firing, a source of {@code any});
 *   <li>otherwise — another thread, including the one that drives the loop while it is not running — the
 *       listeners of that loop are posted to it with {@link EventLoop#execute} as one task, so they run in
 *       its poll phase, still in registration order. The signal is aborted (its reason visible on every
 *       thread) when the aborting call returns; only the listeners run later. If the loop is closed they
 *       do not run, and a warning is logged;
 *   <li>a listener registered outside any loop runs on whichever thread aborts the signal.
 * </ul>
 *
 * <p>Everything a thread did before aborting a signal happens-before each of its listeners runs.
 *
 * <h2>Errors</h2>
 *
 * <p>An exception thrown by a listener does not stop the others. On a loop it is rethrown from a
 * {@linkplain EventLoop#nextTick nextTick} callback, so it reaches the loop's uncaught-exception handler
 * (or ends the loop) as Node reports an exception thrown by an {@code EventTarget} listener. Thrown by a
 * listener that ran outside any loop, it is thrown from the aborting call once every listener ran, later
 * ones attached as suppressed exceptions.
 */
public final class AbortSignal {
  /*
   * Overview for maintainers.
   *
   * State, guarded by `lock` (a private object: user code synchronising on a signal cannot stall it):
   *   reason      null until aborted; set once, under the lock, and volatile so aborted()/reason() read it
   *               without locking;
   *   listeners   registration order; structurally changed only while not aborted. At the abort it is
   *               frozen (never changed again) and handed to dispatch, so removeListener can still find an
   *               entry and mark it removed while the dispatch runs on another loop;
   *   dependents  the signals any() made from this one, held weakly so that a long-lived source (a
   *               server's shutdown signal) does not collect every per-request any() signal forever;
   *   pinned      those dependents that have listeners, held strongly: the DOM's rule that a dependent with
   *               listeners must not be collected while a source can still abort it.
   * A signal made by any() has `sources` (strong, never dependent themselves: any() flattens, as the DOM
   * does), so dependents are one level deep and markAborted does not recurse further.
   *
   * Aborting: markAborted sets the reason and collects the listeners under the lock, then marks each
   * dependent the same way, so every reason is set before any listener runs; dispatch runs the collected
   * entries with no lock held. A listener that aborts another signal, or this one again, is fine: the
   * second markAborted finds the reason set and returns false.
   *
   * Locks nest only dependent -> source (pinning from addListener / removal); markAborted releases the
   * source's lock before taking a dependent's, and unlinking from sources happens with no lock held, so
   * there is no cycle.
   *
   * Races: an abort on another thread between `aborted()` and `addListener` returns the no-op
   * registration; package code that must not miss the abort uses tryAddListener, whose null answer means
   * "already aborted". A registration removed while its dispatch is in flight is skipped (`removed` is
   * volatile and checked right before the call).
   *
   * Tests: AbortSignalTest (listeners, any — including any_unreferencedDependentWithListener_stillNotifiedAfterGc
   * for pinning — and timeout), AbortControllerTest (threads, listener errors), TimersTest.
   */
  private static final System.Logger LOG = System.getLogger(AbortSignal.class.getName());
  private static final Registration NOT_REGISTERED = () -> {};
  private static final int MIN_PRUNE = 16;

  /**
   * The handle of a registered listener. {@link #close()} removes the listener if it has not run yet; it is
   * thread-safe and idempotent, and does nothing for a listener that was registered after the abort.
   */
  public interface Registration extends AutoCloseable {
    /** Removes the listener; later calls do nothing. */
    @Override
    void close();
  }

  private final Object lock = new Object();
  private volatile @Nullable Throwable reason;
  private @Nullable ArrayList<Entry> listeners;
  private @Nullable ArrayList<WeakReference<AbortSignal>> dependents;
  private @Nullable Set<AbortSignal> pinned;
  private int pruneAt = MIN_PRUNE;
  private final List<AbortSignal> sources;
  private final boolean dependent;

  AbortSignal() {
    this(List.of(), false);
  }

  private AbortSignal(List<AbortSignal> sources, boolean dependent) {
    this.sources = sources;
    this.dependent = dependent;
  }

  // ------------------------------------------------------------------------------------------------
  // Factories

  /** A signal already aborted with a new {@link AbortError} ({@value AbortError#DEFAULT_MESSAGE}). */
  public static AbortSignal abort() {
    return abort(new AbortError());
  }

  /**
   * A signal already aborted with {@code reason}.
   *
   * @throws NullPointerException if {@code reason} is null
   */
  public static AbortSignal abort(Throwable reason) {
    requireNonNull(reason, "reason");
    AbortSignal signal = new AbortSignal();
    signal.reason = reason;
    return signal;
  }

  /**
   * A signal that aborts with a new {@link TimeoutError} ({@value TimeoutError#DEFAULT_MESSAGE}) {@code ms}
   * milliseconds from now on the current loop's clock — virtual time on a virtual loop. Its timer is
   * unreferenced, as in Node: it fires while the loop runs for other reasons, but does not keep the loop
   * alive. A delay of 0 fires after 1 ms, as every timer of the loop does.
   *
   * @throws IllegalArgumentException if {@code ms} is negative (Node throws a {@code RangeError}) or above
   *     2<sup>31</sup>−1 (where Node would warn and fire after 1 ms instead)
   * @throws IllegalStateException if no loop is running on the calling thread
   */
  public static AbortSignal timeout(long ms) {
    checkTimeout(ms);
    EventLoop loop = EventLoop.current();
    AbortSignal signal = new AbortSignal();
    loop.setTimeout(() -> signal.signalAbort(new TimeoutError()), ms).unref();
    return signal;
  }

  /**
   * {@link #timeout(long)} with a {@link Duration}, truncated to milliseconds.
   *
   * @throws NullPointerException if {@code delay} is null
   * @throws IllegalArgumentException if {@code delay} is negative or above 2<sup>31</sup>−1 ms
   */
  public static AbortSignal timeout(Duration delay) {
    requireNonNull(delay, "delay");
    if (delay.isNegative() || delay.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
      throw new IllegalArgumentException("timeout delay must be between 0 and 2147483647 ms, was " + delay);
    }
    return timeout(delay.toMillis());
  }

  /**
   * The DOM's {@code AbortSignal.any(signals)}: a signal that aborts as soon as any of {@code signals}
   * does, with that signal's reason. If one is already aborted, the result is already aborted with the
   * reason of the first such signal in argument order. With no signals, it never aborts.
   *
   * @throws NullPointerException if {@code signals} or one of its elements is null
   */
  public static AbortSignal any(AbortSignal... signals) {
    requireNonNull(signals, "signals");
    return any(Arrays.asList(signals));
  }

  /**
   * {@link #any(AbortSignal...)} over an {@link Iterable}, read once, in iteration order.
   *
   * @throws NullPointerException if {@code signals} or one of its elements is null
   */
  public static AbortSignal any(Iterable<? extends AbortSignal> signals) {
    requireNonNull(signals, "signals");
    List<AbortSignal> inputs = copyOf(signals);
    for (AbortSignal s : inputs) {
      Throwable r = s.reason;
      if (r != null) {
        return abort(r);
      }
    }
    AbortSignal result = new AbortSignal(List.copyOf(flatten(inputs)), true);
    for (AbortSignal source : result.sources) {
      Throwable r = source.addDependent(result);
      if (r != null) {
        result.signalAbort(r);
        break;
      }
    }
    return result;
  }

  private static List<AbortSignal> copyOf(Iterable<? extends AbortSignal> signals) {
    List<AbortSignal> copy = new ArrayList<>();
    int i = 0;
    for (AbortSignal s : signals) {
      if (s == null) {
        throw new NullPointerException("signals[" + i + "] is null");
      }
      copy.add(s);
      i++;
    }
    return copy;
  }

  /** The DOM's source signals: each input, or an input's own sources if it was made by any(). */
  private static Set<AbortSignal> flatten(List<AbortSignal> inputs) {
    Set<AbortSignal> flat = new LinkedHashSet<>();
    for (AbortSignal s : inputs) {
      if (s.dependent) {
        flat.addAll(s.sources);
      } else {
        flat.add(s);
      }
    }
    return flat;
  }

  private static void checkTimeout(long ms) {
    if (ms < 0 || ms > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("timeout delay must be between 0 and 2147483647 ms, was " + ms + " ms");
    }
  }

  // ------------------------------------------------------------------------------------------------
  // State

  /** Whether the signal is aborted. Thread-safe; once true, stays true. */
  public boolean aborted() {
    return reason != null;
  }

  /** The abort reason, or {@code null} while the signal is not aborted. Thread-safe. */
  public @Nullable Throwable reason() {
    return reason;
  }

  /**
   * Throws the reason if the signal is aborted, else does nothing: a {@link RuntimeException} or an
   * {@link Error} as it is, the same object each time; a checked exception as the {@linkplain
   * Throwable#getCause() cause} of a new {@link AbortError}, since this method declares none.
   */
  public void throwIfAborted() {
    Throwable r = reason;
    if (r == null) {
      return;
    }
    if (r instanceof RuntimeException e) {
      throw e;
    }
    if (r instanceof Error e) {
      throw e;
    }
    throw new AbortError(AbortError.DEFAULT_MESSAGE, r);
  }

  /** The reason of a signal known to be aborted (package code, after a listener fired). */
  Throwable abortedReason() {
    Throwable r = reason;
    if (r == null) {
      throw new IllegalStateException("signal is not aborted");
    }
    return r;
  }

  // ------------------------------------------------------------------------------------------------
  // Listeners

  /**
   * Registers {@code listener} to run once when the signal is aborted (see the class documentation for
   * where and in which order). On a signal that is already aborted it is not registered and never runs;
   * the returned registration then does nothing.
   *
   * @return the handle that removes the listener
   * @throws NullPointerException if {@code listener} is null
   */
  public Registration addListener(Runnable listener) {
    Registration r = tryAddListener(listener);
    return r != null ? r : NOT_REGISTERED;
  }

  /**
   * Removes {@code listener} (compared by identity) if it is registered and has not run; otherwise does
   * nothing. Same as closing its registration.
   *
   * @throws NullPointerException if {@code listener} is null
   */
  public void removeListener(Runnable listener) {
    requireNonNull(listener, "listener");
    Entry e;
    synchronized (lock) {
      e = find(listener);
    }
    if (e != null) {
      e.close();
    }
  }

  /** Like addListener, but answers {@code null} instead of registering if the signal is already aborted. */
  @Nullable Registration tryAddListener(Runnable listener) {
    requireNonNull(listener, "listener");
    synchronized (lock) {
      if (reason != null) {
        return null;
      }
      Entry existing = find(listener);
      if (existing != null) {
        return existing;
      }
      ArrayList<Entry> list = listeners != null ? listeners : (listeners = new ArrayList<>());
      list.add(new Entry(this, listener, EventLoop.tryCurrent()));
      if (list.size() == 1) {
        setPinned(true);
      }
      return list.getLast();
    }
  }

  private @Nullable Entry find(Runnable listener) {
    if (listeners != null) {
      for (Entry e : listeners) {
        if (e.listener == listener && !e.removed) {
          return e;
        }
      }
    }
    return null;
  }

  private void remove(Entry e) {
    synchronized (lock) {
      e.removed = true;
      ArrayList<Entry> list = listeners;
      if (reason == null && list != null && list.remove(e) && list.isEmpty()) {
        setPinned(false);
      }
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Aborting

  /** The DOM's "signal abort": aborts with {@code r} unless already aborted, then runs the listeners. */
  void signalAbort(Throwable r) {
    List<Entry> toRun = new ArrayList<>();
    if (markAborted(r, toRun)) {
      dispatch(toRun);
    }
  }

  /** Sets the reason of this signal and its dependents, collecting their listeners in DOM order. */
  private boolean markAborted(Throwable r, List<Entry> toRun) {
    List<AbortSignal> deps;
    synchronized (lock) {
      if (reason != null) {
        return false;
      }
      reason = r;
      if (listeners != null) {
        toRun.addAll(listeners);
      }
      deps = liveDependents();
      dependents = null;
      pinned = null;
    }
    for (AbortSignal d : deps) {
      d.markAborted(r, toRun);
    }
    unlinkFromSources();
    return true;
  }

  /** Runs the entries of the calling thread's loop (and loop-less ones) now; posts the others. */
  private static void dispatch(List<Entry> entries) {
    EventLoop here = EventLoop.tryCurrent();
    Map<EventLoop, List<Entry>> elsewhere = new LinkedHashMap<>();
    List<Throwable> errors = new ArrayList<>();
    for (Entry e : entries) {
      if (e.loop == null || e.loop == here) {
        e.run(here, errors);
      } else {
        elsewhere.computeIfAbsent(e.loop, k -> new ArrayList<>()).add(e);
      }
    }
    elsewhere.forEach(AbortSignal::post);
    throwCollected(errors);
  }

  private static void post(EventLoop loop, List<Entry> batch) {
    try {
      loop.execute(() -> runBatch(loop, batch));
    } catch (RejectedExecutionException e) {
      LOG.log(System.Logger.Level.WARNING,
          batch.size() + " abort listener(s) not run: their event loop " + loop.name() + " is closed");
    }
  }

  private static void runBatch(EventLoop loop, List<Entry> batch) {
    List<Throwable> none = new ArrayList<>();
    for (Entry e : batch) {
      e.run(loop, none);
    }
  }

  private static void throwCollected(List<Throwable> errors) {
    if (errors.isEmpty()) {
      return;
    }
    Throwable first = errors.getFirst();
    errors.subList(1, errors.size()).forEach(first::addSuppressed);
    throw uncheckedOrError(first);
  }

  /** Listeners are Runnables, so what they throw is unchecked or an Error. */
  private static RuntimeException uncheckedOrError(Throwable t) {
    if (t instanceof Error e) {
      throw e;
    }
    return (RuntimeException) t;
  }

  // ------------------------------------------------------------------------------------------------
  // Dependents (signals made by any)

  /**
   * Records {@code d}, which any() is still building (so it has no listeners and no other thread sees it),
   * as a dependent; answers this signal's reason instead if it is already aborted.
   */
  private @Nullable Throwable addDependent(AbortSignal d) {
    synchronized (lock) {
      if (reason != null) {
        return reason;
      }
      ArrayList<WeakReference<AbortSignal>> list = dependents != null ? dependents : (dependents = new ArrayList<>());
      if (list.size() >= pruneAt) {
        list.removeIf(w -> w.get() == null);
        pruneAt = Math.max(MIN_PRUNE, list.size() * 2);
      }
      list.add(new WeakReference<>(d));
      return null;
    }
  }

  private List<AbortSignal> liveDependents() {
    List<AbortSignal> live = new ArrayList<>();
    if (dependents != null) {
      for (WeakReference<AbortSignal> w : dependents) {
        AbortSignal d = w.get();
        if (d != null) {
          live.add(d);
        }
      }
    }
    return live;
  }

  /** Called with this (dependent) signal's lock held: holds it strongly in its sources, or stops to. */
  private void setPinned(boolean pin) {
    for (AbortSignal source : sources) {
      synchronized (source.lock) {
        source.pin(this, pin);
      }
    }
  }

  /** With this (source) signal's lock held. */
  private void pin(AbortSignal dependent, boolean pin) {
    if (reason != null) {
      return;
    }
    if (pin) {
      (pinned != null ? pinned : (pinned = new HashSet<>())).add(dependent);
    } else if (pinned != null) {
      pinned.remove(dependent);
    }
  }

  /** After this dependent aborted: its sources need not remember it any more. */
  private void unlinkFromSources() {
    for (AbortSignal source : sources) {
      synchronized (source.lock) {
        if (source.dependents != null) {
          source.dependents.removeIf(w -> w.get() == this || w.get() == null);
        }
        if (source.pinned != null) {
          source.pinned.remove(this);
        }
      }
    }
  }

  @Override
  public String toString() {
    Throwable r = reason;
    return r == null ? "AbortSignal[not aborted]" : "AbortSignal[aborted: " + r + "]";
  }

  // ------------------------------------------------------------------------------------------------

  /** One registered listener and the loop it runs on. */
  private static final class Entry implements Registration {
    final AbortSignal signal;
    final Runnable listener;
    final @Nullable EventLoop loop;
    volatile boolean removed;

    Entry(AbortSignal signal, Runnable listener, @Nullable EventLoop loop) {
      this.signal = signal;
      this.listener = listener;
      this.loop = loop;
    }

    @Override
    public void close() {
      signal.remove(this);
    }

    /** Runs the listener unless removed; reports what it throws to {@code here} or into {@code errors}. */
    void run(@Nullable EventLoop here, List<Throwable> errors) {
      if (removed) {
        return;
      }
      removed = true;
      try {
        listener.run();
      } catch (RuntimeException | Error t) {
        if (here != null) {
          here.nextTick(() -> {
            throw uncheckedOrError(t);
          });
        } else {
          errors.add(t);
        }
      }
    }
  }
}
