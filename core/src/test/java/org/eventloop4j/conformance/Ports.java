package org.eventloop4j.conformance;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/** The registry: every Java port, and every scenario left out with the reason (details in MAPPING.md). */
final class Ports {
  private Ports() {}

  static final List<Supplier<Scenario>> PORTS = List.of(
      S01SeedEventLoop::new,
      S02SeedQueues::new,
      S03NextTickBeforePromiseJobs::new,
      S04NextTickNestedDrainsFirst::new,
      S05NextTickFromMicrotask::new,
      S06NextTickQueuedInMicrotaskInsideTimer::new,
      S07MicrotasksBetweenTimers::new,
      S08MicrotasksBetweenImmediates::new,
      S09ImmediateQueuedInCheckPhase::new,
      S10IoCallbackImmediateBeforeTimeout::new,
      S11TimerCallbackImmediateBeforeTimeout::new,
      S12ImmediateCallbackTimeoutBeforeImmediate::new,
      S13TimersSameDelayFifo::new,
      S14TimersDifferentDelays::new,
      S15TimerDelayCoercion::new,
      S16TimerListsExpiryOrder::new,
      S17ClearTimersInsideCallbacks::new,
      S18SetIntervalClearInCallback::new,
      S19SetIntervalSlowCallback::new,
      S20NextTickStarvesLoop::new,
      S21PromiseExecutorSyncFirstSettleWins::new,
      S22ThenHandlerOrder::new,
      S23ThenNonFunctionPassthrough::new,
      S24ResolveWithPromiseHopCosts::new,
      S25ThenableAdoption::new,
      S26ThenableErrorsAndCycles::new,
      S27FinallySemantics::new,
      S28FinallyHopCosts::new,
      S29PromiseAll::new,
      S30PromiseAny::new,
      S31PromiseAllSettled::new,
      S32PromiseRace::new,
      S33CombinatorHopCosts::new,
      S50UnhandledRejectionCrashes::new,
      S51LateHandlerSameTickOk::new,
      S52RejectionEventsWithListeners::new,
      S53UncaughtExceptionInTimer::new,
      S54UncaughtExceptionInTimerCrashes::new,
      S55ThrowInHandlerIsRejection::new,
      S56ThrowInCallbackDefersItsQueues::new,
      S58LoopExitBeforeExit::new,
      S59ProcessExitStopsEverything::new,
      S61UnhandledRejectionToUncaughtException::new);

  /** Scenario number to the reason it has no port. */
  static final Map<String, String> LEFT_OUT = leftOut();

  private static Map<String, String> leftOut() {
    Map<String, String> m = new TreeMap<>();
    String async = "async/await and async generators: ported with the async/await issue";
    for (String n : List.of("34", "36", "37", "39", "40", "42", "43", "45", "47", "48")) {
      m.put(n, async);
    }
    m.put("57", "loopback TCP sockets and the close-callbacks phase: the core has no sockets and no public close callbacks");
    m.put("62", "needs callbacks that take time on a virtual clock (no API yet); on the real clock the loop's"
        + " phase-cached now() gives Node's lines for a different reason, so a port would prove nothing");
    return m;
  }
}
