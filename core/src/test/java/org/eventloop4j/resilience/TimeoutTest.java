package org.eventloop4j.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eventloop4j.AbortController;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.TimeoutError;
import org.eventloop4j.Timers;
import org.junit.jupiter.api.Test;

/** Timeout on virtual time: in time, too late (the signal aborts), an outer abort, composed with Retry. */
class TimeoutTest {
  private final EventLoop loop = EventLoop.builder().virtualTime().build();
  private final List<String> log = new ArrayList<>();

  private void track(Promise<?> p) {
    p.then(v -> log.add(loop.now() + " ok " + v),
        e -> log.add(loop.now() + " " + e.getClass().getSimpleName() + ": " + e.getMessage()));
  }

  @Test
  void aCallInTime_settlesLikeTheCall_andOneTooSlow_rejectsAtTheLimit_abortingItsSignal() {
    Timeout limit = Timeout.of(Duration.ofMillis(100));
    loop.run(() -> {
      track(limit.execute(() -> Timers.setTimeout(60, "fast")));
      track(limit.executeWithSignal(signal -> {
        signal.addListener(() -> log.add(loop.now() + " told to stop: " + (signal.reason() instanceof TimeoutError)));
        return Timers.setTimeout(500, "slow", signal);
      }));
    });
    assertEquals(List.of("60 ok fast", "100 told to stop: true",
        "100 TimeoutError: withTimeout: the operation did not settle within 100 ms"), log);
    assertEquals(100, loop.now()); // the slow call's timer was aborted with it
  }

  @Test
  void anOuterAbort_rejectsWithItsReason() {
    AbortController c = new AbortController();
    loop.run(() -> {
      track(Timeout.of(Duration.ofSeconds(1)).executeWithSignal(c.signal(), s -> Timers.sleep(800, s)));
      loop.setTimeout(() -> c.abort(new IllegalStateException("user cancelled")), 30);
    });
    assertEquals(List.of("30 IllegalStateException: user cancelled"), log);
  }

  @Test
  void perAttemptTimeout_composedWithRetry_retriesTheTimedOutAttempts() {
    Timeout perAttempt = Timeout.of(Duration.ofMillis(50));
    Retry retry = Retry.builder().maxAttempts(3).delay(Duration.ofMillis(10))
        .retryOn(e -> e instanceof TimeoutError).build();
    int[] n = {0};
    loop.run(() -> track(retry.execute(() -> perAttempt.executeWithSignal(
        s -> Timers.setTimeout(++n[0] < 3 ? 1_000 : 20, "attempt " + n[0], s)))));
    // attempts at 0 and 60 time out at 50 and 110; the third, at 120, answers after 20 ms
    assertEquals(List.of("140 ok attempt 3"), log);
  }

  @Test
  void badInput_isRejected() {
    assertEquals("the time limit must not be negative, was PT-0.001S",
        assertThrows(IllegalArgumentException.class, () -> Timeout.of(Duration.ofMillis(-1))).getMessage());
    assertThrows(NullPointerException.class, () -> Timeout.of(null));
    loop.run(() -> {
      assertThrows(NullPointerException.class, () -> Timeout.of(Duration.ZERO).execute(null));
      track(Timeout.of(Duration.ofMillis(5)).execute(() -> null));
    });
    assertEquals(1, log.size());
    assertEquals(true, log.get(0).startsWith("0 NullPointerException"), log.get(0));
  }
}
