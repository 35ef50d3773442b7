package org.eventloop4j.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class WorkerTest {
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private final List<Worker> workers = new ArrayList<>();

  @AfterEach
  void noWorkerThreadOutlivesTheTest() throws InterruptedException {
    for (Worker w : workers) {
      w.thread().join(10_000);
      assertFalse(w.thread().isAlive(), w + " outlived the test");
    }
  }

  private Worker start(Worker.Script script) {
    Worker w = Worker.start(script);
    workers.add(w);
    return w;
  }

  private static void run(Runnable main) {
    EventLoop.create().run(main);
  }

  @Test
  void echo_roundTripsInOrderThenTerminateExitsWithCode1() {
    List<Object> replies = new ArrayList<>();
    run(() -> {
      Worker w = start(scope -> scope.onMessage(scope::postMessage));
      w.onMessage(m -> {
        replies.add(m);
        if (replies.size() == 100) {
          w.terminate().thenAccept(code -> log.add("exit " + code));
        }
      });
      for (int i = 0; i < 100; i++) {
        w.postMessage(i);
      }
    });
    List<Object> expected = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      expected.add(i);
    }
    assertEquals(expected, replies);
    assertEquals(List.of("exit 1"), log);
  }

  @Test
  void workerEndsBeforeTheParentListens_messagesStillComeBeforeExit() throws InterruptedException {
    run(() -> {
      Worker w = start(scope -> {
        scope.postMessage("one");
        scope.postMessage("two");
      });
      try {
        w.thread().join(10_000); // the worker has posted its messages (held by the port) and its exit task
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      assertFalse(w.thread().isAlive());
      w.onMessage(m -> log.add("message " + m)); // posts the held messages only now, behind the exit task
      w.onExit(code -> log.add("exit " + code));
    });
    assertEquals(List.of("message one", "message two", "exit 0"), log);
  }

  @Test
  void script_withTimersAndPromises_runsOnItsOwnLoopAndExitsWith0WhenDone() {
    AtomicReference<EventLoop> parentLoop = new AtomicReference<>();
    run(() -> {
      parentLoop.set(EventLoop.current());
      Worker w = start(scope -> {
        EventLoop mine = EventLoop.current();
        String where = mine == scope.loop() ? "own loop" : "wrong loop";
        mine.setTimeout(() -> Promise.resolve(where).then(s -> {
          scope.postMessage(s + " on " + Thread.currentThread().getName().startsWith("eventloop4j-worker"));
          return null;
        }), 5);
      });
      w.onMessage(m -> log.add("message: " + m));
      w.onExit(code -> log.add("exit " + code));
    });
    assertEquals(2, log.size(), log::toString);
    assertTrue(log.get(0).startsWith("message: own loop"), log::toString);
    assertEquals("exit 0", log.get(1));
  }

  @Test
  void script_asyncAwait_worksOnTheWorkersLoopAndCanAwaitAPoolTask() {
    WorkerPool pool = WorkerPool.builder().threads(1).build();
    run(() -> start(scope -> Async.async(() -> {
      Async.await(Async.sleep(2));
      int doubled = Async.await(pool.execute((Integer x) -> x * 2, 21));
      scope.postMessage("awaited " + doubled);
      return null;
    })).onMessage(m -> log.add((String) m)).onExit(code -> {
      log.add("exit " + code);
      pool.terminate();
    }));
    assertEquals(List.of("awaited 42", "exit 0"), log);
  }

  @Test
  void scriptThrowsCheckedException_parentGetsTheErrorThenExit1() {
    IOException boom = new IOException("no such file");
    AtomicReference<Throwable> seen = new AtomicReference<>();
    run(() -> {
      Worker w = start(scope -> {
        throw boom;
      });
      w.onError(e -> {
        seen.set(e);
        log.add("error");
      });
      w.onExit(code -> log.add("exit " + code));
    });
    assertSame(boom, seen.get());
    assertEquals(List.of("error", "exit 1"), log);
  }

  @Test
  void uncaughtErrorInACallbackOrUnhandledRejection_endsTheWorkerWithAnErrorEvent() {
    IllegalStateException inTimer = new IllegalStateException("timer failed");
    IllegalStateException rejected = new IllegalStateException("nobody handled me");
    List<Throwable> seen = Collections.synchronizedList(new ArrayList<>());
    run(() -> {
      start(scope -> scope.loop().setTimeout(() -> {
        throw inTimer;
      }, 1)).onError(seen::add).onExit(code -> log.add("first exit " + code));
      start(scope -> Promise.reject(rejected)).onError(seen::add).onExit(code -> log.add("second exit " + code));
    });
    assertTrue(seen.contains(inTimer) && seen.contains(rejected), seen::toString);
    assertTrue(log.containsAll(List.of("first exit 1", "second exit 1")), log::toString);
  }

  @Test
  void noErrorHandler_theErrorIsUncaughtOnTheParentLoop() {
    IllegalArgumentException boom = new IllegalArgumentException("unhandled in worker");
    RuntimeException thrown = assertThrows(RuntimeException.class, () -> run(() -> start(scope -> {
      throw boom;
    })));
    assertSame(boom, thrown);
  }

  @Test
  void exit_givesItsCodeToTheParent() {
    run(() -> start(scope -> {
      scope.onMessage(m -> log.add("never"));
      scope.loop().setTimeout(() -> scope.exit(7), 1);
    }).exited().thenAccept(code -> log.add("exit " + code)));
    assertEquals(List.of("exit 7"), log);
  }

  @Test
  void postMessage_afterTerminate_throwsAndTerminateIsIdempotent() {
    AtomicReference<Throwable> e = new AtomicReference<>();
    run(() -> {
      Worker w = start(scope -> scope.onMessage(m -> {}));
      Promise<Integer> first = w.terminate();
      e.set(assertThrows(IllegalStateException.class, () -> w.postMessage("too late")));
      Promise<Integer> second = w.terminate();
      Promise.all(first, second).thenAccept(codes -> {
        log.add("codes " + codes);
        w.terminate().thenAccept(c -> log.add("after exit " + c));
      });
    });
    assertTrue(e.get().getMessage().contains("was terminated"), e.get().getMessage());
    assertEquals(List.of("codes [1, 1]", "after exit 1"), log);
  }

  @Test
  void workerData_andMessages_arePassedByReference() {
    record Job(List<Integer> items) {}
    Job job = new Job(List.of(1, 2, 3));
    AtomicReference<Object> back = new AtomicReference<>();
    run(() -> {
      Worker w = Worker.builder().name("data-worker").workerData(job).start(scope -> {
        scope.postMessage(scope.workerData());
        scope.postMessage(scope.threadId());
      });
      workers.add(w);
      w.onMessage(m -> {
        if (m instanceof Job) {
          back.set(m);
        } else {
          log.add("threadId matches " + m.equals(w.threadId()));
        }
      });
    });
    assertSame(job, back.get());
    assertEquals(List.of("threadId matches true"), log);
  }

  @Test
  void messageChannel_aPortHandedToAWorkerCarriesItsOwnConversation() {
    run(() -> {
      MessageChannel ch = new MessageChannel();
      Worker w = start(scope -> scope.onMessage(m -> {
        MessagePort port = (MessagePort) m;
        port.onMessage(x -> {
          port.postMessage("worker saw " + x);
          port.close();
          scope.close();
        });
      }));
      w.postMessage(ch.port2());
      ch.port1().onMessage(m -> log.add((String) m));
      ch.port1().postMessage("ping");
    });
    assertEquals(List.of("worker saw ping"), log);
  }

  @Test
  void messageChannel_twoWorkersTalkDirectly() {
    run(() -> {
      MessageChannel ch = new MessageChannel();
      Worker pinger = Worker.builder().workerData(ch.port1()).start(scope -> {
        MessagePort port = (MessagePort) scope.workerData();
        port.onMessage(reply -> {
          scope.postMessage("pinger got " + reply);
          port.close();
        });
        port.postMessage("ping");
      });
      Worker ponger = Worker.builder().workerData(ch.port2()).start(scope -> {
        MessagePort port = (MessagePort) scope.workerData();
        port.onMessage(x -> port.postMessage(x + " pong"));
      });
      workers.add(pinger);
      workers.add(ponger);
      pinger.onMessage(m -> log.add((String) m));
      pinger.onExit(c -> log.add("pinger exit " + c));
      ponger.onExit(c -> log.add("ponger exit " + c));
    });
    // The pinger's message comes before the pinger's exit (one worker's events keep their order); the
    // ponger's exit, caused by the pinger closing the channel, comes from another thread: any place.
    assertEquals(3, log.size(), log::toString);
    assertTrue(log.containsAll(List.of("pinger got ping pong", "pinger exit 0", "ponger exit 0")), log::toString);
    assertTrue(log.indexOf("pinger got ping pong") < log.indexOf("pinger exit 0"), log::toString);
  }

  @Test
  void parentPortUnref_workerEndsWhenIdleThoughListening() {
    run(() -> start(scope -> {
      scope.onMessage(m -> {});
      scope.parentPort().unref();
      scope.loop().setTimeout(() -> scope.postMessage("done"), 2);
    }).onMessage(m -> log.add((String) m)).onExit(c -> log.add("exit " + c)));
    assertEquals(List.of("done", "exit 0"), log);
  }

  @Test
  void unref_theParentLoopDoesNotWaitForTheWorker() {
    EventLoop loop = EventLoop.create();
    AtomicReference<Worker> w = new AtomicReference<>();
    loop.run(() -> w.set(start(scope -> scope.onMessage(m -> {})).unref()));
    log.add("parent loop ended");
    loop.run(() -> w.get().ref().terminate().thenAccept(c -> log.add("exit " + c)));
    assertEquals(List.of("parent loop ended", "exit 1"), log);
  }

  @Test
  void terminate_aWorkerBusyWithAnInterval_stopsIt() {
    run(() -> {
      Worker w = start(scope -> scope.loop().setInterval(() -> scope.postMessage("tick"), 1));
      w.onMessage(m -> {
        if (log.isEmpty()) {
          log.add("ticking");
          w.terminate().thenAccept(c -> log.add("exit " + c));
        }
      });
    });
    assertEquals(List.of("ticking", "exit 1"), log);
  }

  @Test
  void parentOnlyMethods_offTheParentLoop_throw() {
    assertThrows(IllegalStateException.class, () -> Worker.start(scope -> {}));
    AtomicReference<Worker> w = new AtomicReference<>();
    run(() -> w.set(start(scope -> {})));
    assertThrows(IllegalStateException.class, () -> w.get().terminate());
    assertThrows(IllegalStateException.class, () -> w.get().onMessage(m -> {}));
    assertThrows(NullPointerException.class, () -> run(() -> start(null)));
  }

  @Test
  void onlineComesFirst_andTerminatePromiseSettlesInOrderWithExitHandlers() {
    run(() -> {
      Worker w = start(scope -> {
        scope.postMessage("hello");
        scope.onMessage(m -> {});
      });
      w.onOnline(() -> log.add("online"));
      w.onExit(code -> log.add("exit handler " + code));
      w.onMessage(m -> {
        log.add("message " + m);
        w.terminate().thenAccept(code -> log.add("terminate " + code));
        w.onExit(code -> log.add("later exit handler " + code));
      });
    });
    assertEquals(List.of("online", "message hello", "exit handler 1", "later exit handler 1", "terminate 1"), log);
  }
}
