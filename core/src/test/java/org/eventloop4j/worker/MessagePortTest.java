package org.eventloop4j.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.eventloop4j.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MessagePortTest {
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private final List<Thread> threads = new ArrayList<>();

  @AfterEach
  void noThreadOutlivesTheTest() throws InterruptedException {
    for (Thread t : threads) {
      t.join(10_000);
      assertFalse(t.isAlive());
    }
  }

  private void spawn(Runnable r) {
    threads.add(Thread.ofPlatform().start(r));
  }

  @Test
  void listeningPortOnAVirtualClock_timersStillJumpAhead() {
    EventLoop loop = EventLoop.builder().virtualTime().build();
    loop.run(() -> {
      MessageChannel ch = new MessageChannel();
      ch.port1().onMessage(m -> log.add(loop.now() + ": got " + m));
      loop.setTimeout(() -> ch.port2().postMessage("after an hour"), 3_600_000);
      loop.setTimeout(ch.port1()::close, 3_600_001);
    });
    assertEquals(List.of("3600000: got after an hour"), log);
  }

  @Test
  void postBeforeOnMessage_isQueuedAndDeliveredInOrderOnceStarted() {
    MessageChannel ch = new MessageChannel();
    ch.port2().postMessage("a");
    ch.port2().postMessage("b");
    EventLoop.builder().virtualTime().build().run(() -> {
      ch.port1().onMessage(m -> {
        log.add("got " + m);
        if (m.equals("c")) {
          ch.port1().close();
        }
      });
      ch.port2().postMessage("c");
      log.add("main done");
    });
    assertEquals(List.of("main done", "got a", "got b", "got c"), log);
  }

  @Test
  void messages_areMacrotasks_microtasksRunBetweenThem() {
    MessageChannel ch = new MessageChannel();
    EventLoop loop = EventLoop.builder().virtualTime().build();
    loop.run(() -> {
      ch.port1().onMessage(m -> {
        log.add("message " + m);
        loop.queueMicrotask(() -> log.add("microtask after " + m));
        if (m.equals(2)) {
          ch.port1().close();
        }
      });
      ch.port2().postMessage(1);
      ch.port2().postMessage(2);
    });
    assertEquals(List.of("message 1", "microtask after 1", "message 2", "microtask after 2"), log);
  }

  @Test
  void listeningPort_keepsTheLoopAliveUntilClosed() {
    MessageChannel ch = new MessageChannel();
    EventLoop.create().run(() -> {
      ch.port1().onMessage(m -> {
        log.add("got " + m);
        ch.port1().close();
      });
      spawn(() -> ch.port2().postMessage("from another thread"));
    });
    assertEquals(List.of("got from another thread"), log);
    assertTrue(ch.port1().isClosed());
  }

  @Test
  void unref_letsTheLoopEndWhileListening() {
    MessageChannel ch = new MessageChannel();
    EventLoop loop = EventLoop.builder().virtualTime().build();
    loop.run(() -> {
      ch.port1().onMessage(m -> log.add("got " + m)).unref();
      assertFalse(ch.port1().hasRef());
      loop.setTimeout(() -> ch.port2().postMessage("while alive"), 5);
    });
    assertEquals(List.of("got while alive"), log);
    loop.run(() -> ch.port1().ref().close());
  }

  @Test
  void postFromManyThreads_eachThreadsMessagesArriveInOrder() {
    MessageChannel ch = new MessageChannel();
    int perThread = 2_000;
    Map<Integer, Integer> next = new TreeMap<>();
    List<String> disorder = new ArrayList<>();
    EventLoop.create().run(() -> {
      int[] total = {0};
      ch.port1().onMessage(m -> {
        int[] pair = (int[]) m;
        int expected = next.getOrDefault(pair[0], 0);
        if (pair[1] != expected) {
          disorder.add("thread " + pair[0] + " sent " + pair[1] + " before " + expected);
        }
        next.put(pair[0], pair[1] + 1);
        if (++total[0] == 3 * perThread) {
          ch.port1().close();
        }
      });
      for (int t = 0; t < 3; t++) {
        int id = t;
        spawn(() -> {
          for (int i = 0; i < perThread; i++) {
            ch.port2().postMessage(new int[] {id, i});
          }
        });
      }
    });
    assertEquals(List.of(), disorder);
    assertEquals(Map.of(0, perThread, 1, perThread, 2, perThread), next);
  }

  @Test
  void close_peerReceivesWhatWasPostedBeforeThenCloses() {
    MessageChannel ch = new MessageChannel();
    EventLoop loop = EventLoop.builder().virtualTime().build();
    loop.run(() -> {
      ch.port2().onMessage(m -> log.add("port2 got " + m));
      ch.port1().onMessage(m -> log.add("port1 got " + m));
      ch.port1().postMessage("last words");
      ch.port2().postMessage("in flight to the closing end");
      ch.port1().close();
      assertThrows(IllegalStateException.class, () -> ch.port1().postMessage("after close"));
    });
    assertEquals(List.of("port2 got last words"), log);
    assertTrue(ch.port2().isClosed());
  }

  @Test
  void messages_arePassedByReference() {
    MessageChannel ch = new MessageChannel();
    record Point(int x, int y) {}
    Point p = new Point(1, 2);
    AtomicReference<Object> got = new AtomicReference<>();
    EventLoop.builder().virtualTime().build().run(() -> {
      ch.port1().onMessage(m -> {
        got.set(m);
        ch.port1().close();
      });
      ch.port2().postMessage(p);
    });
    assertSame(p, got.get());
  }

  @Test
  void handlerThrows_isAnUncaughtExceptionOfTheReceivingLoop() {
    MessageChannel ch = new MessageChannel();
    IllegalStateException boom = new IllegalStateException("handler failed");
    RuntimeException thrown = assertThrows(RuntimeException.class, () -> EventLoop.builder().virtualTime().build().run(() -> {
      ch.port1().onMessage(m -> {
        throw boom;
      });
      ch.port2().postMessage("x");
    }));
    assertSame(boom, thrown);
  }

  @Test
  void onMessage_fromAnotherLoop_orOffLoop_throws() {
    MessageChannel ch = new MessageChannel();
    assertThrows(IllegalStateException.class, () -> ch.port1().onMessage(m -> {}));
    EventLoop first = EventLoop.builder().virtualTime().build();
    first.run(() -> ch.port1().onMessage(m -> {}).unref());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> EventLoop.builder().virtualTime().build().run(() -> ch.port1().onMessage(m -> {})));
    assertTrue(e.getMessage().contains("bound to event loop " + first.name()), e.getMessage());
    assertThrows(NullPointerException.class, () -> ch.port2().postMessage(null));
  }

  @Test
  void closeInsideItsOwnHandler_stillDeliversWhatWasQueuedThenFiresCloseOnBothEnds() {
    MessageChannel ch = new MessageChannel();
    EventLoop loop = EventLoop.create();
    loop.run(() -> {
      ch.port1().onMessage(m -> {
        log.add("got " + m);
        if (m.equals("a")) {
          ch.port1().close();
          assertTrue(ch.port1().isClosed());
          assertThrows(IllegalStateException.class, () -> ch.port1().postMessage("refused"));
        }
      });
      ch.port2().onMessage(m -> log.add("port2 got " + m));
      ch.port1().onClose(() -> log.add("port1 close"));
      ch.port2().onClose(() -> log.add("port2 close"));
      ch.port2().postMessage("a");
      ch.port2().postMessage("b");
      loop.setImmediate(() -> log.add("immediate"));
    });
    assertEquals(List.of("got a", "got b", "immediate", "port1 close", "port2 close"), log);
    assertFalse(ch.port1().hasRef());
  }

  @Test
  void hasRef_isFalseUntilStartedAndAfterClose() {
    MessageChannel ch = new MessageChannel();
    EventLoop.builder().virtualTime().build().run(() -> {
      assertFalse(ch.port1().hasRef());
      ch.port1().onMessage(m -> {});
      assertTrue(ch.port1().hasRef());
      ch.port1().close();
      assertFalse(ch.port1().hasRef());
    });
  }
}
