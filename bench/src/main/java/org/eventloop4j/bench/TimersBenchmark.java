package org.eventloop4j.bench;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.TimerTask;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Timer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Timers with random integer delays 0–1000 ms (a fixed seed, drawn before timing), {@code n} per
 * invocation; {@link Timers1e5} and {@link Timers1e6} fix {@code n} (Node: {@code node/timers.js}).
 *
 * <ul>
 *   <li>{@code schedule_*}: scheduling all {@code n} (they are cancelled again, untimed, after each
 *       invocation);
 *   <li>{@code cancel_*}: cancelling {@code n} timers scheduled, untimed, just before;
 *   <li>{@code fireAll_eventloop4j}: a fresh virtual-time loop schedules all {@code n} and runs until every
 *       one has fired, in due order (checked by {@code TimerOrderTest}), with no waiting on the wall clock.
 * </ul>
 *
 * <p>Ours is scheduled and cancelled from the one thread that sets up a loop that is not running (a
 * real-clock {@code EventLoop.create()}), as the API allows. Peers: Netty's {@code HashedWheelTimer} with
 * 1 ms ticks × 1024 buckets (ms resolution like Node) and a {@code ScheduledThreadPoolExecutor(1)} with
 * {@code setRemoveOnCancelPolicy(true)} (with the default policy cancelled tasks stay queued, and
 * scheduling becomes 20× dearer). Only the calling thread's time counts: whatever a peer hands to its
 * own timer thread runs on the other core. Firing is measured for ours only (a peer would spend 1 s of
 * wall clock per invocation).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public abstract class TimersBenchmark {
  static final int MAX_DELAY_MS = 1000;
  private static final Runnable NOOP = () -> {};
  private static final TimerTask NOOP_TASK = timeout -> {};

  @Benchmark
  public Timer[] schedule_eventloop4j(Ours timers) {
    return timers.scheduleAll();
  }

  @Benchmark
  public Timer[] cancel_eventloop4j(Ours timers) {
    return timers.cancelAll();
  }

  @Benchmark
  public int fireAll_eventloop4j(Delays delays) {
    Fired fired = new Fired();
    fireAll(delays.delays, i -> fired);
    return Checks.equal(delays.delays.length, fired.count, "timers fired");
  }

  @Benchmark
  public Timeout[] schedule_nettyHashedWheel(Wheel timers) {
    return timers.scheduleAll();
  }

  @Benchmark
  public Timeout[] cancel_nettyHashedWheel(Wheel timers) {
    return timers.cancelAll();
  }

  @Benchmark
  public ScheduledFuture<?>[] schedule_stpe(Stpe timers) {
    return timers.scheduleAll();
  }

  @Benchmark
  public ScheduledFuture<?>[] cancel_stpe(Stpe timers) {
    return timers.cancelAll();
  }

  /** The delays of one run: {@code n} integers 0–1000, always the same for a given {@code n}. */
  static int[] delays(int n) {
    SplittableRandom random = new SplittableRandom(42);
    int[] delays = new int[n];
    for (int i = 0; i < n; i++) {
      delays[i] = random.nextInt(MAX_DELAY_MS + 1);
    }
    return delays;
  }

  /**
   * On a fresh virtual-time loop: schedules a timer per delay, {@code callback.apply(i)} for the i-th, and
   * runs the loop until all have fired. Shared by the benchmark and by {@code TimerOrderTest}.
   */
  static EventLoop fireAll(int[] delays, IntFunction<Runnable> callback) {
    EventLoop loop = EventLoop.builder().virtualTime().build();
    loop.run(() -> {
      for (int i = 0; i < delays.length; i++) {
        loop.setTimeout(callback.apply(i), delays[i]);
      }
    });
    return loop;
  }

  private static int n(BenchmarkParams params) {
    return Integer.parseInt(params.getParam("n"));
  }

  /** Does the benchmark about to run cancel (so each invocation needs its timers scheduled first)? */
  private static boolean cancels(BenchmarkParams params) {
    return params.getBenchmark().contains(".cancel_");
  }

  /** Counts the timers that fired. */
  static final class Fired implements Runnable {
    int count;

    @Override
    public void run() {
      count++;
    }
  }

  @State(Scope.Benchmark)
  public static class Delays {
    int[] delays;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
      delays = delays(n(params));
    }
  }

  /**
   * Our timers on a real-clock loop that is not running. Before each invocation of a cancel benchmark
   * the timers are scheduled; after every invocation whatever is still pending is cancelled (clearing a
   * cleared timer does nothing), both untimed.
   */
  @State(Scope.Benchmark)
  public static class Ours {
    EventLoop loop;
    int[] delays;
    Timer[] timers;
    boolean cancels;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
      delays = delays(n(params));
      timers = new Timer[delays.length];
      cancels = cancels(params);
      loop = EventLoop.create();
    }

    @Setup(Level.Invocation)
    public void beforeInvocation() {
      if (cancels) {
        scheduleAll();
      }
    }

    @TearDown(Level.Invocation)
    public void afterInvocation() {
      cancelAll();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      loop.close();
    }

    Timer[] scheduleAll() {
      for (int i = 0; i < delays.length; i++) {
        timers[i] = loop.setTimeout(NOOP, delays[i]);
      }
      return timers;
    }

    Timer[] cancelAll() {
      for (Timer timer : timers) {
        timer.clear();
      }
      return timers;
    }
  }

  /** Netty's {@code HashedWheelTimer}, 1 ms × 1024; same protocol as {@link Ours}. */
  @State(Scope.Benchmark)
  public static class Wheel {
    HashedWheelTimer timer;
    int[] delays;
    Timeout[] timeouts;
    boolean cancels;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
      delays = delays(n(params));
      timeouts = new Timeout[delays.length];
      cancels = cancels(params);
      timer = new HashedWheelTimer(1, TimeUnit.MILLISECONDS, 1024);
      timer.start();
    }

    @Setup(Level.Invocation)
    public void beforeInvocation() {
      if (cancels) {
        scheduleAll();
      }
    }

    @TearDown(Level.Invocation)
    public void afterInvocation() {
      cancelAll();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      timer.stop();
    }

    Timeout[] scheduleAll() {
      for (int i = 0; i < delays.length; i++) {
        timeouts[i] = timer.newTimeout(NOOP_TASK, delays[i], TimeUnit.MILLISECONDS);
      }
      return timeouts;
    }

    Timeout[] cancelAll() {
      for (Timeout timeout : timeouts) {
        timeout.cancel();
      }
      return timeouts;
    }
  }

  /** {@code ScheduledThreadPoolExecutor(1)} removing cancelled tasks; same protocol as {@link Ours}. */
  @State(Scope.Benchmark)
  public static class Stpe {
    ScheduledThreadPoolExecutor executor;
    int[] delays;
    ScheduledFuture<?>[] futures;
    boolean cancels;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
      delays = delays(n(params));
      futures = new ScheduledFuture<?>[delays.length];
      cancels = cancels(params);
      executor = new ScheduledThreadPoolExecutor(1);
      executor.setRemoveOnCancelPolicy(true);
    }

    @Setup(Level.Invocation)
    public void beforeInvocation() {
      if (cancels) {
        scheduleAll();
      }
    }

    @TearDown(Level.Invocation)
    public void afterInvocation() {
      cancelAll();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
      executor.shutdownNow();
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the ScheduledThreadPoolExecutor did not stop");
      }
    }

    ScheduledFuture<?>[] scheduleAll() {
      for (int i = 0; i < delays.length; i++) {
        futures[i] = executor.schedule(NOOP, delays[i], TimeUnit.MILLISECONDS);
      }
      return futures;
    }

    ScheduledFuture<?>[] cancelAll() {
      for (ScheduledFuture<?> future : futures) {
        future.cancel(false);
      }
      return futures;
    }
  }
}
