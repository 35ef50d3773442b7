package org.eventloop4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class AbortSignalTest {
  private final List<String> log = new ArrayList<>();

  private static EventLoop virtual() {
    return EventLoop.builder().virtualTime().build();
  }

  // ---- static abort ----

  @Test
  void abort_static_alreadyAbortedWithDefaultAbortError() {
    AbortSignal signal = AbortSignal.abort();
    assertTrue(signal.aborted());
    assertEquals(AbortError.DEFAULT_MESSAGE, assertInstanceOf(AbortError.class, signal.reason()).getMessage());
  }

  @Test
  void abort_staticWithReason_alreadyAbortedWithThatReason() {
    IOException reason = new IOException("gone");
    assertSame(reason, AbortSignal.abort(reason).reason());
  }

  @Test
  void abort_staticNullReason_throwsNpeNamingReason() {
    NullPointerException e = assertThrows(NullPointerException.class, () -> AbortSignal.abort(null));
    assertEquals("reason", e.getMessage());
  }

  // ---- throwIfAborted ----

  @Test
  void throwIfAborted_notAborted_returnsNormally() {
    new AbortController().signal().throwIfAborted();
  }

  @Test
  void throwIfAborted_uncheckedReason_throwsSameObject() {
    IllegalStateException reason = new IllegalStateException("stop");
    AbortSignal signal = AbortSignal.abort(reason);
    assertSame(reason, assertThrows(IllegalStateException.class, signal::throwIfAborted));
    assertSame(reason, assertThrows(IllegalStateException.class, signal::throwIfAborted));
  }

  @Test
  void throwIfAborted_errorReason_throwsSameObject() {
    StackOverflowError reason = new StackOverflowError("deep");
    assertSame(reason, assertThrows(StackOverflowError.class, AbortSignal.abort(reason)::throwIfAborted));
  }

  @Test
  void throwIfAborted_checkedReason_throwsAbortErrorCausedByIt() {
    IOException reason = new IOException("disk");
    AbortError e = assertThrows(AbortError.class, AbortSignal.abort(reason)::throwIfAborted);
    assertSame(reason, e.getCause());
    assertEquals(AbortError.DEFAULT_MESSAGE, e.getMessage());
  }

  // ---- listeners ----

  @Test
  void addListener_null_throwsNpeNamingListener() {
    AbortSignal signal = new AbortController().signal();
    assertEquals("listener", assertThrows(NullPointerException.class, () -> signal.addListener(null)).getMessage());
    assertEquals("listener", assertThrows(NullPointerException.class, () -> signal.removeListener(null)).getMessage());
  }

  @Test
  void addListener_afterAbort_neverCalledAndRegistrationIsNoOp() {
    AbortController controller = new AbortController();
    controller.abort();
    AbortSignal.Registration registration = controller.signal().addListener(() -> log.add("late"));
    controller.abort();
    registration.close();
    registration.close();
    assertEquals(List.of(), log);
  }

  @Test
  void addListener_sameListenerTwice_registeredOnceSameRegistration() {
    AbortController controller = new AbortController();
    Runnable listener = () -> log.add("once");
    AbortSignal.Registration first = controller.signal().addListener(listener);
    assertSame(first, controller.signal().addListener(listener));
    controller.abort();
    assertEquals(List.of("once"), log);
  }

  @Test
  void registrationClose_beforeAbort_listenerNotCalledAndCloseIdempotent() {
    AbortController controller = new AbortController();
    AbortSignal.Registration registration = controller.signal().addListener(() -> log.add("removed"));
    controller.signal().addListener(() -> log.add("kept"));
    registration.close();
    registration.close();
    controller.abort();
    assertEquals(List.of("kept"), log);
  }

  @Test
  void removeListener_registeredListener_notCalledOthersKeepOrder() {
    AbortController controller = new AbortController();
    Runnable b = () -> log.add("b");
    controller.signal().addListener(() -> log.add("a"));
    controller.signal().addListener(b);
    controller.signal().addListener(() -> log.add("c"));
    controller.signal().removeListener(b);
    controller.signal().removeListener(() -> log.add("never registered"));
    controller.abort();
    assertEquals(List.of("a", "c"), log);
  }

  @Test
  void removeListener_removedThenAddedAgain_runsAtNewPosition() {
    AbortController controller = new AbortController();
    Runnable a = () -> log.add("a");
    controller.signal().addListener(a);
    controller.signal().addListener(() -> log.add("b"));
    controller.signal().removeListener(a);
    controller.signal().addListener(a);
    controller.abort();
    assertEquals(List.of("b", "a"), log);
  }

  @Test
  void removeListener_byEarlierListenerDuringDispatch_laterListenerSkipped() {
    AbortController controller = new AbortController();
    Runnable second = () -> log.add("second");
    AbortSignal.Registration[] third = new AbortSignal.Registration[1];
    controller.signal().addListener(() -> {
      log.add("first");
      controller.signal().removeListener(second);
      third[0].close();
    });
    controller.signal().addListener(second);
    third[0] = controller.signal().addListener(() -> log.add("third"));
    controller.signal().addListener(() -> log.add("fourth"));
    controller.abort();
    assertEquals(List.of("first", "fourth"), log);
  }

  @Test
  void addListener_duringDispatch_notCalled() {
    AbortController controller = new AbortController();
    controller.signal().addListener(() -> {
      log.add("first");
      controller.signal().addListener(() -> log.add("added during dispatch"));
    });
    controller.abort();
    assertEquals(List.of("first"), log);
  }

  @Test
  void listener_seesSignalAlreadyAbortedWithReason() {
    AbortController controller = new AbortController();
    RuntimeException reason = new RuntimeException("why");
    controller.signal().addListener(() -> log.add("aborted=" + controller.signal().aborted()
        + " reason=" + controller.signal().reason().getMessage()));
    controller.abort(reason);
    assertEquals(List.of("aborted=true reason=why"), log);
  }

  @Test
  void listener_abortingAnotherSignal_runsItsListenersInline() {
    AbortController outer = new AbortController();
    AbortController inner = new AbortController();
    inner.signal().addListener(() -> log.add("inner"));
    outer.signal().addListener(() -> {
      log.add("outer 1");
      inner.abort(outer.signal().reason());
    });
    outer.signal().addListener(() -> log.add("outer 2"));
    outer.abort();
    assertEquals(List.of("outer 1", "inner", "outer 2"), log);
    assertSame(outer.signal().reason(), inner.signal().reason());
  }

  // ---- timeout ----

  @Test
  void timeout_onVirtualClock_abortsWithTimeoutErrorExactlyOnTime() {
    EventLoop loop = virtual();
    loop.run(() -> {
      AbortSignal signal = AbortSignal.timeout(100);
      signal.addListener(() -> log.add("aborted at " + loop.now() + ": "
          + assertInstanceOf(TimeoutError.class, signal.reason()).getMessage()));
      loop.setTimeout(() -> log.add("99: aborted=" + signal.aborted()), 99);
      loop.setTimeout(() -> log.add("200: aborted=" + signal.aborted()), 200);
    });
    assertEquals(List.of("99: aborted=false", "aborted at 100: The operation was aborted due to timeout",
        "200: aborted=true"), log);
  }

  @Test
  void timeout_aloneOnLoop_doesNotKeepLoopAlive() {
    EventLoop loop = virtual();
    AbortSignal[] signal = new AbortSignal[1];
    loop.run(() -> signal[0] = AbortSignal.timeout(1_000));
    assertEquals(0, loop.now());
    assertFalse(signal[0].aborted());
  }

  @Test
  void timeout_zero_firesAfterOneMillisecond() {
    EventLoop loop = virtual();
    loop.run(() -> {
      AbortSignal signal = AbortSignal.timeout(0);
      signal.addListener(() -> log.add("aborted at " + loop.now()));
      loop.setTimeout(() -> { }, 5);
    });
    assertEquals(List.of("aborted at 1"), log);
  }

  @Test
  void timeout_duration_truncatedToMillis() {
    EventLoop loop = virtual();
    loop.run(() -> {
      AbortSignal.timeout(Duration.ofNanos(30_999_999)).addListener(() -> log.add("aborted at " + loop.now()));
      loop.setTimeout(() -> { }, 100);
    });
    assertEquals(List.of("aborted at 30"), log);
  }

  @Test
  void timeout_negativeOrTooLarge_throwsIllegalArgument() {
    EventLoop loop = virtual();
    loop.run(() -> {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AbortSignal.timeout(-1));
      assertEquals("timeout delay must be between 0 and 2147483647 ms, was -1 ms", e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> AbortSignal.timeout(Integer.MAX_VALUE + 1L));
      assertThrows(IllegalArgumentException.class, () -> AbortSignal.timeout(Duration.ofMillis(-1)));
      assertThrows(IllegalArgumentException.class, () -> AbortSignal.timeout(Duration.ofDays(30)));
      AbortSignal.timeout(Integer.MAX_VALUE);
    });
  }

  @Test
  void timeout_nullDuration_throwsNpeNamingDelay() {
    assertEquals("delay", assertThrows(NullPointerException.class, () -> AbortSignal.timeout(null)).getMessage());
  }

  @Test
  void timeout_offLoop_throwsIllegalState() {
    assertThrows(IllegalStateException.class, () -> AbortSignal.timeout(10));
  }

  // ---- any ----

  @Test
  void any_oneInputAborts_abortedWithThatReason() {
    AbortController a = new AbortController();
    AbortController b = new AbortController();
    AbortSignal combined = AbortSignal.any(a.signal(), b.signal());
    assertFalse(combined.aborted());
    RuntimeException reason = new RuntimeException("b");
    b.abort(reason);
    assertSame(reason, combined.reason());
    a.abort();
    assertSame(reason, combined.reason());
  }

  @Test
  void any_inputAlreadyAborted_abortedAtOnceWithFirstAbortedInArgumentOrder() {
    RuntimeException first = new RuntimeException("first");
    AbortSignal combined = AbortSignal.any(new AbortController().signal(), AbortSignal.abort(first),
        AbortSignal.abort(new RuntimeException("second")));
    assertSame(first, combined.reason());
  }

  @Test
  void any_noInputs_neverAborts() {
    assertFalse(AbortSignal.any().aborted());
    assertFalse(AbortSignal.any(List.of()).aborted());
  }

  @Test
  void any_iterable_sameAsVarargs() {
    AbortController a = new AbortController();
    AbortSignal combined = AbortSignal.any(List.of(a.signal(), new AbortController().signal()));
    a.abort();
    assertInstanceOf(AbortError.class, combined.reason());
  }

  @Test
  void any_nullArguments_throwNpeNamingParameterOrIndex() {
    AbortSignal ok = new AbortController().signal();
    assertEquals("signals", assertThrows(NullPointerException.class,
        () -> AbortSignal.any((AbortSignal[]) null)).getMessage());
    assertEquals("signals", assertThrows(NullPointerException.class,
        () -> AbortSignal.any((Iterable<AbortSignal>) null)).getMessage());
    assertEquals("signals[1] is null", assertThrows(NullPointerException.class,
        () -> AbortSignal.any(ok, null)).getMessage());
    assertEquals("signals[0] is null", assertThrows(NullPointerException.class,
        () -> AbortSignal.any(Arrays.asList((AbortSignal) null))).getMessage());
  }

  @Test
  void any_sourceAborts_dependentAbortedBeforeSourceListenersWhichRunFirst() {
    AbortController source = new AbortController();
    AbortSignal combined = AbortSignal.any(source.signal());
    combined.addListener(() -> log.add("dependent listener"));
    source.signal().addListener(() -> log.add("source listener, dependent aborted=" + combined.aborted()));
    source.abort();
    assertEquals(List.of("source listener, dependent aborted=true", "dependent listener"), log);
  }

  @Test
  void any_ofAnySignal_flattensToOriginalSources() {
    AbortController a = new AbortController();
    AbortController b = new AbortController();
    AbortSignal inner = AbortSignal.any(a.signal());
    AbortSignal outer = AbortSignal.any(inner, b.signal());
    inner.addListener(() -> log.add("inner"));
    outer.addListener(() -> log.add("outer"));
    a.abort();
    assertTrue(outer.aborted());
    assertEquals(List.of("inner", "outer"), log);
  }

  @Test
  void any_sameSourceTwice_listenersRunOnce() {
    AbortController a = new AbortController();
    AbortSignal combined = AbortSignal.any(a.signal(), a.signal());
    combined.addListener(() -> log.add("combined"));
    a.abort();
    assertEquals(List.of("combined"), log);
  }

  @Test
  void any_withTimeout_abortsWithTimeoutErrorOnVirtualClock() {
    EventLoop loop = virtual();
    loop.run(() -> {
      AbortSignal combined = AbortSignal.any(new AbortController().signal(), AbortSignal.timeout(50));
      combined.addListener(() -> log.add(combined.reason().getClass().getSimpleName() + " at " + loop.now()));
      loop.setTimeout(() -> { }, 100);
    });
    assertEquals(List.of("TimeoutError at 50"), log);
  }

  @Test
  void any_unreferencedDependentWithListener_stillNotifiedAfterGc() {
    AbortController source = new AbortController();
    AbortSignal.any(source.signal()).addListener(() -> log.add("dependent listener"));
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    source.abort();
    assertEquals(List.of("dependent listener"), log);
  }

  @Test
  void any_dependentListenerRemoved_notCalled() {
    AbortController source = new AbortController();
    AbortSignal combined = AbortSignal.any(source.signal());
    AbortSignal.Registration registration = combined.addListener(() -> log.add("removed"));
    registration.close();
    source.abort();
    assertTrue(combined.aborted());
    assertEquals(List.of(), log);
  }

  @Test
  void any_manyDependentsOfLongLivedSource_allAbortedTogether() {
    AbortController source = new AbortController();
    List<AbortSignal> kept = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      AbortSignal.any(source.signal(), new AbortController().signal());
      if (i % 10 == 0) {
        kept.add(AbortSignal.any(source.signal()));
      }
    }
    source.abort();
    assertTrue(kept.stream().allMatch(AbortSignal::aborted));
  }

  @Test
  void toString_reportsState() {
    assertEquals("AbortSignal[not aborted]", new AbortController().signal().toString());
    assertNull(new AbortController().signal().reason());
  }
}
