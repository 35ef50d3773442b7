package org.eventloop4j.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Resolvers;
import org.eventloop4j.shared.Atomics;
import org.eventloop4j.shared.Int32Array;
import org.eventloop4j.shared.SharedArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The seed's two parallel programs (shared/seed, "Parallel Processing"), ported: {@code
 * parallelProcessingExample} (four CPU tasks on a pool of four) and {@code sharedMemoryExample} (four
 * workers add 1 with {@code Atomics.add} to disjoint quarters of a 4096-byte buffer). Each prints what the
 * JavaScript prints.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SeedProgramsTest {
  /** The seed's worker script: {@code heavyComputation(data)}. */
  static double heavyComputation(int iterations) {
    double result = 0;
    for (int i = 0; i < iterations; i++) {
      result += Math.sqrt(i) * Math.sin(i);
    }
    return result;
  }

  /** What Node 20 prints for the same sums (V8's sin may differ from the JVM's in the last bit). */
  private static final double[] NODE = {-681.7596643536841, -512.9860409547778, 651.218561311828, 4.0253452755648595};

  @Test
  void parallelProcessingExample_fourCpuTasksOnFourThreads() throws InterruptedException {
    WorkerPool pool = WorkerPool.builder().threads(4).build();
    List<Integer> tasks = List.of(1_000_000, 2_000_000, 1_500_000, 3_000_000);
    AtomicReference<List<Double>> results = new AtomicReference<>();
    EventLoop.create().run(() -> {
      List<Promise<Double>> running = new ArrayList<>();
      for (int iterations : tasks) {
        running.add(pool.execute(SeedProgramsTest::heavyComputation, iterations));
      }
      Promise.all(running).thenAccept(r -> {
        results.set(r);
        System.out.println("Parallel results: " + r);
      }).andFinally(pool::terminate);
    });
    assertTrue(pool.awaitTermination(java.time.Duration.ofSeconds(10)));
    for (int i = 0; i < tasks.size(); i++) {
      assertEquals(heavyComputation(tasks.get(i)), results.get().get(i), "same sum as on one thread");
      assertEquals(NODE[i], results.get().get(i), 1e-6, "Node's sum");
    }
  }

  /** The message the seed posts to each worker. */
  record Chunk(SharedArrayBuffer sharedBuffer, int startIndex, int length) {}

  @Test
  void sharedMemoryExample_fourWorkersEachSlotEndsAtOne() throws InterruptedException {
    SharedArrayBuffer sharedBuffer = new SharedArrayBuffer(4096);
    Int32Array sharedArray = new Int32Array(sharedBuffer);
    List<Worker> workers = new ArrayList<>();
    EventLoop.create().run(() -> {
      int chunkSize = sharedArray.length() / 4;
      List<Promise<Object>> done = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Worker worker = Worker.start(scope -> scope.onMessage(m -> {
          Chunk c = (Chunk) m;
          Int32Array a = new Int32Array(c.sharedBuffer());
          for (int k = c.startIndex(); k < c.startIndex() + c.length(); k++) {
            Atomics.add(a, k, 1);
          }
          scope.postMessage("done");
        }));
        workers.add(worker);
        Resolvers<Object> r = Promise.withResolvers();
        worker.onMessage(r::resolve);
        worker.postMessage(new Chunk(sharedBuffer, i * chunkSize, chunkSize));
        done.add(r.promise());
      }
      Promise.all(done)
          .thenRun(() -> System.out.println("Shared array result: " + sharedArray))
          .andFinally(() -> workers.forEach(Worker::terminate));
    });
    for (int i = 0; i < sharedArray.length(); i++) {
      assertEquals(1, Atomics.load(sharedArray, i), "slot " + i);
    }
    assertEquals(1024, sharedArray.length());
    for (Worker w : workers) {
      w.thread().join(10_000);
      assertFalse(w.thread().isAlive());
    }
  }
}
