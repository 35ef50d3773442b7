package org.eventloop4j.bench.worker;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eventloop4j.EventLoop;
import org.eventloop4j.worker.Worker;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code postMessage} round trip parent → {@link Worker} → parent, one message in flight, {@value #N} per
 * invocation: the exact analogue of Node's {@code bench/node/worker_messages.js} row worker_roundtrip (43.5 µs in the issue). The worker echoes;
 * the parent's handler posts the next message. The worker is started once per trial.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(WorkerRoundtrip.N)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class WorkerRoundtrip {
  static final int N = 2_000;

  @Param("2000")
  public int n;

  private EventLoop loop;
  private Worker worker;
  private Consumer<Object> handler = m -> {};

  @Setup(Level.Trial)
  public void setUp() {
    loop = EventLoop.create();
    loop.run(() -> {
      worker = Worker.start(scope -> scope.onMessage(scope::postMessage));
      worker.onMessage(m -> handler.accept(m));
      worker.unref();
    });
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    loop.run(() -> worker.ref().terminate());
  }

  @Benchmark
  public int eventloop4j() {
    int[] got = {0};
    loop.run(() -> {
      worker.ref();
      handler = m -> {
        int v = (Integer) m + 1;
        if (v == n) {
          got[0] = v;
          worker.unref();
        } else {
          worker.postMessage(v);
        }
      };
      worker.postMessage(0);
    });
    return Expect.equal(n, got[0], "round trips");
  }
}
