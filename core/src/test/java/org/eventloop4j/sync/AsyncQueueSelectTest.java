package org.eventloop4j.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eventloop4j.AbortController;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.junit.jupiter.api.Test;

/** {@link AsyncQueue#select}: behaviour on virtual time, a seeded model test, and a cross-thread race. */
class AsyncQueueSelectTest {
  private static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);
  private final EventLoop loop = EventLoop.builder().virtualTime().build();
  private final List<String> log = new ArrayList<>();

  private void track(Promise<AsyncQueue.Selected<String>> p, String name) {
    p.then(s -> log.add(name + (s.done() ? " done" : " " + s.index() + ":" + s.value())),
        e -> log.add(name + " rejected: " + e.getMessage()));
  }

  @Test
  void select_itemReady_takesItAtOnce() {
    AsyncQueue<String> a = AsyncQueue.bounded(4);
    AsyncQueue<String> b = AsyncQueue.bounded(4);
    loop.run(() -> {
      b.offer("x");
      Promise<AsyncQueue.Selected<String>> p = AsyncQueue.select(a, b);
      assertEquals(Promise.State.FULFILLED, p.state());
      track(p, "s");
    });
    assertEquals(List.of("s 1:x"), log);
    assertEquals(0, b.size());
  }

  @Test
  void select_everyQueueHasItems_rotatesSoNoQueueStarves() {
    AsyncQueue<Integer> a = AsyncQueue.unbounded();
    AsyncQueue<Integer> b = AsyncQueue.unbounded();
    AsyncQueue<Integer> c = AsyncQueue.unbounded();
    int[] picked = new int[3];
    loop.run(() -> {
      for (int i = 0; i < 300; i++) {
        a.offer(i);
        b.offer(i);
        c.offer(i);
        AsyncQueue.select(a, b, c).thenAccept(s -> picked[s.index()]++);
      }
    });
    for (int k = 0; k < 3; k++) {
      assertTrue(picked[k] >= 50, "queue " + k + " picked " + picked[k] + " times of 300");
    }
    assertEquals(600, a.size() + b.size() + c.size());
  }

  @Test
  void select_waiting_takesTheFirstItemPushedAndLeavesTheOthers() {
    AsyncQueue<String> a = AsyncQueue.bounded(4);
    AsyncQueue<String> b = AsyncQueue.bounded(4);
    loop.run(() -> {
      track(AsyncQueue.select(a, b), "s");
      loop.setTimeout(() -> {
        b.offer("first"); // both become ready in one callback: the select takes exactly one
        a.offer("second");
      }, 10);
      loop.setTimeout(() -> log.add("sizes " + a.size() + " " + b.size()), 20);
    });
    assertEquals(List.of("s 1:first", "sizes 1 0"), log);
  }

  @Test
  void select_waitsAsOneConsumerInFifoWithPops() {
    AsyncQueue<String> a = AsyncQueue.bounded(4);
    AsyncQueue<String> b = AsyncQueue.bounded(4);
    loop.run(() -> {
      a.pop().thenAccept(r -> log.add("pop " + r.value()));
      track(AsyncQueue.select(a, b), "s");
      loop.setTimeout(() -> {
        a.offer("1");
        a.offer("2");
      }, 5);
    });
    assertEquals(List.of("pop 1", "s 0:2"), log);
  }

  @Test
  void select_rendezvousWithWaitingPusher_takesItsItem() {
    AsyncQueue<String> a = AsyncQueue.rendezvous();
    loop.run(() -> {
      a.push("r").thenRun(() -> log.add("pushed"));
      track(AsyncQueue.select(a), "s");
    });
    assertEquals(List.of("pushed", "s 0:r"), log); // poll settled the push before the select's reaction existed
  }

  @Test
  void select_aborted_rejectsAndTakesNothingLater() {
    AsyncQueue<String> a = AsyncQueue.bounded(4);
    AsyncQueue<String> b = AsyncQueue.bounded(4);
    AbortController c = new AbortController();
    loop.run(() -> {
      track(AsyncQueue.select(List.of(a, b), c.signal()), "s");
      loop.setTimeout(() -> c.abort(new IllegalStateException("stop")), 5);
      loop.setTimeout(() -> {
        a.offer("kept");
        log.add("size " + a.size());
      }, 10);
    });
    assertEquals(List.of("s rejected: stop", "size 1"), log);
  }

  @Test
  void select_alreadyAborted_rejectsWithoutTaking() {
    AsyncQueue<String> a = AsyncQueue.bounded(4);
    AbortController c = new AbortController();
    c.abort(new IllegalStateException("early"));
    loop.run(() -> {
      a.offer("x");
      track(AsyncQueue.select(List.of(a), c.signal()), "s");
    });
    assertEquals(List.of("s rejected: early"), log);
    assertEquals(1, a.size());
  }

  @Test
  void select_queuesClosedOneAfterTheOther_endsOnceAllAreDrained() {
    AsyncQueue<String> a = AsyncQueue.bounded(4);
    AsyncQueue<String> b = AsyncQueue.bounded(4);
    loop.run(() -> {
      a.offer("last");
      a.close();
      track(AsyncQueue.select(a, b), "s1"); // a still has an item
      track(AsyncQueue.select(a, b), "s2"); // a drained: waits on b only
      loop.setTimeout(b::close, 5);
      loop.setTimeout(() -> track(AsyncQueue.select(a, b), "s3"), 10);
    });
    assertEquals(List.of("s1 0:last", "s2 done", "s3 done"), log);
  }

  @Test
  void select_queueFailsWhileWaiting_rejectsWithItsCause() {
    AsyncQueue<String> a = AsyncQueue.bounded(4);
    AsyncQueue<String> b = AsyncQueue.bounded(4);
    loop.run(() -> {
      track(AsyncQueue.select(a, b), "s");
      loop.setTimeout(() -> b.cancel(new IllegalStateException("broken")), 5);
      loop.setTimeout(() -> {
        a.offer("kept");
        log.add("size " + a.size());
      }, 10);
    });
    assertEquals(List.of("s rejected: broken", "size 1"), log);
  }

  @Test
  void select_noQueues_throws() {
    loop.run(() -> assertThrows(IllegalArgumentException.class, () -> AsyncQueue.select(List.<AsyncQueue<String>>of())));
  }

  /**
   * Random single-loop schedules of offers, pushes, selects (some with a signal aborted later), pops and
   * closes over three queues, against the conservation and order properties: every accepted item is taken
   * by exactly one consumer or still queued at the end, items of one queue are taken in their order, and
   * each fulfilled select took exactly one item.
   */
  @Test
  void select_randomSchedules_conserveItemsAndKeepEachQueuesOrder() {
    for (int c = 0; c < 200 * STRESS; c++) {
      long seed = 0x5e1ec7L + c;
      try {
        runSchedule(new Random(seed));
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
      }
    }
  }

  private void runSchedule(Random rnd) {
    EventLoop l = EventLoop.builder().virtualTime().build();
    int n = 3;
    List<AsyncQueue<Integer>> qs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      qs.add(rnd.nextBoolean() ? AsyncQueue.bounded(rnd.nextInt(3)) : AsyncQueue.unbounded());
    }
    List<List<Integer>> accepted = new ArrayList<>();
    List<List<Integer>> taken = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      accepted.add(new ArrayList<>());
      taken.add(new ArrayList<>());
    }
    int[] next = {0};
    l.run(() -> {
      for (int step = 0; step < 40; step++) {
        int when = rnd.nextInt(20);
        int op = rnd.nextInt(10);
        int qi = rnd.nextInt(n);
        l.setTimeout(() -> {
          AsyncQueue<Integer> q = qs.get(qi);
          if (op < 3) {
            int v = next[0]++;
            q.push(v).then(ok -> null, e -> { // rejected: not accepted after all
              accepted.get(qi).remove((Integer) v);
              return null;
            });
            if (!q.isClosed()) {
              accepted.get(qi).add(v);
            }
          } else if (op < 7) {
            AbortController ac = new AbortController();
            AsyncQueue.select(List.of(qs.get(0), qs.get(1), qs.get(2)), ac.signal()).then(s -> {
              if (!s.done()) {
                taken.get(s.index()).add(s.value());
              }
              return null;
            }, e -> null);
            if (rnd.nextInt(3) == 0) {
              l.setTimeout(() -> ac.abort(new IllegalStateException("abort")), rnd.nextInt(5));
            }
          } else if (op < 9) {
            q.pop().then(r -> {
              if (!r.done()) {
                taken.get(qi).add(r.value());
              }
              return null;
            }, e -> null);
          } else {
            q.close();
          }
        }, when);
      }
    });
    for (int i = 0; i < n; i++) {
      List<Integer> got = new ArrayList<>(taken.get(i));
      for (Integer v; (v = qs.get(i).poll()) != null; ) {
        got.add(v);
      }
      // Each queue's accepted items, each taken exactly once, in push order (pushes waiting for room
      // enter in the order they began waiting, which on one loop is push order).
      assertEquals(accepted.get(i), got, "queue " + i);
    }
  }

  /**
   * Producers on plain threads push to four shared queues while a loop selects in a chain, some selects
   * aborted by another thread: every item is received exactly once.
   */
  @Test
  void select_crossThreadProducersAndAborts_everyItemExactlyOnce() throws Exception {
    int producers = 4;
    int perProducer = 5_000 * STRESS;
    int total = producers * perProducer;
    List<AsyncQueue<Integer>> qs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      qs.add(AsyncQueue.bounded(i)); // rendezvous, 1, 2, 3
    }
    ConcurrentHashMap<Integer, Boolean> seen = new ConcurrentHashMap<>();
    AtomicInteger duplicates = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(1);
    EventLoop consumer = EventLoop.create();
    Thread loopThread = Thread.ofPlatform().start(() -> consumer.run(() -> {
      EventLoop.KeepAlive alive = consumer.keepAlive();
      new Runnable() {
        int count;

        @Override
        public void run() {
          AbortController ac = new AbortController();
          if (count % 7 == 0) {
            Thread.ofPlatform().start(() -> ac.abort(new IllegalStateException("abort")));
          }
          AsyncQueue.select(qs, ac.signal()).then(s -> {
            if (seen.put(s.value(), Boolean.TRUE) != null) {
              duplicates.incrementAndGet();
            }
            if (++count == total) {
              alive.close();
              done.countDown();
            } else {
              run();
            }
            return null;
          }, e -> {
            run();
            return null;
          });
        }
      }.run();
    }));
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int id = p;
      threads.add(Thread.ofPlatform().start(() -> EventLoop.create().run(() -> new Runnable() {
        int i;

        @Override
        public void run() {
          if (i < perProducer) {
            int v = id * perProducer + i++;
            qs.get(v % 4).push(v).thenRun(this);
          }
        }
      }.run())));
    }
    assertTrue(done.await(120, TimeUnit.SECONDS), "received " + seen.size() + " of " + total);
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(60));
    }
    loopThread.join(TimeUnit.SECONDS.toMillis(60));
    assertEquals(0, duplicates.get());
    assertEquals(total, seen.size());
  }
}
