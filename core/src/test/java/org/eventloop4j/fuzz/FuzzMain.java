package org.eventloop4j.fuzz;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Command line tool (not a test) for long fuzzing runs and for recording the corpus; run it with the test
 * class path (see core/src/test/resources/fuzz/README.md):
 *
 * <ul>
 *   <li>{@code fuzz <firstSeed> <count> <reportDir>}: node vs eventloop4j for each seed; writes one report
 *       per divergence into {@code reportDir} ({@code seed-N.txt}) and prints a summary;
 *   <li>{@code corpus <firstSeed> <count> <file>}: runs each program three times under node, drops those
 *       whose output varies, and writes the seeds and outputs to {@code file} ({@link FuzzCorpus} format);
 *   <li>{@code show <seed>}: prints the script, node's output and ours.
 * </ul>
 */
public final class FuzzMain {
  private FuzzMain() {}

  public static void main(String[] args) throws Exception {
    NodeRunner node = NodeRunner.find().orElseThrow(() -> new IllegalStateException("node is not on the PATH"));
    switch (args[0]) {
      case "fuzz" -> fuzz(node, Long.parseLong(args[1]), Integer.parseInt(args[2]), Path.of(args[3]));
      case "corpus" -> corpus(node, Long.parseLong(args[1]), Integer.parseInt(args[2]), Path.of(args[3]));
      case "show" -> {
        long seed = Long.parseLong(args[1]);
        String js = JsEmitter.emit(ProgramGenerator.generate(seed));
        System.out.println(js);
        System.out.println(Fuzz.report(seed, node.run("show" + seed, js), Fuzz.runJava(seed), false));
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
    System.exit(0);
  }

  private static void fuzz(NodeRunner node, long first, int count, Path reports) throws Exception {
    Files.createDirectories(reports);
    long start = System.nanoTime();
    int divergences = 0;
    int unstable = 0;
    int chunk = 200;
    ExecutorService javaPool = Executors.newFixedThreadPool(2);
    for (long from = first; from < first + count; from += chunk) {
      int n = (int) Math.min(chunk, first + count - from);
      List<String> names = new ArrayList<>();
      List<String> scripts = new ArrayList<>();
      List<Future<List<String>>> java = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        long seed = from + i;
        names.add("p" + seed);
        scripts.add(JsEmitter.emit(ProgramGenerator.generate(seed)));
        java.add(javaPool.submit(() -> Fuzz.runJava(seed)));
      }
      List<List<List<String>>> outs = node.runAll(names, scripts, 1, 8);
      for (int i = 0; i < n; i++) {
        long seed = from + i;
        List<String> nodeOut = outs.get(i).get(0);
        List<String> javaOut = java.get(i).get();
        if (nodeOut.equals(javaOut)) {
          continue;
        }
        List<List<String>> again = node.runAll(List.of("r" + seed), List.of(scripts.get(i)), 2, 2).get(0);
        if (!again.stream().allMatch(nodeOut::equals)) {
          unstable++;
          System.out.println("seed " + seed + ": node's output varies; ignored");
          continue;
        }
        divergences++;
        String report = Fuzz.report(seed, nodeOut, javaOut, true);
        Files.writeString(reports.resolve("seed-" + seed + ".txt"), report, StandardCharsets.UTF_8);
        System.out.println("seed " + seed + ": DIVERGES at line " + (Fuzz.firstDifference(nodeOut, javaOut) + 1));
      }
      System.out.printf("%d..%d done, %d divergences, %d unstable, %.0f s%n", first, from + n - 1, divergences, unstable,
          (System.nanoTime() - start) / 1e9);
    }
    javaPool.shutdownNow();
  }

  private static void corpus(NodeRunner node, long first, int count, Path file) throws IOException {
    List<String> names = new ArrayList<>();
    List<String> scripts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long seed = first + i;
      names.add("c" + seed);
      scripts.add(JsEmitter.emit(ProgramGenerator.generate(seed)));
    }
    List<List<List<String>>> outs = node.runAll(names, scripts, 3, 8);
    List<FuzzCorpus.Entry> entries = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      List<List<String>> runs = outs.get(i);
      if (runs.stream().allMatch(runs.get(0)::equals)) {
        entries.add(new FuzzCorpus.Entry(first + i, runs.get(0)));
      } else {
        System.out.println("seed " + (first + i) + ": node's output varies; left out");
      }
    }
    FuzzCorpus.write(file, entries);
    System.out.println(entries.size() + " of " + count + " programs written to " + file);
  }
}
