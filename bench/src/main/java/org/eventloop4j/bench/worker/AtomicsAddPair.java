package org.eventloop4j.bench.worker;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.eventloop4j.shared.Atomics;
import org.eventloop4j.shared.Int32Array;
import org.eventloop4j.shared.SharedArrayBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code Atomics.add} from two threads at once, {@value #N} adds per thread per invocation, the shape of
 * Node's {@code bench/node/atomics_add.js} pair rows (2 workers: same slot 12.6 ns, adjacent slots 8.9 ns,
 * slots 128 bytes apart 3.9 ns, each the inverse of the total throughput). Rows: {@code same} — both on
 * slot 0 (true sharing); {@code adjacent} — slots 0 and 1 (one cache line, false sharing); {@code padded}
 * — slots 0 and 32. Scores are the total throughput of both threads in ops/µs; ns per op = 1000 / score
 * (the report converts). Peer: {@code AtomicIntegerArray}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@OperationsPerInvocation(AtomicsAddPair.N)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AtomicsAddPair {
  static final int N = 1_000_000;
  private static final int ADJACENT = 1;
  private static final int PADDED = 32;

  /** The memory both threads of a group share. */
  @State(Scope.Group)
  public static class Shared {
    @Param("1000000")
    public int n;

    final Int32Array array = new Int32Array(new SharedArrayBuffer(64 * 4));
    final AtomicIntegerArray atomic = new AtomicIntegerArray(64);
    private final AtomicInteger threads = new AtomicInteger();
  }

  /** Whether this thread is the first or the second of its group. */
  @State(Scope.Thread)
  public static class Slot {
    boolean second;

    @Setup(Level.Trial)
    public void setUp(Shared shared) {
      second = shared.threads.getAndIncrement() % 2 == 1;
    }

    int index(int secondIndex) {
      return second ? secondIndex : 0;
    }
  }

  @Benchmark
  @Group("same_eventloop4j")
  @GroupThreads(2)
  public int same_eventloop4j(Shared s) {
    return adds(s.array, 0, s.n);
  }

  @Benchmark
  @Group("adjacent_eventloop4j")
  @GroupThreads(2)
  public int adjacent_eventloop4j(Shared s, Slot slot) {
    return adds(s.array, slot.index(ADJACENT), s.n);
  }

  @Benchmark
  @Group("padded_eventloop4j")
  @GroupThreads(2)
  public int padded_eventloop4j(Shared s, Slot slot) {
    return adds(s.array, slot.index(PADDED), s.n);
  }

  @Benchmark
  @Group("same_atomicIntegerArray")
  @GroupThreads(2)
  public int same_atomicIntegerArray(Shared s) {
    return adds(s.atomic, 0, s.n);
  }

  @Benchmark
  @Group("adjacent_atomicIntegerArray")
  @GroupThreads(2)
  public int adjacent_atomicIntegerArray(Shared s, Slot slot) {
    return adds(s.atomic, slot.index(ADJACENT), s.n);
  }

  @Benchmark
  @Group("padded_atomicIntegerArray")
  @GroupThreads(2)
  public int padded_atomicIntegerArray(Shared s, Slot slot) {
    return adds(s.atomic, slot.index(PADDED), s.n);
  }

  private static int adds(Int32Array a, int i, int n) {
    int last = 0;
    for (int k = 0; k < n; k++) {
      last = Atomics.add(a, i, 1);
    }
    return last;
  }

  private static int adds(AtomicIntegerArray a, int i, int n) {
    int last = 0;
    for (int k = 0; k < n; k++) {
      last = a.getAndAdd(i, 1);
    }
    return last;
  }
}
