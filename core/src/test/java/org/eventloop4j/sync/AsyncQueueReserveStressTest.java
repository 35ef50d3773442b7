package org.eventloop4j.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.eventloop4j.AbortController;
import org.eventloop4j.Promise;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Producers on two started loops reserve room for each item (some with an abort right after the call,
 * retried if it took the waiting reserve), then send it themselves, hand the permit to a plain sender
 * thread, or release the permit and push the item instead; a plain thread produces by tryReserve and
 * send; two consumer loops pop. Sizes scale with {@code -Deventloop4j.stress}. Checks that every item
 * arrives exactly once (a lost grant hangs and times out), and that room is conserved: at the end no
 * permit is counted, nothing is buffered, and exactly {@code capacity} permits can be reserved.
 */
class AsyncQueueReserveStressTest {
  private static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);
  private static final int CAPACITY = 4;
  private static final int PER_PRODUCER = 4_000 * STRESS;
  private static final int PRODUCERS = 3; // two loops and a plain thread
  private static final int TOTAL = PRODUCERS * PER_PRODUCER;
  private static final AsyncQueue.Permit<Integer> STOP = AsyncQueue.<Integer>bounded(1).tryReserve();

  private final StartedLoops loops = new StartedLoops();
  private final AsyncQueue<Integer> queue = AsyncQueue.bounded(CAPACITY); // outside any loop: shared
  private final AtomicIntegerArray seen = new AtomicIntegerArray(TOTAL);
  private final AtomicInteger duplicates = new AtomicInteger();
  private final CountDownLatch received = new CountDownLatch(TOTAL);
  private final BlockingQueue<Object[]> toSender = new LinkedBlockingQueue<>();

  @AfterEach
  void closeLoops() {
    loops.close();
  }

  /** Produces items {@code from} (inclusive) to {@code to} on the calling loop, one reserve at a time. */
  private void produce(int from, int to, CountDownLatch done) {
    if (from == to) {
      done.countDown();
      return;
    }
    reserveWithAbort(from).then(p -> {
      use(p, from).thenRun(() -> produce(from + 1, to, done));
      return null;
    });
  }

  /** Every fifth reserve is aborted at once; if the abort took it, the reserve is tried again. */
  private Promise<AsyncQueue.Permit<Integer>> reserveWithAbort(int item) {
    if (item % 5 != 0) {
      return queue.reserve();
    }
    AbortController c = new AbortController();
    Promise<AsyncQueue.Permit<Integer>> r = queue.reserve(c.signal());
    c.abort(new IllegalStateException("aborted"));
    return r.catchCompose(e -> queue.reserve());
  }

  private Promise<?> use(AsyncQueue.Permit<Integer> p, int item) {
    switch (item % 3) {
      case 0 -> {
        p.release();
        return queue.push(item);
      }
      case 1 -> toSender.add(new Object[] {p, item});
      default -> p.send(item);
    }
    return Promise.resolve();
  }

  @SuppressWarnings("unchecked")
  private void sender() {
    try {
      for (Object[] job; (job = toSender.take())[0] != STOP; ) {
        ((AsyncQueue.Permit<Integer>) job[0]).send((Integer) job[1]);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void plainProducer(int from, int to) {
    for (int i = from; i < to; i++) {
      AsyncQueue.Permit<Integer> p;
      while ((p = queue.tryReserve()) == null) {
        Thread.yield();
      }
      p.send(i);
    }
  }

  private void consume() {
    queue.forEach(v -> {
      if (seen.getAndIncrement(v) != 0) {
        duplicates.incrementAndGet();
      }
      received.countDown();
    });
  }

  @Test
  void reserveSendReleasePushPop_manyThreads_everyItemOnceAndRoomConserved() throws InterruptedException {
    CountDownLatch produced = new CountDownLatch(2);
    for (int c = 0; c < 2; c++) {
      loops.start().execute(this::consume);
    }
    for (int p = 0; p < 2; p++) {
      int base = p * PER_PRODUCER;
      loops.start().execute(() -> produce(base, base + PER_PRODUCER, produced));
    }
    Thread sender = Thread.ofPlatform().start(this::sender);
    Thread plain = Thread.ofPlatform().start(() -> plainProducer(2 * PER_PRODUCER, TOTAL));
    boolean all = received.await(60, TimeUnit.SECONDS);
    toSender.add(new Object[] {STOP, 0});
    sender.join(10_000);
    plain.join(10_000);
    assertTrue(all, "timed out (a lost grant?); " + received.getCount() + " items missing");
    assertTrue(produced.await(10, TimeUnit.SECONDS));
    loops.assertNoFailure();
    assertEquals(0, duplicates.get());
    for (int i = 0; i < TOTAL; i++) {
      assertEquals(1, seen.get(i), "item " + i);
    }
    assertRoomConserved();
    queue.close();
  }

  private void assertRoomConserved() {
    assertEquals(0, queue.reserved());
    assertEquals(0, queue.size());
    List<AsyncQueue.Permit<Integer>> permits = new ArrayList<>();
    for (int i = 0; i < CAPACITY; i++) {
      AsyncQueue.Permit<Integer> p = queue.tryReserve();
      assertNotNull(p, "room lost: only " + i + " of " + CAPACITY + " permits");
      permits.add(p);
    }
    assertNull(queue.tryReserve(), "room duplicated: more than " + CAPACITY + " permits");
    permits.forEach(AsyncQueue.Permit::release);
    assertEquals(0, queue.reserved());
  }
}
