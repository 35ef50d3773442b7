package org.eventloop4j.bench.worker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.eventloop4j.shared.Atomics;
import org.eventloop4j.shared.Int32Array;
import org.eventloop4j.shared.SharedArrayBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code Atomics.add(a, 0, 1)} on one Int32 slot from one thread, {@value #N} per invocation (Node:
 * {@code bench/node/atomics_add.js}, row atomics_add_single; 7.76 ns in the issue). Peers: {@code AtomicIntegerArray.getAndAdd} and a raw
 * {@code int[]} VarHandle {@code getAndAdd}, the floor (one {@code lock xadd}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(AtomicsAdd.N)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AtomicsAdd {
  static final int N = 1_000_000;
  private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);

  @Param("1000000")
  public int n;

  private final Int32Array shared = new Int32Array(new SharedArrayBuffer(64 * 4));
  private final AtomicIntegerArray atomic = new AtomicIntegerArray(64);
  private final int[] plain = new int[64];

  @Benchmark
  public int single_eventloop4j() {
    Int32Array a = shared;
    int before = Atomics.load(a, 0);
    for (int i = 0; i < n; i++) {
      Atomics.add(a, 0, 1);
    }
    return Expect.equal(n, Atomics.load(a, 0) - before, "adds");
  }

  @Benchmark
  public int single_atomicIntegerArray() {
    AtomicIntegerArray a = atomic;
    int before = a.get(0);
    for (int i = 0; i < n; i++) {
      a.getAndAdd(0, 1);
    }
    return Expect.equal(n, a.get(0) - before, "adds");
  }

  @Benchmark
  public int single_varHandle() {
    int[] a = plain;
    int before = (int) INTS.getVolatile(a, 0);
    for (int i = 0; i < n; i++) {
      INTS.getAndAdd(a, 0, 1);
    }
    return Expect.equal(n, (int) INTS.getVolatile(a, 0) - before, "adds");
  }
}
