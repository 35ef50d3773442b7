package org.eventloop4j.bench.resilience;

import dev.failsafe.spi.DefaultScheduledFuture;
import dev.failsafe.spi.Scheduler;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/**
 * What the per-call resilience benchmarks share: {@code n} calls chained on one new loop, each started
 * from the previous one's reaction (the shape of Node's {@code await policy.call(op)} loop), and a Failsafe
 * scheduler that runs its "async" executions on the calling thread, so no thread hop is measured.
 */
final class CallChain implements Function<Integer, Object> {
  static final Scheduler SAME_THREAD = (callable, delay, unit) -> {
    try {
      callable.call();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return new DefaultScheduledFuture<>();
  };

  private Supplier<Promise<Integer>> call = () -> {
    throw new IllegalStateException("no call yet");
  };
  private int left;
  private long sum;

  private CallChain(int n) {
    this.left = n;
  }

  /** Makes {@code n} calls of {@code call}, one after another on a new loop; the sum of their results. */
  static long run(Supplier<Promise<Integer>> call, int n) {
    return runMadeOnLoop(() -> call, n);
  }

  /**
   * {@link #run} of the call that {@code make} returns on the new loop, for a policy that should be made
   * there (a primitive made on a loop is single-loop, as in Node).
   */
  static long runMadeOnLoop(Supplier<Supplier<Promise<Integer>>> make, int n) {
    CallChain c = new CallChain(n);
    EventLoop.create().run(() -> {
      c.call = make.get();
      c.next();
    });
    return c.sum;
  }

  private void next() {
    call.get().then(this);
  }

  @Override
  public Object apply(Integer v) {
    sum += v;
    if (--left > 0) {
      next();
    }
    return null;
  }
}
