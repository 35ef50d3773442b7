package org.eventloop4j.sync;

import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;

/**
 * The operations of a {@link Mutex} that {@link MutexCoreLincheckTest} (model checking, no loop) and {@link
 * MutexLincheckTest} (stress, real loops) share; each adds how a lock waits and how its abort is tried.
 */
@SuppressWarnings("exports") // Lincheck needs public test classes; this package is exported
public abstract class MutexOperations {
  final Mutex mutex;

  MutexOperations(Mutex mutex) {
    this.mutex = mutex;
  }

  /** Aborts the waiting call of {@code thread}, if any (the subclass's driver knows it). */
  abstract boolean abortWaiter(int thread);

  @Operation
  public boolean abort(@Param(gen = ThreadIdGen.class) int thread) {
    return abortWaiter(thread);
  }

  @Operation
  public int tryLock() {
    return PermitCoreDriver.attempt(mutex::tryLock);
  }

  @Operation
  public boolean unlock() {
    try {
      mutex.unlock();
      return true;
    } catch (IllegalStateException notLocked) {
      return false;
    }
  }

  @Operation
  public boolean isLocked() {
    return mutex.isLocked();
  }

  @Operation
  public int waiting() {
    return mutex.waiting();
  }

  @Operation
  public void close() {
    mutex.close();
  }
}
