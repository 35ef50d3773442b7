package org.eventloop4j.bench.worker;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.eventloop4j.shared.SharedCondition;
import org.eventloop4j.shared.SharedMutex;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code SharedMutex} lock + unlock around a one-field critical section, {@value #N} per invocation, against
 * {@code ReentrantLock} (non-fair, the JDK's default): from one thread (uncontended: one CAS each way), and
 * from 2 threads on the same lock (contended: per pair, both threads' total). Node has no mutex in shared
 * memory (the structs proposal's {@code Atomics.Mutex} is behind a V8 flag), so there is no Node column.
 * And {@code SharedCondition.signal()} with nobody waiting (Waiters' lock-free fast path) against a {@code
 * ReentrantLock} condition's {@code signal()}, which must be called holding the lock.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(SharedMutexLock.N)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SharedMutexLock {
  static final int N = 100_000;

  @Param("100000")
  public int n;

  private final SharedMutex shared = new SharedMutex();
  private final ReentrantLock reentrant = new ReentrantLock();
  private final SharedCondition sharedCondition = new SharedCondition();
  private final Condition condition = reentrant.newCondition();
  private long counter;

  /** signal() with nobody waiting, as a producer does on every item: one fence and one read. */
  @Benchmark
  public int signalNobody_eventloop4j() {
    SharedCondition c = sharedCondition;
    int woken = 0;
    for (int i = 0; i < n; i++) {
      woken += c.signal();
    }
    return woken;
  }

  /** The JDK's form: signal() must hold the lock. */
  @Benchmark
  public int signalNobody_reentrantLock() {
    ReentrantLock l = reentrant;
    Condition c = condition;
    for (int i = 0; i < n; i++) {
      l.lock();
      try {
        c.signal();
      } finally {
        l.unlock();
      }
    }
    return 0;
  }

  @Benchmark
  public long uncontended_eventloop4j() throws InterruptedException {
    return sharedLoop();
  }

  @Benchmark
  public long uncontended_reentrantLock() {
    return reentrantLoop();
  }

  @Benchmark
  @Threads(2)
  public long contended2_eventloop4j() throws InterruptedException {
    return sharedLoop();
  }

  @Benchmark
  @Threads(2)
  public long contended2_reentrantLock() {
    return reentrantLoop();
  }

  private long sharedLoop() throws InterruptedException {
    SharedMutex m = shared;
    long last = 0;
    for (int i = 0; i < n; i++) {
      m.lock();
      try {
        last = ++counter;
      } finally {
        m.unlock();
      }
    }
    return last;
  }

  private long reentrantLoop() {
    ReentrantLock l = reentrant;
    long last = 0;
    for (int i = 0; i < n; i++) {
      l.lock();
      try {
        last = ++counter;
      } finally {
        l.unlock();
      }
    }
    return last;
  }
}
