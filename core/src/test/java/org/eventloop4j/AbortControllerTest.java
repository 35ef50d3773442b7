package org.eventloop4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class AbortControllerTest {
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());

  private static EventLoop virtual() {
    return EventLoop.builder().virtualTime().build();
  }

  @Test
  void signal_calledTwice_sameObjectNotAborted() {
    AbortController controller = new AbortController();
    assertSame(controller.signal(), controller.signal());
    assertFalse(controller.signal().aborted());
    assertNull(controller.signal().reason());
  }

  @Test
  void abort_noReason_abortsWithDefaultAbortError() {
    AbortController controller = new AbortController();
    controller.abort();
    assertTrue(controller.signal().aborted());
    AbortError reason = assertInstanceOf(AbortError.class, controller.signal().reason());
    assertEquals("This operation was aborted", reason.getMessage());
  }

  @Test
  void abort_withReason_signalCarriesThatReason() {
    AbortController controller = new AbortController();
    IllegalStateException reason = new IllegalStateException("shutdown");
    controller.abort(reason);
    assertSame(reason, controller.signal().reason());
  }

  @Test
  void abort_nullReason_throwsNpeNamingReason() {
    AbortController controller = new AbortController();
    NullPointerException e = assertThrows(NullPointerException.class, () -> controller.abort(null));
    assertEquals("reason", e.getMessage());
    assertFalse(controller.signal().aborted());
  }

  @Test
  void abort_twice_secondIsNoOp() {
    AbortController controller = new AbortController();
    RuntimeException first = new RuntimeException("first");
    controller.signal().addListener(() -> log.add("listener"));
    controller.abort(first);
    controller.abort(new RuntimeException("second"));
    controller.abort();
    assertSame(first, controller.signal().reason());
    assertEquals(List.of("listener"), log);
  }

  @Test
  void abort_onLoop_runsListenersSynchronouslyInRegistrationOrder() {
    EventLoop loop = virtual();
    loop.run(() -> {
      AbortController controller = new AbortController();
      controller.signal().addListener(() -> log.add("a"));
      controller.signal().addListener(() -> log.add("b"));
      controller.signal().addListener(() -> log.add("c"));
      log.add("before");
      controller.abort();
      log.add("after");
    });
    assertEquals(List.of("before", "a", "b", "c", "after"), log);
  }

  @Test
  void abort_throwingListener_othersRunAndErrorReachesUncaughtHandlerOnNextTick() {
    List<Throwable> uncaught = new ArrayList<>();
    EventLoop loop = EventLoop.builder().virtualTime().onUncaughtException(uncaught::add).build();
    IllegalStateException boom = new IllegalStateException("boom");
    loop.run(() -> {
      AbortController controller = new AbortController();
      controller.signal().addListener(() -> log.add("a"));
      controller.signal().addListener(() -> {
        throw boom;
      });
      controller.signal().addListener(() -> log.add("c"));
      controller.abort();
      log.add("after abort, errors so far: " + uncaught.size());
    });
    assertEquals(List.of("a", "c", "after abort, errors so far: 0"), log);
    assertEquals(List.of(boom), uncaught);
  }

  @Test
  void abort_throwingListenerWithoutHandler_runThrowsIt() {
    EventLoop loop = virtual();
    IllegalStateException boom = new IllegalStateException("boom");
    IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> loop.run(() -> {
      AbortController controller = new AbortController();
      controller.signal().addListener(() -> {
        throw boom;
      });
      controller.signal().addListener(() -> log.add("second listener"));
      controller.abort();
    }));
    assertSame(boom, thrown);
    assertEquals(List.of("second listener"), log);
  }

  @Test
  void abort_offLoopWithThrowingListeners_throwsFirstAfterAllRanOthersSuppressed() {
    AbortController controller = new AbortController();
    RuntimeException first = new RuntimeException("first");
    AssertionError second = new AssertionError("second");
    controller.signal().addListener(() -> {
      throw first;
    });
    controller.signal().addListener(() -> log.add("middle"));
    controller.signal().addListener(() -> {
      throw second;
    });
    RuntimeException thrown = assertThrows(RuntimeException.class, controller::abort);
    assertSame(first, thrown);
    assertEquals(List.of(second), List.of(thrown.getSuppressed()));
    assertEquals(List.of("middle"), log);
    assertTrue(controller.signal().aborted());
  }

  @Test
  void abort_fromForeignThread_reasonVisibleAtOnceListenerPostedToItsLoop() throws InterruptedException {
    EventLoop loop = virtual();
    AbortController controller = new AbortController();
    AtomicReference<EventLoop> listenerLoop = new AtomicReference<>();
    loop.run(() -> controller.signal().addListener(() -> listenerLoop.set(EventLoop.tryCurrent())));
    Thread foreign = Thread.ofPlatform().start(controller::abort);
    foreign.join();
    assertTrue(controller.signal().aborted());
    assertNull(listenerLoop.get(), "listener must not run on the aborting thread");
    loop.runUntilIdle();
    assertSame(loop, listenerLoop.get(), "the listener runs as a callback of its loop");
  }

  @Test
  void abort_fromForeignThreadWhileLoopWaits_listenerRunsInPollPhaseBeforeImmediate() {
    EventLoop loop = virtual();
    AbortController controller = new AbortController();
    loop.run(() -> {
      EventLoop.KeepAlive keepAlive = loop.keepAlive();
      controller.signal().addListener(() -> {
        log.add("listener on loop thread: " + (EventLoop.tryCurrent() == loop));
        loop.setImmediate(() -> log.add("immediate"));
        loop.setTimeout(() -> log.add("timeout"), 0);
        keepAlive.close();
      });
      Thread.ofPlatform().start(controller::abort);
    });
    assertEquals(List.of("listener on loop thread: true", "immediate", "timeout"), log);
  }

  @Test
  void abort_listenerOfClosedLoop_notRunAndAbortDoesNotThrow() {
    EventLoop loop = virtual();
    AbortController controller = new AbortController();
    loop.run(() -> controller.signal().addListener(() -> log.add("listener")));
    loop.close();
    controller.abort();
    assertTrue(controller.signal().aborted());
    assertEquals(List.of(), log);
  }

  @Test
  void toString_beforeAndAfterAbort_describesState() {
    AbortController controller = new AbortController();
    assertEquals("AbortController[AbortSignal[not aborted]]", controller.toString());
    controller.abort(new IllegalStateException("x"));
    assertEquals("AbortController[AbortSignal[aborted: java.lang.IllegalStateException: x]]", controller.toString());
  }
}
