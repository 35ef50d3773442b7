package org.eventloop4j.examples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The examples tour: runs every example in order (or the ones named on the command line), each with a
 * header, its output and a one-line verdict against what Node.js prints.
 *
 * <p>Options: {@code --virtual-time} runs the timed examples on a virtual clock (instantly).
 */
public final class Tour {
  private Tour() {}

  /** A runnable example: prints its output through {@code out} and returns its verdict. */
  interface Example {
    Verdict run(Options options, Output out) throws Exception;
  }

  /** The command-line options every example sees. */
  record Options(boolean virtualTime) {}

  /** An example's verdict line. */
  record Verdict(boolean ok, String text) {
    static Verdict matches(List<String> printed, List<String> node) {
      return printed.equals(node)
          ? new Verdict(true, "same " + node.size() + " lines as Node.js, in the same order")
          : new Verdict(false, "differs from Node.js: expected " + node + ", printed " + printed);
    }
  }

  /** Collects and prints an example's lines. */
  static final class Output {
    final List<String> lines = new ArrayList<>();

    void println(String line) {
      lines.add(line);
      System.out.println("  " + line);
    }

    void note(String text) {
      System.out.println("  // " + text);
    }
  }

  static Map<String, Example> examples() {
    Map<String, Example> all = new LinkedHashMap<>();
    all.put("eventLoopExample", EventLoopExamples::eventLoopExample);
    all.put("queueDemo", EventLoopExamples::queueDemo);
    return all;
  }

  /** Runs the tour; exits with status 1 if any verdict is a mismatch. */
  public static void main(String[] args) throws Exception {
    boolean virtualTime = false;
    List<String> names = new ArrayList<>();
    for (String a : args) {
      if (a.equals("--virtual-time")) {
        virtualTime = true;
      } else if (!a.isBlank()) {
        names.add(a);
      }
    }
    Map<String, Example> all = examples();
    if (names.isEmpty()) {
      names.addAll(all.keySet());
    }
    int failed = 0;
    for (String name : names) {
      Example e = all.get(name);
      if (e == null) {
        System.out.println("unknown example " + name + "; known: " + all.keySet());
        failed++;
        continue;
      }
      System.out.println("== " + name + " ==");
      Verdict v = e.run(new Options(virtualTime), new Output());
      System.out.println((v.ok() ? "  ✔ " : "  ✘ ") + v.text());
      System.out.println();
      if (!v.ok()) {
        failed++;
      }
    }
    System.out.println(failed == 0 ? "All " + names.size() + " examples behave as in Node.js." : failed + " example(s) differ.");
    if (failed > 0) {
      System.exit(1);
    }
  }
}
