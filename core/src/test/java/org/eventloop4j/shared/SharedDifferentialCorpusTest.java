package org.eventloop4j.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Replays the committed corpus of {@link SharedDifferential} (fixed seeds; the lines node printed for them
 * are in {@code shared-diff/corpus.txt}) against the Java API, without node. Re-record with the command in
 * {@link SharedDifferentialLiveTest}.
 */
@Timeout(120)
class SharedDifferentialCorpusTest {
  /** Ops per program. */
  static final int OPS = 60;

  /** The corpus file, relative to the core module (the build's working directory). */
  static final String CORPUS = "src/test/resources/shared-diff/corpus.txt";

  /** The corpus seeds. */
  static long[] seeds() {
    return LongStream.rangeClosed(1, 250).toArray();
  }

  @Test
  void corpus_javaReplay_matchesNodeLines() throws IOException {
    Map<String, List<String>> node;
    try (InputStream in = SharedDifferentialCorpusTest.class.getResourceAsStream("/shared-diff/corpus.txt")) {
      if (in == null) {
        throw new IOException("shared-diff/corpus.txt missing from the test resources");
      }
      node = SharedDifferential.parse(Arrays.asList(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")));
    }
    assertEquals(seeds().length, node.size(), "programs in the corpus");
    List<String> failures = new ArrayList<>();
    for (long seed : seeds()) {
      List<String> expected = node.get("seed-" + seed);
      String diff = SharedDifferential.firstDifference(expected, SharedDifferential.runJava(SharedDifferential.generate(seed, OPS)));
      if (diff != null) {
        failures.add("seed " + seed + ": " + diff);
      }
    }
    if (!failures.isEmpty()) {
      fail(failures.size() + " corpus program(s) diverge:\n" + String.join("\n", failures.subList(0, Math.min(10, failures.size()))));
    }
  }
}
