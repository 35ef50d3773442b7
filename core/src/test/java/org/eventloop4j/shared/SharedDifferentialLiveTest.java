package org.eventloop4j.shared;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eventloop4j.shared.SharedDifferential.Op;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs fresh seeds of {@link SharedDifferential} against {@code node} (skipped when node is not on the
 * PATH): {@code 2000 * eventloop4j.stress} programs of {@link SharedDifferentialCorpusTest#OPS} ops, from the
 * base seed {@code -Deventloop4j.sharedDiff.seed=N} (a fixed base otherwise, so that a build never fails on
 * a program it did not run before; printed on failure). A divergence is
 * minimized (delta debugging against node) and reported with its JavaScript.
 *
 * <p>Re-recording the corpus (after a change of the generator or the line format):
 * <pre>
 * ./mvnw -q -pl core test -Deventloop4j.buildDir=target-sdiff -Dtest=SharedDifferentialLiveTest \
 *     -Deventloop4j.sharedDiff.record=true -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * writes core/src/test/resources/shared-diff/corpus.txt from node's output for the corpus seeds.
 */
@Timeout(600)
class SharedDifferentialLiveTest {
  private static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);
  private static final int PROGRAMS = 2000 * STRESS;
  private static final int BATCH = 2000;

  @Test
  void freshSeeds_nodeAndJava_printTheSameLines() throws Exception {
    assumeTrue(SharedDifferential.nodeAvailable(), "node is not on the PATH");
    long base = Long.getLong("eventloop4j.sharedDiff.seed", 1_000_000L);
    List<String> failures = new ArrayList<>();
    int ops = 0;
    for (int start = 0; start < PROGRAMS && failures.size() < 3; start += BATCH) {
      Map<String, List<Op>> programs = new LinkedHashMap<>();
      for (int i = start; i < Math.min(PROGRAMS, start + BATCH); i++) {
        long seed = base + i;
        programs.put("seed-" + seed, SharedDifferential.generate(seed, SharedDifferentialCorpusTest.OPS));
      }
      Map<String, List<String>> node = SharedDifferential.runNode(programs);
      for (Map.Entry<String, List<Op>> e : programs.entrySet()) {
        ops += e.getValue().size();
        String diff = SharedDifferential.firstDifference(node.get(e.getKey()), SharedDifferential.runJava(e.getValue()));
        if (diff != null && failures.size() < 3) {
          failures.add(report(e.getKey(), e.getValue(), diff));
        }
      }
    }
    if (!failures.isEmpty()) {
      fail("base seed " + base + ": " + failures.size() + " diverging program(s) (of " + PROGRAMS + ", " + ops
          + " ops)\n" + String.join("\n", failures));
    }
  }

  private static String report(String name, List<Op> ops, String diff) throws Exception {
    List<Op> min = SharedDifferential.minimize(ops);
    List<String> node = SharedDifferential.runNode(Map.of("min", min)).get("min");
    String minDiff = SharedDifferential.firstDifference(node, SharedDifferential.runJava(min));
    StringBuilder sb = new StringBuilder(name).append(": ").append(diff).append("\n minimized (")
        .append(min.size()).append(" ops): ").append(minDiff).append("\n ops:");
    for (Op op : min) {
      sb.append("\n   ").append(op.desc());
    }
    return sb.toString();
  }

  @Test
  void record_corpus_whenAsked() throws Exception {
    assumeTrue(Boolean.getBoolean("eventloop4j.sharedDiff.record"), "set -Deventloop4j.sharedDiff.record=true");
    assumeTrue(SharedDifferential.nodeAvailable(), "node is not on the PATH");
    Map<String, List<Op>> programs = new LinkedHashMap<>();
    for (long seed : SharedDifferentialCorpusTest.seeds()) {
      programs.put("seed-" + seed, SharedDifferential.generate(seed, SharedDifferentialCorpusTest.OPS));
    }
    SharedDifferential.writeCorpus(Path.of(SharedDifferentialCorpusTest.CORPUS), SharedDifferential.runNode(programs));
  }
}
