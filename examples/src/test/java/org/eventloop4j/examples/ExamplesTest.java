package org.eventloop4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.shared.Int32Array;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example on virtual time against Node's recorded output ({@code node/<name>.out}, judged by the
 * example's matcher: the deterministic ones line for line), and the invariants of the random and parallel
 * ones. Nothing here waits on the wall clock; the parallel examples do real CPU work on real threads.
 */
@Timeout(120)
class ExamplesTest {
  private static EventLoop virtualLoop() {
    return EventLoop.builder().virtualTime().build();
  }

  private static Output run(String name) {
    return Tour.runExample(Tour.examples().get(name), virtualLoop(), Output.quiet());
  }

  static List<String> names() {
    return List.copyOf(Tour.examples().keySet());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("names")
  void example_onVirtualTime_agreesWithNodesRecordedOutput(String name) {
    Output out = run(name);
    Verdict v = Tour.examples().get(name).matcher().judge(Matcher.normalize(out.lines()), Tour.recorded(name));
    assertTrue(v.ok(), v.text());
  }

  @Test
  void deterministicExamples_printExactlyNodesRecordedLines() {
    for (String name : List.of("eventLoopExample", "asyncGenerator", "safeAsyncGenerator", "processAsyncData",
        "runTransform", "parallelProcessingExample", "sharedMemoryExample", "semaphoreExample", "mutexExample",
        "circuitBreakerExample", "batchProcessingExample")) {
      assertEquals(Tour.recorded(name), Matcher.normalize(run(name).lines()), name);
    }
  }

  @Test
  void queueDemo_virtualTime_promise3AfterQueueMicrotask_immediateBeforeTimeout() {
    assertEquals(List.of("Script start", "Script end", "Promise 1", "Promise 2", "queueMicrotask", "Promise 3",
        "setImmediate", "setTimeout"), run("queueDemo").lines());
  }

  private static final Pattern TASK = Pattern.compile("Task (\\d) (started|completed)");

  @Test
  void semaphoreExample_neverMoreThanThreeTasksAtOnce_eachTaskOnce() {
    int running = 0;
    int max = 0;
    Map<Integer, List<String>> events = new HashMap<>();
    for (String line : run("semaphoreExample").lines()) {
      java.util.regex.Matcher m = TASK.matcher(line);
      if (m.matches()) {
        running += m.group(2).equals("started") ? 1 : -1;
        max = Math.max(max, running);
        events.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new ArrayList<>()).add(m.group(2));
      }
    }
    assertEquals(3, max);
    assertEquals(0, running);
    for (int i = 0; i < 10; i++) {
      assertEquals(List.of("started", "completed"), events.get(i), "task " + i);
    }
  }

  @Test
  void producerConsumerExample_manySeeds_everyItemProducedOnceAndConsumedExactlyOnce() {
    for (int seed = 1; seed <= 40; seed++) {
      Output out = Output.quiet();
      int s = seed;
      virtualLoop().run(() -> SyncExamples.producerConsumerExample(out, s));
      assertEquals(List.of(), SyncExamples.producerConsumerProblems(out.lines()), "seed " + seed);
    }
  }

  @Test
  void producerConsumerExample_sameSeed_sameRun() {
    assertEquals(run("producerConsumerExample").lines(), run("producerConsumerExample").lines());
  }

  @Test
  void producerConsumerProblems_lostOrDuplicatedItem_isReported() {
    List<String> lines = new ArrayList<>(run("producerConsumerExample").lines());
    int consumed = IntStream.range(0, lines.size()).filter(i -> lines.get(i).contains("consumed: 4")).findFirst()
        .orElseThrow();
    lines.set(consumed, lines.get(consumed).replace("consumed: 4", "consumed: 5"));
    assertTrue(SyncExamples.producerConsumerProblems(lines).getFirst().startsWith("consumed"));
  }

  @Test
  void sharedMemoryExample_everySharedSlotIsExactlyOne() {
    Int32Array[] result = new Int32Array[1];
    virtualLoop().run(() -> ParallelExamples.sharedMemoryExample(Output.quiet()).thenAccept(a -> result[0] = a));
    assertEquals(1024, result[0].length());
    for (int i = 0; i < 1024; i++) {
      assertEquals(1, result[0].get(i), "slot " + i);
    }
  }

  @Test
  void parallelProcessingExample_resultsAreTheSumsComputedOnOneThread() {
    Output out = run("parallelProcessingExample");
    List<Double> expected = List.of(1_000_000, 2_000_000, 1_500_000, 3_000_000).stream()
        .map(n -> ParallelExamples.heavyComputation(new ParallelExamples.Job(n))).toList();
    assertEquals(Inspect.format("Parallel results:", expected), String.join("\n", out.lines()));
    assertTrue(out.notes().stream().anyMatch(n -> n.startsWith("fixed: a job whose worker dies rejects")),
        out.notes().toString());
  }

  @Test
  void mutexExample_withoutMutexTwoDepositsLost_withMutexNone() {
    List<String> lines = run("mutexExample").lines();
    assertEquals(List.of("Balance: 30", "Balance: 60"), lines.stream().filter(l -> l.startsWith("Balance")).toList());
  }

  @Test
  void circuitBreakerExample_halfOpenAdmitsOneTrialCall() {
    List<String> notes = run("circuitBreakerExample").notes();
    assertTrue(notes.stream().anyMatch(n -> n.contains("1 reached the service and 4 were rejected")), notes.toString());
  }

  @Test
  void batchProcessingExample_failedTimerBatch_rejectsEveryItem() {
    List<String> notes = run("batchProcessingExample").notes();
    assertTrue(notes.stream().anyMatch(n -> n.contains("rejected (database down), rejected (database down)")),
        notes.toString());
    assertTrue(notes.contains("every add() got its own item's result: [0, 1, 2, 3, 4, 5, 6, 7]"), notes.toString());
  }

  @Test
  void runExample_failingProgram_throwsWithTheExamplesName() {
    Tour.Example broken = new Tour.Example("broken", "test", out -> Promise.reject(new IllegalStateException("boom")),
        Matcher.exact());
    RuntimeException e = assertThrows(RuntimeException.class,
        () -> Tour.runExample(broken, virtualLoop(), Output.quiet()));
    assertTrue(String.valueOf(e).contains("boom") || String.valueOf(e.getCause()).contains("boom"), String.valueOf(e));
  }
}
