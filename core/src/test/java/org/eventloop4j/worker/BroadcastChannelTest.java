package org.eventloop4j.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eventloop4j.EventLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BroadcastChannelTest {
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());

  @Test
  void aPostReachesEveryOtherChannelOfTheName_onAnotherLoopAndInAWorker_butNotTheSender() throws Exception {
    String name = "news-" + System.nanoTime();
    EventLoop side = EventLoop.create();
    CountDownLatch sideListening = new CountDownLatch(1);
    Thread sideThread = Thread.ofPlatform().start(() -> side.run(() -> {
      BroadcastChannel c = new BroadcastChannel(name);
      c.onMessage(m -> {
        log.add("side got " + m);
        if (m.equals("bye")) {
          c.close();
        }
      });
      sideListening.countDown();
    }));
    assertTrue(sideListening.await(10, TimeUnit.SECONDS));
    EventLoop.create().run(() -> {
      BroadcastChannel main = new BroadcastChannel(name);
      main.onMessage(m -> {
        log.add("main got " + m);
        main.postMessage("bye");
        main.close();
      });
      Worker.start(scope -> {
        BroadcastChannel w = new BroadcastChannel(name);
        w.onMessage(m -> {
          log.add("worker got " + m);
          if (m.equals("hello")) {
            w.postMessage("hi from the worker");
          } else {
            w.close();
          }
        });
        scope.postMessage("ready");
        scope.parentPort().unref();
      }).onMessage(ready -> main.postMessage("hello"));
    });
    sideThread.join(10_000);
    side.close();
    List<String> sorted = new ArrayList<>(log);
    Collections.sort(sorted);
    assertEquals(List.of("main got hi from the worker", "side got bye", "side got hello", "side got hi from the worker",
        "worker got bye", "worker got hello"), sorted);
    assertEquals(0, BroadcastChannel.members(name));
  }

  @Test
  void anOpenChannel_keepsItsLoopAlive_untilClosedOrUnrefd() {
    String name = "alive-" + System.nanoTime();
    EventLoop loop = EventLoop.builder().virtualTime().build();
    loop.run(() -> {
      BroadcastChannel listener = new BroadcastChannel(name).onMessage(m -> log.add(loop.now() + ": " + m));
      assertTrue(listener.hasRef());
      loop.setTimeout(() -> {
        BroadcastChannel sender = new BroadcastChannel(name);
        sender.postMessage("after a minute");
        sender.close();
      }, 60_000).unref();
      loop.setTimeout(listener::close, 60_001).unref();
    });
    assertEquals(List.of("60000: after a minute"), log);
    loop.run(() -> {
      BroadcastChannel idle = new BroadcastChannel(name).unref();
      assertFalse(idle.hasRef());
      log.add("unref'd run ended");
    });
    assertEquals(List.of("60000: after a minute", "unref'd run ended"), log);
  }

  @Test
  void badInput_andUseAfterClose_areClearErrors() {
    assertThrows(IllegalStateException.class, () -> new BroadcastChannel("off a loop"));
    EventLoop.builder().virtualTime().build().run(() -> {
      assertThrows(NullPointerException.class, () -> new BroadcastChannel(null));
      BroadcastChannel c = new BroadcastChannel("errors");
      assertThrows(NullPointerException.class, () -> c.postMessage(null));
      assertThrows(NullPointerException.class, () -> c.onMessage(null));
      c.close();
      c.close();
      assertTrue(c.isClosed());
      assertFalse(c.hasRef());
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.postMessage("x"));
      assertEquals("BroadcastChannel is closed.", e.getMessage());
      assertEquals(0, BroadcastChannel.members("errors"));
    });
  }

  @Test
  void postsFromManyThreads_arriveInEachSendersOrder() throws Exception {
    String name = "many-" + System.nanoTime();
    int senders = 3;
    int perSender = 2_000;
    int[] next = new int[senders];
    List<String> disorder = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    EventLoop.create().run(() -> {
      int[] got = {0};
      BroadcastChannel receiver = new BroadcastChannel(name);
      receiver.onMessage(m -> {
        int[] pair = (int[]) m;
        if (pair[1] != next[pair[0]]) {
          disorder.add("sender " + pair[0] + ": " + pair[1] + " before " + next[pair[0]]);
        }
        next[pair[0]] = pair[1] + 1;
        if (++got[0] == senders * perSender) {
          receiver.close();
        }
      });
      EventLoop loop = EventLoop.current();
      for (int s = 0; s < senders; s++) {
        int id = s;
        EventLoop.KeepAlive k = loop.keepAlive();
        threads.add(Thread.ofPlatform().start(() -> EventLoop.create().run(() -> {
          BroadcastChannel out = new BroadcastChannel(name);
          for (int i = 0; i < perSender; i++) {
            out.postMessage(new int[] {id, i});
          }
          out.close();
          k.close();
        })));
      }
    });
    for (Thread t : threads) {
      t.join(10_000);
    }
    assertEquals(List.of(), disorder);
    assertEquals(List.of(perSender, perSender, perSender), List.of(next[0], next[1], next[2]));
  }
}
