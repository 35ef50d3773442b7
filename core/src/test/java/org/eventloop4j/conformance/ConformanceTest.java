package org.eventloop4j.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every Java port of the conformance corpus and compares what it prints, line by line, with the
 * output Node recorded ({@code NN-name.out}, or {@code NN-name.alt.out} where Node's order is open, or
 * {@code NN-name.eventloop4j.out} where eventloop4j deliberately differs; see MAPPING.md). A scenario whose
 * Node exit status is non-zero must make the port throw. No port depends on the wall clock: they all run on
 * virtual time, and a JavaScript busy-wait is {@code EventLoop.spendTime} (MAPPING.md).
 */
class ConformanceTest {
  /** Generous: a port takes milliseconds; this only turns a hang into a readable failure. */
  private static final long TIMEOUT_SECONDS = 20;

  @TestFactory
  Stream<DynamicTest> everyPortPrintsWhatNodePrinted() {
    return Ports.PORTS.stream().map(factory -> {
      Scenario scenario = factory.get();
      String js = jsFileOf(scenario);
      return DynamicTest.dynamicTest(js + " (" + scenario.getClass().getSimpleName() + ")", () -> check(js, scenario));
    });
  }

  /** Every scenario of the corpus is either ported or left out with a reason, and MAPPING.md lists it. */
  @Test
  void everyScenarioIsPortedOrLeftOutWithAReason() {
    List<String> ported = Ports.PORTS.stream().map(f -> jsFileOf(f.get())).toList();
    String mapping = Corpus.rootText("MAPPING.md");
    List<String> problems = new ArrayList<>();
    for (String js : Corpus.scenarios()) {
      String number = Corpus.number(js);
      boolean isPorted = ported.contains(js);
      String reason = Ports.LEFT_OUT.get(number);
      if (isPorted == (reason != null)) {
        problems.add(js + (isPorted ? ": both ported and left out" : ": neither ported nor left out with a reason"));
      }
      if (!mapping.contains(Corpus.base(js))) {
        problems.add(js + ": not listed in MAPPING.md");
      }
    }
    for (String number : Ports.LEFT_OUT.keySet()) {
      if (Corpus.scenario(number).isEmpty()) {
        problems.add("left out " + number + " is not in the corpus");
      }
    }
    assertEquals(List.of(), problems);
  }

  private static String jsFileOf(Scenario scenario) {
    String name = scenario.getClass().getSimpleName();
    if (!name.matches("S\\d\\d[A-Z].*")) {
      throw new IllegalStateException("a port's class name must be S<NN><Name>: " + name);
    }
    String number = name.substring(1, 3);
    return Corpus.scenario(number)
        .orElseThrow(() -> new IllegalStateException(name + ": no js/" + number + "-*.js in the corpus"));
  }

  private static void check(String js, Scenario scenario) throws Exception {
    String base = Corpus.base(js);
    List<Expected> candidates = expectedOutputs(base, scenario.omittedLines());

    Log log = new Log();
    Throwable thrown = runPort(scenario, log);
    List<String> actual = log.lines();

    int wantExit = Corpus.exitCode(js);
    if (wantExit == 0 && thrown != null) {
      fail(js + ": the port threw, but Node exits with 0\n" + printed(actual) + stackTrace(thrown));
    }
    if (wantExit != 0) {
      if (thrown == null) {
        fail(js + ": Node exits with " + wantExit + ", so the port must end by throwing, but it returned\n" + printed(actual));
      }
      if (thrown instanceof ExitStatus status) {
        assertEquals(wantExit, status.code(), js + ": exit status");
      } else if (wantExit != 1) {
        fail(js + ": Node exits with " + wantExit + " (process.exit), so the port must throw ExitStatus, but it threw\n"
            + stackTrace(thrown));
      }
    }

    for (Expected e : candidates) {
      if (e.lines.equals(actual)) {
        return;
      }
    }
    StringBuilder msg = new StringBuilder(js + ": the port's output differs from ");
    Expected first = candidates.get(0);
    msg.append(first.file).append(" (- expected only, + printed only)\n").append(Diff.of(first.lines, actual));
    for (Expected other : candidates.subList(1, candidates.size())) {
      msg.append("also accepted, ").append(other.file).append(":\n").append(Diff.of(other.lines, actual));
    }
    if (!scenario.omittedLines().isEmpty()) {
      msg.append("lines this port leaves out:\n");
      scenario.omittedLines().forEach((line, why) -> msg.append("  ").append(line).append("  -- ").append(why).append('\n'));
    }
    if (thrown != null) {
      msg.append("the port threw (as expected for exit status ").append(wantExit).append("): ").append(thrown).append('\n');
    }
    fail(msg.toString());
  }

  private record Expected(String file, List<String> lines) {}

  /** The accepted outputs, omitted lines removed: the .eventloop4j.out alone if present, else .out and .alt.out. */
  private static List<Expected> expectedOutputs(String base, Map<String, String> omitted) {
    List<Expected> candidates = new ArrayList<>();
    Optional<List<String>> own = Corpus.lines(base + ".eventloop4j.out");
    if (own.isPresent()) {
      candidates.add(new Expected(base + ".eventloop4j.out", own.get()));
    } else {
      candidates.add(new Expected(base + ".out",
          Corpus.lines(base + ".out").orElseThrow(() -> new IllegalStateException("missing " + base + ".out"))));
      Corpus.lines(base + ".alt.out").ifPresent(alt -> candidates.add(new Expected(base + ".alt.out", alt)));
    }
    List<Expected> result = new ArrayList<>();
    for (Expected e : candidates) {
      List<String> lines = new ArrayList<>(e.lines);
      for (String line : omitted.keySet()) {
        assertTrue(lines.contains(line), e.file + " has no line '" + line + "' for the port to leave out");
        lines.removeIf(line::equals);
      }
      result.add(new Expected(e.file, List.copyOf(lines)));
    }
    return result;
  }

  /** Runs the port on a thread of its own, so that a hang becomes a failure; returns what it threw, if anything. */
  private static Throwable runPort(Scenario scenario, Log log) throws InterruptedException {
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread thread = Thread.ofPlatform().daemon().name("conformance-" + scenario.getClass().getSimpleName()).start(() -> {
      try {
        scenario.run(log);
        outcome.complete(null);
      } catch (Throwable t) {
        outcome.complete(t);
      }
    });
    try {
      return outcome.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      thread.interrupt();
      return fail(scenario.getClass().getSimpleName() + " did not finish within " + TIMEOUT_SECONDS + " s\n" + printed(log.lines()));
    } catch (ExecutionException e) {
      throw new AssertionError(e);
    }
  }

  private static String printed(List<String> lines) {
    StringBuilder b = new StringBuilder("printed:\n");
    lines.forEach(l -> b.append("    ").append(l).append('\n'));
    return b.toString();
  }

  private static String stackTrace(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}
