package org.eventloop4j.examples;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An example's console: {@link #log} and {@link #error} print what JavaScript's {@code console.log} and
 * {@code console.error} would (see {@link Inspect}) and record it as the example's output, the part compared
 * with Node's; {@link #note} prints the tour's own remarks ({@code // ...}), which are not compared. Lines are
 * printed as they come (indented by two) unless the output is quiet, as under {@code --compare}, where they
 * are shown side by side afterwards. Thread-safe: worker threads may log too.
 */
final class Output {
  private static final int NOTE_WIDTH = 100;

  private final @Nullable PrintStream live;
  private final List<String> lines = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final List<String> later = new ArrayList<>();

  /** An output that prints to {@code live} as it goes, or records only if {@code live} is null. */
  Output(@Nullable PrintStream live) {
    this.live = live;
  }

  /** An output that only records (for tests and {@code --compare}). */
  static Output quiet() {
    return new Output(null);
  }

  /** {@code console.log(args...)}. */
  synchronized void log(@Nullable Object... args) {
    for (String line : Inspect.format(args).split("\n", -1)) {
      lines.add(line);
      print("  " + line);
    }
  }

  /** {@code console.error(args...)}: Node writes it to stderr; the tour merges both streams, as a terminal does. */
  void error(@Nullable Object... args) {
    log(args);
  }

  /** A remark of the tour: why the output is what it is, timings, fixed bugs. Not compared with Node. */
  synchronized void note(String text) {
    notes.add(text);
    wrap(text).forEach(line -> print("  // " + line));
  }

  /** A note's text in lines of at most {@value #NOTE_WIDTH} characters, continuations indented. */
  static List<String> wrap(String text) {
    List<String> out = new ArrayList<>();
    String line = "";
    for (String word : text.split(" ")) {
      if (!line.isBlank() && line.length() + 1 + word.length() > NOTE_WIDTH) {
        out.add(line);
        line = "  ";
      }
      line = line.isBlank() ? line + word : line + " " + word;
    }
    out.add(line);
    return out;
  }

  /** A note printed once the example has run (by {@link #finish}), after its output. */
  synchronized void noteAtEnd(String text) {
    later.add(text);
  }

  /** Prints the notes kept for the end. */
  synchronized void finish() {
    later.forEach(this::note);
    later.clear();
  }

  /** The lines logged so far. */
  synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  /** The notes so far. */
  synchronized List<String> notes() {
    return List.copyOf(notes);
  }

  private void print(String s) {
    if (live != null) {
      live.println(s);
    }
  }
}
