package org.eventloop4j.worker;

import static java.util.Objects.requireNonNull;

import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The {@code progress} consumer handed to a {@link WorkerPool.ProgressTask}: each report travels to the
 * caller's loop through the task's {@link CompletionInbox} and is handed to {@code onProgress} there.
 *
 * <p>Threads: {@link #accept} from any thread; the reports run on the caller's loop.
 *
 * @param <P> the progress type
 */
final class ProgressSink<P> implements Consumer<P> {
  /*
   * Overview. A report is one item pushed into the inbox that also carries the task's outcome. The
   * Mailbox is FIFO per producer, and linearizable across producers, so every report whose push
   * happens-before the outcome's push (all reports of the task's own thread; those of another thread the
   * task joined) is handed over before the promise settles, in push order.
   *
   * None is handed over after: a report is refused at the source once the task is no longer RUNNING
   * (finished, aborted, timed out, terminated: nothing is pushed), and a report that passed that check
   * while the task's outcome was being decided (another thread racing with the task's return, a running
   * task being aborted) is dropped on the loop by Report.run, which finds the promise settled
   * (PoolTask.settledOnLoop; both run on the loop, in mailbox order, so the check is exact).
   *
   * `task` and `inbox` are written once on the caller's loop before the task is offered; the offer and the claim
   * publish it to the pool thread, and that thread publishes it to any thread it hands the sink to.
   *
   * Tests: WorkerPoolProgressTest (order before settlement, drops after an abort and after the end, a
   * throwing callback, reports from another thread), WorkerPoolStressTest (a helper thread reporting while
   * the task returns: nothing after settlement).
   */
  private final Consumer<? super P> onProgress;
  private @Nullable PoolTask task;
  private @Nullable CompletionInbox inbox;

  ProgressSink(Consumer<? super P> onProgress) {
    this.onProgress = onProgress;
  }

  /** On the caller's loop, before the task is offered. */
  void bind(PoolTask t, CompletionInbox in) {
    task = t;
    inbox = in;
  }

  /**
   * Sends {@code value} to the caller's loop if the task is still running; drops it otherwise (see {@link
   * WorkerPool#execute(WorkerPool.ProgressTask, Object, Consumer)}). Any thread; never blocks.
   */
  @Override
  public void accept(P value) {
    PoolTask t = requireNonNull(task, "task");
    if (t.running()) {
      requireNonNull(inbox, "inbox").push(new Report<>(t, onProgress, value));
    }
  }

  /** One report on its way to the loop. */
  private record Report<P>(PoolTask task, Consumer<? super P> onProgress, P value) implements Runnable {
    /** On the caller's loop: hands the value over unless the task's promise settled meanwhile. */
    @Override
    public void run() {
      if (!task.settledOnLoop()) {
        onProgress.accept(value);
      }
    }
  }
}
