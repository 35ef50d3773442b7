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
      S34AwaitTickCosts::new,
      S35AsyncReturnPromiseVsReturnAwait::new,
      S36AsyncRunsSyncUntilAwait::new,
      S37AsyncTryCatchFinallyOrder::new,
      S38AsyncNestedCallsSyncUntilAwait::new,
      S39AsyncGenQueuedNextCalls::new,
      S40AsyncGenReturnThrowSuspendedStart::new,
      S41AsyncGenReturnAtYieldRunsFinally::new,
      S42AsyncGenThrowCaughtInside::new,
      S43AsyncGenYieldAwaitsOperand::new,
      S44AsyncIterationHopCosts::new,
      S45ForAwaitSyncIterableOfPromises::new,
      S46ForAwaitEarlyExitCallsReturn::new,
      S47CustomAsyncIteratorProtocol::new,
      S48ForAwaitSyncRejectionNoClose::new,
      S49AsyncGenYieldStarDelegation::new,
      S50UnhandledRejectionCrashes::new,
      S51LateHandlerSameTickOk::new,
      S52RejectionEventsWithListeners::new,
      S53UncaughtExceptionInTimer::new,
      S54UncaughtExceptionInTimerCrashes::new,
      S55ThrowInHandlerIsRejection::new,
      S56ThrowInCallbackDefersItsQueues::new,
      S58LoopExitBeforeExit::new,
      S59ProcessExitStopsEverything::new,
      S60ForAwaitArrayHopCosts::new,
      S61UnhandledRejectionToUncaughtException::new,
      S62TimerListRunsAllDueBeforeNextList::new,
      S63MessagePortDeliveryPhases::new,
      S64MessagePortClose::new,
      S65MessagePortLiveness::new,
      S66WorkerLifecycleEvents::new,
      S67WorkerTransferredPort::new,
      S68MessagePortCloseFromImmediate::new,
      S69AsyncGenSentAndReturnedValues::new,
      S70WithTimeoutHelper::new,
      S71AsyncGenPipelineHopCosts::new,
      S72AsyncGenPipelineEarlyExitAndErrors::new,
      S73AsyncGenYieldStarChainHopCosts::new,
      S74AsyncGenRequestsWhileRunning::new,
      S75AsyncBodiesQueueNodeJobs::new,
      S76MessagePortPortsServedInCreationOrder::new,
      S77MessagePortThrowingHandler::new,
      S78MessagePortDrainLimit::new,
      S79MessagePortCloseInHandlerAndUnref::new,
      S80WorkerParentPortMadeBeforeTheScript::new,
      S81BroadcastChannelDelivery::new);

  /** Scenario number to the reason it has no port. */
  static final Map<String, String> LEFT_OUT = leftOut();

  private static Map<String, String> leftOut() {
    Map<String, String> m = new TreeMap<>();
    m.put("57", "loopback TCP sockets and the close-callbacks phase: the core has no sockets and no public close callbacks");
    return m;
  }
}
