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
  void portsMadeOffTheLoop_countAsMadeWhenTheyStartListening() {
    MessageChannel early = new MessageChannel(); // made off any loop: its place is taken when it binds
    EventLoop.builder().virtualTime().build().run(() -> {
      MessageChannel late = new MessageChannel();
      late.port1().onMessage(m -> log.add("late " + m));
      early.port1().onMessage(m -> log.add("early " + m));
      MessageChannel last = new MessageChannel();
      last.port1().onMessage(m -> {
        log.add("last " + m);
        early.port1().close();
        late.port1().close();
        last.port1().close();
      });
      last.port2().postMessage(1);
      early.port2().postMessage(1);
      late.port2().postMessage(1);
      early.port2().postMessage(2);
    });
    assertEquals(List.of("late 1", "early 1", "early 2", "last 1"), log);
  }

  @Test
  void postFromAnotherThread_toAnUnrefdPort_keepsTheLoopAliveUntilDelivered() {
    MessageChannel ch = new MessageChannel();
    EventLoop loop = EventLoop.create();
    loop.run(() -> {
      ch.port1().onMessage(m -> log.add("got " + m)).unref();
      EventLoop.KeepAlive k = loop.keepAlive();
      spawn(() -> {
        ch.port2().postMessage("from a thread");
        k.close(); // the posted message itself keeps the loop alive from here on
      });
    });
    assertEquals(List.of("got from a thread"), log);
    loop.run(() -> ch.port1().ref().close());
  }

  @Test
  void manyPortsFedByManyThreads_withAsyncBodiesInTheHandlers_loseNothingAndKeepEachSendersOrder() {
    int ports = 4;
    int senders = 3;
    int perSender = 1_500;
    List<MessageChannel> channels = new ArrayList<>();
    int[][] next = new int[ports][senders];
    List<String> disorder = new ArrayList<>();
    int[] resumed = {0};
    EventLoop.create().run(() -> {
      int[] open = {ports};
      for (int p = 0; p < ports; p++) {
        MessageChannel ch = new MessageChannel();
        channels.add(ch);
        int port = p;
        int[] count = {0};
        ch.port1().onMessage(m -> {
          int[] pair = (int[]) m;
          if (pair[1] != next[port][pair[0]]) {
            disorder.add("port " + port + ": sender " + pair[0] + " sent " + pair[1] + " before "
                + next[port][pair[0]]);
          }
          next[port][pair[0]] = pair[1] + 1;
          org.eventloop4j.Async.async(() -> { // resumed in the message's own drain, on another strand by default
            org.eventloop4j.Async.await(org.eventloop4j.Promise.resolve(pair));
            resumed[0]++;
            return null;
          });
          if (++count[0] == senders * perSender) {
            ch.port1().close();
            open[0]--;
          }
        });
      }
      for (int t = 0; t < senders; t++) {
        int id = t;
        spawn(() -> {
          for (int i = 0; i < perSender; i++) {
            for (MessageChannel ch : channels) {
              ch.port2().postMessage(new int[] {id, i});
            }
          }
        });
      }
    });
    assertEquals(List.of(), disorder);
    for (int[] row : next) {
      for (int n : row) {
        assertEquals(perSender, n);
      }
    }
    assertEquals(ports * senders * perSender, resumed[0]);
  }

  @Test
  void stopInsideAHandler_leavesTheRestForTheNextRun_inOrder() {
    MessageChannel a = new MessageChannel();
    MessageChannel b = new MessageChannel();
    EventLoop loop = EventLoop.builder().virtualTime().build();
    loop.run(() -> {
      a.port1().onMessage(m -> {
        log.add("a " + m);
        if (m.equals(2)) {
          loop.stop();
        }
      });
      b.port1().onMessage(m -> log.add("b " + m));
      for (int i = 1; i <= 3; i++) {
        a.port2().postMessage(i);
        b.port2().postMessage(i);
      }
    });
    assertEquals(List.of("a 1", "a 2"), log);
    loop.run(() -> loop.setTimeout(() -> {
      a.port1().close();
      b.port1().close();
    }, 1));
    assertEquals(List.of("a 1", "a 2", "a 3", "b 1", "b 2", "b 3"), log);
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
