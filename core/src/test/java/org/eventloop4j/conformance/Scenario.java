package org.eventloop4j.conformance;

import java.util.Map;

/**
 * A Java port of one program of the Node.js conformance corpus ({@code src/test/resources/conformance/js}).
 *
 * <p>A port builds its own {@link org.eventloop4j.EventLoop}, runs the program on it and prints through
 * {@link Log} exactly what the JavaScript program prints with {@code console.log}. The class name gives the
 * scenario: {@code S07MicrotasksBetweenTimers} is the port of {@code js/07-*.js}. A scenario whose Node
 * exit status is non-zero (see {@code exit-codes.txt}) must end by throwing: the error that {@code
 * EventLoop.run} threw, or {@link ExitStatus} for {@code process.exit(n)}.
 */
public interface Scenario {
  /** Runs the program, printing its output to {@code log}. */
  void run(Log log) throws Exception;

  /**
   * Lines of the recorded output that this port does not print, each with the reason (a JavaScript construct
   * with no Java counterpart). The harness removes every occurrence of each line from the expected output
   * and fails if a listed line is not there at all. Empty for a complete port.
   */
  default Map<String, String> omittedLines() {
    return Map.of();
  }
}
