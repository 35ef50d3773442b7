package org.eventloop4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TimersTest {
  private final List<String> log = new ArrayList<>();
  private final EventLoop loop = EventLoop.builder().virtualTime().build();

  /** Logs how and when {@code p} settles, and handles its rejection. */
  private <T> void record(String name, Promise<T> p) {
    p.then(v -> log.add(name + " fulfilled with " + v + " at " + loop.now()),
        e -> log.add(name + " rejected with " + e.getClass().getSimpleName() + "(" + e.getMessage() + ") at "
            + loop.now()));
  }

  // ---- without a signal ----

  @Test
  void sleep_delay_fulfilsWithNullOnVirtualClock() {
    loop.run(() -> record("sleep", Timers.sleep(100)));
    assertEquals(List.of("sleep fulfilled with null at 100"), log);
  }

  @Test
  void sleep_zeroOrNegative_coercedToOneMillisecond() {
    loop.run(() -> {
      record("zero", Timers.sleep(0));
      record("negative", Timers.sleep(-10));
    });
    assertEquals(List.of("zero fulfilled with null at 1", "negative fulfilled with null at 1"), log);
  }

  @Test
  void sleep_duration_truncatedToMillis() {
    loop.run(() -> record("sleep", Timers.sleep(Duration.ofMillis(25).plusNanos(999_999))));
    assertEquals(List.of("sleep fulfilled with null at 25"), log);
  }

  @Test
  void sleep_sameDelay_settleInCreationOrderAndReactionsRunRightAfterEachTimer() {
    loop.run(() -> {
      record("a", Timers.sleep(10));
      record("b", Timers.sleep(10));
      loop.setTimeout(() -> log.add("plain timer"), 10);
      record("c", Timers.sleep(10));
    });
    assertEquals(List.of("a fulfilled with null at 10", "b fulfilled with null at 10", "plain timer",
        "c fulfilled with null at 10"), log);
  }

  @Test
  void setTimeout_value_fulfilsWithValue() {
    loop.run(() -> record("timeout", Timers.setTimeout(40, "v")));
    assertEquals(List.of("timeout fulfilled with v at 40"), log);
  }

  @Test
  void setImmediate_noSignal_fulfilsInCheckPhaseBeforeZeroTimeout() {
    loop.run(() -> {
      loop.setTimeout(() -> log.add("timeout 0"), 0);
      record("immediate", Timers.setImmediate());
      loop.nextTick(() -> log.add("tick"));
    });
    assertEquals(List.of("tick", "immediate fulfilled with null at 0", "timeout 0"), log);
  }

  // ---- with a signal ----

  @Test
  void sleep_abortedWhilePending_rejectsWithReasonAndClearsTimer() {
    loop.run(() -> {
      AbortController controller = new AbortController();
      record("sleep", Timers.sleep(10_000, controller.signal()));
      loop.setTimeout(() -> controller.abort(new IllegalStateException("cancelled")), 30);
    });
    assertEquals(List.of("sleep rejected with IllegalStateException(cancelled) at 30"), log);
    assertEquals(30, loop.now(), "the cleared timer must not keep the loop alive");
  }

  @Test
  void sleep_alreadyAbortedSignal_rejectsAtOnceWithoutTimer() {
    RuntimeException reason = new RuntimeException("early");
    AtomicReference<Promise.State> state = new AtomicReference<>();
    loop.run(() -> {
      Promise<?> p = Timers.sleep(500, AbortSignal.abort(reason));
      state.set(p.state());
      record("sleep", p);
    });
    assertEquals(Promise.State.REJECTED, state.get());
    assertEquals(List.of("sleep rejected with RuntimeException(early) at 0"), log);
    assertEquals(0, loop.now());
  }

  @Test
  void sleep_timeoutSignal_rejectsWithTimeoutError() {
    loop.run(() -> record("sleep", Timers.sleep(1_000, AbortSignal.timeout(50))));
    assertEquals(List.of("sleep rejected with TimeoutError(The operation was aborted due to timeout) at 50"), log);
  }

  @Test
  void sleep_signalAbortedAfterFiring_staysFulfilledAndListenerRemoved() {
    AbortController controller = new AbortController();
    loop.run(() -> {
      Timers.sleep(10, controller.signal()).thenRun(() -> log.add("fulfilled"));
      controller.signal().addListener(() -> log.add("user listener"));
      loop.setTimeout(controller::abort, 20);
    });
    assertEquals(List.of("fulfilled", "user listener"), log);
  }

  @Test
  void setTimeout_valueAndSignal_fulfilsWhenNotAborted() {
    loop.run(() -> record("timeout", Timers.setTimeout(5, 42, new AbortController().signal())));
    assertEquals(List.of("timeout fulfilled with 42 at 5"), log);
  }

  @Test
  void setTimeout_abortFromSameCallbackAsDueTime_firstToRunWins() {
    loop.run(() -> {
      AbortController controller = new AbortController();
      loop.setTimeout(controller::abort, 10);
      record("timeout", Timers.setTimeout(10, "late", controller.signal()));
    });
    assertEquals(List.of("timeout rejected with AbortError(This operation was aborted) at 10"), log);
  }

  @Test
  void setImmediate_abortedBeforeCheckPhase_rejectsAndNeverFires() {
    loop.run(() -> {
      AbortController controller = new AbortController();
      record("immediate", Timers.setImmediate("x", controller.signal()));
      controller.abort();
    });
    assertEquals(List.of("immediate rejected with AbortError(This operation was aborted) at 0"), log);
  }

  @Test
  void setImmediate_signalNotAborted_fulfilsWithValue() {
    loop.run(() -> {
      record("a", Timers.setImmediate(new AbortController().signal()));
      record("b", Timers.setImmediate("b", new AbortController().signal()));
    });
    assertEquals(List.of("a fulfilled with null at 0", "b fulfilled with b at 0"), log);
  }

  @Test
  void sleep_abortedFromForeignThread_rejectsOnLoopWithoutWaitingForTimer() {
    AtomicReference<Thread> loopThread = new AtomicReference<>();
    AtomicReference<Thread> rejectionThread = new AtomicReference<>();
    AbortController controller = new AbortController();
    loop.run(() -> {
      loopThread.set(Thread.currentThread());
      EventLoop.KeepAlive untilAborted = loop.keepAlive();
      record("sleep", Timers.sleep(10_000, controller.signal()));
      Timers.sleep(10_000, controller.signal()).catchError(e -> {
        rejectionThread.set(Thread.currentThread());
        untilAborted.close();
        return null;
      });
      Thread.ofPlatform().start(controller::abort);
    });
    assertEquals(List.of("sleep rejected with AbortError(This operation was aborted) at 0"), log);
    assertSame(loopThread.get(), rejectionThread.get());
  }

  // ---- bad input ----

  @Test
  void signalMethods_nullSignal_throwNpeNamingSignal() {
    loop.run(() -> {
      assertEquals("signal", assertThrows(NullPointerException.class, () -> Timers.sleep(1, null)).getMessage());
      assertEquals("signal", assertThrows(NullPointerException.class,
          () -> Timers.setTimeout(1, "v", null)).getMessage());
      assertEquals("signal", assertThrows(NullPointerException.class,
          () -> Timers.setImmediate((AbortSignal) null)).getMessage());
      assertEquals("signal", assertThrows(NullPointerException.class,
          () -> Timers.setImmediate("v", null)).getMessage());
    });
  }

  @Test
  void sleep_nullDuration_throwsNpeNamingDelay() {
    loop.run(() -> {
      assertEquals("delay", assertThrows(NullPointerException.class, () -> Timers.sleep((Duration) null)).getMessage());
      assertEquals("delay", assertThrows(NullPointerException.class,
          () -> Timers.sleep(null, new AbortController().signal())).getMessage());
    });
  }

  @Test
  void sleep_offLoop_throwsIllegalState() {
    assertThrows(IllegalStateException.class, () -> Timers.sleep(1));
    assertThrows(IllegalStateException.class, () -> Timers.sleep(1, new AbortController().signal()));
  }
}
