package org.eventloop4j.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.eventloop4j.AbortController;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Resolvers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class BatchProcessorTest {
  private final List<Throwable> uncaught = new ArrayList<>();
  private final List<Throwable> unhandled = new ArrayList<>();
  private final EventLoop loop = EventLoop.builder().virtualTime().onUncaughtException(uncaught::add)
      .onUnhandledRejection((e, p) -> unhandled.add(e)).build();
  private final List<String> log = new ArrayList<>();
  private final List<List<Integer>> batches = new ArrayList<>();
  private final List<Resolvers<List<String>>> held = new ArrayList<>();

  /** Runs {@code task} on the loop and everything it makes due now. */
  private void on(Runnable task) {
    loop.execute(task);
    loop.runUntilIdle();
  }

  /** A batch function that records each batch with its time and answers "r<item>" at once. */
  private Promise<List<String>> echo(List<Integer> batch) {
    batches.add(List.copyOf(batch));
    log.add("batch " + batch + " @" + loop.now());
    return Promise.resolve(batch.stream().map(i -> "r" + i).toList());
  }

  /** A batch function whose batches complete only when the test resolves them ({@link #complete}). */
  private Promise<List<String>> hold(List<Integer> batch) {
    batches.add(List.copyOf(batch));
    log.add("batch " + batch + " @" + loop.now());
    Resolvers<List<String>> r = Promise.withResolvers();
    held.add(r);
    return r.promise().then(x -> batch.stream().map(i -> "r" + i).toList());
  }

  private void complete(int index) {
    on(() -> held.get(index).resolve(List.of()));
  }

  private void add(BatchProcessor<Integer, String> b, int item) {
    record("item " + item, b.add(item));
  }

  private <T> void record(String name, Promise<T> p) {
    p.then(v -> log.add(name + " = " + v + " @" + loop.now()),
        e -> log.add(name + " ! " + e.getClass().getSimpleName() + " @" + loop.now()));
  }

  private BatchProcessor<Integer, String> build(Function<BatchProcessor.Builder<Integer, String>, BatchProcessor.Builder<Integer, String>> config) {
    AtomicReference<BatchProcessor<Integer, String>> b = new AtomicReference<>();
    on(() -> b.set(config.apply(BatchProcessor.<Integer, String>builder(this::echo)).build()));
    return b.get();
  }

  private BatchProcessor<Integer, String> holding(Function<BatchProcessor.Builder<Integer, String>, BatchProcessor.Builder<Integer, String>> config) {
    AtomicReference<BatchProcessor<Integer, String>> b = new AtomicReference<>();
    on(() -> b.set(config.apply(BatchProcessor.<Integer, String>builder(this::hold)).build()));
    return b.get();
  }

  // ---- triggers ----

  @Test
  void batchSize_reached_dispatchesSynchronouslyInsideAdd() {
    BatchProcessor<Integer, String> b = build(x -> x.batchSize(3).batchTimeout(Duration.ofSeconds(1)));
    on(() -> {
      add(b, 1);
      add(b, 2);
      log.add("before third");
      add(b, 3);
      log.add("after third");
    });
    assertEquals(List.of("before third", "batch [1, 2, 3] @0", "after third", "item 1 = r1 @0", "item 2 = r2 @0",
        "item 3 = r3 @0"), log);
  }

  @Test
  void batchTimeout_sinceFirstItem_dispatchesPartialBatch() {
    BatchProcessor<Integer, String> b = build(x -> x.batchSize(10).batchTimeout(Duration.ofMillis(50)));
    on(() -> add(b, 1));
    loop.advance(30);
    on(() -> add(b, 2));
    loop.advance(19);
    assertEquals(List.of(), batches);
    loop.advance(1);
    assertEquals(List.of(List.of(1, 2)), batches);
    assertEquals("batch [1, 2] @50", log.get(0));
  }

  @Test
  void batchTimeout_fullBatchBeforeTimeout_timerCleared() {
    BatchProcessor<Integer, String> b = build(x -> x.batchSize(2).batchTimeout(Duration.ofMillis(50)));
    loop.run(() -> {
      add(b, 1);
      add(b, 2);
    });
    assertEquals(0, loop.now(), "no timer was left to keep the loop alive");
  }

  @Test
  void batchTimeout_oneRunFillsSeveralBatches_onlyTheOneLeftOpenWaitsForItsTimeout() {
    BatchProcessor<Integer, String> b = build(x -> x.batchSize(10).batchTimeout(Duration.ofMillis(50)));
    on(() -> {
      for (int i = 0; i < 25; i++) {
        b.add(i);
      }
    });
    assertEquals(2, batches.size(), "two batches sealed by size inside the run");
    loop.advance(49);
    assertEquals(2, batches.size());
    loop.advance(1);
    assertEquals(List.of(20, 21, 22, 23, 24), batches.get(2));
    assertEquals("batch [20, 21, 22, 23, 24] @50", log.get(2));
  }

  @Test
  void batchTimeout_firstItemFromAMicrotask_countsFromThatRun() {
    BatchProcessor<Integer, String> b = build(x -> x.batchSize(10).batchTimeout(Duration.ofMillis(50)));
    loop.advance(7);
    on(() -> Promise.resolve().thenRun(() -> add(b, 1)));
    loop.advance(49);
    assertEquals(List.of(), batches);
    loop.advance(1);
    assertEquals("batch [1] @57", log.get(0));
  }

  @Test
  void batchTimeout_batchSealedInTheRunThatOpenedIt_neverArmsTheTimer() {
    BatchProcessor<Integer, String> b = build(x -> x.batchSize(2).batchTimeout(Duration.ofMillis(50)));
    on(() -> {
      add(b, 1);
      add(b, 2);
    });
    on(() -> add(b, 3));
    loop.advance(50);
    assertEquals(List.of(List.of(1, 2), List.of(3)), batches);
    assertEquals("batch [3] @50", log.get(3));
  }

  @Test
  void tickMode_itemsOfOneTickIncludingPromiseJobs_goInOneBatchAfterTheMicrotasks() {
    BatchProcessor<Integer, String> b = build(x -> x.batchSize(100));
    on(() -> {
      add(b, 1);
      Promise.resolve().then(v -> {
        add(b, 2);
        return null;
      }).then(v -> {
        add(b, 3);
        return null;
      });
      loop.queueMicrotask(() -> log.add("microtask"));
      loop.setImmediate(() -> add(b, 4));
    });
    assertEquals(List.of(List.of(1, 2, 3), List.of(4)), batches);
    assertEquals("microtask", log.get(0));
  }

  @Test
  void tickMode_isTheDefault_andDispatchOnTickUndoesTimeout() {
    BatchProcessor<Integer, String> b = build(x -> x.batchTimeout(Duration.ofSeconds(5)).dispatchOnTick());
    on(() -> add(b, 1));
    assertEquals(List.of(List.of(1)), batches);
    assertEquals(0, loop.now());
  }

  @Test
  void maxWeight_splitsBeforeOverflow_heavyItemTravelsAlone() {
    BatchProcessor<Integer, String> b = build(x -> x.batchSize(100).maxWeight(10, i -> i));
    on(() -> {
      for (int i : new int[] {3, 4, 2, 5, 12, 1, 10}) {
        add(b, i);
      }
    });
    assertEquals(List.of(List.of(3, 4, 2), List.of(5), List.of(12), List.of(1), List.of(10)), batches);
  }

  // ---- results ----

  @Test
  void add_eachItemGetsItsOwnResult() {
    BatchProcessor<Integer, String> b = build(x -> x.batchSize(2));
    on(() -> {
      add(b, 7);
      add(b, 8);
    });
    assertEquals(List.of("batch [7, 8] @0", "item 7 = r7 @0", "item 8 = r8 @0"), log);
  }

  @Test
  void builderSettled_failsSingleItems() {
    AtomicReference<BatchProcessor<Integer, String>> ref = new AtomicReference<>();
    on(() -> ref.set(BatchProcessor.<Integer, String>builderSettled(batch -> Promise.resolve(batch.stream()
        .<Promise.Settled<String>>map(i -> i % 2 == 0 ? new Promise.Settled.Fulfilled<>("even " + i)
            : new Promise.Settled.Rejected<>(new IllegalArgumentException("odd " + i)))
        .toList())).batchSize(3).build()));
    on(() -> {
      for (int i = 1; i <= 3; i++) {
        add(ref.get(), i);
      }
    });
    assertEquals(List.of("item 1 ! IllegalArgumentException @0", "item 2 = even 2 @0",
        "item 3 ! IllegalArgumentException @0"), log);
  }

  @Test
  void batchFunctionRejects_everyItemRejectsWithThatCause() {
    IllegalStateException cause = new IllegalStateException("db down");
    List<Throwable> reasons = new ArrayList<>();
    AtomicReference<BatchProcessor<Integer, String>> ref = new AtomicReference<>();
    on(() -> ref.set(BatchProcessor.<Integer, String>builder(batch -> Promise.reject(cause)).batchSize(2).build()));
    on(() -> {
      for (int i = 0; i < 2; i++) {
        ref.get().add(i).catchError(e -> {
          reasons.add(e);
          return null;
        });
      }
    });
    assertEquals(List.of(cause, cause), reasons);
  }

  @Test
  void batchFunctionThrows_everyItemRejectsWithTheError_processorGoesOn() {
    IllegalStateException bug = new IllegalStateException("sync");
    int[] calls = {0};
    AtomicReference<BatchProcessor<Integer, String>> ref = new AtomicReference<>();
    on(() -> ref.set(BatchProcessor.<Integer, String>builder(batch -> {
      if (calls[0]++ == 0) {
        throw bug;
      }
      return Promise.resolve(List.of("ok"));
    }).batchSize(1).build()));
    on(() -> {
      add(ref.get(), 1);
      add(ref.get(), 2);
    });
    assertEquals(List.of("item 1 ! IllegalStateException @0", "item 2 = ok @0"), log);
  }

  @Test
  void batchFunctionBadResults_nullPromise_nullList_wrongCount_rejectEveryItem() {
    List<Function<List<Integer>, Promise<List<String>>>> bad = List.of(
        batch -> null,
        batch -> Promise.resolve((List<String>) null),
        batch -> Promise.resolve(List.of("only one")),
        batch -> notAList());
    List<String> errors = new ArrayList<>();
    for (Function<List<Integer>, Promise<List<String>>> fn : bad) {
      on(() -> {
        BatchProcessor<Integer, String> b = BatchProcessor.<Integer, String>builder(fn::apply).batchSize(2).build();
        for (int i = 0; i < 2; i++) {
          b.add(i).catchError(e -> {
            errors.add(e.getClass().getSimpleName() + ": " + e.getMessage());
            return null;
          });
        }
      });
    }
    assertEquals(List.of(
        "NullPointerException: the batch function returned null instead of a promise",
        "NullPointerException: the batch function returned null instead of a promise",
        "NullPointerException: the batch function of 'batch-processor' fulfilled with null instead of a list",
        "NullPointerException: the batch function of 'batch-processor' fulfilled with null instead of a list",
        "IllegalStateException: the batch function of 'batch-processor' returned 1 results for 2 items",
        "IllegalStateException: the batch function of 'batch-processor' returned 1 results for 2 items",
        "IllegalStateException: the batch function of 'batch-processor' fulfilled with a java.lang.String instead of a list",
        "IllegalStateException: the batch function of 'batch-processor' fulfilled with a java.lang.String instead of a list"),
        errors);
  }

  /** A raw-typed caller's mistake the compiler cannot see: a promise of a string where a list is due. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Promise<List<String>> notAList() {
    return (Promise) Promise.resolve("not a list");
  }

  @Test
  void timerTriggeredBatchFails_unhandledItemRejectionIsReported() {
    IllegalStateException cause = new IllegalStateException("lost in the seed");
    AtomicReference<BatchProcessor<Integer, String>> ref = new AtomicReference<>();
    on(() -> ref.set(BatchProcessor.<Integer, String>builder(batch -> Promise.reject(cause))
        .batchTimeout(Duration.ofMillis(10)).build()));
    on(() -> ref.get().add(1));
    loop.advance(10);
    assertEquals(List.of(cause), unhandled);
  }

  @Test
  void batchFunction_receivesUnmodifiableList() {
    List<Throwable> errors = new ArrayList<>();
    on(() -> {
      BatchProcessor<Integer, Integer> b = BatchProcessor.<Integer, Integer>builder(batch -> {
        try {
          batch.add(9);
        } catch (UnsupportedOperationException e) {
          errors.add(e);
        }
        return Promise.resolve(batch);
      }).batchSize(1).build();
      b.add(1);
    });
    assertEquals(1, errors.size());
  }

  // ---- concurrency limit ----

  @Test
  void maxConcurrentBatches_secondWaits_dueBatchKeepsFillingWhileWaiting() {
    BatchProcessor<Integer, String> b = holding(x -> x.batchSize(3).maxConcurrentBatches(1));
    on(() -> add(b, 1));
    on(() -> add(b, 2));
    on(() -> add(b, 3));
    assertEquals(List.of(List.of(1)), batches);
    assertEquals(1, statsOf(b).queuedBatches());
    complete(0);
    assertEquals(List.of(List.of(1), List.of(2, 3)), batches, "the due batch took item 3 while it waited");
  }

  @Test
  void maxConcurrentBatches_fullBatchesQueueInOrder() {
    BatchProcessor<Integer, String> b = holding(x -> x.batchSize(2).maxConcurrentBatches(2));
    on(() -> {
      for (int i = 0; i < 8; i++) {
        add(b, i);
      }
    });
    assertEquals(2, batches.size());
    assertEquals(2, statsOf(b).inFlightBatches());
    assertEquals(2, statsOf(b).queuedBatches());
    complete(1);
    complete(0);
    assertEquals(List.of(List.of(0, 1), List.of(2, 3), List.of(4, 5), List.of(6, 7)), batches);
  }

  // ---- backpressure ----

  @Test
  void maxPending_addWaitsForRoom_inOrder() {
    BatchProcessor<Integer, String> b = holding(x -> x.batchSize(2).maxPending(2));
    on(() -> {
      for (int i = 0; i < 5; i++) {
        add(b, i);
      }
    });
    assertEquals(List.of(List.of(0, 1)), batches);
    assertEquals(3, statsOf(b).waitingAdds());
    complete(0);
    assertEquals(List.of(List.of(0, 1), List.of(2, 3)), batches);
    complete(1);
    assertEquals(List.of(List.of(0, 1), List.of(2, 3), List.of(4)), batches);
    complete(2);
    assertEquals(List.of("item 0", "item 1", "item 2", "item 3", "item 4"),
        log.stream().filter(l -> l.startsWith("item")).map(l -> l.substring(0, 6)).toList());
  }

  @Test
  void tryAdd_full_returnsNullAndAddsNothing() {
    BatchProcessor<Integer, String> b = holding(x -> x.batchSize(5).maxPending(1));
    AtomicReference<Promise<String>> second = new AtomicReference<>();
    on(() -> {
      assertNotNull(b.tryAdd(1));
      second.set(b.tryAdd(2));
    });
    assertNull(second.get());
    assertEquals(List.of(List.of(1)), batches);
    assertEquals(1, statsOf(b).pendingItems());
  }

  @Test
  void addWithSignal_abortedWhileWaiting_rejectsWithReasonAndIsDropped() {
    BatchProcessor<Integer, String> b = holding(x -> x.batchSize(1).maxPending(1));
    AbortController c = new AbortController();
    on(() -> {
      add(b, 1);
      record("item 2", b.add(2, c.signal()));
      add(b, 3);
    });
    on(() -> c.abort());
    complete(0);
    complete(1);
    assertEquals(List.of(List.of(1), List.of(3)), batches);
    assertTrue(log.contains("item 2 ! AbortError @0"), log.toString());
  }

  @Test
  void addWithSignal_alreadyAborted_rejectsAtOnce() {
    BatchProcessor<Integer, String> b = build(x -> x);
    on(() -> record("item", b.add(1, org.eventloop4j.AbortSignal.abort())));
    assertEquals(List.of("item ! AbortError @0"), log);
    assertEquals(List.of(), batches);
  }

  // ---- flush and close ----

  @Test
  void flush_settlesWhenEarlierItemsDone_notStarvedByLaterAdds() {
    BatchProcessor<Integer, String> b = build(x -> x.batchSize(100).batchTimeout(Duration.ofSeconds(1)));
    on(() -> {
      add(b, 1);
      add(b, 2);
      record("flush", b.flush());
      add(b, 3);
    });
    assertEquals(List.of(List.of(1, 2)), batches);
    assertTrue(log.contains("flush = null @0"));
    loop.advance(1000);
    assertEquals(List.of(List.of(1, 2), List.of(3)), batches);
  }

  @Test
  void flush_withBatchesInFlightAndWaiters_waitsForAllEarlierItemsOnly() {
    BatchProcessor<Integer, String> b = holding(x -> x.batchSize(2).maxPending(2).batchTimeout(Duration.ofSeconds(1)));
    on(() -> {
      for (int i = 0; i < 3; i++) {
        add(b, i);
      }
      record("flush", b.flush());
      add(b, 3);
    });
    complete(0);
    assertEquals(List.of(List.of(0, 1), List.of(2)), batches, "item 2 went out alone: the barrier split it from 3");
    assertTrue(log.stream().noneMatch(l -> l.startsWith("flush")));
    complete(1);
    assertTrue(log.contains("flush = null @0"), log.toString());
    assertEquals(List.of(List.of(0, 1), List.of(2)), batches, "item 3 came after the flush: its batch waits for its timeout");
    loop.advance(1000);
    assertEquals(List.of(List.of(0, 1), List.of(2), List.of(3)), batches);
  }

  @Test
  void flush_nothingPending_resolvesAtOnce() {
    BatchProcessor<Integer, String> b = build(x -> x);
    on(() -> record("flush", b.flush()));
    assertEquals(List.of("flush = null @0"), log);
  }

  @Test
  void flush_continuousStreamOfAdds_stillCompletes() {
    BatchProcessor<Integer, String> b = build(x -> x.batchSize(3).batchTimeout(Duration.ofMillis(10)));
    on(() -> {
      add(b, 0);
      record("flush", b.flush());
      loop.setInterval(() -> b.add(1), 1);
    });
    loop.advance(100);
    assertEquals("flush = null @0", log.get(2));
  }

  @Test
  void close_flushesAndRejectsLaterAdds_nothingLost() {
    BatchProcessor<Integer, String> b = holding(x -> x.batchSize(2).maxPending(2).batchTimeout(Duration.ofSeconds(1)));
    AtomicReference<Promise<?>> first = new AtomicReference<>();
    AtomicReference<Promise<?>> second = new AtomicReference<>();
    on(() -> {
      for (int i = 0; i < 3; i++) {
        add(b, i);
      }
      first.set(b.close());
      second.set(b.close());
      add(b, 99);
    });
    assertSame(first.get(), second.get());
    assertTrue(log.contains("item 99 ! RejectedExecutionException @0"));
    complete(0);
    complete(1);
    assertEquals(List.of(List.of(0, 1), List.of(2)), batches);
    assertEquals(3, log.stream().filter(l -> l.matches("item [0-2] = r[0-2] @0")).count());
  }

  // ---- keys and duplicates ----

  @Test
  void keyedBy_separateBatchesPerKey() {
    BatchProcessor<Integer, String> b = build(x -> x.batchSize(2).keyedBy(i -> i % 2));
    on(() -> {
      for (int i = 0; i < 5; i++) {
        add(b, i);
      }
    });
    assertEquals(List.of(List.of(0, 2), List.of(1, 3), List.of(4)), batches);
  }

  @Test
  void deduplicate_equalItemsInOneBatch_sentOnceSharePromise() {
    BatchProcessor<Integer, String> b = build(x -> x.batchSize(3).deduplicate());
    List<Promise<String>> promises = new ArrayList<>();
    on(() -> {
      for (int i : new int[] {1, 2, 1, 1, 3, 1}) {
        promises.add(b.add(i));
      }
    });
    assertEquals(List.of(List.of(1, 2, 3), List.of(1)), batches);
    assertSame(promises.get(0), promises.get(2));
    assertSame(promises.get(0), promises.get(3));
  }

  @Test
  void deduplicateBy_keyFunction() {
    BatchProcessor<Integer, String> b = build(x -> x.batchSize(10).deduplicateBy(i -> i / 10));
    on(() -> {
      for (int i : new int[] {11, 12, 21, 19}) {
        add(b, i);
      }
    });
    assertEquals(List.of(List.of(11, 21)), batches);
    assertTrue(log.contains("item 12 = r11 @0"));
  }

  // ---- threads ----

  @Test
  void add_fromAnotherLoop_resultOnCallersLoop() throws InterruptedException {
    EventLoop processorLoop = EventLoop.create().start();
    EventLoop callerLoop = EventLoop.create().start();
    try {
      CountDownLatch built = new CountDownLatch(1);
      AtomicReference<BatchProcessor<Integer, String>> ref = new AtomicReference<>();
      processorLoop.execute(() -> {
        ref.set(BatchProcessor.<Integer, String>builder(batch -> Promise.resolve(
            batch.stream().map(i -> "r" + i + " on " + EventLoop.current().name()).toList())).build());
        built.countDown();
      });
      assertTrue(built.await(10, TimeUnit.SECONDS));
      CountDownLatch done = new CountDownLatch(1);
      AtomicReference<String> result = new AtomicReference<>();
      callerLoop.execute(() -> ref.get().add(5).thenAccept(v -> {
        result.set(v + ", delivered on " + EventLoop.current().name());
        done.countDown();
      }));
      assertTrue(done.await(10, TimeUnit.SECONDS));
      assertEquals("r5 on " + processorLoop.name() + ", delivered on " + callerLoop.name(), result.get());
    } finally {
      callerLoop.close();
      processorLoop.close();
    }
  }

  @Test
  void add_fromThreadWithoutLoop_throwsIllegalState() {
    BatchProcessor<Integer, String> b = build(x -> x);
    assertThrows(IllegalStateException.class, () -> b.add(1));
    assertThrows(IllegalStateException.class, () -> b.tryAdd(1));
    assertThrows(IllegalStateException.class, b::stats);
  }

  // ---- bad input ----

  @Test
  void builder_valuesOutOfRange_throwIllegalArgument() {
    BatchProcessor.Builder<Integer, String> x = BatchProcessor.builder(this::echo);
    assertThrows(IllegalArgumentException.class, () -> x.batchSize(0));
    assertThrows(IllegalArgumentException.class, () -> x.batchTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> x.batchTimeout(Duration.ofMillis(-5)));
    assertThrows(IllegalArgumentException.class, () -> x.maxWeight(0, i -> 1));
    assertThrows(IllegalArgumentException.class, () -> x.maxConcurrentBatches(0));
    assertThrows(IllegalArgumentException.class, () -> x.maxPending(-1));
    assertThrows(NullPointerException.class, () -> BatchProcessor.builder(null));
    assertThrows(IllegalStateException.class, x::build, "no loop given and none current");
  }

  @Test
  void add_keyOrWeigherFails_rejectsThatAddOnly() {
    BatchProcessor<Integer, String> b = build(x -> x.keyedBy(i -> {
      if (i == 13) {
        throw new IllegalArgumentException("unlucky");
      }
      return i % 2;
    }).maxWeight(100, i -> i == 7 ? -1 : 1));
    on(() -> {
      add(b, 13);
      add(b, 7);
      add(b, 2);
    });
    assertEquals(List.of("item 13 ! IllegalArgumentException @0", "item 7 ! IllegalArgumentException @0",
        "batch [2] @0", "item 2 = r2 @0"), log);
  }

  @Test
  void add_nullItem_throwsNullPointer() {
    BatchProcessor<Integer, String> b = build(x -> x);
    on(() -> assertThrows(NullPointerException.class, () -> b.add(null)));
    assertEquals(List.of(), uncaught);
  }

  @Test
  void stats_countBatchesAndItems() {
    BatchProcessor<Integer, String> b = build(x -> x.batchSize(2));
    on(() -> {
      for (int i = 0; i < 5; i++) {
        add(b, i);
      }
    });
    BatchProcessor.Stats s = statsOf(b);
    assertEquals(new BatchProcessor.Stats(0, 0, 0, 0, 3, 5), s);
  }

  @Test
  void add_afterClose_rejectsWithRejectedExecution() {
    BatchProcessor<Integer, String> b = build(x -> x);
    on(b::close);
    AtomicReference<Throwable> error = new AtomicReference<>();
    on(() -> b.add(1).catchError(e -> {
      error.set(e);
      return null;
    }));
    assertInstanceOf(RejectedExecutionException.class, error.get());
    assertEquals("batch processor 'batch-processor' is closed", error.get().getMessage());
  }

  private BatchProcessor.Stats statsOf(BatchProcessor<Integer, String> b) {
    AtomicReference<BatchProcessor.Stats> s = new AtomicReference<>();
    on(() -> s.set(b.stats()));
    return s.get();
  }
}
