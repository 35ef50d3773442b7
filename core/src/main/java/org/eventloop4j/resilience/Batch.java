package org.eventloop4j.resilience;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.RandomAccess;
import org.eventloop4j.Promise;
import org.eventloop4j.Timer;
import org.eventloop4j.internal.Bridge;
import org.jspecify.annotations.Nullable;

/**
 * One batch of a {@link BatchProcessor}: its items — the batch is itself the unmodifiable list the batch
 * function receives — the pending promises of their results, and its trigger state. Confined to the
 * processor's loop.
 */
final class Batch<I, O> extends AbstractList<I> implements RandomAccess, Bridge.Callback {
  /*
   * Overview: a batch is OPEN (accepting items) until it is sealed — by size, weight, a flush, or when
   * dispatched. Separately it is `queued` once it is due (its timeout or tick came, or it was sealed) and
   * waits for a free concurrency slot; a due batch that is still open keeps accepting items until the
   * slot frees, so a busy consumer gets fuller batches (Kafka's linger behaviour). `lastSeq` is the
   * highest add sequence number in it, which flush barriers compare against.
   *
   * Cost: per item one array slot for the item and one for its promise, which is a bare pending promise of
   * the processor's loop settled through Bridge.Promises (no Resolvers object, no current-loop lookup);
   * the list the batch function sees is this object (no copy, no view), and it is also the one reaction
   * to the batch function's promise (Bridge.Promises.react: no derived promise, no handler lambdas). The list may grow while the batch
   * is open, but the batch function only ever sees a sealed batch, which never changes again.
   * Tests: BatchProcessorTest.
   */
  private static final Bridge.Promises PROMISES = Bridge.promises();
  private static final Promise<?>[] SETTLED = {};

  private final BatchProcessor<I, O> owner;
  final @Nullable Object key;
  private Object[] items;
  private Promise<?>[] promises;
  private @Nullable HashMap<Object, Integer> dedup;
  private @Nullable ArrayList<Duplicate> duplicates;
  int size;
  long weight;
  long lastSeq;
  @Nullable Timer timer;
  boolean queued;
  boolean sealed;

  Batch(BatchProcessor<I, O> owner, @Nullable Object key, int capacity, boolean deduplicating) {
    this.owner = owner;
    this.key = key;
    int c = Math.max(1, Math.min(capacity, 16));
    this.items = new Object[c];
    this.promises = new Promise<?>[c];
    this.dedup = deduplicating ? new HashMap<>() : null;
  }

  /** The slot of the item with dedup key {@code k}, or -1 if this batch has none. */
  int find(Object k) {
    HashMap<Object, Integer> d = dedup;
    Integer i = d != null ? d.get(k) : null;
    return i != null ? i : -1;
  }

  @SuppressWarnings("unchecked")
  Promise<O> promiseAt(int slot) {
    return (Promise<O>) promises[slot];
  }

  /**
   * Another promise for the result of {@code slot} (a waiting add that turned out to be a duplicate):
   * settled together with the slot's own, so it is done exactly when the slot is.
   */
  void addDuplicate(int slot, Promise<O> promise) {
    if (duplicates == null) {
      duplicates = new ArrayList<>();
    }
    duplicates.add(new Duplicate(slot, promise));
  }

  /** Appends {@code item} with {@code promise}, a pending promise of the processor's loop, for its result. */
  void append(I item, @Nullable Object dedupKey, Promise<O> promise, long w, long seq) {
    if (size == items.length) {
      int c = size * 2;
      items = Arrays.copyOf(items, c);
      promises = Arrays.copyOf(promises, c);
    }
    if (dedupKey != null && dedup != null) {
      dedup.put(dedupKey, size);
    }
    items[size] = item;
    promises[size] = promise;
    size++;
    weight += w;
    lastSeq = seq;
  }

  private record Duplicate(int slot, Promise<?> promise) {}

  /** Waiting adds folded into this batch's slots as duplicates. */
  int duplicateCount() {
    return duplicates == null ? 0 : duplicates.size();
  }

  void rejectAll(Throwable error) {
    for (int i = 0; i < size; i++) {
      PROMISES.reject(promises[i], error);
    }
    if (duplicates != null) {
      for (Duplicate d : duplicates) {
        PROMISES.reject(d.promise(), error);
      }
    }
    promises = SETTLED;
  }

  void resolveAll(List<?> results, boolean settled) {
    Promise<?>[] ps = promises;
    for (int i = 0; i < size; i++) {
      settle(ps[i], results.get(i), settled, i);
    }
    if (duplicates != null) {
      for (Duplicate d : duplicates) {
        settle(d.promise(), results.get(d.slot()), settled, d.slot());
      }
    }
    promises = SETTLED; // a batch function that keeps its list does not keep the items' promises
  }

  private static void settle(Promise<?> p, @Nullable Object r, boolean settled, int i) {
    if (!settled) {
      PROMISES.resolve(p, r);
    } else if (r instanceof Promise.Settled.Fulfilled<?> f) {
      PROMISES.resolve(p, f.value());
    } else if (r instanceof Promise.Settled.Rejected<?> rej) {
      PROMISES.reject(p, rej.reason());
    } else {
      PROMISES.reject(p, new NullPointerException("the batch function's result for item " + i + " is null"));
    }
  }

  // The reaction to the batch function's promise.

  @Override
  public void onFulfilled(@Nullable Object results) {
    owner.finish(this, results, null);
  }

  @Override
  public void onRejected(Throwable reason) {
    owner.finish(this, null, reason);
  }

  // The unmodifiable list of the items, as the batch function receives it.

  @Override
  @SuppressWarnings("unchecked")
  public I get(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("index " + index + " out of a batch of " + size);
    }
    return (I) items[index];
  }

  @Override
  public int size() {
    return size;
  }
}
