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
 * {@code Atomics.add} from two threads at once, {@value #N} adds per thread per invocation (Node:
 * {@code atomics_add.js} with 2 workers: same slot 12.6 ns, adjacent slots 8.9 ns, slots 128 bytes apart
 * 3.9 ns, each the inverse of the total throughput). {@code layout}: {@code same} — both on slot 0 (true
 * sharing); {@code adjacent} — slots 0 and 1 (one cache line, false sharing); {@code padded} — slots 0 and
 * 32. Scores are total throughput of both threads in ops/µs; ns per op = 1000 / score. Peer:
 * {@code AtomicIntegerArray}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@OperationsPerInvocation(AtomicsAddPair.N)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AtomicsAddPair {
  static final int N = 1_000_000;

  /** The memory both threads of a group share, and which slot each thread gets. */
  @State(Scope.Group)
  public static class Shared {
    @Param({"same", "adjacent", "padded"})
    public String layout;

    @Param("1000000")
    public int n;

    final Int32Array array = new Int32Array(new SharedArrayBuffer(64 * 4));
    final AtomicIntegerArray atomic = new AtomicIntegerArray(64);
    private final AtomicInteger threads = new AtomicInteger();

    int nextSlot() {
      int second = switch (layout) {
        case "same" -> 0;
        case "adjacent" -> 1;
        default -> 32;
      };
      return threads.getAndIncrement() % 2 == 0 ? 0 : second;
    }
  }

  /** The slot of one thread. */
  @State(Scope.Thread)
  public static class Slot {
    int index;

    @Setup(Level.Trial)
    public void setUp(Shared shared) {
      index = shared.nextSlot();
    }
  }

  @Benchmark
  @Group("eventloop4j")
  @GroupThreads(2)
  public int eventloop4j(Shared s, Slot slot) {
    Int32Array a = s.array;
    int i = slot.index;
    int last = 0;
    for (int k = 0; k < s.n; k++) {
      last = Atomics.add(a, i, 1);
    }
    return last;
  }

  @Benchmark
  @Group("atomicIntegerArray")
  @GroupThreads(2)
  public int atomicIntegerArray(Shared s, Slot slot) {
    AtomicIntegerArray a = s.atomic;
    int i = slot.index;
    int last = 0;
    for (int k = 0; k < s.n; k++) {
      last = a.getAndAdd(i, 1);
    }
    return last;
  }
}
