package org.eventloop4j.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eventloop4j.AbortController;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.stream.IteratorResult;
import org.junit.jupiter.api.Test;

/** {@link AsyncQueue#reserve}, {@link AsyncQueue#tryReserve} and {@link AsyncQueue.Permit}, on virtual time. */
class AsyncQueueReserveTest {
  private final EventLoop loop = EventLoop.builder().virtualTime().build();
  private final List<String> log = new CopyOnWriteArrayList<>();

  private void track(Promise<?> p, String name) {
    p.then(v -> log.add(name + (v == null ? "" : " " + show(v))), e -> log.add(name + " rejected: " + e.getMessage()));
  }

  private static String show(Object v) {
    if (v instanceof IteratorResult<?> r) {
      return r.done() ? "done" : String.valueOf(r.value());
    }
    return v instanceof AsyncQueue.Permit<?> ? "permit" : String.valueOf(v);
  }

  /** Reserves; once granted, logs it and sends {@code item}. */
  private void reserveThenSend(AsyncQueue<String> q, String name, String item) {
    q.reserve().then(p -> {
      log.add(name + " granted");
      p.send(item);
      return null;
    });
  }

  private static <T> AsyncQueue.Permit<T> permit(AsyncQueue<T> q) {
    AsyncQueue.Permit<T> p = q.tryReserve();
    assertNotNull(p, "no room");
    return p;
  }

  @Test
  void tryReserve_room_permitCountsAgainstCapacity() {
    AsyncQueue<String> q = AsyncQueue.bounded(2);
    AsyncQueue.Permit<String> p = permit(q);
    assertEquals(1, q.reserved());
    assertEquals(0, q.size());
    assertTrue(q.offer("a"));
    assertFalse(q.offer("b")); // one item and one permit fill 2
    assertNull(q.tryReserve());
    p.send("x");
    assertEquals(0, q.reserved());
    assertEquals(2, q.size());
    assertEquals("a", q.poll());
    assertEquals("x", q.poll());
    assertTrue(q.offer("c")); // the room is back in full: both places
    assertTrue(q.offer("d"));
  }

  @Test
  void reserve_full_waitsAndSharesOneFifoWithPushes() {
    AsyncQueue<String> q = AsyncQueue.bounded(1);
    loop.run(() -> {
      q.push("a");
      reserveThenSend(q, "r1", "from r1");
      track(q.push("b"), "push b");
      reserveThenSend(q, "r2", "from r2");
      for (int i = 1; i <= 4; i++) {
        loop.setTimeout(() -> track(q.pop(), "pop"), i);
      }
    });
    // a pop that frees room serves the oldest waiting producer before its own promise (as for pushes)
    assertEquals(List.of("r1 granted", "pop a", "push b", "pop from r1", "r2 granted", "pop b", "pop from r2"), log);
  }

  @Test
  void reserve_queuedBeforeAPush_getsTheRoomFirst() {
    AsyncQueue<String> q = AsyncQueue.bounded(1);
    loop.run(() -> {
      q.push("a");
      track(q.reserve(), "reserve");
      track(q.push("b"), "push b");
      assertEquals("a", q.poll()); // one place freed: the reserve's
      assertEquals(1, q.reserved());
      assertEquals(0, q.size());
    });
    assertEquals(List.of("reserve permit"), log); // push b still waits for the permit's room
  }

  @Test
  void heldRoom_pushAndConsumerBothWaitUntilTheSend() {
    AsyncQueue<String> q = AsyncQueue.bounded(1);
    AsyncQueue.Permit<String> p = permit(q);
    loop.run(() -> {
      track(q.push("a"), "push a");
      track(q.pop(), "pop");
      assertFalse(q.offer("b"));
      assertNull(q.poll());
      loop.setTimeout(() -> p.send("x"), 5);
      loop.setTimeout(() -> track(q.pop(), "pop"), 6);
    });
    // x goes to the waiting consumer; its room then admits push a
    assertEquals(List.of("pop x", "push a", "pop a"), log);
    assertEquals(0, q.reserved());
  }

  @Test
  void release_givesTheRoomToTheOldestWaiter() {
    AsyncQueue<String> q = AsyncQueue.bounded(1);
    AsyncQueue.Permit<String> p = permit(q);
    List<AsyncQueue.Permit<String>> granted = new ArrayList<>();
    loop.run(() -> {
      q.reserve().thenAccept(granted::add);
      track(q.push("b"), "push b");
      loop.setTimeout(() -> {
        p.release();
        log.add("released");
      }, 1);
      loop.setTimeout(() -> {
        assertEquals(1, granted.size());
        assertEquals(1, q.reserved());
        granted.getFirst().release();
      }, 2);
    });
    assertEquals(List.of("released", "push b"), log);
    assertEquals(0, q.reserved());
    assertEquals("b", q.poll());
  }

  @Test
  void close_unusedPermitInTryWithResources_givesTheRoomBack() {
    AsyncQueue<String> q = AsyncQueue.bounded(1);
    try (AsyncQueue.Permit<String> p = q.tryReserve()) {
      assertNotNull(p);
      assertFalse(q.offer("a"));
    }
    assertEquals(0, q.reserved());
    assertTrue(q.offer("a"));
    try (AsyncQueue.Permit<String> p = q.tryReserve()) {
      assertNull(p); // full: no permit, nothing to close
    }
  }

  @Test
  void close_afterSend_doesNothing() {
    AsyncQueue<String> q = AsyncQueue.bounded(2);
    try (AsyncQueue.Permit<String> p = permit(q)) {
      p.send("a");
    }
    assertEquals(0, q.reserved());
    assertEquals(1, q.size());
    assertTrue(q.offer("b")); // a second release would have made room for a third
    assertFalse(q.offer("c"));
  }

  @Test
  void badInput_throwsNamingTheProblem() {
    AsyncQueue<String> q = AsyncQueue.bounded(4);
    AsyncQueue.Permit<String> p = permit(q);
    assertThrows(NullPointerException.class, () -> p.send(null));
    assertEquals(1, q.reserved()); // the failed call kept the permit
    p.send("a");
    IllegalStateException twice = assertThrows(IllegalStateException.class, () -> p.send("b"));
    assertEquals("this permit was already used: its item was sent", twice.getMessage());
    p.release(); // no-op after a send
    AsyncQueue.Permit<String> r = permit(q);
    r.release();
    r.release(); // idempotent
    IllegalStateException afterRelease = assertThrows(IllegalStateException.class, () -> r.send("c"));
    assertEquals("this permit was released: its room went back to the queue", afterRelease.getMessage());
    assertEquals(0, q.reserved());
    assertEquals(1, q.size());
    assertThrows(IllegalStateException.class, q::reserve); // no loop
  }

  @Test
  void rendezvous_reserveAndTryReserve_throw() {
    AsyncQueue<String> q = AsyncQueue.rendezvous();
    IllegalStateException e = assertThrows(IllegalStateException.class, q::tryReserve);
    assertEquals("a rendezvous queue (capacity 0) has no room to reserve: push waits for a consumer instead",
        e.getMessage());
    loop.run(() -> assertThrows(IllegalStateException.class, q::reserve));
  }

  @Test
  void unbounded_reserveFulfilsAtOnce_sendNeverWaits() {
    AsyncQueue<Integer> q = AsyncQueue.unbounded();
    loop.run(() -> {
      List<AsyncQueue.Permit<Integer>> permits = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        Promise<AsyncQueue.Permit<Integer>> r = q.reserve();
        assertEquals(Promise.State.FULFILLED, r.state());
        r.thenAccept(permits::add);
      }
      assertEquals(100, q.reserved());
      q.push(-1); // permits do not hold room here: no wait
      loop.setTimeout(() -> {
        for (int i = 0; i < permits.size(); i++) {
          permits.get(i).send(i);
        }
        track(q.popMany(1000), "many");
      }, 1);
    });
    assertEquals(0, q.reserved());
    assertEquals(1, log.size());
    assertTrue(log.getFirst().startsWith("many [-1, 0, 1, 2,"));
  }

  @Test
  void dropNewest_sendOnFullQueue_dropsTheSentItemToTheHook() {
    List<String> dropped = new ArrayList<>();
    AsyncQueue<String> q = AsyncQueue.<String>builder().capacity(1).overflow(AsyncQueue.Overflow.DROP_NEWEST)
        .onUndelivered(dropped::add).build();
    AsyncQueue.Permit<String> p = permit(q);
    assertTrue(q.offer("a")); // the permit holds no room under a drop policy
    assertNotNull(q.tryReserve()); // nor does a full queue refuse one
    p.send("x");
    assertEquals(List.of("x"), dropped);
    assertEquals("a", q.poll());
  }

  @Test
  void conflated_sendDropsTheOldestToTheHook() {
    List<String> dropped = new ArrayList<>();
    AsyncQueue<String> q = AsyncQueue.<String>builder().capacity(1).overflow(AsyncQueue.Overflow.DROP_OLDEST)
        .onUndelivered(dropped::add).build();
    loop.run(() -> {
      q.push("a");
      q.reserve().thenAccept(p -> {
        p.send("x");
        track(q.pop(), "pop");
      });
    });
    assertEquals(List.of("a"), dropped);
    assertEquals(List.of("pop x"), log);
  }

  @Test
  void close_waitingReservesReject_permitsRefuseTheirSend() {
    List<String> undelivered = new ArrayList<>();
    AsyncQueue<String> q = AsyncQueue.<String>builder().capacity(1).onUndelivered(undelivered::add).build();
    AsyncQueue.Permit<String> p = permit(q);
    loop.run(() -> {
      track(q.reserve(), "waiting reserve");
      q.close();
      track(q.reserve(), "later reserve");
    });
    ClosedError e = assertThrows(ClosedError.class, () -> p.send("x"));
    assertEquals("the queue is closed", e.getMessage());
    assertThrows(ClosedError.class, () -> p.send("x")); // spent, still closed
    p.release(); // no-op
    assertThrows(ClosedError.class, q::tryReserve);
    assertEquals(List.of(), undelivered); // the refused item stayed with its caller
    assertEquals(0, q.reserved());
    assertEquals(List.of("waiting reserve rejected: the queue is closed",
        "later reserve rejected: the queue is closed"), log);
  }

  @Test
  void close_releasedPermit_endsWithoutError() {
    AsyncQueue<String> q = AsyncQueue.bounded(2);
    AsyncQueue.Permit<String> p = permit(q);
    q.offer("a");
    q.close();
    p.release();
    assertEquals(0, q.reserved());
    assertEquals("a", q.poll());
    assertNull(q.poll()); // closed and drained
  }

  @Test
  void closeWithCauseAndCancel_closedErrorCarriesTheCause() {
    IllegalStateException upstream = new IllegalStateException("upstream failed");
    AsyncQueue<String> closed = AsyncQueue.bounded(1);
    AsyncQueue.Permit<String> p = permit(closed);
    closed.close(upstream);
    assertSame(upstream, assertThrows(ClosedError.class, () -> p.send("x")).getCause());
    assertSame(upstream, assertThrows(ClosedError.class, closed::tryReserve).getCause());

    List<String> undelivered = new ArrayList<>();
    AsyncQueue<String> cancelled = AsyncQueue.<String>builder().capacity(2).onUndelivered(undelivered::add).build();
    AsyncQueue.Permit<String> c = permit(cancelled);
    cancelled.offer("a");
    IllegalStateException stop = new IllegalStateException("stop");
    loop.run(() -> {
      track(cancelled.reserve(), "reserve");
      cancelled.cancel(stop);
    });
    ClosedError e = assertThrows(ClosedError.class, () -> c.send("x"));
    assertEquals("the queue was cancelled", e.getMessage());
    assertSame(stop, e.getCause());
    assertEquals(List.of("a"), undelivered); // the buffer, not the refused item
    assertEquals(List.of("reserve rejected: the queue was cancelled"), log);
  }

  @Test
  void reserve_abortWhileWaiting_onlyThatReserveLeaves() {
    AsyncQueue<String> q = AsyncQueue.bounded(1);
    AbortController c = new AbortController();
    loop.run(() -> {
      q.push("a");
      track(q.reserve(), "r1");
      track(q.reserve(c.signal()), "r2");
      track(q.push("b"), "push b");
      c.abort(new IllegalStateException("bye"));
      assertEquals("a", q.poll()); // r1 gets the room
      assertEquals(1, q.reserved());
    });
    assertEquals(List.of("r2 rejected: bye", "r1 permit"), log);
  }

  @Test
  void reserve_abortAfterTheGrant_doesNothingAndThePermitArrives() {
    AsyncQueue<String> q = AsyncQueue.bounded(1);
    AbortController c = new AbortController();
    loop.run(() -> {
      q.push("a");
      q.reserve(c.signal()).then(p -> {
        log.add("granted");
        p.send("x");
        return null;
      }, e -> log.add("rejected: " + e.getMessage()));
      assertEquals("a", q.poll()); // granted now; the promise's reaction is still to run
      c.abort(new IllegalStateException("too late"));
      assertEquals(1, q.reserved());
    });
    assertEquals(List.of("granted"), log);
    assertEquals("x", q.poll());
    assertEquals(0, q.reserved());
  }

  @Test
  void reserve_abortedSignal_rejectsAtOnceAndReservesNothing() {
    AsyncQueue<String> q = AsyncQueue.bounded(1);
    loop.run(() -> track(q.reserve(AbortSignal.abort(new IllegalStateException("no"))), "reserve"));
    assertEquals(List.of("reserve rejected: no"), log);
    assertEquals(0, q.reserved());
    assertTrue(q.offer("a"));
  }

  @Test
  void grantToAClosedLoop_givesTheRoomToTheNextWaiter() {
    AsyncQueue<String> q = AsyncQueue.bounded(1); // made outside any loop: shared
    assertTrue(q.offer("x"));
    loop.run(() -> track(q.reserve(), "closed loop's reserve"));
    loop.close();
    EventLoop other = EventLoop.builder().virtualTime().build();
    other.run(() -> track(q.push("y"), "push y"));
    assertEquals("x", q.poll()); // the room goes to the reserve, whose loop cannot take its permit
    assertEquals(0, q.reserved());
    assertEquals(1, q.size()); // so push y got it
    assertEquals("y", q.poll());
    assertTrue(q.offer("z"));
    assertEquals(List.of(), log);
  }

  @Test
  void send_fromAnotherThread_reachesTheConsumerOnItsLoop() throws InterruptedException {
    AsyncQueue<Integer> q = AsyncQueue.bounded(1); // shared: a waiting pop keeps its real-time loop alive
    EventLoop real = EventLoop.create();
    Thread[] sender = new Thread[1];
    real.run(() -> q.reserve().thenAccept(p -> {
      q.pop().thenAccept(r -> log.add("pop " + r.value() + " on " + (EventLoop.current() == real)));
      sender[0] = Thread.ofPlatform().start(() -> p.send(42));
    }));
    sender[0].join();
    assertEquals(List.of("pop 42 on true"), log);
    assertEquals(0, q.reserved());
  }

  @Test
  void reserved_manyPermits_roomAccountedExactly() {
    AsyncQueue<Integer> q = AsyncQueue.bounded(3);
    List<AsyncQueue.Permit<Integer>> permits = new ArrayList<>();
    for (AsyncQueue.Permit<Integer> p; (p = q.tryReserve()) != null; ) {
      permits.add(p);
    }
    assertEquals(3, permits.size());
    assertEquals(3, q.reserved());
    permits.get(1).release();
    assertEquals(2, q.reserved());
    assertTrue(q.offer(9));
    assertFalse(q.offer(10));
    permits.get(2).send(2);
    permits.get(0).send(0);
    assertEquals(0, q.reserved());
    assertEquals(List.of(9, 2, 0), List.of(q.poll(), q.poll(), q.poll()));
    assertNull(q.poll());
  }
}
