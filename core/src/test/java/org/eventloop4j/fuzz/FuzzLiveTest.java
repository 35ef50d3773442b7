package org.eventloop4j.fuzz;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Differential fuzzing against the real {@code node} (skipped without it): {@code 50 ×
 * eventloop4j.stress} programs beyond the corpus, from seeds {@code eventloop4j.fuzz.seed} (default: a fixed
 * base, so that a build never fails on a program it did not run before; pass a new base, e.g. today's date,
 * to fuzz fresh programs: a failure is reproducible from the seed it prints),
 * each run once by node and once by {@link Interpreter}; any difference fails with the seed, both outputs
 * and the script. A program whose node output is not stable is not our divergence: a differing program is
 * re-run by node twice more and only reported if node prints the same each time.
 */
class FuzzLiveTest {
  private static final int PER_STRESS = 50;
  /** Node processes run at once: most of a program's time is spent waiting for its timers. */
  private static final int PARALLEL = 8;

  @Test
  @Timeout(value = 3600, unit = TimeUnit.SECONDS) // scales with eventloop4j.stress (about 0.2 s a program)
  void freshPrograms_printTheSameAsNode() {
    Optional<NodeRunner> node = NodeRunner.find();
    Assumptions.assumeTrue(node.isPresent(), "node is not on the PATH");
    int count = PER_STRESS * Integer.getInteger("eventloop4j.stress", 1);
    long base = Long.getLong("eventloop4j.fuzz.seed", 1_000_000L);
    List<Long> seeds = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<String> scripts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long seed = base + i;
      seeds.add(seed);
      names.add("p" + seed);
      scripts.add(JsEmitter.emit(ProgramGenerator.generate(seed)));
    }
    List<List<List<String>>> outs = node.get().runAll(names, scripts, 1, PARALLEL);
    List<String> failures = new ArrayList<>();
    List<Integer> suspects = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      if (!outs.get(i).get(0).equals(Fuzz.runJava(seeds.get(i)))) {
        suspects.add(i);
      }
    }
    List<String> reNames = suspects.stream().map(names::get).toList();
    List<String> reScripts = suspects.stream().map(scripts::get).toList();
    List<List<List<String>>> reruns = node.get().runAll(reNames, reScripts, 2, PARALLEL);
    for (int k = 0; k < suspects.size(); k++) {
      int i = suspects.get(k);
      List<String> first = outs.get(i).get(0);
      if (!reruns.get(k).stream().allMatch(first::equals)) {
        System.out.println("fuzz: seed " + seeds.get(i) + ": node's own output varies; ignored");
        continue;
      }
      String report = Fuzz.report(seeds.get(i), first, Fuzz.runJava(seeds.get(i)), true);
      System.out.println(report);
      failures.add(report);
    }
    System.out.println("fuzz: " + count + " programs from seed " + base + ", " + failures.size() + " divergences");
    if (!failures.isEmpty()) {
      fail(failures.size() + " of " + count + " programs diverge from node; the first:\n" + failures.get(0));
    }
  }
}
