package org.eventloop4j.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.eventloop4j.Async;
import org.eventloop4j.Promise;
import org.eventloop4j.shared.Atomics;
import org.eventloop4j.shared.Int32Array;
import org.eventloop4j.shared.SharedArrayBuffer;
import org.eventloop4j.worker.Worker;
import org.eventloop4j.worker.WorkerPool;
import org.jspecify.annotations.Nullable;

/**
 * The seed's "Web Workers for CPU-Intensive Tasks" and "SharedArrayBuffer and Atomics" programs. The
 * seed's hand-written {@code WorkerPool} class is eventloop4j's {@link WorkerPool}; its workers are plain
 * threads running a Java function instead of a script in a Blob URL. The results come back to the calling
 * loop; the CPU time is real even on virtual time. Both examples print how long the work took and the
 * speed-up against one thread.
 */
final class ParallelExamples {
  private ParallelExamples() {}

  /** The seed's task object, {@code { iterations }}. */
  record Job(int iterations) {}

  /**
   * The worker script's {@code heavyComputation(data)}: Σ √i·sin i. {@code StrictMath.sin} is fdlibm's
   * sine, the one V8 uses, so the sums are bit for bit those Node prints.
   */
  static double heavyComputation(Job data) {
    double result = 0;
    for (int i = 0; i < data.iterations(); i++) {
      result += Math.sqrt(i) * StrictMath.sin(i);
    }
    return result;
  }

  private static final List<Job> TASKS = List.of(new Job(1_000_000), new Job(2_000_000), new Job(1_500_000),
      new Job(3_000_000));

  /** {@code parallelProcessingExample()}: four jobs on a pool of four threads, awaited together. */
  static Promise<@Nullable Void> parallelProcessingExample(Output out) {
    return Async.async(() -> {
      WorkerPool pool = WorkerPool.builder().threads(4).build();
      try {
        List<Double> results = Async.await(runAll(pool, TASKS));
        out.log("Parallel results:", results);
        timeAgainstOneThread(out, pool, results);
        showFailedJobRejects(out, pool);
      } finally {
        pool.terminate();
      }
      return null;
    });
  }

  private static Promise<List<Double>> runAll(WorkerPool pool, List<Job> tasks) {
    return Promise.all(tasks.stream().map(task -> pool.execute(ParallelExamples::heavyComputation, task)).toList());
  }

  /** Times the jobs again, now that the JIT has compiled them: on one thread, then on the pool of four. */
  private static void timeAgainstOneThread(Output out, WorkerPool pool, List<Double> results) {
    WorkerPool one = WorkerPool.builder().threads(1).build();
    try {
      long start = System.nanoTime();
      List<Double> sequential = Async.await(runAll(one, TASKS));
      long oneThread = System.nanoTime() - start;
      start = System.nanoTime();
      Async.await(runAll(pool, TASKS));
      long fourThreads = System.nanoTime() - start;
      long total = TASKS.stream().mapToLong(Job::iterations).sum();
      long longest = TASKS.stream().mapToLong(Job::iterations).max().orElseThrow();
      out.note(String.format(Locale.ROOT, "4 threads: %.1f ms; the same jobs on 1 thread: %.1f ms; speed-up %.2fx"
          + " (timed after a first run; at most %.1fx with 4 free cores: the longest job has %,d of the %,d"
          + " iterations; this machine has %d cores)", fourThreads / 1e6, oneThread / 1e6,
          (double) oneThread / fourThreads, (double) total / longest, longest, total,
          Runtime.getRuntime().availableProcessors()));
      out.note(sequential.equals(results) ? "one thread computed the same four sums, bit for bit"
          : "one thread computed different sums: " + sequential);
    } finally {
      one.terminate();
    }
  }

  /**
   * The seed's pool loses a job whose worker fails: {@code onerror} frees the worker but never settles the
   * job's promise, so {@code Promise.all} waits forever. eventloop4j's pool rejects that job's promise with
   * the error and replaces the thread.
   */
  private static void showFailedJobRejects(Output out, WorkerPool pool) {
    Promise<Double> crashed = pool.execute(job -> {
      throw new StackOverflowError("the worker died mid-job");
    }, new Job(1));
    try {
      Async.await(crashed);
      out.note("the crashed job fulfilled?");
    } catch (StackOverflowError e) {
      double next = Async.await(pool.execute(ParallelExamples::heavyComputation, new Job(10)));
      out.note("fixed: a job whose worker dies rejects its own promise (here with " + e + ") and the thread is"
          + " replaced (the next job ran: " + Inspect.number(next) + "); the seed's onerror frees the worker but never settles the"
          + " job, so its Promise.all never ends. (Its processQueue, one dispatch per finished job, keeps up only"
          + " because each event frees exactly one worker; here every free thread takes the next task itself.)");
    }
  }

  /** The seed's worker message {@code { sharedBuffer, startIndex, length }}. */
  record Chunk(SharedArrayBuffer sharedBuffer, int startIndex, int length) {}

  /**
   * {@code class SharedMemoryProcessor}: workers add 1 to their own chunk of a shared {@link Int32Array} with
   * {@link Atomics#add}. Loop-affine (the workers' handlers run on the loop that created it).
   */
  static final class SharedMemoryProcessor {
    private final SharedArrayBuffer sharedBuffer;
    private final Int32Array sharedArray;
    private final List<Worker> workers = new ArrayList<>();

    SharedMemoryProcessor(int size) {
      this.sharedBuffer = new SharedArrayBuffer(size);
      this.sharedArray = new Int32Array(sharedBuffer);
    }

    Worker createWorker() {
      Worker worker = Worker.start(self -> self.onMessage(message -> {
        Chunk event = (Chunk) message;
        Int32Array sharedArray = new Int32Array(event.sharedBuffer());
        for (int i = event.startIndex(); i < event.startIndex() + event.length(); i++) {
          Atomics.add(sharedArray, i, 1);   // atomic operation
        }
        self.postMessage(Map.of("done", true));
      }));
      workers.add(worker);
      return worker;
    }

    /** The seed's processParallel() with four workers. */
    Promise<Int32Array> processParallel() {
      return processParallel(4);
    }

    Promise<Int32Array> processParallel(int count) {
      int chunkSize = sharedArray.length() / count;
      List<Promise<Object>> done = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        Worker worker = createWorker();
        Promise<Object> promise = Promise.create((resolve, reject) -> worker.onMessage(resolve));
        worker.postMessage(new Chunk(sharedBuffer, i * chunkSize, chunkSize));
        done.add(promise);
      }
      return Promise.all(done).then(v -> sharedArray);
    }

    void terminate() {
      workers.forEach(Worker::terminate);
      workers.clear();
    }
  }

  /** {@code sharedMemoryExample()}: four workers over 4096 bytes (1024 slots); returns the array. */
  static Promise<Int32Array> sharedMemoryExample(Output out) {
    return Async.async(() -> {
      SharedMemoryProcessor processor = new SharedMemoryProcessor(4096);
      try {
        long start = System.nanoTime();
        Int32Array result = Async.await(processor.processParallel());
        long parallel = System.nanoTime() - start;
        out.log("Shared array result:", result);
        checkEverySlotIsOne(out, result);
        timeSharedAgainstOneWorker(out, parallel);
        return result;
      } finally {
        processor.terminate();
      }
    });
  }

  private static void checkEverySlotIsOne(Output out, Int32Array result) {
    long ones = IntStream.range(0, result.length()).filter(i -> Atomics.load(result, i) == 1).count();
    out.note(ones == result.length() ? "every one of the " + ones + " slots is exactly 1"
        : "only " + ones + " of the " + result.length() + " slots are 1");
  }

  private static void timeSharedAgainstOneWorker(Output out, long parallelNanos) {
    SharedMemoryProcessor alone = new SharedMemoryProcessor(4096);
    try {
      long start = System.nanoTime();
      Async.await(alone.processParallel(1));
      long nanos = System.nanoTime() - start;
      out.note(String.format(Locale.ROOT, "4 workers: %.2f ms; 1 worker: %.2f ms; speed-up %.2fx (1024 additions are"
          + " far less work than starting a thread: the time is the workers' start-up)", parallelNanos / 1e6,
          nanos / 1e6, (double) nanos / parallelNanos));
    } finally {
      alone.terminate();
    }
  }
}
