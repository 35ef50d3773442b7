package org.eventloop4j.fuzz;

import java.util.List;

/** Shared helpers of the fuzz tests: seeds, running one program in Java, reporting a divergence. */
final class Fuzz {
  /** Generous: a program runs in milliseconds; this only turns a hang into a readable failure. */
  static final long JAVA_TIMEOUT_SECONDS = 20;

  private Fuzz() {}

  /** What eventloop4j prints for the program of {@code seed}. */
  static List<String> runJava(long seed) {
    return Interpreter.run(ProgramGenerator.generate(seed), JAVA_TIMEOUT_SECONDS);
  }

  /** The first index where the two outputs differ, or -1. */
  static int firstDifference(List<String> want, List<String> got) {
    int n = Math.min(want.size(), got.size());
    for (int i = 0; i < n; i++) {
      if (!want.get(i).equals(got.get(i))) {
        return i;
      }
    }
    return want.size() == got.size() ? -1 : n;
  }

  /** A readable report: the seed, both outputs side by side from the first difference, and the script. */
  static String report(long seed, List<String> node, List<String> java, boolean withSource) {
    int at = firstDifference(node, java);
    StringBuilder b = new StringBuilder();
    b.append("seed ").append(seed).append(": eventloop4j differs from node at line ").append(at + 1).append('\n');
    int rows = Math.max(node.size(), java.size());
    for (int i = 0; i < rows; i++) {
      String n = i < node.size() ? node.get(i) : "";
      String j = i < java.size() ? java.get(i) : "";
      b.append(n.equals(j) ? "   " : " ! ").append(String.format("%-40s | %s", n, j)).append('\n');
    }
    if (withSource) {
      b.append("--- script (node | eventloop4j columns above) ---\n")
          .append(JsEmitter.emit(ProgramGenerator.generate(seed)));
    }
    return b.toString();
  }
}
