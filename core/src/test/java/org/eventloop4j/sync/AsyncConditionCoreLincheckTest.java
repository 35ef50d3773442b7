package org.eventloop4j.sync;

import static org.eventloop4j.sync.AsyncConditionLincheckTest.QUEUED;
import static org.eventloop4j.sync.AsyncConditionLincheckTest.REJECTED;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Model checks the waiter queue of {@link AsyncCondition} against {@link AsyncConditionLincheckTest.Spec}
 * with no event loop: the condition's mutex has a {@link RecordingSettler}, so a wait is {@link
 * AsyncCondition#enter} (queued, or rejected once the mutex is closed), and its wake-up is recorded
 * synchronously — fulfilled with null when signalled, with the abort reason when the abort took it,
 * rejected by the close. Operations: await, the abort of a thread's last wait, signal, signalAll, waiting,
 * and the mutex's close. {@link AsyncConditionLincheckTest} runs the same operations in stress mode
 * through real loops.
 */
@SuppressWarnings("exports") // Lincheck needs public test classes; this package is exported
public class AsyncConditionCoreLincheckTest extends AsyncConditionOperations {
  static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);

  private final AsyncCondition.@Nullable Node[] last = new AsyncCondition.Node[PermitModel.THREADS];
  private final IllegalStateException abortReason = new IllegalStateException("aborted");

  /** Lincheck makes one instance per scenario. */
  public AsyncConditionCoreLincheckTest() {
    super(new Mutex(new RecordingSettler()));
  }

  @Operation
  public int await(@Param(gen = ThreadIdGen.class) int thread) {
    last[thread] = null;
    if (!(condition.enter(null) instanceof AsyncCondition.Node n)) {
      return REJECTED;
    }
    last[thread] = n;
    return QUEUED;
  }

  /** Aborts the thread's last wait (once): true if the abort took it, before a signal or the close. */
  @Operation
  public boolean abort(@Param(gen = ThreadIdGen.class) int thread) {
    AsyncCondition.Node n = last[thread];
    last[thread] = null;
    if (n == null) {
      return false;
    }
    condition.abort(n, abortReason);
    return RecordingSettler.of(n).value == abortReason;
  }

  @Test
  public void modelCheck() {
    new ModelCheckingOptions().threads(2).actorsPerThread(3).actorsBefore(2).actorsAfter(2)
        .iterations(20 * STRESS).invocationsPerIteration(500)
        .sequentialSpecification(AsyncConditionLincheckTest.Spec.class).check(getClass());
  }
}
