package org.eventloop4j.bench.sync;

import java.util.concurrent.TimeUnit;
import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.bench.async.AsyncWorkloads;
import org.eventloop4j.sync.Mutex;
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
 * {@value #TASKS} tasks on one loop, each looping lock → increment → unlock, so that about 99 always wait
 * and every unlock hands the mutex to the oldest waiter: cost per hand-off, {@value #N} per invocation.
 * Node: {@code mutex_handoff.js} (the issue's {@code mutex.js - contended}, 107 ns per hand-off), whose
 * tasks are async functions awaiting each lock. {@code handoff100} is the promise-callback form (each task
 * a chain of {@code thenRun} reactions); {@code handoff100Async} is Node's shape, 100 async bodies that
 * {@code Async.await} each lock: every await there really suspends (the lock is still held by another
 * task), so each hand-off also switches virtual threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(MutexHandoff.N)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MutexHandoff {
  static final int N = 1_000_000;
  static final int TASKS = 100;

  @Param("1000000")
  public int n;

  @Benchmark
  public int handoff100_eventloop4j() {
    int per = Math.ceilDiv(n, TASKS);
    int[] counter = {0};
    EventLoop.create().run(() -> {
      Mutex mutex = new Mutex(); // made on the loop: a single-loop mutex, as in Node
      for (int t = 0; t < TASKS; t++) {
        new Task(mutex, per, counter).run();
      }
    });
    if (counter[0] != per * TASKS) {
      throw new IllegalStateException("expected " + per * TASKS + " cycles, got " + counter[0]);
    }
    return counter[0];
  }

  @Benchmark
  public int handoff100Async_eventloop4j() {
    return handoff100Async();
  }

  /** {@link #handoff100Async_eventloop4j} with the opt-in accelerator: no thread switch per hand-off. */
  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", AsyncWorkloads.CONTINUATIONS, AsyncWorkloads.EXPORTS})
  public int handoff100Async_eventloop4jContinuations() {
    return handoff100Async();
  }

  private int handoff100Async() {
    int per = Math.ceilDiv(n, TASKS);
    int[] counter = {0};
    EventLoop.create().run(() -> {
      Mutex mutex = new Mutex();
      for (int t = 0; t < TASKS; t++) {
        Async.async(() -> {
          for (int i = 0; i < per; i++) {
            Async.await(mutex.lock());
            counter[0]++;
            mutex.unlock();
          }
          return null;
        });
      }
    });
    if (counter[0] != per * TASKS) {
      throw new IllegalStateException("expected " + per * TASKS + " cycles, got " + counter[0]);
    }
    return counter[0];
  }

  /** One task: lock, and in the reaction increment, unlock and lock again, {@code per} times. */
  static final class Task implements Runnable {
    private final Mutex mutex;
    private final int[] counter;
    private int left;

    Task(Mutex mutex, int per, int[] counter) {
      this.mutex = mutex;
      this.counter = counter;
      this.left = per;
    }

    @Override
    public void run() {
      mutex.lock().thenRun(this::locked);
    }

    private void locked() {
      counter[0]++;
      mutex.unlock();
      if (--left > 0) {
        run();
      }
    }
  }
}
