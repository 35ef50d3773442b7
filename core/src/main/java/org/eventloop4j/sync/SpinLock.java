package org.eventloop4j.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The short mutual exclusion that guards a primitive's waiter lists: one CAS to enter and a release store
 * to leave, where a monitor costs an atomic instruction each way. Not reentrant. Thread-safe.
 */
final class SpinLock {
  /*
   * Overview: the sections it guards are a few list and state-word steps, never user code, never a wait,
   * so a contender almost always finds it free again within a few spins. A holder can still be descheduled
   * (by the OS, or a virtual thread's carrier being taken), so a contender backs off like the queue
   * buffer's waits (QueueBuffer.backOff: spin, yield, then timed parks): a parked virtual thread gives its
   * carrier up, so the holder gets to run even with every carrier busy. Leaving is a release store (plain
   * on x86): everything written in the section is visible to the next holder, whose CAS acquires it; no
   * thread is ever parked without a timeout, so nobody needs to be woken. Tests: every test of the
   * primitives, notably the Lincheck tests (which explore the interleavings of the guarded sections) and
   * SyncStressTest.
   */
  private static final VarHandle HELD;

  static {
    try {
      HELD = MethodHandles.lookup().findVarHandle(SpinLock.class, "held", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private volatile int held;

  /** Enters; waits (spinning, then backing off) while another thread is inside. */
  void lock() {
    if (!HELD.compareAndSet(this, 0, 1)) {
      lockContended();
    }
  }

  private void lockContended() {
    boolean interrupted = false;
    for (int spins = 0; held != 0 || !HELD.compareAndSet(this, 0, 1); spins++) {
      interrupted |= QueueBuffer.backOff(spins);
    }
    QueueBuffer.restoreInterrupt(interrupted);
  }

  /** Leaves; only the thread that entered may call it. */
  void unlock() {
    HELD.setRelease(this, 0);
  }
}
