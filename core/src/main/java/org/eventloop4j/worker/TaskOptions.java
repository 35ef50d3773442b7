package org.eventloop4j.worker;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.eventloop4j.AbortSignal;
import org.jspecify.annotations.Nullable;

/**
 * Per-task options of {@link WorkerPool#execute(WorkerPool.Task, Object, TaskOptions)}: an immutable value;
 * each method returns a copy with one option changed.
 *
 * <pre>{@code
 * pool.execute(task, arg, TaskOptions.defaults().priority(5).signal(controller.signal()).timeout(Duration.ofSeconds(2)));
 * }</pre>
 */
public final class TaskOptions {
  /* Overview: a plain value; WorkerPool reads it once at submission. */
  private static final TaskOptions DEFAULTS = new TaskOptions(0, null, null);

  private final int priority;
  private final @Nullable AbortSignal signal;
  private final @Nullable Duration timeout;

  private TaskOptions(int priority, @Nullable AbortSignal signal, @Nullable Duration timeout) {
    this.priority = priority;
    this.signal = signal;
    this.timeout = timeout;
  }

  /** Priority 0, no signal, the pool's default run timeout. */
  public static TaskOptions defaults() {
    return DEFAULTS;
  }

  /**
   * The task's priority: higher runs sooner; 0 is the default. Waiting ages a task (see
   * {@link WorkerPool.Builder#agingInterval}), so a low priority delays a task but never starves it.
   */
  public TaskOptions priority(int priority) {
    return new TaskOptions(priority, signal, timeout);
  }

  /** Cancels the task when {@code signal} aborts (see {@link WorkerPool} for what that does). */
  public TaskOptions signal(AbortSignal signal) {
    return new TaskOptions(priority, requireNonNull(signal, "signal"), timeout);
  }

  /**
   * The longest the task may run, on the real clock, from the moment a thread starts it; then its thread
   * is interrupted and its promise rejects with {@link org.eventloop4j.TimeoutError}. Replaces the pool's
   * default.
   *
   * @throws IllegalArgumentException if {@code timeout} is zero or negative
   */
  public TaskOptions timeout(Duration timeout) {
    requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("task timeout must be positive, was " + timeout);
    }
    return new TaskOptions(priority, signal, timeout);
  }

  int priorityValue() {
    return priority;
  }

  @Nullable AbortSignal signalValue() {
    return signal;
  }

  @Nullable Duration timeoutValue() {
    return timeout;
  }

  @Override
  public String toString() {
    return "TaskOptions[priority " + priority + (signal != null ? ", " + signal : "")
        + (timeout != null ? ", timeout " + timeout : "") + "]";
  }
}
