package org.eventloop4j.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eventloop4j.AbortController;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.stream.IteratorResult;
import org.junit.jupiter.api.Test;

class AsyncQueueTest {
  private final EventLoop loop = EventLoop.builder().virtualTime().build();
  private final List<String> log = new ArrayList<>();

  private void track(Promise<?> p, String name) {
    p.then(v -> log.add(name + (v == null ? "" : " " + show(v))), e -> log.add(name + " rejected: " + e.getMessage()));
  }

  private static String show(Object v) {
    return v instanceof IteratorResult<?> r ? (r.done() ? "done" : String.valueOf(r.value())) : String.valueOf(v);
  }

  @Test
  void pushThenPop_bufferedItems_comeOutFifo() {
    AsyncQueue<Integer> q = AsyncQueue.bounded(4);
    loop.run(() -> {
      Promise<?> first = q.push(1);
      assertEquals(Promise.State.FULFILLED, first.state());
      assertSame(first, q.push(2)); // cached: nothing allocated on the home loop
      assertTrue(q.offer(3));
      assertEquals(3, q.size());
      track(q.pop(), "a");
      assertEquals(2, q.poll());
      track(q.pop(), "b");
      track(q.pop(), "c");
      q.push(4);
    });
    assertEquals(List.of("a 1", "b 3", "c 4"), log);
  }

  @Test
  void push_full_waitsForRoomInOrder() {
    AsyncQueue<String> q = AsyncQueue.bounded(1);
    loop.run(() -> {
      q.push("x");
      track(q.push("y"), "push y");
      track(q.push("z"), "push z");
      assertFalse(q.offer("w"));
      loop.setTimeout(() -> track(q.pop(), "pop"), 5);
      loop.setTimeout(() -> track(q.pop(), "pop"), 6);
      loop.setTimeout(() -> track(q.pop(), "pop"), 7);
    });
    // the pop that makes room fulfils the waiting push first, then its own promise (as Node's queue does)
    assertEquals(List.of("push y", "pop x", "push z", "pop y", "pop z"), log);
  }

  @Test
  void pop_empty_waitsAndConsumersAreServedInOrder() {
    AsyncQueue<String> q = AsyncQueue.unbounded();
    loop.run(() -> {
      track(q.pop(), "c1");
      track(q.pop(), "c2");
      assertNull(q.poll());
      loop.setTimeout(() -> q.push("a"), 1);
      loop.setTimeout(() -> q.offer("b"), 2);
    });
    assertEquals(List.of("c1 a", "c2 b"), log);
  }

  @Test
  void rendezvous_pushWaitsForAConsumer() {
    AsyncQueue<String> q = AsyncQueue.rendezvous();
    loop.run(() -> {
      track(q.push("a"), "push a");
      assertEquals(0, q.size());
      assertFalse(q.offer("b"));
      loop.setTimeout(() -> track(q.pop(), "pop"), 3);
      loop.setTimeout(() -> {
        track(q.pop(), "pop");
        assertTrue(q.offer("c")); // a consumer waits: the offer hands over
      }, 4);
    });
    assertEquals(List.of("push a", "pop a", "pop c"), log);
  }

  @Test
  void dropOldest_fullQueue_dropsToTheHook() {
    List<Integer> dropped = new ArrayList<>();
    AsyncQueue<Integer> q = AsyncQueue.<Integer>builder().capacity(2).overflow(AsyncQueue.Overflow.DROP_OLDEST)
        .onUndelivered(dropped::add).build();
    loop.run(() -> {
      for (int i = 1; i <= 5; i++) {
        q.push(i);
      }
      assertTrue(q.offer(6));
      track(q.popMany(10), "many");
    });
    assertEquals(List.of(1, 2, 3, 4), dropped);
    assertEquals(List.of("many [5, 6]"), log);
  }

  @Test
  void dropNewest_fullQueue_dropsThePushedItem() {
    List<Integer> dropped = new ArrayList<>();
    AsyncQueue<Integer> q = AsyncQueue.<Integer>builder().capacity(2).overflow(AsyncQueue.Overflow.DROP_NEWEST)
        .onUndelivered(dropped::add).build();
    loop.run(() -> {
      for (int i = 1; i <= 4; i++) {
        track(q.push(i), "push " + i);
      }
      assertFalse(q.offer(5)); // the caller keeps it: not handed to the hook
      track(q.popMany(10), "many");
    });
    assertEquals(List.of(3, 4), dropped);
    assertEquals(List.of("push 1", "push 2", "push 3", "push 4", "many [1, 2]"), log);
  }

  @Test
  void conflated_consumerSeesTheLatest() {
    AsyncQueue<Integer> q = AsyncQueue.conflated();
    loop.run(() -> {
      q.push(1);
      q.push(2);
      q.push(3);
      track(q.pop(), "pop");
    });
    assertEquals(List.of("pop 3"), log);
  }

  @Test
  void popMany_takesEverythingReadyAtLeastOne() {
    AsyncQueue<Integer> q = AsyncQueue.bounded(8);
    loop.run(() -> {
      track(q.popMany(3), "waiting");
      loop.setTimeout(() -> {
        q.push(1);
        q.push(2);
        q.push(3);
        q.push(4);
        q.push(5);
        track(q.popMany(3), "ready");
        track(q.popMany(3), "rest");
      }, 1);
    });
    assertEquals(List.of("waiting [1]", "ready [2, 3, 4]", "rest [5]"), log);
  }

  @Test
  void close_consumersDrainThenGetDone_pushesReject() {
    AsyncQueue<Integer> q = AsyncQueue.bounded(1);
    loop.run(() -> {
      q.push(1);
      track(q.push(2), "waiting push");
      q.close();
      track(q.push(3), "later push");
      assertThrows(ClosedError.class, () -> q.offer(4));
      track(q.pop(), "pop");
      track(q.pop(), "pop");
      track(q.popMany(5), "many");
      assertTrue(q.isClosed());
    });
    assertEquals(List.of("waiting push rejected: the queue is closed", "later push rejected: the queue is closed",
        "pop 1", "pop done", "many []"), log);
  }

  @Test
  void closeWithCause_consumersGetTheCauseAfterDraining() {
    AsyncQueue<Integer> q = AsyncQueue.unbounded();
    loop.run(() -> {
      track(q.pop(), "early");
      q.push(1);
      q.push(2);
      q.close(new IllegalStateException("upstream failed"));
      track(q.pop(), "pop");
      track(q.pop(), "pop");
    });
    assertEquals(List.of("early 1", "pop 2", "pop rejected: upstream failed"), log);
  }

  @Test
  void cancel_discardsTheBufferToTheHook() {
    List<Integer> undelivered = new ArrayList<>();
    AsyncQueue<Integer> q = AsyncQueue.<Integer>builder().capacity(2).onUndelivered(undelivered::add).build();
    loop.run(() -> {
      q.push(1);
      q.push(2);
      track(q.push(3), "waiting push");
      q.cancel(new IllegalStateException("stop"));
      track(q.pop(), "pop");
      assertNull(q.poll());
    });
    assertEquals(List.of(1, 2), undelivered);
    assertEquals(List.of("waiting push rejected: the queue was cancelled", "pop rejected: stop"), log);
  }

  @Test
  void cancel_withoutHook_logsOneWarningWithTheCountForTheCall() {
    AsyncQueue<Integer> q = AsyncQueue.bounded(4);
    QueueLog records = QueueLog.install();
    try {
      q.offer(1);
      q.offer(2);
      q.offer(3);
      q.cancel(new IllegalStateException("stop"));
      q.cancel(new IllegalStateException("again")); // nothing left: no record
    } finally {
      records.uninstall();
    }
    assertEquals(List.of("WARNING 3 item(s) discarded by cancel() and lost: the queue has no onUndelivered hook"),
        records.lines());
  }

  @Test
  void consumerLoopClosed_itemGoesToTheHook_orIsLoggedAsLostWithoutOne() {
    List<Integer> undelivered = new ArrayList<>();
    AsyncQueue<Integer> hooked = AsyncQueue.<Integer>builder().capacity(1).onUndelivered(undelivered::add).build();
    AsyncQueue<Integer> bare = AsyncQueue.bounded(1);
    loop.run(() -> { // made outside any loop, so shared: the pops wait, and a virtual clock keeps nothing alive
      track(hooked.pop(), "hooked pop");
      track(bare.pop(), "bare pop");
    });
    loop.close();
    QueueLog records = QueueLog.install();
    try {
      assertTrue(hooked.offer(7)); // handed to the waiting consumer, whose loop can no longer take it
      assertTrue(bare.offer(8));
    } finally {
      records.uninstall();
    }
    assertEquals(List.of(7), undelivered);
    assertEquals(List.of("WARNING 1 item(s) handed to a consumer whose event loop was closed and lost: "
        + "the queue has no onUndelivered hook"), records.lines());
    assertEquals(List.of(), log);
  }

  @Test
  void overflowDrops_withoutHook_areLoggedAtDebugOnly() {
    AsyncQueue<Integer> oldest = AsyncQueue.conflated();
    AsyncQueue<Integer> newest = AsyncQueue.<Integer>builder().capacity(1).overflow(AsyncQueue.Overflow.DROP_NEWEST)
        .build();
    QueueLog records = QueueLog.install();
    try {
      oldest.offer(1);
      oldest.offer(2); // drops 1
      loop.run(() -> {
        newest.push(1);
        newest.push(2); // drops 2
      });
    } finally {
      records.uninstall();
    }
    String line = "FINE 1 item(s) dropped by the overflow policy and lost: the queue has no onUndelivered hook";
    assertEquals(List.of(line, line), records.lines());
  }

  @Test
  void pop_abortWhileWaiting_removesOnlyThatConsumer() {
    AsyncQueue<String> q = AsyncQueue.unbounded();
    AbortController c = new AbortController();
    loop.run(() -> {
      track(q.pop(), "c1");
      track(q.pop(c.signal()), "c2");
      track(q.pop(), "c3");
      c.abort(new IllegalStateException("bye"));
      q.push("a");
      q.push("b");
    });
    assertEquals(List.of("c2 rejected: bye", "c1 a", "c3 b"), log);
  }

  @Test
  void push_abortWhileWaiting_itemNotEnqueued() {
    AsyncQueue<String> q = AsyncQueue.bounded(1);
    AbortController c = new AbortController();
    loop.run(() -> {
      q.push("a");
      track(q.push("b", c.signal()), "push b");
      track(q.push("c"), "push c");
      c.abort(new IllegalStateException("bye"));
      track(q.popMany(5), "many");
      track(q.pop(), "pop");
    });
    assertEquals(List.of("push b rejected: bye", "push c", "many [a]", "pop c"), log);
  }

  @Test
  void abortedSignal_rejectsWithoutChangingTheQueue() {
    AsyncQueue<String> q = AsyncQueue.bounded(2);
    loop.run(() -> {
      q.push("a");
      track(q.push("b", AbortSignal.abort(new IllegalStateException("no"))), "push");
      track(q.pop(AbortSignal.abort(new IllegalStateException("no"))), "pop");
      assertEquals(1, q.size());
    });
    assertEquals(List.of("push rejected: no", "pop rejected: no"), log);
  }

  @Test
  void badInput_throwsNamingTheProblem() {
    assertThrows(IllegalArgumentException.class, () -> AsyncQueue.bounded(-1));
    assertThrows(IllegalArgumentException.class,
        () -> AsyncQueue.builder().capacity(0).overflow(AsyncQueue.Overflow.DROP_OLDEST).build());
    AsyncQueue<String> q = AsyncQueue.bounded(1);
    loop.run(() -> {
      assertThrows(NullPointerException.class, () -> q.push(null));
      assertThrows(NullPointerException.class, () -> q.offer(null));
      assertThrows(IllegalArgumentException.class, () -> q.popMany(0));
      assertEquals(0, q.size());
    });
  }

  @Test
  void iteration_severalConsumersShareTheItems() {
    AsyncQueue<Integer> q = AsyncQueue.bounded(2);
    List<String> got = new ArrayList<>();
    loop.run(() -> {
      q.forEach(v -> got.add("A" + v)).thenRun(() -> got.add("A done"));
      q.forEach(v -> got.add("B" + v)).thenRun(() -> got.add("B done"));
      Promise<?> p = Promise.resolve();
      for (int i = 1; i <= 5; i++) {
        int v = i;
        p = p.thenCompose(x -> q.push(v));
      }
      p.thenRun(q::close);
    });
    assertEquals(List.of("A1", "B2", "A3", "B4", "A5", "B done", "A done"), got);
  }

  @Test
  void iterator_returnValue_endsOnlyThatIterator() {
    AsyncQueue<Integer> q = AsyncQueue.unbounded();
    loop.run(() -> {
      var it = q.asyncIterator();
      q.push(1);
      q.push(2);
      track(it.next(), "next");
      track(it.returnValue(null), "return");
      track(it.next(), "after");
      track(q.pop(), "queue");
    });
    assertEquals(List.of("next 1", "return done", "after done", "queue 2"), log);
  }

  @Test
  void crossThread_producerOnPlainThread_consumerOnLoop() throws InterruptedException {
    AsyncQueue<Integer> q = AsyncQueue.bounded(4);
    int n = 10_000;
    EventLoop real = EventLoop.create();
    CountDownLatch consuming = new CountDownLatch(1);
    long[] sum = new long[1];
    Thread consumer = Thread.ofPlatform().start(() -> real.run(() -> {
      q.forEach(v -> sum[0] += v);
      consuming.countDown();
    }));
    assertTrue(consuming.await(10, TimeUnit.SECONDS));
    for (int i = 1; i <= n; i++) {
      while (!q.offer(i)) {
        Thread.onSpinWait();
      }
    }
    q.close();
    consumer.join(20_000);
    assertFalse(consumer.isAlive());
    assertEquals((long) n * (n + 1) / 2, sum[0]);
  }

  /**
   * Every record AsyncQueue logs through System.Logger (whose default back end is java.util.logging) while
   * installed, at every level; they are kept from the console meanwhile.
   */
  private static final class QueueLog extends java.util.logging.Handler {
    private static final java.util.logging.Logger LOGGER =
        java.util.logging.Logger.getLogger(AsyncQueue.class.getName());
    private final List<java.util.logging.LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.logging.Level level = LOGGER.getLevel();

    static QueueLog install() {
      QueueLog log = new QueueLog();
      LOGGER.setLevel(java.util.logging.Level.ALL);
      LOGGER.setUseParentHandlers(false);
      LOGGER.addHandler(log);
      return log;
    }

    void uninstall() {
      LOGGER.removeHandler(this);
      LOGGER.setUseParentHandlers(true);
      LOGGER.setLevel(level);
    }

    /** Each record as "LEVEL message". */
    List<String> lines() {
      return records.stream().map(r -> r.getLevel() + " " + r.getMessage()).toList();
    }

    @Override
    public void publish(java.util.logging.LogRecord r) {
      records.add(r);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
