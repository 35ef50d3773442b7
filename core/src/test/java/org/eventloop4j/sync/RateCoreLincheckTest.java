package org.eventloop4j.sync;

import org.eventloop4j.EventLoop;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Model checks {@link RateCore} with fixed windows — its monitor, the waiter status CAS of an abort, the
 * grants settled outside the monitor — against {@link RateModel}: weighted acquires that are granted at
 * once, queue or are refused (closed), the abort of a queued acquire (which must reject it exactly when it
 * was still waiting), tryAcquire, close, and time advanced by half an interval with the wake-up that a
 * timer would bring. No event loop runs: waiters are settled by a {@link RecordingSettler} and the alarm
 * only records; {@link RateCoreSlidingLincheckTest} checks the sliding window the same way.
 */
@Param(name = "n", gen = IntGen.class, conf = "1:2")
@SuppressWarnings("exports") // Lincheck needs public test classes; this package is exported
public class RateCoreLincheckTest {
  static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);

  private long time;
  private final RateCore core;
  private final @Nullable RateWaiter[] last = new RateWaiter[PermitModel.THREADS];

  /** Lincheck makes one instance per scenario. */
  public RateCoreLincheckTest() {
    // the subclass checks the sliding window; its class decides (a constructor cannot ask an overridable method)
    boolean sliding = getClass() == RateCoreSlidingLincheckTest.class;
    core = new RateCore(RateModel.LIMIT, RateModel.INTERVAL, sliding, this::now, new RecordingSettler(),
        new RecordingAlarm(), "rate limiter");
  }

  private long now() {
    return time;
  }

  /** An alarm that only records: time moves, and the queue wakes, through {@link #advance()}. */
  static final class RecordingAlarm implements RateCore.Alarm {
    @Override
    public boolean arm(long delayMs, @Nullable EventLoop loop, RateCore core) {
      return true;
    }

    @Override
    public void disarm() {}
  }

  @Operation
  public int acquire(@Param(gen = ThreadIdGen.class) int thread, @Param(name = "n") int n) {
    Object r = core.enter(n, null, false, true);
    if (r == RateCore.GRANTED) {
      return PermitModel.GRANTED;
    }
    if (r instanceof RateWaiter w) {
      last[thread] = w;
      return PermitModel.QUEUED;
    }
    return PermitModel.REJECTED;
  }

  @Operation
  public boolean abort(@Param(gen = ThreadIdGen.class) int thread) {
    return PermitCoreDriver.abort(last, thread, core::abort);
  }

  @Operation
  public int tryAcquire(@Param(name = "n") int n) {
    return PermitCoreDriver.attempt(() -> core.tryAcquire(n));
  }

  @Operation
  public void advance() {
    core.advanceAndWake(() -> time += RateModel.STEP);
  }

  @Operation
  public int available() {
    return core.available();
  }

  @Operation
  public int waiting() {
    return core.waiting();
  }

  @Operation
  public void close() {
    core.close(null);
  }

  @Test
  public void modelCheck() {
    new ModelCheckingOptions().threads(2).actorsPerThread(3).actorsBefore(2).actorsAfter(2)
        .iterations(20 * STRESS).invocationsPerIteration(500).sequentialSpecification(spec()).check(getClass());
  }

  Class<? extends RateModel> spec() {
    return FixedSpec.class;
  }

  /** The sequential specification with fixed windows. */
  public static class FixedSpec extends RateModel {
    /** 2 permits per 10 ms, fixed windows. */
    public FixedSpec() {
      super(false);
    }

    FixedSpec(boolean sliding) {
      super(sliding);
    }

    public int acquire(int thread, int n) {
      return enter(thread, n);
    }

    @Override
    public boolean abort(int thread) {
      return super.abort(thread);
    }

    @Override
    public int tryAcquire(int n) {
      return super.tryAcquire(n);
    }

    @Override
    public void advance() {
      super.advance();
    }

    @Override
    public int available() {
      return super.available();
    }

    @Override
    public int waiting() {
      return super.waiting();
    }

    @Override
    public void close() {
      super.close();
    }
  }
}
