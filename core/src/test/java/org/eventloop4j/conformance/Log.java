package org.eventloop4j.conformance;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a port prints: the stand-in for {@code console.log}, one line per call. Synchronized, so that the
 * harness can show what a port that hangs has printed so far.
 */
public final class Log {
  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

  /** Prints one line (JavaScript's {@code console.log(line)}). */
  public void println(String line) {
    lines.add(line);
  }

  /** The lines printed so far, in order. */
  public List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }
}
