package org.eventloop4j.resilience;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.RandomAccess;
import org.eventloop4j.Promise;
import org.eventloop4j.Resolvers;
import org.eventloop4j.Timer;
import org.jspecify.annotations.Nullable;

/**
 * One batch of a {@link BatchProcessor}: its items, the resolvers of their promises, and its trigger
 * state. Confined to the processor's loop.
 */
final class Batch<I, O> {
  /*
   * Overview: a batch is OPEN (accepting items) until it is sealed — by size, weight, a flush, or when
   * dispatched. Separately it is `queued` once it is due (its timeout or tick came, or it was sealed) and
   * waits for a free concurrency slot; a due batch that is still open keeps accepting items until the
   * slot frees, so a busy consumer gets fuller batches (Kafka's linger behaviour). `lastSeq` is the
   * highest add sequence number in it, which flush barriers compare against. Tests: BatchProcessorTest.
   */
  final @Nullable Object key;
  private Object[] items;
  private Resolvers<?>[] sinks;
  private @Nullable HashMap<Object, Integer> dedup;
  private @Nullable ArrayList<Duplicate> duplicates;
  int size;
  long weight;
  long lastSeq;
  @Nullable Timer timer;
  boolean queued;
  boolean sealed;

  Batch(@Nullable Object key, int capacity, boolean deduplicating) {
    this.key = key;
    int c = Math.max(1, Math.min(capacity, 16));
    this.items = new Object[c];
    this.sinks = new Resolvers<?>[c];
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
    return (Promise<O>) sinks[slot].promise();
  }

  /**
   * Another sink for the result of {@code slot} (a waiting add that turned out to be a duplicate): settled
   * together with the slot's own, so it is done exactly when the slot is.
   */
  void addDuplicate(int slot, Resolvers<O> sink) {
    if (duplicates == null) {
      duplicates = new ArrayList<>();
    }
    duplicates.add(new Duplicate(slot, sink));
  }

  void append(I item, @Nullable Object dedupKey, Resolvers<O> sink, long w, long seq) {
    if (size == items.length) {
      int c = size * 2;
      items = Arrays.copyOf(items, c);
      sinks = Arrays.copyOf(sinks, c);
    }
    if (dedupKey != null && dedup != null) {
      dedup.put(dedupKey, size);
    }
    items[size] = item;
    sinks[size] = sink;
    size++;
    weight += w;
    lastSeq = seq;
  }

  /** The items, as the unmodifiable list the batch function receives. */
  List<I> itemsView() {
    return new ItemsView<>(items, size);
  }

  private record Duplicate(int slot, Resolvers<?> sink) {}

  /** Waiting adds folded into this batch's slots as duplicates. */
  int duplicateCount() {
    return duplicates == null ? 0 : duplicates.size();
  }

  void rejectAll(Throwable error) {
    for (int i = 0; i < size; i++) {
      sinks[i].reject(error);
    }
    if (duplicates != null) {
      for (Duplicate d : duplicates) {
        d.sink().reject(error);
      }
    }
  }

  void resolveAll(List<?> results, boolean settled) {
    for (int i = 0; i < size; i++) {
      settle(sinks[i], results.get(i), settled, i);
    }
    if (duplicates != null) {
      for (Duplicate d : duplicates) {
        settle(d.sink(), results.get(d.slot()), settled, d.slot());
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static void settle(Resolvers<?> s, @Nullable Object r, boolean settled, int i) {
    Resolvers<Object> sink = (Resolvers<Object>) s;
    if (!settled) {
      sink.resolve(r);
    } else if (r instanceof Promise.Settled.Fulfilled<?> f) {
      sink.resolve(f.value());
    } else if (r instanceof Promise.Settled.Rejected<?> rej) {
      sink.reject(rej.reason());
    } else {
      sink.reject(new NullPointerException("the batch function's result for item " + i + " is null"));
    }
  }

  /** An unmodifiable view of the first {@code size} items. */
  private static final class ItemsView<I> extends AbstractList<I> implements RandomAccess {
    private final Object[] items;
    private final int size;

    ItemsView(Object[] items, int size) {
      this.items = items;
      this.size = size;
    }

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
}
