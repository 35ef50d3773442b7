package org.eventloop4j.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.eventloop4j.Async;
import org.eventloop4j.Promise;
import org.eventloop4j.sync.AsyncQueue;
import org.eventloop4j.sync.Mutex;
import org.eventloop4j.sync.Semaphore;
import org.jspecify.annotations.Nullable;

/**
 * The seed's "Semaphore and Mutex Implementation" and "Producer-Consumer Pattern" programs. The seed's
 * hand-written {@code Semaphore}, {@code Mutex} and {@code AsyncQueue} classes are eventloop4j's {@link
 * Semaphore}, {@link Mutex} and {@link AsyncQueue}; the programs using them are ported line by line.
 */
final class SyncExamples {
  private SyncExamples() {}

  /** {@code semaphoreExample()}: ten one-second tasks, at most three at once. */
  static Promise<@Nullable Void> semaphoreExample(Output out) {
    return Async.async(() -> {
      Semaphore semaphore = new Semaphore(3);   // max 3 concurrent operations
      Gauge running = new Gauge();              // the tour's check, not in the seed
      List<Promise<String>> tasks = IntStream.range(0, 10).mapToObj(i -> semaphore.execute(() -> Async.async(() -> {
        out.log("Task " + i + " started");
        running.enter();
        Async.await(Async.sleep(1000));
        running.exit();
        out.log("Task " + i + " completed");
        return "Result " + i;
      }))).toList();
      List<String> results = Async.await(Promise.all(tasks));
      out.log("All tasks completed:", results);
      out.note("never more than 3 tasks at once: at most " + running.max + " ran together");
      return null;
    });
  }

  /** How many tasks run now, and the most that ran at once. Loop-confined. */
  private static final class Gauge {
    int now;
    int max;

    void enter() {
      max = Math.max(max, ++now);
    }

    void exit() {
      now--;
    }
  }

  /** A balance that deposits read, wait 100 ms and write back: a race without a mutex. */
  private static final class Account {
    private final Output out;
    int balance;

    Account(Output out) {
      this.out = out;
    }

    Promise<@Nullable Void> deposit(String who, int amount) {
      return Async.async(() -> {
        int current = balance;
        out.log(who + " reads " + current);
        Async.await(Async.sleep(100));
        balance = current + amount;
        out.log(who + " writes " + balance);
        return null;
      });
    }
  }

  /**
   * {@code mutexExample()} (the seed defines {@code Mutex} without using it; the JavaScript version has the
   * same program): three deposits race and two are lost; with {@link Mutex#execute} they run one at a time.
   */
  static Promise<@Nullable Void> mutexExample(Output out) {
    return Async.async(() -> {
      Mutex mutex = new Mutex();
      Account account = new Account(out);
      out.log("Without the mutex:");
      Async.await(Promise.all(account.deposit("Alice", 10), account.deposit("Bob", 20), account.deposit("Carol", 30)));
      out.log("Balance:", account.balance);

      account.balance = 0;
      out.log("With the mutex:");
      Async.await(Promise.all(
          mutex.execute(() -> account.deposit("Alice", 10)),
          mutex.execute(() -> account.deposit("Bob", 20)),
          mutex.execute(() -> account.deposit("Carol", 30))));
      out.log("Balance:", account.balance);
      return null;
    });
  }

  /** The seed of {@code Math.random} in the JavaScript version. */
  static final int SEED = 2025;

  /** {@code producer(queue, items)}: each item after a random wait of up to a second, then closes the queue. */
  static Promise<@Nullable Void> producer(AsyncQueue<Integer> queue, List<Integer> items, Mulberry32 random,
      Output out) {
    return Async.async(() -> {
      for (int item : items) {
        Async.await(Async.sleep((long) (random.next() * 1000)));
        Async.await(queue.push(item));
        out.log("Produced:", item);
      }
      queue.close();
      return null;
    });
  }

  /** {@code consumer(queue, id)}: takes items until the queue is closed and drained, half a second at most each. */
  static Promise<@Nullable Void> consumer(AsyncQueue<Integer> queue, int id, Mulberry32 random, Output out) {
    return Async.async(() -> {
      for (int item : Async.forAwait(queue)) {
        out.log("Consumer " + id + " consumed:", item);
        Async.await(Async.sleep((long) (random.next() * 500)));
      }
      out.log("Consumer " + id + " finished");
      return null;
    });
  }

  /**
   * {@code producerConsumerExample()}: one producer, two consumers sharing an unbounded queue. The delays come
   * from {@link Mulberry32} seeded with {@value #SEED}, as {@code Math.random} in the JavaScript version.
   */
  static Promise<@Nullable Void> producerConsumerExample(Output out) {
    return producerConsumerExample(out, SEED);
  }

  /** {@link #producerConsumerExample(Output)} with the delays drawn from {@code seed}. */
  static Promise<@Nullable Void> producerConsumerExample(Output out, int seed) {
    return Async.async(() -> {
      AsyncQueue<Integer> queue = AsyncQueue.unbounded();
      List<Integer> items = List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
      Mulberry32 random = new Mulberry32(seed);
      Promise<@Nullable Void> producerPromise = producer(queue, items, random, out);
      List<Promise<@Nullable Void>> consumerPromises = List.of(consumer(queue, 1, random, out),
          consumer(queue, 2, random, out));
      List<Promise<@Nullable Void>> all = new ArrayList<>(consumerPromises);
      all.addFirst(producerPromise);
      Async.await(Promise.all(all));
      out.log("Producer-consumer example completed");
      List<String> problems = producerConsumerProblems(out.lines());
      out.note(problems.isEmpty() ? "every item was produced once and consumed exactly once" : "broken: " + problems);
      out.note("a waiting consumer resumes three microtask turns after the push with the seed's AsyncQueue (its"
          + " async next() returns pop()'s promise, which is adopted, then awaited), one turn after it with"
          + " eventloop4j's, ahead of the producer's await: so at the same instant the consumer logs first here,"
          + " draws its random delay first, and the run takes another course than Node's");
      return null;
    });
  }

  private static final Pattern PRODUCED = Pattern.compile("Produced: (\\d+)");
  private static final Pattern CONSUMED = Pattern.compile("Consumer (\\d) consumed: (\\d+)");
  private static final Pattern FINISHED = Pattern.compile("Consumer (\\d) finished");

  /**
   * What is wrong with a producer–consumer output (empty if nothing): every item 1..10 produced once, in
   * order, and consumed exactly once; each consumer finished once, after its items; the final line last.
   */
  static List<String> producerConsumerProblems(List<String> lines) {
    List<String> problems = new ArrayList<>();
    List<Integer> produced = new ArrayList<>();
    List<Integer> consumed = new ArrayList<>();
    List<String> finished = new ArrayList<>();
    for (String line : lines) {
      Matcher p = PRODUCED.matcher(line);
      Matcher c = CONSUMED.matcher(line);
      Matcher f = FINISHED.matcher(line);
      if (p.matches()) {
        produced.add(Integer.parseInt(p.group(1)));
      } else if (c.matches()) {
        consumed.add(Integer.parseInt(c.group(2)));
        if (finished.contains(c.group(1))) {
          problems.add("consumer " + c.group(1) + " consumed after it finished");
        }
      } else if (f.matches()) {
        finished.add(f.group(1));
      } else if (!line.equals("Producer-consumer example completed")) {
        problems.add("unexpected line: " + line);
      }
    }
    List<Integer> expected = IntStream.rangeClosed(1, 10).boxed().toList();
    if (!produced.equals(expected)) {
      problems.add("produced " + produced);
    }
    if (!consumed.stream().sorted().toList().equals(expected)) {
      problems.add("consumed " + consumed + " (each item must be consumed exactly once)");
    }
    if (!finished.stream().sorted().toList().equals(List.of("1", "2"))) {
      problems.add("finished " + finished);
    }
    if (lines.isEmpty() || !lines.getLast().equals("Producer-consumer example completed")) {
      problems.add("the last line is not 'Producer-consumer example completed'");
    }
    return problems;
  }
}
