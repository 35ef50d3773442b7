package org.eventloop4j.resilience;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Resolvers;
import org.eventloop4j.Timer;
import org.eventloop4j.internal.Bridge;
import org.jspecify.annotations.Nullable;

/**
 * Collects items into batches and hands each batch to one asynchronous call — DataLoader's pattern, with
 * every trigger: size, weight, time, and the current tick.
 *
 * <pre>{@code
 * BatchProcessor<Integer, User> users = BatchProcessor.builder((List<Integer> ids) -> db.loadUsers(ids))
 *     .batchSize(10).batchTimeout(Duration.ofMillis(5)).build();
 * users.add(7).then(user -> ...);            // this item's own result
 * }</pre>
 *
 * <h2>Batches</h2>
 *
 * <p>A batch starts with its first item and is <em>sealed</em> (takes no more items) when it holds
 * {@link Builder#batchSize} items, when the next item would push its {@linkplain Builder#maxWeight weight}
 * over the limit (an item heavier than the limit travels alone), or by {@link #flush()}. It becomes
 * <em>due</em> when sealed, or when its {@link Builder#batchTimeout} since the first item expires — or, in
 * the default <em>tick mode</em>, once the microtasks of the tick that added its first item have drained
 * (DataLoader's scheduling: no added latency). A due batch is dispatched as soon as fewer than
 * {@link Builder#maxConcurrentBatches} batches are in flight, in the order they became due; until then a
 * due batch that is not sealed keeps taking items. With {@link Builder#keyedBy} every key has its own
 * batches; with {@link Builder#deduplicate} equal items (or equal dedup keys) within one batch are sent
 * once and share one promise.
 *
 * <h2>Results</h2>
 *
 * <p>{@link #add} returns a promise of that item's own result: the batch function returns one result per
 * item, in order ({@link #builderSettled} lets it fail single items). If the batch function's promise
 * rejects, or it throws, returns {@code null}, or returns the wrong number of results, every item of the
 * batch rejects with that error (an {@link IllegalStateException} for a wrong count) — nothing stays
 * pending. Failures are never swallowed: an item's rejection that nobody handles is the loop's unhandled
 * rejection.
 *
 * <h2>Backpressure, flush and close</h2>
 *
 * <p>With {@link Builder#maxPending}, at most that many items are in the processor (in batches not yet
 * completed); {@code add} beyond it waits for room — its item enters a batch, in order of the {@code add}
 * calls, when an earlier batch completes — and {@link #tryAdd} refuses instead. {@link #flush()} dispatches
 * every open batch now and settles when every item added before it is done — items added later neither
 * delay it nor join its batches. {@link #close()} flushes and rejects every later {@code add} with a
 * {@link RejectedExecutionException}; nothing added before is lost.
 *
 * <h2>Threads</h2>
 *
 * <p>A processor belongs to one loop (given to the builder, else the one current at {@link
 * Builder#build()}): its batch function, timers and items' promises run there. {@link #add}, {@link
 * #flush()} and {@link #close()} may also be called on another loop's thread: the call is posted to the
 * processor's loop and the returned promise belongs to the caller's loop. {@link #tryAdd} and {@link
 * #stats()} are for the processor's loop only.
 *
 * @param <I> the item type
 * @param <O> the result type of one item
 */
public final class BatchProcessor<I, O> {
  /*
   * Overview for maintainers. All state is confined to `loop`; no locks.
   *
   * Structures: `open` (or `openByKey` when keyed) holds the batches taking items; `queue` the due batches
   * waiting for a concurrency slot (some still open, see Batch); `waiters` the adds beyond maxPending, in
   * order; `flushes` the pending flush barriers in creation order.
   *
   * Sequence numbers: every add gets `seq` (increasing). Items enter batches in seq order (a direct add
   * only happens when no add is waiting), so a flush can be a barrier "seq ≤ b": its `remaining` starts as
   * the items outstanding at the flush (pending plus waiting) and drops as they complete. To keep that
   * exact, no batch ever mixes items on both sides of a barrier: flush seals every open batch, and an
   * admission that would put a later item into a batch holding earlier ones seals that batch first. Then
   * a completed batch counts toward exactly the barriers b ≥ its lastSeq, with its items plus the waiting
   * adds that joined it as duplicates (`foldedDuplicates`: their own promises settle with the slot's, in
   * the same turn, so a flush counts them like items). A direct duplicate add returns the slot's own
   * promise and is counted nowhere. An aborted waiter counts as done at once.
   *
   * Re-entrancy: the batch function may add items (they go to new batches); a batch function that throws
   * synchronously is failed from a microtask, so a stream of such failures cannot recurse through
   * admission → dispatch → failure.
   *
   * Cost per item (BatchThroughput): one bare pending promise of `loop` from Bridge.Promises (no
   * Resolvers object, no current-loop lookup; `add` tests the loop as the resolving functions do) and two
   * array slots in its Batch, which is itself the list the batch function gets. Per batch: the Batch, the
   * batch function's promise and one `then`; in unkeyed timeout mode the timeout is one reused timer (see
   * armLinger), keyed batches have a timer each. Tests: BatchProcessorTest, SeedBatchProcessorTest.
   */
  private static final Bridge.Promises PROMISES = Bridge.promises();

  private final EventLoop loop;
  private final String name;
  private final Function<? super List<I>, ? extends @Nullable Promise<? extends @Nullable List<?>>> batchFn;
  private final boolean settled;
  private final int batchSize;
  private final long timeoutMillis;
  private final long maxWeight;
  private final @Nullable ToLongFunction<? super I> weigher;
  private final int maxConcurrent;
  private final int maxPending;
  private final @Nullable Function<? super I, ?> keyFn;
  private final @Nullable Function<? super I, ?> dedupFn;

  private @Nullable Batch<I, O> open;
  private final LinkedHashMap<Object, Batch<I, O>> openByKey = new LinkedHashMap<>();
  private final ArrayDeque<Batch<I, O>> queue = new ArrayDeque<>();
  private final ArrayDeque<Waiter<I, O>> waiters = new ArrayDeque<>();
  private final ArrayList<Flush> flushes = new ArrayList<>();
  private int inFlight;
  private int pending;
  private int foldedDuplicates;
  private long seq;
  private boolean tickScheduled;
  private @Nullable Timer lingerTimer;
  private boolean lingerArmed;
  private boolean lingerQueued;
  private final Runnable onLinger = this::onLinger;
  private final Runnable armLingerJob = this::armLingerJob;
  private @Nullable Promise<@Nullable Void> closing;
  private long batchesDispatched;
  private long itemsCompleted;

  /**
   * Counts of a processor, for monitoring.
   *
   * @param pendingItems items in batches not completed yet (open, due or in flight)
   * @param waitingAdds {@code add} calls waiting for room ({@link Builder#maxPending})
   * @param queuedBatches due batches waiting for a concurrency slot
   * @param inFlightBatches batches whose batch function has not completed
   * @param batchesDispatched batches handed to the batch function so far
   * @param itemsCompleted items whose promise was settled by a completed batch so far
   */
  public record Stats(int pendingItems, int waitingAdds, int queuedBatches, int inFlightBatches,
      long batchesDispatched, long itemsCompleted) {}

  private static final class Waiter<I, O> {
    final I item;
    final @Nullable Object key;
    final @Nullable Object dedup;
    final long weight;
    final long seq;
    final Promise<O> out;
    AbortSignal.@Nullable Registration registration;

    Waiter(I item, @Nullable Object key, @Nullable Object dedup, long weight, long seq, Promise<O> out) {
      this.out = out;
      this.item = item;
      this.key = key;
      this.dedup = dedup;
      this.weight = weight;
      this.seq = seq;
    }
  }

  private static final class Flush {
    final long barrier;
    int remaining;
    final Resolvers<@Nullable Void> out = Promise.withResolvers();

    Flush(long barrier, int remaining) {
      this.barrier = barrier;
      this.remaining = remaining;
    }
  }

  private BatchProcessor(Builder<I, O> b, EventLoop loop) {
    this.loop = loop;
    this.name = b.name != null ? b.name : "batch-processor";
    this.batchFn = b.batchFn;
    this.settled = b.settled;
    this.batchSize = b.batchSize;
    this.timeoutMillis = b.timeoutMillis;
    this.maxWeight = b.maxWeight;
    this.weigher = b.weigher;
    this.maxConcurrent = b.maxConcurrent;
    this.maxPending = b.maxPending;
    this.keyFn = b.keyFn;
    this.dedupFn = b.dedupFn;
  }

  /**
   * A builder for a processor whose batch function returns one result per item, in item order.
   *
   * @param batchFn called with each batch (an unmodifiable list) on the processor's loop
   */
  public static <I, O> Builder<I, O> builder(
      Function<? super List<I>, ? extends Promise<? extends List<? extends O>>> batchFn) {
    return new Builder<>(requireNonNull(batchFn, "batchFn"), false);
  }

  /**
   * A builder for a processor whose batch function settles each item on its own: it returns one
   * {@link Promise.Settled} per item — {@code Fulfilled(value)} or {@code Rejected(error)}, which rejects
   * just that item.
   */
  public static <I, O> Builder<I, O> builderSettled(
      Function<? super List<I>, ? extends Promise<? extends List<? extends Promise.Settled<? extends O>>>> batchFn) {
    return new Builder<>(requireNonNull(batchFn, "batchFn"), true);
  }

  // ------------------------------------------------------------------------------------------------
  // Adding

  /**
   * Adds {@code item} and returns a promise of its result. Waits for room if {@link Builder#maxPending}
   * is reached. After {@link #close()} the promise is rejected with a {@link RejectedExecutionException};
   * if the key function, dedup function or weigher throws (or the weight is negative), with that error.
   *
   * @throws NullPointerException if {@code item} is null
   * @throws IllegalStateException on a thread that runs no loop
   */
  public Promise<O> add(I item) {
    requireNonNull(item, "item");
    if (!PROMISES.holds(loop)) {
      return foreign(() -> add(item));
    }
    return requireNonNull(offer(item, null, true));
  }

  /**
   * {@link #add(Object)} whose wait for room can be cancelled: if {@code signal} aborts while the item
   * waits, the item is dropped and the promise rejects with the signal's reason. Once the item is in a
   * batch, an abort does nothing. An already aborted signal rejects at once.
   */
  public Promise<O> add(I item, AbortSignal signal) {
    requireNonNull(item, "item");
    requireNonNull(signal, "signal");
    if (!PROMISES.holds(loop)) {
      return foreign(() -> add(item, signal));
    }
    return requireNonNull(offer(item, signal, true));
  }

  /**
   * Adds {@code item} only if there is room at once; never waits.
   *
   * @return the item's promise, or {@code null} if {@link Builder#maxPending} is reached (nothing added).
   *     After {@link #close()}, a promise rejected with a {@link RejectedExecutionException}.
   * @throws IllegalStateException off the processor's loop
   */
  public @Nullable Promise<O> tryAdd(I item) {
    requireNonNull(item, "item");
    checkLoop("tryAdd");
    return offer(item, null, false);
  }

  private @Nullable Promise<O> offer(I item, @Nullable AbortSignal signal, boolean wait) {
    if (closing != null) {
      return Promise.reject(new RejectedExecutionException("batch processor '" + name + "' is closed"));
    }
    if (signal != null && signal.aborted()) {
      return Promise.reject(requireNonNull(signal.reason()));
    }
    if (keyFn == null && dedupFn == null && weigher == null) {
      return roomNow() ? admit(item, null, null, 0, ++seq, null) : wait ? await(item, null, null, 0, signal) : null;
    }
    Object key;
    Object dedup;
    long weight;
    try {
      key = keyFn != null ? requireNonNull(keyFn.apply(item), "the key function returned null") : null;
      dedup = dedupFn != null ? requireNonNull(dedupFn.apply(item), "the dedup function returned null") : null;
      weight = weigh(item);
    } catch (RuntimeException e) {
      return Promise.reject(e);
    }
    return roomNow() ? admit(item, key, dedup, weight, ++seq, null) : wait ? await(item, key, dedup, weight, signal) : null;
  }

  private boolean roomNow() {
    return pending < maxPending && waiters.isEmpty();
  }

  private long weigh(I item) {
    ToLongFunction<? super I> w = weigher;
    if (w == null) {
      return 0;
    }
    long weight = w.applyAsLong(item);
    if (weight < 0) {
      throw new IllegalArgumentException("the weigher returned a negative weight " + weight + " for " + item);
    }
    return weight;
  }

  /** Puts an item into its open batch and fires the triggers it meets. */
  private Promise<O> admit(I item, @Nullable Object key, @Nullable Object dedup, long weight, long s,
      @Nullable Promise<O> sink) {
    Batch<I, O> b = openBatch(key, s);
    if (dedup != null) {
      int same = b.find(dedup);
      if (same >= 0) {
        b.lastSeq = s;
        return shareResult(b, same, sink);
      }
    }
    if (b.size > 0 && weight > maxWeight - b.weight) {
      seal(b);
      b = openBatch(key, s);
    }
    Promise<O> r = sink != null ? sink : PROMISES.<O>pending(loop);
    b.append(item, dedup, r, weight, s);
    pending++;
    if (b.size == 1) {
      startTrigger(b);
    }
    if (b.size >= batchSize || b.weight >= maxWeight) {
      seal(b);
    }
    return r;
  }

  /** A duplicate within {@code b}: a direct add shares the slot's promise, a waiter's is settled with it. */
  private Promise<O> shareResult(Batch<I, O> b, int slot, @Nullable Promise<O> sink) {
    if (sink == null) {
      return b.promiseAt(slot);
    }
    b.addDuplicate(slot, sink);
    foldedDuplicates++;
    return sink;
  }

  private Batch<I, O> openBatch(@Nullable Object key, long s) {
    Batch<I, O> b = key == null ? open : openByKey.get(key);
    if (b != null && !flushes.isEmpty() && crossesBarrier(b, s)) {
      seal(b);
      b = null;
    }
    if (b == null) {
      b = new Batch<>(this, key, batchSize, dedupFn != null);
      if (key == null) {
        open = b;
      } else {
        openByKey.put(key, b);
      }
    }
    return b;
  }

  private boolean crossesBarrier(Batch<I, O> b, long s) {
    for (Flush f : flushes) {
      if (b.size > 0 && b.lastSeq <= f.barrier && s > f.barrier) {
        return true;
      }
    }
    return false;
  }

  private Promise<O> await(I item, @Nullable Object key, @Nullable Object dedup, long weight,
      @Nullable AbortSignal signal) {
    Waiter<I, O> w = new Waiter<>(item, key, dedup, weight, ++seq, PROMISES.pending(loop));
    waiters.add(w);
    if (signal != null) {
      w.registration = signal.addListener(() -> abandon(w, signal));
      if (signal.aborted()) {
        abandon(w, signal);
      }
    }
    return w.out;
  }

  private void abandon(Waiter<I, O> w, AbortSignal signal) {
    if (!PROMISES.holds(loop)) {
      loop.execute(() -> abandon(w, signal));
      return;
    }
    if (waiters.remove(w)) {
      countDone(w.seq, 1);
      PROMISES.reject(w.out, requireNonNull(signal.reason()));
      admitWaiters();
    }
  }

  private void admitWaiters() {
    while (!waiters.isEmpty() && pending < maxPending) {
      Waiter<I, O> w = waiters.poll();
      if (w.registration != null) {
        w.registration.close();
      }
      admit(w.item, w.key, w.dedup, w.weight, w.seq, w.out);
    }
    if (!flushes.isEmpty()) {
      sealFlushed();
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Triggers and dispatch

  private void startTrigger(Batch<I, O> b) {
    if (timeoutMillis > 0) {
      if (b.key == null) {
        queueArmLinger();
      } else {
        b.timer = loop.setTimeout(() -> onDue(b), timeoutMillis);
      }
    } else if (!tickScheduled) {
      tickScheduled = true;
      // DataLoader's enqueuePostPromiseJob: a nextTick queued from a microtask runs once the microtask
      // queue is empty, i.e. after every promise job of this tick.
      loop.queueMicrotask(() -> loop.nextTick(this::onTick));
    }
  }

  /**
   * Unkeyed timeout mode: the open batch's timer is armed by a microtask queued with its first item, so
   * its timeout counts from when that microtask runs (after the rest of the code that added the item):
   * never earlier than {@code timeoutMillis} after the item, and without a clock read for a batch that the
   * same code fills (one microtask queued at a time, whatever number of batches it seals).
   */
  private void queueArmLinger() {
    if (!lingerQueued) {
      lingerQueued = true;
      loop.queueMicrotask(armLingerJob);
    }
  }

  private void armLingerJob() {
    lingerQueued = false;
    Batch<I, O> b = open;
    if (b != null && !b.sealed) {
      armLinger();
    }
  }

  /**
   * The one open batch's timeout is one reused timer, re-armed from now (Timer's refresh, which reads the
   * clock as setTimeout does), and unreferenced while no batch waits on it — a batch sealed by size costs
   * no timer object and no clear.
   */
  private void armLinger() {
    Timer t = lingerTimer;
    if (t != null && lingerArmed) {
      t.refresh().ref();
    } else {
      lingerTimer = loop.setTimeout(onLinger, timeoutMillis);
      lingerArmed = true;
    }
  }

  private void onLinger() {
    lingerArmed = false;
    Batch<I, O> b = open;
    if (b != null && !b.sealed) {
      onDue(b);
    }
  }

  private void onDue(Batch<I, O> b) {
    b.timer = null;
    if (!b.queued) {
      b.queued = true;
      queue.add(b);
      pump();
    }
  }

  private void onTick() {
    tickScheduled = false;
    for (Batch<I, O> b : openBatches()) {
      onDue(b);
    }
  }

  /** Closes {@code b} to new items and makes it due. */
  private void seal(Batch<I, O> b) {
    closeToItems(b);
    onDue(b);
  }

  private void closeToItems(Batch<I, O> b) {
    if (b.sealed) {
      return;
    }
    b.sealed = true;
    if (b.timer != null) {
      b.timer.clear();
      b.timer = null;
    } else if (b.key == null && lingerArmed) {
      requireNonNull(lingerTimer).unref();
    }
    if (b.key == null) {
      if (open == b) {
        open = null;
      }
    } else {
      openByKey.remove(b.key, b);
    }
  }

  private void pump() {
    Batch<I, O> b;
    while (inFlight < maxConcurrent && (b = queue.poll()) != null) {
      closeToItems(b);
      dispatch(b);
    }
  }

  private void dispatch(Batch<I, O> b) {
    inFlight++;
    batchesDispatched++;
    Promise<? extends @Nullable List<?>> result;
    try {
      result = requireNonNull(batchFn.apply(b), "the batch function returned null instead of a promise");
    } catch (Throwable t) {
      loop.queueMicrotask(() -> finish(b, null, t));
      return;
    }
    PROMISES.react(result, b);
  }

  /** The batch function's promise for {@code b} settled (with {@code results}, or failed with {@code error}). */
  void finish(Batch<I, O> b, @Nullable Object results, @Nullable Throwable error) {
    Throwable failure = error != null ? error : checkResults(b, results);
    if (failure != null) {
      b.rejectAll(failure);
    } else {
      b.resolveAll((List<?>) requireNonNull(results), settled);
    }
    inFlight--;
    pending -= b.size;
    foldedDuplicates -= b.duplicateCount();
    itemsCompleted += b.size;
    countDone(b.lastSeq, b.size + b.duplicateCount());
    admitWaiters();
    pump();
  }

  private @Nullable Throwable checkResults(Batch<I, O> b, @Nullable Object fulfilled) {
    if (fulfilled == null) {
      return new NullPointerException("the batch function of '" + name + "' fulfilled with null instead of a list");
    }
    if (!(fulfilled instanceof List<?> results)) {
      return new IllegalStateException("the batch function of '" + name + "' fulfilled with a "
          + fulfilled.getClass().getName() + " instead of a list");
    }
    if (results.size() != b.size) {
      return new IllegalStateException("the batch function of '" + name + "' returned " + results.size()
          + " results for " + b.size + " items");
    }
    return null;
  }

  // ------------------------------------------------------------------------------------------------
  // Flush and close

  /**
   * Dispatches every open batch now (as concurrency allows) and returns a promise that fulfils once every
   * item added before this call is done — successfully or not; items added later do not delay it.
   */
  public Promise<@Nullable Void> flush() {
    if (EventLoop.tryCurrent() != loop) {
      return foreign(this::flush);
    }
    int outstanding = pending + foldedDuplicates + waiters.size();
    if (outstanding == 0) {
      return Promise.resolve();
    }
    Flush f = new Flush(seq, outstanding);
    flushes.add(f);
    for (Batch<I, O> b : openBatches()) {
      seal(b);
    }
    pump();
    return f.out.promise();
  }

  /**
   * Flushes, and rejects every later {@code add} with a {@link RejectedExecutionException}. Returns the
   * flush's promise; calling it again returns the same promise.
   */
  public Promise<@Nullable Void> close() {
    if (EventLoop.tryCurrent() != loop) {
      return foreign(this::close);
    }
    Promise<@Nullable Void> c = closing;
    if (c == null) {
      c = flush();
      closing = c;
    }
    return c;
  }

  /** Seals the open batches that hold items before a flush barrier (after waiters were admitted). */
  private void sealFlushed() {
    long barrier = flushes.get(flushes.size() - 1).barrier;
    for (Batch<I, O> b : openBatches()) {
      if (b.lastSeq <= barrier) {
        seal(b);
      }
    }
  }

  /** {@code n} items with sequence number up to {@code s} are done: counts them off the barriers after them. */
  private void countDone(long s, int n) {
    for (int i = 0; i < flushes.size(); i++) {
      Flush f = flushes.get(i);
      if (s <= f.barrier && (f.remaining -= n) <= 0) {
        flushes.remove(i--);
        f.out.resolve(null);
      }
    }
  }

  private List<Batch<I, O>> openBatches() {
    if (keyFn == null) {
      Batch<I, O> b = open;
      return b == null ? List.of() : List.of(b);
    }
    return new ArrayList<>(openByKey.values());
  }

  // ------------------------------------------------------------------------------------------------
  // Threads and monitoring

  private <X> Promise<X> foreign(Supplier<Promise<X>> op) {
    if (EventLoop.tryCurrent() == null) {
      throw new IllegalStateException("batch processor '" + name + "' called from thread "
          + Thread.currentThread().getName() + ", which runs no event loop");
    }
    Resolvers<X> r = Promise.withResolvers();
    try {
      loop.execute(() -> {
        Promise<X> p;
        try {
          p = op.get();
        } catch (RuntimeException e) {
          r.reject(e);
          return;
        }
        p.then(v -> forward(r, v, null), e -> forward(r, null, e));
      });
    } catch (RejectedExecutionException e) {
      r.reject(e);
    }
    return r.promise();
  }

  private static <X> @Nullable Void forward(Resolvers<X> r, @Nullable X value, @Nullable Throwable error) {
    if (error != null) {
      r.reject(error);
    } else {
      r.resolve(value);
    }
    return null;
  }

  private void checkLoop(String what) {
    if (EventLoop.tryCurrent() != loop) {
      throw new IllegalStateException(what + " of batch processor '" + name + "' called off its loop " + loop.name());
    }
  }

  /** The current counts; on the processor's loop only. */
  public Stats stats() {
    checkLoop("stats");
    return new Stats(pending, waiters.size(), queue.size(), inFlight, batchesDispatched, itemsCompleted);
  }

  @Override
  public String toString() {
    return "BatchProcessor[" + name + ", " + pending + " pending]";
  }

  // ------------------------------------------------------------------------------------------------

  /**
   * Configures a {@link BatchProcessor}. Setters throw {@link IllegalArgumentException} for values out of
   * range. Not thread-safe.
   *
   * @param <I> the item type
   * @param <O> the result type of one item
   */
  public static final class Builder<I, O> {
    private final Function<? super List<I>, ? extends @Nullable Promise<? extends @Nullable List<?>>> batchFn;
    private final boolean settled;
    private @Nullable String name;
    private @Nullable EventLoop loop;
    private int batchSize = 10;
    private long timeoutMillis;
    private long maxWeight = Long.MAX_VALUE;
    private @Nullable ToLongFunction<? super I> weigher;
    private int maxConcurrent = Integer.MAX_VALUE;
    private int maxPending = Integer.MAX_VALUE;
    private @Nullable Function<? super I, ?> keyFn;
    private @Nullable Function<? super I, ?> dedupFn;

    private Builder(Function<? super List<I>, ? extends @Nullable Promise<? extends @Nullable List<?>>> batchFn,
        boolean settled) {
      this.batchFn = batchFn;
      this.settled = settled;
    }

    /** The name used in errors; default {@code batch-processor}. */
    public Builder<I, O> name(String name) {
      this.name = requireNonNull(name, "name");
      return this;
    }

    /** The loop the processor belongs to; default the loop current at {@link #build()}. */
    public Builder<I, O> loop(EventLoop loop) {
      this.loop = requireNonNull(loop, "loop");
      return this;
    }

    /** The most items per batch; default 10. */
    public Builder<I, O> batchSize(int n) {
      this.batchSize = atLeast(1, n, "batchSize");
      return this;
    }

    /**
     * A batch is due this long after its first item (instead of at the end of the tick). Unkeyed, the clock
     * is read by a microtask queued with that item, so a batch is never due earlier than {@code d} after
     * it, and code that fills batches synchronously pays no clock read for those it seals.
     */
    public Builder<I, O> batchTimeout(Duration d) {
      this.timeoutMillis = CircuitBreaker.Builder.positiveMillis(d, "batchTimeout");
      return this;
    }

    /**
     * The default: a batch is due once the microtasks of the tick that added its first item have run, as
     * DataLoader does — batching what one tick adds, without added latency. Undoes {@link #batchTimeout}.
     */
    public Builder<I, O> dispatchOnTick() {
      this.timeoutMillis = 0;
      return this;
    }

    /**
     * A batch holds items weighing at most {@code max} in total (e.g. bytes), by {@code weigher}; an item
     * heavier than {@code max} travels in a batch of its own.
     */
    public Builder<I, O> maxWeight(long max, ToLongFunction<? super I> weigher) {
      if (max < 1) {
        throw new IllegalArgumentException("maxWeight must be at least 1, was " + max);
      }
      this.maxWeight = max;
      this.weigher = requireNonNull(weigher, "weigher");
      return this;
    }

    /** The most batches in flight at once; default unbounded. */
    public Builder<I, O> maxConcurrentBatches(int n) {
      this.maxConcurrent = atLeast(1, n, "maxConcurrentBatches");
      return this;
    }

    /** The most items in the processor at once; {@code add} beyond it waits. Default unbounded. */
    public Builder<I, O> maxPending(int n) {
      this.maxPending = atLeast(1, n, "maxPending");
      return this;
    }

    /** Items with different keys go to separate batches (each with its own triggers). */
    public Builder<I, O> keyedBy(Function<? super I, ?> keyFn) {
      this.keyFn = requireNonNull(keyFn, "keyFn");
      return this;
    }

    /** Equal items within one batch are sent once and share one promise. */
    public Builder<I, O> deduplicate() {
      return deduplicateBy(Function.identity());
    }

    /** Items with equal dedup keys within one batch are sent once (the first) and share one promise. */
    public Builder<I, O> deduplicateBy(Function<? super I, ?> dedupFn) {
      this.dedupFn = requireNonNull(dedupFn, "dedupFn");
      return this;
    }

    /**
     * A new processor on the given loop, or the current one.
     *
     * @throws IllegalStateException if no loop was given and none is current
     */
    public BatchProcessor<I, O> build() {
      EventLoop l = loop != null ? loop : EventLoop.tryCurrent();
      if (l == null) {
        throw new IllegalStateException("BatchProcessor.Builder.build() outside an event loop: "
            + "call it inside loop.run(...) or give the loop with .loop(loop)");
      }
      return new BatchProcessor<>(this, l);
    }

    private static int atLeast(int min, int n, String what) {
      if (n < min) {
        throw new IllegalArgumentException(what + " must be at least " + min + ", was " + n);
      }
      return n;
    }
  }
}
