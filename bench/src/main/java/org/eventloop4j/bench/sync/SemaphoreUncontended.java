package org.eventloop4j.bench.sync;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.sync.Mutex;
import org.eventloop4j.sync.Semaphore;
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
 * One uncontended acquire + release on one loop, {@value #N} per invocation. {@code acquireRelease} and
 * {@code lockUnlock} call the async API without waiting for the (already fulfilled) promise — what the
 * JDK rows do; {@code acquireAwaitRelease} is Node's {@code semaphore_uncontended.js} (the issue's
 * {@code mutex.js - uncontended}, 79 ns there): an async body that {@code Async.await}s each acquire
 * (already fulfilled, so the await takes its settled-promise fast path) and then releases;
 * {@code acquireThenRelease} waits for each acquire's promise with a {@code thenRun} reaction instead
 * (one derived promise and one microtask per cycle). The JDK rows run on the benchmark thread:
 * {@code java.util.concurrent.Semaphore} (non-fair) and {@code ReentrantLock}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(SemaphoreUncontended.N)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SemaphoreUncontended {
  static final int N = 1_000_000;

  @Param("1000000")
  public int n;

  private final java.util.concurrent.Semaphore jdkSemaphore = new java.util.concurrent.Semaphore(1);
  private final ReentrantLock jdkLock = new ReentrantLock();

  @Benchmark
  public int acquireRelease_eventloop4j() {
    Semaphore sem = new Semaphore(1);
    int[] done = {0};
    EventLoop.create().run(() -> {
      for (int i = 0; i < n; i++) {
        sem.acquire();
        sem.release();
        done[0]++;
      }
    });
    return check(done[0]);
  }

  @Benchmark
  public int tryAcquireRelease_eventloop4j() {
    Semaphore sem = new Semaphore(1);
    int done = 0;
    for (int i = 0; i < n; i++) {
      if (sem.tryAcquire()) {
        sem.release();
        done++;
      }
    }
    return check(done);
  }

  @Benchmark
  public int lockUnlock_eventloop4j() {
    Mutex mutex = new Mutex();
    int[] done = {0};
    EventLoop.create().run(() -> {
      for (int i = 0; i < n; i++) {
        mutex.lock();
        mutex.unlock();
        done[0]++;
      }
    });
    return check(done[0]);
  }

  @Benchmark
  public int acquireAwaitRelease_eventloop4j() {
    Semaphore sem = new Semaphore(1);
    int[] done = {0};
    EventLoop.create().run(() -> Async.async(() -> {
      for (int i = 0; i < n; i++) {
        Async.await(sem.acquire());
        done[0]++;
        sem.release();
      }
      return null;
    }));
    return check(done[0]);
  }

  @Benchmark
  public int acquireThenRelease_eventloop4j() {
    Semaphore sem = new Semaphore(1);
    Awaiting step = new Awaiting(sem, n);
    EventLoop.create().run(step);
    return check(step.done);
  }

  /** acquire(), and in its reaction release() and acquire again: one microtask hop per cycle. */
  static final class Awaiting implements Runnable {
    private final Semaphore sem;
    private final int n;
    int done;

    Awaiting(Semaphore sem, int n) {
      this.sem = sem;
      this.n = n;
    }

    @Override
    public void run() {
      sem.acquire().thenRun(this::cycle);
    }

    private void cycle() {
      sem.release();
      if (++done < n) {
        run();
      }
    }
  }

  @Benchmark
  public int acquireRelease_jdkSemaphore() {
    int done = 0;
    for (int i = 0; i < n; i++) {
      jdkSemaphore.acquireUninterruptibly();
      jdkSemaphore.release();
      done++;
    }
    return check(done);
  }

  @Benchmark
  public int lockUnlock_jdkReentrantLock() {
    int done = 0;
    for (int i = 0; i < n; i++) {
      jdkLock.lock();
      jdkLock.unlock();
      done++;
    }
    return check(done);
  }

  private int check(int done) {
    if (done != n) {
      throw new IllegalStateException("expected " + n + " cycles, got " + done);
    }
    return done;
  }
}
