package org.eventloop4j.sync;

import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;

/**
 * The operations of a {@link ReadWriteMutex} that {@link ReadWriteMutexCoreLincheckTest} (model checking, no
 * loop) and {@link ReadWriteMutexLincheckTest} (stress, real loops) share; each adds how a lock waits and how
 * its abort is tried.
 */
@SuppressWarnings("exports") // Lincheck needs public test classes; this package is exported
public abstract class ReadWriteMutexOperations {
  final ReadWriteMutex rw;

  ReadWriteMutexOperations(ReadWriteMutex rw) {
    this.rw = rw;
  }

  /** Aborts the waiting call of {@code thread}, if any (the subclass's driver knows it). */
  abstract boolean abortWaiter(int thread);

  @Operation
  public boolean abort(@Param(gen = ThreadIdGen.class) int thread) {
    return abortWaiter(thread);
  }

  @Operation
  public int tryReadLock() {
    return PermitCoreDriver.attempt(rw::tryReadLock);
  }

  @Operation
  public int tryWriteLock() {
    return PermitCoreDriver.attempt(rw::tryWriteLock);
  }

  @Operation
  public boolean readUnlock() {
    try {
      rw.readUnlock();
      return true;
    } catch (IllegalStateException notHeld) {
      return false;
    }
  }

  @Operation
  public boolean writeUnlock() {
    try {
      rw.writeUnlock();
      return true;
    } catch (IllegalStateException notHeld) {
      return false;
    }
  }

  @Operation
  public int readers() {
    return rw.readers();
  }

  @Operation
  public boolean isWriteLocked() {
    return rw.isWriteLocked();
  }

  @Operation
  public int waiting() {
    return rw.waiting();
  }

  @Operation
  public void close() {
    rw.close();
  }
}
