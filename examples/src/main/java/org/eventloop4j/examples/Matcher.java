package org.eventloop4j.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * How an example's output is judged against what Node printed. Both sides are first {@linkplain #normalize
 * normalized}: stack frames ({@code "    at ..."}) are dropped, since the Java and JavaScript frames cannot
 * agree, and {@code Date.now()} values (13-digit numbers) are masked, since they name the moment of the run.
 */
@FunctionalInterface
interface Matcher {
  Pattern STACK_FRAME = Pattern.compile("^\\s+at .*");
  Pattern EPOCH_MILLIS = Pattern.compile("(?<![\\d.])\\d{13}(?![\\d.])");

  /** Judges {@code java} against {@code node}, both already normalized. */
  Verdict judge(List<String> java, List<String> node);

  /** The lines without stack frames, with epoch milliseconds masked as {@code <Date.now()>}. */
  static List<String> normalize(List<String> lines) {
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      if (!STACK_FRAME.matcher(line).matches()) {
        out.add(EPOCH_MILLIS.matcher(line).replaceAll("<Date.now()>"));
      }
    }
    return out;
  }

  /** The same lines in the same order. */
  static Matcher exact() {
    return (java, node) -> java.equals(node)
        ? Verdict.match("same " + node.size() + " lines as Node.js, in the same order")
        : Verdict.mismatch(firstDifference(java, node));
  }

  /**
   * The same lines, except that the last two may come in either order: Node itself runs a top-level
   * {@code setTimeout(0)} and {@code setImmediate} in either order.
   */
  static Matcher lastTwoInEitherOrder() {
    return (java, node) -> {
      if (java.equals(node)) {
        return Verdict.match("same " + node.size() + " lines as Node.js, in the same order");
      }
      if (java.size() == node.size() && java.size() >= 2 && java.equals(swapLastTwo(node))) {
        return Verdict.match("same " + node.size() + " lines as Node.js; the last two in the other order Node allows");
      }
      return Verdict.mismatch(firstDifference(java, node));
    };
  }

  /**
   * For examples whose interleaving depends on timing (random delays, parallel threads): both outputs must
   * keep the example's invariants, which {@code problems} lists for one output (empty when all hold). The
   * verdict also says whether the lines are identical.
   */
  static Matcher invariants(String description, Function<List<String>, List<String>> problems) {
    return (java, node) -> {
      List<String> javaProblems = problems.apply(java);
      List<String> nodeProblems = problems.apply(node);
      if (!javaProblems.isEmpty()) {
        return Verdict.mismatch("eventloop4j broke an invariant: " + javaProblems);
      }
      if (!nodeProblems.isEmpty()) {
        return Verdict.mismatch("Node.js's output broke an invariant: " + nodeProblems);
      }
      return java.equals(node)
          ? Verdict.match(description + "; the same " + node.size() + " lines as Node.js, in the same order")
          : Verdict.sameInvariants(description + "; the interleaving differs from Node's run ("
              + firstDifference(java, node) + ")");
    };
  }

  private static List<String> swapLastTwo(List<String> lines) {
    List<String> swapped = new ArrayList<>(lines);
    int n = swapped.size();
    swapped.set(n - 2, lines.get(n - 1));
    swapped.set(n - 1, lines.get(n - 2));
    return swapped;
  }

  /** Where two outputs part, for a verdict. */
  static String firstDifference(List<String> java, List<String> node) {
    int n = Math.min(java.size(), node.size());
    for (int i = 0; i < n; i++) {
      if (!java.get(i).equals(node.get(i))) {
        return "line " + (i + 1) + ": eventloop4j printed \"" + java.get(i) + "\", Node.js \"" + node.get(i) + "\"";
      }
    }
    return java.size() < node.size()
        ? "eventloop4j stopped after " + n + " lines; Node.js went on with \"" + node.get(n) + "\""
        : "Node.js stopped after " + n + " lines; eventloop4j went on with \"" + java.get(n) + "\"";
  }
}
