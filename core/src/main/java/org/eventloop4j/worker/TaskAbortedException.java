package org.eventloop4j.worker;

import org.eventloop4j.AbortError;
import org.jspecify.annotations.Nullable;

/**
 * The rejection of a {@link WorkerPool} task that was cancelled: by its {@link org.eventloop4j.AbortSignal},
 * or by {@link WorkerPool#terminate()}. {@link #phase()} says whether the task was still queued (it never
 * ran) or already running (its thread was interrupted and whatever the task returns later is discarded).
 * {@link #getCause()} is the signal's reason, unchanged — {@code null} for a termination.
 *
 * <p>It is an {@link AbortError}, so code that treats every cancellation alike can catch that. A run
 * timeout is not an abort: it rejects with {@link org.eventloop4j.TimeoutError}.
 */
public final class TaskAbortedException extends AbortError {
  private static final long serialVersionUID = 1L;

  /** Where the task was when it was cancelled. */
  public enum Phase {
    /** Still in the queue: removed, never ran. */
    QUEUED,
    /** Running on a pool thread: the thread was interrupted. */
    RUNNING
  }

  private final Phase phase;

  TaskAbortedException(Phase phase, String message, @Nullable Throwable reason) {
    super(message, reason);
    this.phase = phase;
  }

  static TaskAbortedException aborted(Phase phase, Throwable reason) {
    return new TaskAbortedException(phase, phase == Phase.QUEUED
        ? "task aborted while queued (it never ran): " + reason
        : "task aborted while running (its thread was interrupted): " + reason, reason);
  }

  static TaskAbortedException terminated(Phase phase, String pool) {
    return new TaskAbortedException(phase, phase == Phase.QUEUED
        ? "WorkerPool " + pool + " terminated while the task was queued (it never ran)"
        : "WorkerPool " + pool + " terminated while the task was running (its thread was interrupted)", null);
  }

  /** Whether the task was queued or running when it was cancelled. */
  public Phase phase() {
    return phase;
  }
}
