package org.eventloop4j.sync;

import org.jetbrains.lincheck.datastructures.Operation;

/**
 * The operations of an {@link AsyncCondition} that {@link AsyncConditionCoreLincheckTest} (model checking,
 * no loop) and {@link AsyncConditionLincheckTest} (stress, real loops) share; each adds how a thread waits
 * and how its abort is tried. Both check them against {@link AsyncConditionLincheckTest.Spec}.
 */
@SuppressWarnings("exports") // Lincheck needs public test classes; this package is exported
public abstract class AsyncConditionOperations {
  final Mutex mutex;
  final AsyncCondition condition;

  AsyncConditionOperations(Mutex mutex) {
    this.mutex = mutex;
    this.condition = mutex.newCondition();
  }

  @Operation
  public boolean signal() {
    return condition.signal();
  }

  @Operation
  public int signalAll() {
    return condition.signalAll();
  }

  @Operation
  public int waiting() {
    return condition.waiting();
  }

  @Operation
  public void close() {
    mutex.close();
  }
}
