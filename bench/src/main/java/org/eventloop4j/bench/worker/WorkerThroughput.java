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
 * Pipelined {@code postMessage} echo with {@value #WINDOW} messages in flight to one {@link Worker},
 * {@value #N} round-tripped messages per invocation: the analogue of Node's {@code bench/node/worker_messages.js} row worker_throughput
 * (0.86 M messages/s, 1.16 µs per message).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(WorkerThroughput.N)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class WorkerThroughput {
  static final int N = 100_000;
  static final int WINDOW = 256;

  @Param("100000")
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
    int[] counts = {0, 0};
    loop.run(() -> {
      worker.ref();
      handler = m -> {
        if (++counts[1] == n) {
          worker.unref();
        } else if (counts[0] < n) {
          worker.postMessage(counts[0]++);
        }
      };
      while (counts[0] < Math.min(WINDOW, n)) {
        worker.postMessage(counts[0]++);
      }
    });
    return Expect.equal(n, counts[1], "messages");
  }
}
