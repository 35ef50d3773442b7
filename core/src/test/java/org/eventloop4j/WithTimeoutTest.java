package org.eventloop4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.eventloop4j.worker.TaskAbortedException;
import org.eventloop4j.worker.TaskOptions;
import org.eventloop4j.worker.WorkerPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Timers#withTimeout}: outcomes, the deadline on the virtual clock, the signals, bad input and order. */
@Timeout(10)
class WithTimeoutTest {
  private final List<String> log = new ArrayList<>();
  private final List<Throwable> unhandled = new ArrayList<>();
  private final EventLoop loop = EventLoop.builder().virtualTime()
      .onUnhandledRejection((reason, promise) -> unhandled.add(reason)).build();

  /** Logs how and when {@code p} settles, and handles its rejection. */
  private <T> void record(Promise<T> p) {
    p.then(v -> log.add("fulfilled with " + v + " at " + loop.now()),
        e -> log.add("rejected with " + e.getClass().getSimpleName() + "(" + e.getMessage() + ") at "
            + loop.now()));
  }

  /** A rejection handler that stores the reason in {@code into}. */
  private static <T> Function<Throwable, T> captureInto(AtomicReference<Throwable> into) {
    return e -> {
      into.set(e);
      return null;
    };
  }

  @Test
  void settlesBeforeTheDeadline_passesTheValueOnAndClearsTheTimer() {
    AtomicReference<AbortSignal> seen = new AtomicReference<>();
    loop.run(() -> record(Timers.withTimeout(100, s -> {
      seen.set(s);
      return Timers.setTimeout(30, "v");
    })));
    assertEquals(List.of("fulfilled with v at 30"), log);
    assertEquals(30, loop.now(), "the cleared deadline timer must not keep the loop running until 100");
    assertFalse(seen.get().aborted());
  }

  @Test
  void rejectsBeforeTheDeadline_passesTheVeryReasonOn() {
    IllegalStateException boom = new IllegalStateException("boom");
    AtomicReference<Throwable> got = new AtomicReference<>();
    loop.run(() -> Timers.withTimeout(100, s -> Timers.sleep(10).then(v -> {
      throw boom;
    })).catchError(captureInto(got)));
    assertSame(boom, got.get());
    assertEquals(10, loop.now());
  }

  @Test
  void stillPendingAtTheDeadline_rejectsWithTimeoutErrorThatAlsoAbortedTheSignal() {
    AtomicReference<AbortSignal> seen = new AtomicReference<>();
    AtomicReference<Throwable> got = new AtomicReference<>();
    loop.run(() -> Timers.withTimeout(50, s -> {
      seen.set(s);
      return Promise.withResolvers().promise(); // never settles
    }).catchError(e -> {
      got.set(e);
      log.add("rejected at " + loop.now());
      return null;
    }));
    assertEquals(List.of("rejected at 50"), log);
    TimeoutError e = assertInstanceOf(TimeoutError.class, got.get());
    assertEquals("withTimeout: the operation did not settle within 50 ms", e.getMessage());
    assertTrue(seen.get().aborted());
    assertSame(e, seen.get().reason(), "the operation's signal aborts with the very error the promise rejects with");
  }

  @Test
  void operationHonouringItsSignal_stopsAtTheDeadlineAndItsOwnTimerIsCleared() {
    loop.run(() -> record(Timers.withTimeout(40, s -> Timers.sleep(1_000, s))));
    assertEquals(List.of("rejected with TimeoutError(withTimeout: the operation did not settle within 40 ms) at 40"),
        log);
    assertEquals(40, loop.now(), "the aborted sleep's timer must be cleared, not left to run to 1000");
    assertEquals(List.of(), unhandled, "the operation's late rejection is dropped, not reported");
  }

  @Test
  void atTheDeadline_theSignalsListenersRunBeforeThePromiseRejects() {
    AtomicReference<Promise<Object>> result = new AtomicReference<>();
    loop.run(() -> {
      result.set(Timers.withTimeout(10, s -> {
        s.addListener(() -> log.add("listener sees the promise " + result.get().state()));
        return Promise.withResolvers().promise();
      }));
      result.get().catchError(e -> {
        log.add("rejection handled");
        return null;
      });
    });
    assertEquals(List.of("listener sees the promise PENDING", "rejection handled"), log);
  }

  @Test
  void lateOutcome_isDroppedAndALateRejectionIsNotReportedUnhandled() {
    loop.run(() -> {
      record(Timers.withTimeout(10, s -> Timers.sleep(20).then(v -> "late")));
      record(Timers.withTimeout(10, s -> Timers.sleep(20).then(v -> {
        throw new IllegalStateException("late failure");
      })));
    });
    assertEquals(List.of(
        "rejected with TimeoutError(withTimeout: the operation did not settle within 10 ms) at 10",
        "rejected with TimeoutError(withTimeout: the operation did not settle within 10 ms) at 10"), log);
    assertEquals(20, loop.now());
    assertEquals(List.of(), unhandled);
  }

  @Test
  void operationThrowing_rejectsWithItsExceptionAndArmsNoTimer() {
    IllegalArgumentException bad = new IllegalArgumentException("bad");
    AtomicReference<Throwable> got = new AtomicReference<>();
    loop.run(() -> Timers.withTimeout(100, s -> {
      throw bad;
    }).catchError(captureInto(got)));
    assertSame(bad, got.get());
    assertEquals(0, loop.now());
  }

  @Test
  void operationReturningNull_rejectsWithAClearNullPointerException() {
    loop.run(() -> record(Timers.withTimeout(100, s -> null)));
    assertEquals(List.of("rejected with NullPointerException(withTimeout's operation returned null instead of a "
        + "promise) at 0"), log);
  }

  @Test
  void callerSignalAbortingFirst_abortsTheOperationWithItsReasonAndClearsTheDeadline() {
    AbortController caller = new AbortController();
    AtomicReference<AbortSignal> seen = new AtomicReference<>();
    AbortError reason = new AbortError("user left");
    AtomicReference<Throwable> got = new AtomicReference<>();
    loop.run(() -> {
      Timers.withTimeout(100, caller.signal(), s -> {
        seen.set(s);
        return Timers.sleep(1_000, s);
      }).catchError(captureInto(got));
      loop.setTimeout(() -> caller.abort(reason), 25);
    });
    assertSame(reason, got.get());
    assertSame(reason, seen.get().reason());
    assertEquals(25, loop.now(), "both the deadline and the operation's timer must be cleared");
  }

  @Test
  void callerSignalAlreadyAborted_rejectsAtOnceWithoutCallingTheOperation() {
    AbortError reason = new AbortError("already");
    boolean[] called = {false};
    AtomicReference<Throwable> got = new AtomicReference<>();
    loop.run(() -> Timers.withTimeout(100, AbortSignal.abort(reason), s -> {
      called[0] = true;
      return Promise.resolve(1);
    }).catchError(captureInto(got)));
    assertSame(reason, got.get());
    assertFalse(called[0]);
  }

  @Test
  void settlingFirst_stopsListeningToTheCallerSignal() {
    AbortController caller = new AbortController();
    AtomicReference<AbortSignal> seen = new AtomicReference<>();
    loop.run(() -> {
      record(Timers.withTimeout(100, caller.signal(), s -> {
        seen.set(s);
        return Promise.resolve("quick");
      }));
      loop.setTimeout(() -> caller.abort(), 5);
    });
    assertEquals(List.of("fulfilled with quick at 0"), log);
    assertFalse(seen.get().aborted(), "an abort after the outcome must not reach the operation");
  }

  @Test
  void zeroDeadline_passesInTheNextTimersPhaseAndHugeOnesAreClampedNotCoerced() {
    loop.run(() -> {
      record(Timers.withTimeout(0, s -> Promise.withResolvers().promise()));
      record(Timers.withTimeout(Long.MAX_VALUE, s -> Timers.setTimeout(5, "slow but in time")));
    });
    assertEquals(List.of(
        "rejected with TimeoutError(withTimeout: the operation did not settle within 0 ms) at 1",
        "fulfilled with slow but in time at 5"), log);
  }

  @Test
  void durationForms_truncateToMilliseconds() {
    AbortController caller = new AbortController();
    loop.run(() -> {
      record(Timers.withTimeout(Duration.ofMillis(20).plusNanos(999_999), s -> Promise.withResolvers().promise()));
      record(Timers.withTimeout(Duration.ofMillis(30), caller.signal(), s -> Promise.withResolvers().promise()));
    });
    assertEquals(List.of(
        "rejected with TimeoutError(withTimeout: the operation did not settle within 20 ms) at 20",
        "rejected with TimeoutError(withTimeout: the operation did not settle within 30 ms) at 30"), log);
  }

  @Test
  void order_theOutcomeIsPassedOnOneTurnAfterTheOperationSettles_asPromiseRace() {
    loop.run(() -> {
      Resolvers<String> op = Promise.withResolvers();
      Timers.withTimeout(100, s -> op.promise()).thenAccept(v -> log.add("withTimeout"));
      Promise.race(List.of(op.promise())).thenAccept(v -> log.add("race"));
      op.promise().thenAccept(v -> log.add("direct"));
      op.resolve("x");
    });
    assertEquals(List.of("direct", "withTimeout", "race"), log);
  }

  @Test
  void badInput_failsAtOnceWithClearMessages_andTheLoopKeepsRunning() {
    loop.run(() -> {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Timers.withTimeout(-1, s -> Promise.resolve(1)));
      assertEquals("withTimeout needs a deadline of 0 ms or more, was -1", e.getMessage());
      assertThrows(NullPointerException.class, () -> Timers.withTimeout(1, null));
      assertThrows(NullPointerException.class,
          () -> Timers.withTimeout(1, (AbortSignal) null, s -> Promise.resolve(1)));
      assertThrows(NullPointerException.class, () -> Timers.withTimeout((Duration) null, s -> Promise.resolve(1)));
      record(Timers.withTimeout(10, s -> Promise.resolve("still works")));
    });
    assertEquals(List.of("fulfilled with still works at 0"), log);
    assertThrows(IllegalStateException.class, () -> Timers.withTimeout(10, s -> Promise.resolve(1)));
  }

  @Test
  void aPoolTaskHonouringTheSignal_isAbortedWithTheTimeoutErrorAsCause() throws Exception {
    WorkerPool pool = WorkerPool.builder().threads(1).build();
    try {
      EventLoop real = EventLoop.create();
      AtomicReference<Throwable> result = new AtomicReference<>();
      AtomicReference<Throwable> task = new AtomicReference<>();
      real.run(() -> Timers.withTimeout(20, s -> {
        Promise<Integer> p = pool.execute(x -> {
          new CountDownLatch(1).await(); // blocks until interrupted
          return x;
        }, 1, TaskOptions.defaults().signal(s));
        p.catchError(captureInto(task));
        return p;
      }).catchError(captureInto(result)));
      TimeoutError timeout = assertInstanceOf(TimeoutError.class, result.get());
      TaskAbortedException aborted = assertInstanceOf(TaskAbortedException.class, task.get(),
          "the pool's promise settles, so the loop waited for it: the task was removed or interrupted");
      assertSame(timeout, aborted.getCause());
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(Duration.ofSeconds(5)));
    }
  }
}
