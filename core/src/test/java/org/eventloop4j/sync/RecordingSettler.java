package org.eventloop4j.sync;

import org.eventloop4j.EventLoop;
import org.jspecify.annotations.Nullable;

/**
 * A loop-free {@link Settler} for model checking: each waiter's handle is an {@link Outcome} that records,
 * synchronously on the settling thread, how the waiter was settled. With it a primitive's concurrent core
 * runs without any event loop, so Lincheck's model checker can follow every thread.
 */
final class RecordingSettler implements Settler {
  /** How one waiter was settled; written once by the settling thread. */
  static final class Outcome {
    volatile boolean fulfilled;
    volatile @Nullable Object value;
    volatile @Nullable Throwable reason;

    boolean settled() {
      return fulfilled || reason != null;
    }
  }

  @Override
  public Object open(@Nullable EventLoop loop) {
    return new Outcome();
  }

  @Override
  public boolean fulfil(@Nullable EventLoop loop, Object handle, @Nullable Object value) {
    Outcome o = (Outcome) handle;
    o.value = value;
    o.fulfilled = true;
    return true;
  }

  @Override
  public void reject(@Nullable EventLoop loop, Object handle, Throwable reason) {
    ((Outcome) handle).reason = reason;
  }

  /** The outcome recorded for {@code node}. */
  static Outcome of(WaitNode<?> node) {
    return (Outcome) node.handle();
  }
}
