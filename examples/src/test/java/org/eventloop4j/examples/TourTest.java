package org.eventloop4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The tour's command line: the whole tour on virtual time, one example by name, --compare, bad names. */
@Timeout(120)
class TourTest {
  private record Result(int failed, String output) {}

  private static Result tour(String... args) throws InterruptedException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int failed = Tour.run(args, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    return new Result(failed, bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void run_virtualTime_everyExampleInTheSeedsOrder_allAgree() throws InterruptedException {
    Result r = tour("--virtual-time");
    assertEquals(0, r.failed(), r.output());
    int last = -1;
    for (String name : Tour.examples().keySet()) {
      int at = r.output().indexOf("== " + name + " ==");
      assertTrue(at > last, name + " missing or out of order");
      last = at;
    }
    assertTrue(r.output().contains("All 13 examples behave as in Node.js."), r.output());
  }

  @Test
  void run_oneName_runsOnlyThatExample() throws InterruptedException {
    Result r = tour("--virtual-time", "eventLoopExample");
    assertEquals(0, r.failed());
    assertTrue(r.output().contains("  Timeout 2\n  ✔ same 6 lines as Node.js"), r.output());
    assertTrue(!r.output().contains("== queueDemo =="), r.output());
  }

  @Test
  void run_unknownName_failsAndListsTheExamples() throws InterruptedException {
    Result r = tour("nope");
    assertEquals(1, r.failed());
    assertTrue(r.output().contains("unknown example 'nope'") && r.output().contains("queueDemo"), r.output());
  }

  @Test
  void run_compare_printsBothOutputsSideBySideWithAVerdict() throws InterruptedException {
    assumeTrue(NodeJs.find().isPresent(), "no node on the PATH");
    Result r = tour("--virtual-time", "--compare", "eventLoopExample", "queueDemo");
    assertEquals(0, r.failed(), r.output());
    assertTrue(r.output().contains("  Promise 2" + " ".repeat(37) + "   │ Promise 2"), r.output());
    assertTrue(r.output().contains("✔ eventLoopExample            match"), r.output());
    assertTrue(r.output().contains("✔ queueDemo                   match"), r.output());
  }

  @Test
  void wrap_longNote_linesOfAtMostOneHundredCharacters() {
    List<String> lines = Output.wrap("word ".repeat(60).strip());
    assertTrue(lines.size() > 2);
    assertTrue(lines.stream().allMatch(l -> l.length() <= 100), lines.toString());
    assertTrue(lines.get(1).startsWith("  word"), lines.toString());
  }
}
