package org.eventloop4j.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Timers;
import org.eventloop4j.stream.AsyncIterator;
import org.junit.jupiter.api.Test;

/**
 * The seed's three coordination programs, ported onto this package and run on virtual time, with every
 * line stamped with the loop's clock. The seed's random delays are replaced by fixed ones; the expected
 * schedules are what Node.js 20 printed for the seed's own classes with the same delays (one time unit =
 * 1 ms here), so each test also checks that the port behaves like the original.
 */
class SeedProgramsTest {
  private final EventLoop loop = EventLoop.builder().virtualTime().build();
  private final List<String> out = new ArrayList<>();

  private void print(String line) {
    out.add(loop.now() + " " + line);
  }

  /** The seed's semaphoreExample: 10 tasks of 10 time units each, at most 3 at once. */
  @Test
  void semaphore_tenTasksAtMostThreeAtOnce() {
    Semaphore semaphore = new Semaphore(3);
    int[] running = new int[2];
    loop.run(() -> {
      List<Promise<String>> tasks = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        int id = i;
        tasks.add(semaphore.execute(() -> {
          print("Task " + id + " started");
          running[1] = Math.max(running[1], ++running[0]);
          return Timers.sleep(10).then(v -> {
            print("Task " + id + " completed");
            running[0]--;
            return "Result " + id;
          });
        }));
      }
      Promise.all(tasks).thenAccept(results -> print("All tasks completed: " + String.join(", ", results)));
    });
    assertEquals(List.of(
        "0 Task 0 started", "0 Task 1 started", "0 Task 2 started",
        "10 Task 0 completed", "10 Task 3 started", "10 Task 1 completed", "10 Task 4 started",
        "10 Task 2 completed", "10 Task 5 started",
        "20 Task 3 completed", "20 Task 6 started", "20 Task 4 completed", "20 Task 7 started",
        "20 Task 5 completed", "20 Task 8 started",
        "30 Task 6 completed", "30 Task 9 started", "30 Task 7 completed", "30 Task 8 completed",
        "40 Task 9 completed",
        "40 All tasks completed: " + IntStream.range(0, 10).mapToObj(i -> "Result " + i).collect(Collectors.joining(", "))),
        out);
    assertEquals(3, running[1]);
  }

  /**
   * The seed's Mutex guarding a read-modify-write with an await in the middle: five workers, each reads
   * the counter, waits one unit, writes it plus one. Without the mutex every worker would read 0.
   */
  @Test
  void mutex_fiveWorkersReadModifyWrite() {
    Mutex mutex = new Mutex();
    int[] counter = new int[1];
    loop.run(() -> {
      List<Promise<Object>> workers = new ArrayList<>();
      for (int id = 1; id <= 5; id++) {
        int w = id;
        workers.add(mutex.execute(() -> {
          int seen = counter[0];
          print("worker " + w + " read " + seen);
          return Timers.sleep(1).then(v -> {
            counter[0] = seen + 1;
            print("worker " + w + " wrote " + counter[0]);
            return null;
          });
        }));
      }
      Promise.all(workers).thenRun(() -> print("counter " + counter[0]));
    });
    assertEquals(List.of(
        "0 worker 1 read 0", "1 worker 1 wrote 1", "1 worker 2 read 1", "2 worker 2 wrote 2",
        "2 worker 3 read 2", "3 worker 3 wrote 3", "3 worker 4 read 3", "4 worker 4 wrote 4",
        "4 worker 5 read 4", "5 worker 5 wrote 5", "5 counter 5"), out);
  }

  private static final int[] PRODUCER_DELAYS = {3, 1, 7, 2, 5, 1, 9, 4, 2, 6};

  private static int consumerDelay(int item) {
    return (item % 3 + 1) * 3;
  }

  /**
   * The seed's producerConsumerExample: one producer, two consumers, ten items, then close. The same items
   * go to the same consumers at the same times as in Node, with two differences: within one millisecond,
   * the consumer's line comes before the producer's (the item is handed straight to the waiting consumer,
   * whose chain in this port has fewer microtask hops than the seed's async iterator, while the producer's
   * has more than the seed's {@code await}); and consumer 2 finishes at 46 = 40 + 6 exactly, where Node's
   * real timers had drifted to 47.
   */
  @Test
  void queue_oneProducerTwoConsumersTenItems() {
    AsyncQueue<Integer> queue = AsyncQueue.unbounded();
    loop.run(() -> {
      Promise<?> producer = produce(queue, 1);
      Promise<?> c1 = consume(queue.asyncIterator(), 1);
      Promise<?> c2 = consume(queue.asyncIterator(), 2);
      Promise.all(producer, c1, c2).thenRun(() -> print("Producer-consumer example completed"));
    });
    assertEquals(List.of(
        "3 Consumer 1 consumed: 1", "3 Produced: 1",
        "4 Consumer 2 consumed: 2", "4 Produced: 2",
        "11 Consumer 1 consumed: 3", "11 Produced: 3",
        "13 Consumer 2 consumed: 4", "13 Produced: 4",
        "18 Consumer 1 consumed: 5", "18 Produced: 5",
        "19 Consumer 2 consumed: 6", "19 Produced: 6",
        "28 Consumer 2 consumed: 7", "28 Produced: 7",
        "32 Consumer 1 consumed: 8", "32 Produced: 8",
        "34 Consumer 2 consumed: 9", "34 Produced: 9",
        "40 Consumer 2 consumed: 10", "40 Produced: 10",
        "41 Consumer 1 finished", "46 Consumer 2 finished", "46 Producer-consumer example completed"), out);
  }

  private Promise<?> produce(AsyncQueue<Integer> queue, int item) {
    if (item > 10) {
      queue.close();
      return Promise.resolve();
    }
    return Timers.sleep(PRODUCER_DELAYS[item - 1])
        .thenCompose(v -> queue.push(item))
        .thenCompose(v -> {
          print("Produced: " + item);
          return produce(queue, item + 1);
        });
  }

  private Promise<?> consume(AsyncIterator<Integer> it, int id) {
    return it.next().thenCompose(r -> {
      if (r.done()) {
        print("Consumer " + id + " finished");
        return Promise.resolve();
      }
      int item = r.value();
      print("Consumer " + id + " consumed: " + item);
      return Timers.sleep(consumerDelay(item)).thenCompose(v -> consume(it, id));
    });
  }
}
