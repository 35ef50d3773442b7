package org.eventloop4j.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.eventloop4j.AbortController;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Resolvers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded random runs of a processor with random settings (size, timeout or tick, weight, concurrency,
 * backpressure, keys, dedup) and random operations (adds with and without signals, aborts, tryAdd,
 * flushes, clock jumps, batch completions that succeed, fail or fail single items, close). Checks the
 * invariants after every step and at the end: batches respect size, weight, key and dedup; never more
 * batches in flight or items pending than allowed; keys' items leave in add order; a flush settles only
 * after every item added before it and always settles; every item settles exactly once with its own
 * result. A failure names its seed: rerun one with {@code -Dbatch.seed=N}.
 */
@Timeout(60)
class BatchProcessorPropertyTest {
  private static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);

  @Test
  void randomOperations_invariantsHold() {
    Long only = Long.getLong("batch.seed");
    for (int i = 0; i < (only != null ? 1 : 300 * STRESS); i++) {
      long seed = only != null ? only : 0xBA7CL + i;
      try {
        new Run(seed).go();
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("seed " + seed + " (rerun with -Dbatch.seed=" + seed + "): " + e.getMessage(), e);
      }
    }
  }

  /** One item as the test knows it. */
  static final class Item {
    final int value;
    final int index;
    int settled;
    String result = "";

    Item(int value, int index) {
      this.value = value;
      this.index = index;
    }
  }

  static final class Run {
    final Random r;
    final List<Throwable> uncaught = new ArrayList<>();
    final EventLoop loop;
    final int batchSize;
    final long timeout;
    final long maxWeight;
    final int maxConcurrent;
    final int maxPending;
    final boolean keyed;
    final boolean dedup;
    final List<Item> items = new ArrayList<>();
    final List<Resolvers<List<Object>>> inFlight = new ArrayList<>();
    final List<List<Integer>> inFlightBatches = new ArrayList<>();
    final List<int[]> flushes = new ArrayList<>();
    final List<List<Integer>> sent = new ArrayList<>();
    BatchProcessor<Integer, String> processor;
    boolean closed;

    Run(long seed) {
      r = new Random(seed);
      loop = EventLoop.builder().virtualTime().onUncaughtException(uncaught::add)
          .onUnhandledRejection((e, p) -> uncaught.add(e)).build();
      batchSize = 1 + r.nextInt(5);
      timeout = r.nextBoolean() ? 0 : 1 + r.nextInt(50);
      maxWeight = r.nextBoolean() ? Long.MAX_VALUE : 3 + r.nextInt(10);
      maxConcurrent = r.nextBoolean() ? Integer.MAX_VALUE : 1 + r.nextInt(3);
      maxPending = r.nextBoolean() ? Integer.MAX_VALUE : 1 + r.nextInt(8);
      keyed = r.nextInt(3) == 0;
      dedup = r.nextInt(3) == 0;
    }

    void on(Runnable task) {
      loop.execute(task);
      loop.runUntilIdle();
    }

    final boolean trace = Boolean.getBoolean("batch.trace");

    void trace(String what) {
      if (trace) {
        System.out.println(loop.now() + " " + what);
      }
    }

    void go() {
      trace("config size=" + batchSize + " timeout=" + timeout + " maxWeight=" + maxWeight + " maxConcurrent="
          + maxConcurrent + " maxPending=" + maxPending + " keyed=" + keyed + " dedup=" + dedup);
      on(this::build);
      for (int op = 0; op < 120; op++) {
        int dice = r.nextInt(100);
        if (dice < 40) {
          on(() -> add(null));
        } else if (dice < 45) {
          addWithSignal();
        } else if (dice < 50) {
          on(this::tryAdd);
        } else if (dice < 57) {
          on(this::flush);
        } else if (dice < 75) {
          loop.advance(r.nextInt(30));
        } else if (dice < 97) {
          completeOne();
        } else {
          on(this::close);
        }
        check();
      }
      on(this::close);
      for (int guard = 0; guard < 10_000 && (!inFlight.isEmpty() || !allSettled()); guard++) {
        if (inFlight.isEmpty()) {
          loop.advance(100);
        } else {
          completeOne();
        }
      }
      loop.advance(1000);
      for (Item it : items) {
        assertEquals(1, it.settled, "item #" + it.index + " (" + it.value + ") settled once");
      }
      for (int[] f : flushes) {
        assertEquals(1, f[1], "flush after item #" + f[0] + " settled");
      }
      assertEquals(List.of(), uncaught);
    }

    boolean allSettled() {
      return items.stream().allMatch(i -> i.settled > 0) && flushes.stream().allMatch(f -> f[1] > 0);
    }

    void build() {
      BatchProcessor.Builder<Integer, String> b = BatchProcessor.<Integer, String>builderSettled(this::batch)
          .batchSize(batchSize).maxConcurrentBatches(maxConcurrent).maxPending(maxPending);
      if (timeout > 0) {
        b.batchTimeout(Duration.ofMillis(timeout));
      }
      if (maxWeight != Long.MAX_VALUE) {
        b.maxWeight(maxWeight, v -> v % 5);
      }
      if (keyed) {
        b.keyedBy(v -> v % 3);
      }
      if (dedup) {
        b.deduplicateBy(v -> v % 7);
      }
      processor = b.build();
    }

    Promise<List<Promise.Settled<String>>> batch(List<Integer> values) {
      List<Integer> copy = List.copyOf(values);
      trace("batch " + copy);
      checkBatch(copy);
      sent.add(copy);
      Resolvers<List<Object>> done = Promise.withResolvers();
      inFlight.add(done);
      inFlightBatches.add(copy);
      assertTrue(inFlight.size() <= maxConcurrent, "in flight " + inFlight.size() + " > " + maxConcurrent);
      return done.promise().then(outcome -> copy.stream()
          .<Promise.Settled<String>>map(v -> outcome.isEmpty() || v % 4 != 0
              ? new Promise.Settled.Fulfilled<>("r" + v)
              : new Promise.Settled.Rejected<>(new IllegalArgumentException("item " + v)))
          .toList());
    }

    void checkBatch(List<Integer> b) {
      assertTrue(!b.isEmpty() && b.size() <= batchSize, "batch size " + b);
      long w = b.stream().mapToLong(v -> v % 5).sum();
      assertTrue(b.size() == 1 || w <= maxWeight, "batch weight " + b);
      if (keyed) {
        assertEquals(1, b.stream().map(v -> v % 3).distinct().count(), "one key per batch " + b);
      }
      if (dedup) {
        assertEquals(b.size(), b.stream().map(v -> v % 7).distinct().count(), "no duplicates " + b);
      }
    }

    Item newItem() {
      Item it = new Item(r.nextInt(40), items.size());
      trace("add #" + it.index + " = " + it.value);
      items.add(it);
      return it;
    }

    void track(Item it, Promise<String> p) {
      p.then(v -> {
        it.settled++;
        it.result = v;
        trace("#" + it.index + " = " + v);
        return null;
      }, e -> {
        trace("#" + it.index + " ! " + e);
        it.settled++;
        it.result = e.getClass().getSimpleName();
        return null;
      });
    }

    void add(AbortController controller) {
      Item it = newItem();
      track(it, controller == null ? processor.add(it.value) : processor.add(it.value, controller.signal()));
    }

    void addWithSignal() {
      AbortController c = new AbortController();
      on(() -> add(c));
      if (r.nextBoolean()) {
        on(c::abort);
      }
    }

    void tryAdd() {
      int value = r.nextInt(40);
      Promise<String> p = processor.tryAdd(value);
      if (p != null) {
        Item it = new Item(value, items.size());
        items.add(it);
        track(it, p);
      }
    }

    void flush() {
      int[] f = {items.size() - 1, 0};
      trace("flush after #" + f[0]);
      flushes.add(f);
      processor.flush().then(v -> {
        trace("flush after #" + f[0] + " settled");
        f[1]++;
        for (int i = 0; i <= f[0]; i++) {
          assertTrue(items.get(i).settled > 0, "flush settled before item #" + i);
        }
        return null;
      });
    }

    void close() {
      if (!closed) {
        closed = true;
        flush();
        processor.close();
      }
    }

    void completeOne() {
      if (inFlight.isEmpty()) {
        return;
      }
      int i = r.nextInt(inFlight.size());
      Resolvers<List<Object>> done = inFlight.remove(i);
      inFlightBatches.remove(i);
      int kind = r.nextInt(4);
      trace("complete batch " + i + " kind " + kind);
      on(() -> {
        if (kind == 0) {
          done.reject(new IllegalStateException("batch failed"));
        } else {
          done.resolve(kind == 1 ? List.of("partial") : List.of());
        }
      });
    }

    void check() {
      AtomicReference<BatchProcessor.Stats> s = new AtomicReference<>();
      on(() -> s.set(processor.stats()));
      assertTrue(s.get().pendingItems() <= maxPending, "pending " + s.get());
      assertTrue(s.get().inFlightBatches() <= maxConcurrent, "in flight " + s.get());
      assertEquals(inFlight.size(), s.get().inFlightBatches());
      Set<Integer> seen = new HashSet<>();
      for (Item it : items) {
        if (it.settled > 0 && it.result.startsWith("r")) {
          assertEquals("r" + (dedup ? sharedValue(it) : it.value), it.result, "item #" + it.index);
        }
        seen.add(it.index);
      }
      checkKeyOrder();
    }

    /** With dedup an item may get the result of an earlier equal-key item of its batch. */
    int sharedValue(Item it) {
      for (List<Integer> b : sent) {
        for (int v : b) {
          if (v % 7 == it.value % 7 && ("r" + v).equals(it.result)) {
            return v;
          }
        }
      }
      return it.value;
    }

    /** Items of one key leave in the order they were added (dedup aside). */
    void checkKeyOrder() {
      if (dedup) {
        return;
      }
      List<Integer> order = new ArrayList<>();
      sent.forEach(order::addAll);
      for (int key = 0; key < (keyed ? 3 : 1); key++) {
        int k = key;
        List<Integer> out = order.stream().filter(v -> !keyed || v % 3 == k).toList();
        List<Integer> in = items.stream().map(i -> i.value).filter(v -> !keyed || v % 3 == k).toList();
        int j = 0;
        for (int v : out) {
          while (j < in.size() && in.get(j) != v) {
            j++;
          }
          assertTrue(j < in.size(), "key " + k + ": sent " + out + " is not a subsequence of added " + in);
          j++;
        }
      }
    }
  }
}
