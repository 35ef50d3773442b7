package org.eventloop4j.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Timers;
import org.eventloop4j.stream.StreamFixtures.CountingSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class AsyncStreamFlowTest {
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private final EventLoop loop = EventLoop.builder().virtualTime().build();

  /** A subscriber that logs every signal, with the thread check, and requests on demand. */
  private class LoggingSubscriber implements Flow.Subscriber<Integer> {
    Flow.@Nullable Subscription subscription;
    final EventLoop expected;

    LoggingSubscriber(EventLoop expected) {
      this.expected = expected;
    }

    private String where() {
      return EventLoop.tryCurrent() == expected ? "" : " OFF LOOP";
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      log.add("onSubscribe" + where());
    }

    @Override
    public void onNext(Integer item) {
      log.add("onNext " + item + where());
    }

    @Override
    public void onError(Throwable t) {
      log.add("onError " + t.getMessage() + where());
    }

    @Override
    public void onComplete() {
      log.add("onComplete" + where());
    }
  }

  @Test
  void toPublisher_onTheSameLoop_deliversOnlyWhatWasRequested_neverInsideRequest() {
    loop.run(() -> {
      LoggingSubscriber s = new LoggingSubscriber(loop);
      AsyncStream.range(0, 4).toPublisher().subscribe(s);
      s.subscription.request(2);
      log.add("request(2) returned");
      loop.setTimeout(() -> s.subscription.request(5), 10);
    });
    assertEquals(List.of("onSubscribe", "request(2) returned", "onNext 0", "onNext 1", "onNext 2", "onNext 3", "onComplete"), log);
  }

  @Test
  void toPublisher_cancel_closesTheIteration_soTheSourceFinallyRuns() {
    loop.run(() -> {
      LoggingSubscriber s = new LoggingSubscriber(loop) {
        @Override
        public void onNext(Integer item) {
          super.onNext(item);
          subscription.cancel();
        }
      };
      AsyncStream.from(StreamFixtures.slowGenerator(log, 5, List.of(1, 2, 3))).toPublisher().subscribe(s);
      s.subscription.request(3);
    });
    assertEquals(List.of("onSubscribe", "onNext 1", "generator finally"), log);
  }

  @Test
  void toPublisher_streamError_signalsOnErrorWithTheCause() {
    loop.run(() -> {
      LoggingSubscriber s = new LoggingSubscriber(loop);
      AsyncStream.from(new CountingSource(log, 5).failingAt(1, new IllegalStateException("boom"))).toPublisher().subscribe(s);
      s.subscription.request(10);
    });
    assertEquals(List.of("onSubscribe", "onNext 0", "onError boom"), log);
  }

  @Test
  void toPublisher_subscriberThrows_cancelsAndReportsToTheLoop() {
    List<Throwable> uncaught = new ArrayList<>();
    EventLoop l = EventLoop.builder().virtualTime().onUncaughtException(uncaught::add).build();
    IllegalStateException bad = new IllegalStateException("subscriber bug");
    l.run(() -> {
      AsyncStream.from(new CountingSource(log, 5)).toPublisher().subscribe(new LoggingSubscriber(l) {
        @Override
        public void onSubscribe(Flow.Subscription s) {
          s.request(5);
        }

        @Override
        public void onNext(Integer item) {
          throw bad;
        }
      });
    });
    assertEquals(List.of(bad), uncaught);
    assertEquals(List.of("source closed"), log);
  }

  @Test
  void toPublisher_withoutALoop_failsClearly() {
    assertThrows(IllegalStateException.class, () -> AsyncStream.range(0, 1).toPublisher());
  }

  @Test
  void roundTrip_onOneLoop_keepsTheElements() {
    AtomicReference<@Nullable List<Integer>> out = new AtomicReference<>();
    loop.run(() -> AsyncStream.fromPublisher(AsyncStream.range(0, 100).toPublisher(), 8).toList().thenAccept(out::set));
    assertEquals(StreamFixtures.ints(0, 100), out.get());
  }

  @Test
  void roundTrip_onAVirtualTimeLoop_withTimersInside_doesNotFreezeTheClock() {
    AtomicReference<@Nullable List<Integer>> out = new AtomicReference<>();
    loop.run(() -> AsyncStream.fromPublisher(AsyncStream.from(StreamFixtures.slowGenerator(log, 10, List.of(1, 2, 3)))
        .toPublisher(), 2).toList().thenAccept(out::set));
    assertEquals(List.of(1, 2, 3), out.get());
    assertEquals(30, loop.now());
  }

  @Test
  void fromPublisher_submissionPublisherOnAnotherThread_keepsTheLoopAliveAndTheOrder() throws InterruptedException {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    EventLoop real = EventLoop.create();
    AtomicReference<@Nullable List<Integer>> out = new AtomicReference<>();
    SubmissionPublisher<Integer> pub = new SubmissionPublisher<>(pool, 4);
    try {
      CountDownLatch subscribed = new CountDownLatch(1);
      Thread producer = Thread.ofPlatform().start(() -> {
        try {
          subscribed.await(10, TimeUnit.SECONDS);
          for (int i = 0; i < 1000; i++) {
            pub.submit(i); // blocks while the subscriber's buffer (4) is full: backpressure
          }
          pub.close();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      real.run(() -> AsyncStream.fromPublisher(subscribeNotifying(pub, subscribed), 4).toList().thenAccept(out::set));
      producer.join(10_000);
    } finally {
      pub.close();
      pool.shutdownNow();
    }
    assertEquals(StreamFixtures.ints(0, 1000), out.get());
  }

  private static <T> Flow.Publisher<T> subscribeNotifying(Flow.Publisher<T> p, CountDownLatch latch) {
    return s -> {
      p.subscribe(s);
      latch.countDown();
    };
  }

  @Test
  void fromPublisher_prefetchBoundsTheOutstandingDemand_andEarlyCloseCancels() {
    AtomicLong requested = new AtomicLong();
    List<String> events = new ArrayList<>();
    Flow.Publisher<Integer> endless = s -> s.onSubscribe(new Flow.Subscription() {
      private int next;

      @Override
      public void request(long n) {
        requested.addAndGet(n);
        events.add("request " + n);
        for (long i = 0; i < n; i++) {
          s.onNext(next++);
        }
      }

      @Override
      public void cancel() {
        events.add("cancel");
      }
    });
    List<Integer> out = new ArrayList<>();
    loop.run(() -> Async.async(() -> {
      try (var values = Async.forAwait(AsyncStream.fromPublisher(endless, 8))) {
        for (int v : values) {
          out.add(v);
          assertTrue(requested.get() - out.size() <= 8, "outstanding demand " + (requested.get() - out.size()));
          Async.await(Timers.sleep(1));
          if (v == 19) {
            break;
          }
        }
      }
      return null;
    }));
    assertEquals(StreamFixtures.ints(0, 20), out);
    // prefetch 8, topped up by 6 (= 8 - 8/4) each time 6 were taken
    assertEquals(List.of("request 8", "request 6", "request 6", "request 6", "cancel"), events);
  }

  @Test
  void fromPublisher_onError_rejectsWithTheSameError_afterTheElementsBeforeIt() {
    IllegalStateException boom = new IllegalStateException("boom");
    Flow.Publisher<Integer> failing = s -> s.onSubscribe(new Flow.Subscription() {
      private boolean sent;

      @Override
      public void request(long n) {
        if (!sent) {
          sent = true;
          s.onNext(1);
          s.onNext(2);
          s.onError(boom);
        }
      }

      @Override
      public void cancel() {}
    });
    List<Object> seen = new ArrayList<>();
    loop.run(() -> AsyncStream.fromPublisher(failing).forEach(seen::add).catchError(e -> {
      seen.add(e);
      return null;
    }));
    assertEquals(List.of(1, 2, boom), seen);
    assertSame(boom, seen.get(2));
  }

  @Test
  void acrossTwoLoops_aStartedLoopPublishes_anotherConsumes() {
    EventLoop server = EventLoop.builder().name("server").build().start();
    try {
      Flow.Publisher<Integer> pub = AsyncStream.range(0, 500).map(x -> x * 2).toPublisher(server);
      AtomicReference<@Nullable Long> sum = new AtomicReference<>();
      EventLoop client = EventLoop.create();
      client.run(() -> AsyncStream.fromPublisher(pub, 16).reduce(0L, (a, b) -> a + b).thenAccept(sum::set));
      assertEquals(249_500L, sum.get());
    } finally {
      server.close();
    }
  }
}
