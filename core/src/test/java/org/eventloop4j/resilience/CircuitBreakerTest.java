package org.eventloop4j.resilience;

import static org.eventloop4j.resilience.BreakerHarness.fail;
import static org.eventloop4j.resilience.BreakerHarness.failAfter;
import static org.eventloop4j.resilience.BreakerHarness.never;
import static org.eventloop4j.resilience.BreakerHarness.ok;
import static org.eventloop4j.resilience.BreakerHarness.okAfter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.TimeoutError;
import org.eventloop4j.resilience.CircuitBreaker.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class CircuitBreakerTest {
  private final BreakerHarness h = new BreakerHarness();
  private final List<String> transitions = new ArrayList<>();

  private CircuitBreaker.Builder builder() {
    return CircuitBreaker.builder().name("cb").clock(h.loop)
        .onStateTransition((from, to) -> transitions.add(from + "->" + to + " @" + h.now()));
  }

  // ---- the consecutive-failures rule (default) ----

  @Test
  void defaults_fiveFailuresInARow_open() {
    CircuitBreaker cb = CircuitBreaker.builder().clock(h.loop).build();
    h.failures(cb, 4);
    assertEquals(State.CLOSED, cb.state());
    h.failures(cb, 1);
    assertEquals(State.OPEN, cb.state());
    assertEquals(60_000, cb.metrics().nextAttemptAtMillis());
  }

  @Test
  void consecutive_successBetweenFailures_clearsTheRun() {
    CircuitBreaker cb = builder().failureThreshold(3).build();
    h.failures(cb, 2);
    h.successes(cb, 1);
    h.failures(cb, 2);
    assertEquals(State.CLOSED, cb.state());
    assertEquals(2, cb.metrics().failedCalls());
    h.failures(cb, 1);
    assertEquals(State.OPEN, cb.state());
  }

  @Test
  void execute_open_rejectsAtOnceWithoutCalling() {
    CircuitBreaker cb = builder().failureThreshold(1).resetTimeout(Duration.ofSeconds(5)).build();
    h.failures(cb, 1);
    h.advance(1000);
    int before = h.invocations.get();
    AtomicReference<Throwable> error = new AtomicReference<>();
    h.on(() -> cb.execute(h.counted(ok())).catchError(e -> {
      error.set(e);
      return null;
    }));
    assertEquals(before, h.invocations.get());
    CircuitOpenError open = assertInstanceOf(CircuitOpenError.class, error.get());
    assertEquals(State.OPEN, open.state());
    assertEquals(4000, open.retryAfterMillis());
    assertEquals("cb", open.breakerName());
    assertEquals(0, open.getStackTrace().length);
    assertEquals(1, cb.metrics().rejectedCalls());
  }

  @Test
  void open_resetTimeoutPassed_stateStaysOpenUntilNextCallThenTrialCloses() {
    CircuitBreaker cb = builder().failureThreshold(1).resetTimeout(Duration.ofSeconds(5)).build();
    h.failures(cb, 1);
    h.advance(10_000);
    assertEquals(State.OPEN, cb.state());
    h.call(cb, "trial", ok());
    assertEquals(State.CLOSED, cb.state());
    assertEquals(List.of("CLOSED->OPEN @0", "OPEN->HALF_OPEN @10000", "HALF_OPEN->CLOSED @10000"), transitions);
  }

  @Test
  void open_oneMillisecondBeforeResetTimeout_stillRejects() {
    CircuitBreaker cb = builder().failureThreshold(1).resetTimeout(Duration.ofSeconds(5)).build();
    h.failures(cb, 1);
    h.advance(4999);
    h.call(cb, "early", ok());
    h.advance(1);
    h.call(cb, "onTime", ok());
    assertEquals(List.of("f0 IllegalStateException @0", "early CircuitOpenError @4999", "onTime ok v @5000"), h.log);
  }

  @Test
  void automaticHalfOpen_timerMovesToHalfOpenExactlyAtResetTimeout() {
    CircuitBreaker cb = builder().failureThreshold(1).resetTimeout(Duration.ofSeconds(5)).automaticHalfOpen().build();
    h.stayAlive();
    h.failures(cb, 1);
    h.advance(4999);
    assertEquals(State.OPEN, cb.state());
    h.advance(1);
    assertEquals(State.HALF_OPEN, cb.state());
    assertEquals(List.of("CLOSED->OPEN @0", "OPEN->HALF_OPEN @5000"), transitions);
  }

  @Test
  void automaticHalfOpen_timerIsUnreferenced_loopEndsWhileOpen() {
    CircuitBreaker cb = builder().failureThreshold(1).resetTimeout(Duration.ofHours(1)).automaticHalfOpen().build();
    h.loop.run(() -> cb.execute(fail()).catchError(e -> null));
    assertEquals(State.OPEN, cb.state());
    assertEquals(0, h.now());
  }

  // ---- HALF_OPEN ----

  @Test
  void halfOpen_admitsExactlyNTrials_restRejectedAtOnce() {
    CircuitBreaker cb = builder().failureThreshold(1).resetTimeout(Duration.ofSeconds(1)).halfOpenCalls(3).build();
    h.failures(cb, 1);
    h.advance(1000);
    for (int i = 0; i < 5; i++) {
      h.call(cb, "t" + i, okAfter(100));
    }
    assertEquals(List.of("f0 IllegalStateException @0", "t3 CircuitOpenError @1000", "t4 CircuitOpenError @1000"), h.log);
    CircuitOpenError e = rejection(cb);
    assertEquals(State.HALF_OPEN, e.state());
    assertEquals(-1, e.retryAfterMillis());
    h.advance(100);
    assertEquals(State.CLOSED, cb.state());
  }

  /**
   * Regression (found by CircuitBreakerLincheckTest): the caller that half-opens the circuit holds the
   * first trial permit. A transition listener stands in for another thread that asks for a permit right
   * after the half-opening lands; before the fix it took the only trial and the half-opening caller was
   * rejected.
   */
  @Test
  void halfOpen_permitRequestedRightAfterTheHalfOpening_halfOpeningCallerKeepsTheTrial() {
    AtomicReference<CircuitBreaker> self = new AtomicReference<>();
    List<String> racer = new ArrayList<>();
    CircuitBreaker cb = builder().failureThreshold(1).resetTimeout(Duration.ofSeconds(1)).halfOpenCalls(1)
        .onStateTransition((from, to) -> {
          if (to == State.HALF_OPEN) {
            racer.add(self.get().tryAcquire() == null ? "rejected" : "admitted");
          }
        }).build();
    self.set(cb);
    h.failures(cb, 1);
    h.advance(1000);
    CircuitBreaker.Permit caller = cb.tryAcquire();
    assertNotNull(caller);
    assertEquals(State.HALF_OPEN, caller.state());
    assertEquals(List.of("rejected"), racer);
    caller.onSuccess(0);
    assertEquals(State.CLOSED, cb.state());
  }

  @Test
  void halfOpen_successThreshold_closesAfterThatManySuccesses() {
    CircuitBreaker cb = builder().failureThreshold(1).resetTimeout(Duration.ofSeconds(1))
        .halfOpenCalls(3).successThreshold(2).build();
    h.failures(cb, 1);
    h.advance(1000);
    h.call(cb, "t0", ok());
    assertEquals(State.HALF_OPEN, cb.state());
    assertEquals(1, cb.metrics().bufferedCalls());
    h.call(cb, "t1", ok());
    assertEquals(State.CLOSED, cb.state());
  }

  @Test
  void halfOpen_anyTrialFailure_reopens() {
    CircuitBreaker cb = builder().failureThreshold(1).resetTimeout(Duration.ofSeconds(1)).halfOpenCalls(3).build();
    h.failures(cb, 1);
    h.advance(1000);
    h.call(cb, "t0", ok());
    h.call(cb, "t1", fail());
    assertEquals(State.OPEN, cb.state());
    assertEquals(2000, cb.metrics().nextAttemptAtMillis());
    assertEquals(List.of("CLOSED->OPEN @0", "OPEN->HALF_OPEN @1000", "HALF_OPEN->OPEN @1000"), transitions);
  }

  @Test
  void halfOpen_lateOutcomeOfEarlierTrial_afterReopen_changesNothing() {
    CircuitBreaker cb = builder().failureThreshold(1).resetTimeout(Duration.ofSeconds(1)).halfOpenCalls(2).build();
    h.failures(cb, 1);
    h.advance(1000);
    h.call(cb, "slowOk", okAfter(500));
    h.call(cb, "fastFail", fail());
    assertEquals(State.OPEN, cb.state());
    h.advance(500);
    assertEquals(State.OPEN, cb.state());
    assertEquals(List.of("CLOSED->OPEN @0", "OPEN->HALF_OPEN @1000", "HALF_OPEN->OPEN @1000"), transitions);
  }

  @Test
  void halfOpen_trialHangs_maxWaitPassed_nextCallReopensInsteadOfStayingStuck() {
    CircuitBreaker cb = builder().failureThreshold(1).resetTimeout(Duration.ofSeconds(1))
        .maxWaitInHalfOpen(Duration.ofSeconds(10)).build();
    h.failures(cb, 1);
    h.advance(1000);
    h.call(cb, "hang", never());
    h.advance(9999);
    h.call(cb, "stillWaiting", ok());
    assertEquals(State.HALF_OPEN, cb.state());
    h.advance(1);
    // The half-open stay ended at 11000 and reopened for 1 s, so at 11000 the call is rejected...
    h.call(cb, "reopened", ok());
    assertEquals(State.OPEN, cb.state());
    h.advance(1000);
    // ...and a second later a fresh trial passes and closes it.
    h.call(cb, "fresh", ok());
    assertEquals(State.CLOSED, cb.state());
    assertEquals(List.of("CLOSED->OPEN @0", "OPEN->HALF_OPEN @1000", "HALF_OPEN->OPEN @11000",
        "OPEN->HALF_OPEN @12000", "HALF_OPEN->CLOSED @12000"), transitions);
  }

  @Test
  void halfOpen_maxWaitPassedLongAgo_callHalfOpensAgainAndIsAdmitted() {
    CircuitBreaker cb = builder().failureThreshold(1).resetTimeout(Duration.ofSeconds(1))
        .maxWaitInHalfOpen(Duration.ofSeconds(10)).build();
    h.failures(cb, 1);
    h.advance(1000);
    h.call(cb, "hang", never());
    h.advance(60_000);
    h.call(cb, "later", ok());
    assertEquals(State.CLOSED, cb.state());
    assertEquals(List.of("CLOSED->OPEN @0", "OPEN->HALF_OPEN @1000", "HALF_OPEN->OPEN @61000",
        "OPEN->HALF_OPEN @61000", "HALF_OPEN->CLOSED @61000"), transitions);
  }

  @Test
  void halfOpen_noTrialYet_maxWaitDoesNotReopen() {
    CircuitBreaker cb = builder().failureThreshold(1).resetTimeout(Duration.ofSeconds(1))
        .maxWaitInHalfOpen(Duration.ofSeconds(10)).build();
    h.failures(cb, 1);
    h.advance(1000);
    h.on(() -> cb.transitionTo(State.HALF_OPEN));
    h.advance(30_000);
    h.call(cb, "trial", ok());
    assertEquals(State.CLOSED, cb.state());
  }

  @Test
  void automaticHalfOpen_trialHangs_reopensOnTimeAtMaxWait() {
    CircuitBreaker cb = builder().failureThreshold(1).resetTimeout(Duration.ofSeconds(1))
        .maxWaitInHalfOpen(Duration.ofSeconds(10)).automaticHalfOpen().build();
    h.stayAlive();
    h.failures(cb, 1);
    h.advance(1000);
    h.call(cb, "hang", never());
    h.advance(10_000);
    assertEquals(State.OPEN, cb.state());
    h.advance(1000);
    assertEquals(State.HALF_OPEN, cb.state());
    assertEquals(List.of("CLOSED->OPEN @0", "OPEN->HALF_OPEN @1000", "HALF_OPEN->OPEN @11000",
        "OPEN->HALF_OPEN @12000"), transitions);
  }

  @Test
  void halfOpen_ignoredTrialError_givesPermitBack() {
    CircuitBreaker cb = builder().failureThreshold(1).resetTimeout(Duration.ofSeconds(1))
        .ignoreErrors(e -> e instanceof UnsupportedOperationException).build();
    h.failures(cb, 1);
    h.advance(1000);
    h.call(cb, "ignored", fail(new UnsupportedOperationException()));
    assertEquals(State.HALF_OPEN, cb.state());
    h.call(cb, "trial", ok());
    assertEquals(State.CLOSED, cb.state());
  }

  // ---- open duration ----

  @Test
  void resetTimeoutBackoff_growsPerReopeningUpToCap_resetsAfterClose() {
    CircuitBreaker cb = builder().failureThreshold(1)
        .resetTimeoutBackoff(Duration.ofSeconds(1), 2, Duration.ofSeconds(5)).build();
    List<Long> durations = new ArrayList<>();
    h.failures(cb, 1);
    for (int i = 0; i < 5; i++) {
      CircuitBreaker.Metrics m = cb.metrics();
      durations.add(m.nextAttemptAtMillis() - m.stateSinceMillis());
      h.advance(m.nextAttemptAtMillis() - h.now());
      h.call(cb, "trial" + i, fail());
    }
    assertEquals(List.of(1000L, 2000L, 4000L, 5000L, 5000L), durations);
    h.advance(cb.metrics().nextAttemptAtMillis() - h.now());
    h.call(cb, "ok", ok());
    h.failures(cb, 1);
    assertEquals(1000, cb.metrics().nextAttemptAtMillis() - cb.metrics().stateSinceMillis());
  }

  @Test
  void resetTimeoutFunction_badResultAtRuntime_reportedAndDefaultUsed() {
    CircuitBreaker cb = builder().failureThreshold(1)
        .resetTimeout(n -> n == 1 ? Duration.ofSeconds(1) : Duration.ZERO).build();
    h.failures(cb, 1);
    h.advance(1000);
    h.call(cb, "trial", fail());
    assertEquals(State.OPEN, cb.state());
    assertEquals(60_000, cb.metrics().nextAttemptAtMillis() - cb.metrics().stateSinceMillis());
    assertEquals(1, h.uncaught.size());
    assertInstanceOf(IllegalArgumentException.class, h.uncaught.get(0));
  }

  // ---- sliding windows ----

  @Test
  void countWindow_failureRateReachedAfterMinimumCalls_opens() {
    CircuitBreaker cb = builder().countWindow(10).minimumCalls(4).failureRateThreshold(50).build();
    h.failures(cb, 2);
    h.successes(cb, 1);
    assertEquals(State.CLOSED, cb.state(), "3 calls are below the minimum");
    assertEquals(-1, cb.metrics().failureRate());
    h.successes(cb, 1);
    assertEquals(State.OPEN, cb.state(), "2 of 4 = 50 %");
  }

  @Test
  void countWindow_oldOutcomesSlideOut() {
    CircuitBreaker cb = builder().countWindow(4).failureRateThreshold(75).build();
    h.failures(cb, 2);
    h.successes(cb, 6);
    CircuitBreaker.Metrics m = cb.metrics();
    assertEquals(4, m.bufferedCalls());
    assertEquals(0, m.failedCalls());
    assertEquals(0.0, m.failureRate());
    h.failures(cb, 2);
    assertEquals(50.0, cb.metrics().failureRate());
    h.failures(cb, 1);
    assertEquals(State.OPEN, cb.state());
  }

  @Test
  void countWindow_defaultMinimumIsWindowSize() {
    CircuitBreaker cb = builder().countWindow(5).build();
    h.failures(cb, 4);
    assertEquals(State.CLOSED, cb.state());
    h.failures(cb, 1);
    assertEquals(State.OPEN, cb.state());
  }

  @Test
  void timeWindow_failuresOlderThanWindowExpire() {
    CircuitBreaker cb = builder().timeWindow(Duration.ofSeconds(10), 10).minimumCalls(3).failureRateThreshold(100).build();
    h.failures(cb, 2);
    h.advance(10_000);
    h.failures(cb, 1);
    assertEquals(State.CLOSED, cb.state(), "the first two failures left the window");
    assertEquals(1, cb.metrics().bufferedCalls());
    h.advance(9_999);
    h.failures(cb, 2);
    assertEquals(State.OPEN, cb.state());
  }

  @Test
  void timeWindow_movesInBucketSteps() {
    CircuitBreaker cb = builder().timeWindow(Duration.ofSeconds(10), 5).minimumCalls(100).build();
    h.advance(1999);
    h.successes(cb, 1);
    h.advance(1);
    h.successes(cb, 1);
    h.advance(9999);
    assertEquals(1, cb.metrics().bufferedCalls(), "the bucket [0, 2000) left at 10000; [2000, 4000) stays until 12000");
    h.advance(1);
    assertEquals(0, cb.metrics().bufferedCalls());
  }

  @Test
  void slowCalls_rateReached_opens() {
    CircuitBreaker cb = builder().countWindow(4).slowCallDuration(Duration.ofMillis(100)).slowCallRateThreshold(50).build();
    h.call(cb, "a", okAfter(100));
    h.call(cb, "b", okAfter(99));
    h.call(cb, "c", okAfter(150));
    h.advance(150);
    assertEquals(State.CLOSED, cb.state());
    assertEquals(2, cb.metrics().slowCalls());
    h.call(cb, "d", okAfter(10));
    h.advance(10);
    assertEquals(State.OPEN, cb.state());
  }

  @Test
  void slowCalls_slowTrialInHalfOpen_reopens() {
    CircuitBreaker cb = builder().countWindow(1).slowCallDuration(Duration.ofMillis(100)).build();
    h.failures(cb, 1);
    h.advance(60_000);
    h.call(cb, "slowTrial", okAfter(200));
    h.advance(200);
    assertEquals(State.OPEN, cb.state());
    assertEquals(List.of("slowTrial ok late @60200"), h.log.subList(1, 2));
  }

  // ---- call timeout ----

  @Test
  void callTimeout_callTooSlow_rejectsWithCallTimeoutErrorAndCountsFailure() {
    CircuitBreaker cb = builder().failureThreshold(2).callTimeout(Duration.ofMillis(100)).build();
    h.call(cb, "slow", okAfter(500));
    h.advance(100);
    assertEquals(List.of("slow CallTimeoutError @100"), h.log);
    assertEquals(1, cb.metrics().failedCalls());
    h.advance(400);
    assertEquals(1, cb.metrics().failedCalls(), "the late success changes nothing");
    h.call(cb, "slow2", okAfter(500));
    h.advance(100);
    assertEquals(State.OPEN, cb.state());
  }

  @Test
  void callTimeout_callInTime_settlesLikeTheCall() {
    CircuitBreaker cb = builder().failureThreshold(1).callTimeout(Duration.ofMillis(100)).build();
    h.call(cb, "fast", okAfter(100));
    h.call(cb, "fastFail", failAfter(50));
    h.advance(1000);
    assertEquals(List.of("fastFail IllegalStateException @50", "fast ok late @100"), h.log);
  }

  @Test
  void callTimeout_error_isATimeoutErrorWithTheTimeout() {
    CircuitBreaker cb = builder().callTimeout(Duration.ofMillis(100)).build();
    AtomicReference<Throwable> error = new AtomicReference<>();
    h.on(() -> cb.execute(never()).catchError(e -> {
      error.set(e);
      return null;
    }));
    h.advance(100);
    CallTimeoutError t = assertInstanceOf(CallTimeoutError.class, error.get());
    assertInstanceOf(TimeoutError.class, t);
    assertEquals(100, t.timeoutMillis());
  }

  @Test
  void executeWithSignal_timeout_abortsTheCallsSignalWithTheTimeoutError() {
    CircuitBreaker cb = builder().callTimeout(Duration.ofMillis(100)).build();
    AtomicReference<AbortSignal> signal = new AtomicReference<>();
    List<String> aborts = new ArrayList<>();
    h.on(() -> h.record("call", cb.executeWithSignal(s -> {
      signal.set(s);
      s.addListener(() -> aborts.add("aborted @" + h.now() + " " + s.reason().getClass().getSimpleName()));
      return Promise.withResolvers().promise();
    })));
    h.advance(100);
    assertTrue(signal.get().aborted());
    assertEquals(List.of("aborted @100 CallTimeoutError"), aborts);
    assertEquals(List.of("call CallTimeoutError @100"), h.log);
  }

  @Test
  void executeWithSignal_noTimeout_signalNeverAborts() {
    CircuitBreaker cb = builder().build();
    AtomicReference<AbortSignal> signal = new AtomicReference<>();
    h.on(() -> h.record("call", cb.executeWithSignal(s -> {
      signal.set(s);
      return Promise.resolve("x");
    })));
    assertEquals(List.of("call ok x @0"), h.log);
    assertTrue(!signal.get().aborted());
  }

  // ---- what counts as failure ----

  @Test
  void recordErrors_unrecordedErrorCountsAsSuccess() {
    CircuitBreaker cb = builder().failureThreshold(2).recordErrors(e -> e instanceof IllegalStateException).build();
    h.failures(cb, 1);
    h.call(cb, "other", fail(new IllegalArgumentException()));
    h.failures(cb, 1);
    assertEquals(State.CLOSED, cb.state(), "the IllegalArgumentException broke the run of failures");
    assertEquals("other IllegalArgumentException @0", h.log.get(1));
  }

  @Test
  void ignoreErrors_winsOverRecordErrors_countsAsNothing() {
    CircuitBreaker cb = builder().countWindow(2).recordErrors(e -> true)
        .ignoreErrors(e -> e instanceof UnsupportedOperationException).build();
    h.call(cb, "ignored", fail(new UnsupportedOperationException()));
    assertEquals(0, cb.metrics().bufferedCalls());
  }

  @Test
  void recordResults_matchingResultCountsAsFailureButFulfils() {
    CircuitBreaker cb = builder().failureThreshold(1).recordResults("503"::equals).build();
    h.call(cb, "bad", () -> Promise.resolve("503"));
    assertEquals(List.of("bad ok 503 @0"), h.log);
    assertEquals(State.OPEN, cb.state());
  }

  @Test
  void predicateThrows_reportedAsUncaught_countsAsFailure() {
    RuntimeException bug = new RuntimeException("predicate bug");
    CircuitBreaker cb = builder().failureThreshold(1).recordErrors(e -> {
      throw bug;
    }).build();
    h.failures(cb, 1);
    assertEquals(State.OPEN, cb.state());
    assertEquals(List.of(bug), h.uncaught);
  }

  @Test
  void callThrowsSynchronously_rejectsWithThatErrorAndCountsFailure() {
    CircuitBreaker cb = builder().failureThreshold(1).build();
    IllegalStateException thrown = new IllegalStateException("sync");
    AtomicReference<Throwable> error = new AtomicReference<>();
    h.on(() -> cb.<String>execute(() -> {
      throw thrown;
    }).catchError(e -> {
      error.set(e);
      return null;
    }));
    assertSame(thrown, error.get());
    assertEquals(State.OPEN, cb.state());
  }

  @Test
  void callReturnsNull_rejectsWithNullPointerExceptionAndCountsFailure() {
    CircuitBreaker cb = builder().failureThreshold(1).build();
    h.call(cb, "null", () -> null);
    assertEquals(List.of("null NullPointerException @0"), h.log);
    assertEquals(State.OPEN, cb.state());
  }

  @Test
  void failure_rejectsWithTheOriginalError() {
    CircuitBreaker cb = builder().build();
    IllegalStateException original = new IllegalStateException("x");
    AtomicReference<Throwable> error = new AtomicReference<>();
    h.on(() -> cb.execute(fail(original)).catchError(e -> {
      error.set(e);
      return null;
    }));
    assertSame(original, error.get());
  }

  // ---- fallback ----

  @Test
  void fallback_failureAndOpen_adoptFallbackPromise() {
    CircuitBreaker cb = builder().failureThreshold(1).build();
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      h.on(() -> h.record("call", cb.execute(fail(), e -> {
        seen.add(e.getClass().getSimpleName());
        return Promise.resolve("fallback");
      })));
    }
    assertEquals(List.of("IllegalStateException", "CircuitOpenError"), seen);
    assertEquals(List.of("call ok fallback @0", "call ok fallback @0"), h.log);
  }

  // ---- permits ----

  @Test
  void tryAcquire_closed_permitRecordsOutcomes() {
    CircuitBreaker cb = builder().failureThreshold(2).build();
    CircuitBreaker.Permit p = cb.tryAcquire();
    assertNotNull(p);
    assertEquals(State.CLOSED, p.state());
    p.onError(5, new IllegalStateException());
    cb.tryAcquire().onResult(5, "fine");
    assertEquals(0, cb.metrics().failedCalls());
    cb.tryAcquire().onError(5, new IllegalStateException());
    cb.tryAcquire().onError(5, new IllegalStateException());
    assertEquals(State.OPEN, cb.state());
    assertNull(cb.tryAcquire());
    assertEquals(1, cb.metrics().rejectedCalls());
  }

  @Test
  void tryAcquire_halfOpen_releaseGivesTrialBack() {
    CircuitBreaker cb = builder().failureThreshold(1).build();
    cb.transitionTo(State.HALF_OPEN);
    CircuitBreaker.Permit p = cb.tryAcquire();
    assertNotNull(p);
    assertEquals(State.HALF_OPEN, p.state());
    assertNull(cb.tryAcquire());
    p.release();
    CircuitBreaker.Permit again = cb.tryAcquire();
    assertNotNull(again);
    again.onSuccess(1);
    assertEquals(State.CLOSED, cb.state());
  }

  @Test
  void tryAcquire_offAnyLoop_worksWithItsOwnClock() {
    CircuitBreaker cb = CircuitBreaker.builder().failureThreshold(1).resetTimeout(Duration.ofHours(1)).build();
    cb.tryAcquire().onError(1, new IllegalStateException());
    assertEquals(State.OPEN, cb.state());
    assertNull(cb.tryAcquire());
  }

  @Test
  void permit_reportedAfterTransition_changesNothing() {
    CircuitBreaker cb = builder().failureThreshold(1).build();
    CircuitBreaker.Permit early = cb.tryAcquire();
    cb.transitionTo(State.OPEN);
    cb.transitionTo(State.CLOSED);
    early.onError(1, new IllegalStateException());
    assertEquals(State.CLOSED, cb.state());
  }

  // ---- listeners ----

  @Test
  void listener_receivesOutcomesAndTransitionsInOrder() {
    List<String> events = new ArrayList<>();
    CircuitBreaker cb = builder().failureThreshold(1).ignoreErrors(e -> e instanceof UnsupportedOperationException)
        .listener(new CircuitBreaker.Listener() {
          @Override
          public void onStateTransition(State from, State to) {
            events.add(from + "->" + to);
          }

          @Override
          public void onSuccess(long durationMillis) {
            events.add("success " + durationMillis);
          }

          @Override
          public void onFailure(long durationMillis, Throwable error) {
            events.add("failure " + durationMillis + " " + error.getMessage());
          }

          @Override
          public void onIgnoredError(long durationMillis, Throwable error) {
            events.add("ignored " + durationMillis);
          }

          @Override
          public void onRejected(State state) {
            events.add("rejected " + state);
          }
        }).build();
    h.call(cb, "a", okAfter(30));
    h.call(cb, "b", fail(new UnsupportedOperationException()));
    h.advance(30);
    h.call(cb, "c", failAfter(20));
    h.advance(20);
    h.call(cb, "d", ok());
    assertEquals(List.of("ignored 0", "success 30", "CLOSED->OPEN", "failure 20 late boom", "rejected OPEN"), events);
  }

  @Test
  void listener_throws_goesToLoopsUncaughtHandler_breakerCarriesOn() {
    RuntimeException bug = new RuntimeException("listener bug");
    CircuitBreaker cb = builder().failureThreshold(1).onStateTransition((from, to) -> {
      throw bug;
    }).build();
    h.failures(cb, 1);
    assertEquals(State.OPEN, cb.state());
    assertEquals(List.of(bug), h.uncaught);
    assertEquals(List.of("CLOSED->OPEN @0"), transitions, "the other listener still ran");
    cb.transitionTo(State.CLOSED);
    h.successes(cb, 1);
    assertEquals(State.CLOSED, cb.state());
  }

  @Test
  void listener_throwsWithoutHandler_endsTheRunWithTheErrorAsNodeWould() {
    RuntimeException bug = new RuntimeException("listener bug");
    CircuitBreaker cb = CircuitBreaker.builder().failureThreshold(1).onStateTransition((from, to) -> {
      throw bug;
    }).build();
    EventLoop plain = EventLoop.builder().virtualTime().build();
    RuntimeException thrown = assertThrows(RuntimeException.class,
        () -> plain.run(() -> cb.execute(fail()).catchError(e -> null)));
    assertSame(bug, thrown);
    assertEquals(State.OPEN, cb.state());
  }

  // ---- operators ----

  @Test
  void disabled_everyCallPasses_nothingRecorded() {
    CircuitBreaker cb = builder().failureThreshold(1).build();
    cb.transitionTo(State.DISABLED);
    h.failures(cb, 5);
    assertEquals(State.DISABLED, cb.state());
    assertEquals(5, h.invocations.get());
    assertEquals(0, cb.metrics().failedCalls());
  }

  @Test
  void forcedOpen_rejectsEverything_evenAfterResetTimeout() {
    CircuitBreaker cb = builder().resetTimeout(Duration.ofSeconds(1)).build();
    cb.transitionTo(State.FORCED_OPEN);
    h.advance(10_000);
    h.successes(cb, 2);
    assertEquals(0, h.invocations.get());
    assertEquals(State.FORCED_OPEN, cb.state());
    assertEquals(FORCED_OPEN_ERROR, rejection(cb).getMessage());
  }

  private static final String FORCED_OPEN_ERROR = "circuit breaker 'cb' is FORCED_OPEN";

  @Test
  void metricsOnly_recordsButNeverTrips() {
    CircuitBreaker cb = builder().countWindow(4).build();
    cb.transitionTo(State.METRICS_ONLY);
    h.failures(cb, 6);
    assertEquals(State.METRICS_ONLY, cb.state());
    assertEquals(100.0, cb.metrics().failureRate());
  }

  @Test
  void transitionTo_sameState_startsFreshPeriod() {
    CircuitBreaker cb = builder().failureThreshold(3).build();
    h.failures(cb, 2);
    cb.transitionTo(State.CLOSED);
    assertEquals(0, cb.metrics().failedCalls());
    assertEquals(List.of("CLOSED->CLOSED @0"), transitions);
  }

  @Test
  void reset_closesAndZeroesRejectedCount() {
    CircuitBreaker cb = builder().failureThreshold(1).build();
    h.failures(cb, 1);
    h.successes(cb, 2);
    assertEquals(2, cb.metrics().rejectedCalls());
    cb.reset();
    assertEquals(State.CLOSED, cb.state());
    assertEquals(0, cb.metrics().rejectedCalls());
  }

  // ---- threads and misuse ----

  @Test
  void execute_offLoop_throwsIllegalState() {
    CircuitBreaker cb = builder().build();
    assertThrows(IllegalStateException.class, () -> cb.execute(ok()));
  }

  @Test
  void execute_nullCall_throwsNullPointer() {
    CircuitBreaker cb = builder().build();
    assertThrows(NullPointerException.class, () -> cb.execute(null));
  }

  // ---- bad input ----

  @Test
  void builder_valuesOutOfRange_throwIllegalArgument() {
    CircuitBreaker.Builder b = CircuitBreaker.builder();
    assertThrows(IllegalArgumentException.class, () -> b.failureThreshold(0));
    assertThrows(IllegalArgumentException.class, () -> b.countWindow(0));
    assertThrows(IllegalArgumentException.class, () -> b.countWindow(CountWindow.MAX_SIZE + 1));
    assertThrows(IllegalArgumentException.class, () -> b.timeWindow(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> b.timeWindow(Duration.ofMillis(10), 3));
    assertThrows(IllegalArgumentException.class, () -> b.timeWindow(Duration.ofSeconds(1), 0));
    assertThrows(IllegalArgumentException.class, () -> b.failureRateThreshold(0));
    assertThrows(IllegalArgumentException.class, () -> b.failureRateThreshold(100.5));
    assertThrows(IllegalArgumentException.class, () -> b.failureRateThreshold(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> b.slowCallRateThreshold(-1));
    assertThrows(IllegalArgumentException.class, () -> b.minimumCalls(0));
    assertThrows(IllegalArgumentException.class, () -> b.slowCallDuration(Duration.ofMillis(-1)));
    assertThrows(IllegalArgumentException.class, () -> b.callTimeout(Duration.ofNanos(10)));
    assertThrows(IllegalArgumentException.class, () -> b.resetTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> b.resetTimeout(n -> Duration.ofSeconds(-1)));
    assertThrows(NullPointerException.class, () -> b.resetTimeout(n -> null));
    assertThrows(IllegalArgumentException.class,
        () -> b.resetTimeoutBackoff(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(2)));
    assertThrows(IllegalArgumentException.class,
        () -> b.resetTimeoutBackoff(Duration.ofSeconds(2), 2, Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> b.halfOpenCalls(0));
    assertThrows(IllegalArgumentException.class, () -> b.successThreshold(-3));
    assertThrows(IllegalArgumentException.class, () -> b.maxWaitInHalfOpen(Duration.ZERO));
    assertThrows(NullPointerException.class, () -> b.recordErrors(null));
    assertThrows(NullPointerException.class, () -> b.listener(null));
  }

  @Test
  void build_contradictorySettings_throwIllegalState() {
    assertThrows(IllegalStateException.class, () -> CircuitBreaker.builder().failureThreshold(3).countWindow(10).build());
    assertThrows(IllegalStateException.class, () -> CircuitBreaker.builder().failureRateThreshold(20).build());
    assertThrows(IllegalStateException.class, () -> CircuitBreaker.builder().slowCallDuration(Duration.ofSeconds(1)).build());
    assertThrows(IllegalStateException.class, () -> CircuitBreaker.builder().countWindow(10).slowCallRateThreshold(50).build());
    assertThrows(IllegalStateException.class, () -> CircuitBreaker.builder().countWindow(10).minimumCalls(11).build());
    assertThrows(IllegalStateException.class, () -> CircuitBreaker.builder().halfOpenCalls(2).successThreshold(3).build());
  }

  @Test
  void builder_defaultsOfTrialCounts_followEachOther() {
    CircuitBreaker cb = builder().failureThreshold(1).successThreshold(3).build();
    cb.transitionTo(State.HALF_OPEN);
    for (int i = 0; i < 3; i++) {
      assertNotNull(cb.tryAcquire());
    }
    assertNull(cb.tryAcquire(), "halfOpenCalls defaults to successThreshold");
  }

  @Test
  void toString_namesBreakerAndState() {
    assertEquals("CircuitBreaker[cb, CLOSED]", builder().build().toString());
    assertTrue(CircuitBreaker.ofDefaults().name().startsWith("circuit-breaker-"));
  }

  private CircuitOpenError rejection(CircuitBreaker cb) {
    AtomicReference<Throwable> error = new AtomicReference<>();
    h.on(() -> cb.execute(ok()).catchError(e -> {
      error.set(e);
      return null;
    }));
    return assertInstanceOf(CircuitOpenError.class, error.get());
  }
}
