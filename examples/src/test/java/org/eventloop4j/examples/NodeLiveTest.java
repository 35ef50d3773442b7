package org.eventloop4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eventloop4j.EventLoop;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Where {@code node} is on the PATH: runs every example's JavaScript version now (all at once, each in
 * its real time: about 11 s for the slowest) and checks, with the example's matcher, that (1) the Java port
 * on virtual time agrees with it and (2) the recording in {@code node/<name>.out} still agrees with it.
 * Skipped without node. With {@code -Dexamples.record=true} it rewrites the recordings instead:
 * {@code ./mvnw -pl examples -am test -Dtest=NodeLiveTest -Dexamples.record=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Timeout(180)
class NodeLiveTest {
  private static final Map<String, List<String>> NODE = new LinkedHashMap<>();

  @BeforeAll
  static void runNode() throws InterruptedException {
    NodeJs node = NodeJs.find().orElse(null);
    assumeTrue(node != null, "no node on the PATH");
    Map<String, NodeJs.Run> runs = new LinkedHashMap<>();
    for (String name : Tour.examples().keySet()) {
      runs.put(name, node.start(name));
    }
    for (Map.Entry<String, NodeJs.Run> e : runs.entrySet()) {
      NODE.put(e.getKey(), e.getValue().await(Duration.ofMinutes(2)));
    }
    if (Boolean.getBoolean("examples.record")) {
      record(node.version());
    }
  }

  private static void record(String version) {
    try {
      Path dir = Path.of("src/test/resources/node");
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("VERSION"), version + "\n", StandardCharsets.UTF_8);
      for (Map.Entry<String, List<String>> e : NODE.entrySet()) {
        Files.write(dir.resolve(e.getKey() + ".out"), Matcher.normalize(e.getValue()), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the recordings", e);
    }
  }

  @Test
  void everyExample_onVirtualTime_agreesWithNodeRunningNow() {
    StringBuilder failures = new StringBuilder();
    for (Tour.Example example : Tour.examples().values()) {
      Output out = Tour.runExample(example, EventLoop.builder().virtualTime().build(), Output.quiet());
      Verdict v = example.matcher().judge(Matcher.normalize(out.lines()), Matcher.normalize(NODE.get(example.name())));
      if (!v.ok()) {
        failures.append(example.name()).append(": ").append(v.text()).append('\n');
      }
    }
    assertEquals("", failures.toString());
  }

  @Test
  void everyRecording_agreesWithNodeRunningNow() {
    StringBuilder failures = new StringBuilder();
    for (Tour.Example example : Tour.examples().values()) {
      Verdict v = example.matcher().judge(Tour.recorded(example.name()), Matcher.normalize(NODE.get(example.name())));
      if (!v.ok()) {
        failures.append(example.name()).append(": ").append(v.text()).append('\n');
      }
    }
    assertEquals("", failures.toString(), "stale recordings: re-record with -Dexamples.record=true");
  }

  @Test
  void nodeRunningNow_printsTheSeedsLines() {
    assertTrue(NODE.get("queueDemo").containsAll(List.of("Script start", "Promise 3", "setImmediate")));
  }
}
