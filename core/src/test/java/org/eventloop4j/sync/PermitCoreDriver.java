package org.eventloop4j.sync;

import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Drives a {@link PermitCore} without any event loop, for the core Lincheck tests: an acquire goes
 * through the loop-free {@link PermitCore#enter}, an abort straight to {@link PermitCore#abort} (what an
 * AbortSignal's listener calls), and a waiter's outcome is read from its {@link RecordingSettler} handle.
 * The answers use {@link PermitModel}'s codes.
 */
final class PermitCoreDriver {
  private final PermitCore core;
  private final @Nullable Waiter[] last = new Waiter[PermitModel.THREADS];

  PermitCoreDriver(PermitCore core) {
    this.core = core;
  }

  int enter(int thread, int n) {
    return enter(thread, n, 0);
  }

  /** An acquire of {@code n} at {@code priority} through the loop-free {@link PermitCore#enter}. */
  int enter(int thread, int n, int priority) {
    Object r = core.enter(n, priority, null);
    if (r == PermitCore.GRANTED) {
      return PermitModel.GRANTED;
    }
    if (r instanceof Waiter w) {
      last[thread] = w;
      return PermitModel.QUEUED;
    }
    return r instanceof ClosedError ? PermitModel.REJECTED : PermitModel.BAD_WEIGHT;
  }

  /** A try form's outcome as a {@link PermitModel} code: taken, busy, closed or too heavy. */
  static int attempt(BooleanSupplier tryForm) {
    try {
      return tryForm.getAsBoolean() ? PermitModel.GRANTED : PermitModel.BUSY;
    } catch (ClosedError closed) {
      return PermitModel.REJECTED;
    } catch (IllegalArgumentException tooHeavy) {
      return PermitModel.BAD_WEIGHT;
    }
  }

  boolean abort(int thread) {
    return abort(last, thread, core::abort);
  }

  /**
   * Aborts the last waiter {@code thread} queued (and forgets it) through {@code abort}, what an
   * AbortSignal's listener calls; whether that rejected it, that is whether it was still waiting.
   */
  static <W extends PermitWaiter<W>> boolean abort(@Nullable W[] last, int thread, BiConsumer<W, Throwable> abort) {
    W w = last[thread];
    last[thread] = null;
    if (w == null) {
      return false;
    }
    IllegalStateException reason = new IllegalStateException("aborted");
    abort.accept(w, reason);
    return RecordingSettler.of(w).reason == reason;
  }
}
