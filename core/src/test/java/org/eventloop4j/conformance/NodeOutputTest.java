package org.eventloop4j.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Keeps the corpus honest: when {@code node} is on the PATH, runs every scenario with it and checks that
 * stdout is byte for byte the recorded {@code .out} (or {@code .alt.out}) and that the exit status is the one
 * in {@code exit-codes.txt}. Skipped without node. The reference is Node 20; with another major version a
 * scenario's {@code .spec.out} (the current specification's output, see 48) is accepted too.
 */
class NodeOutputTest {
  private static final long TIMEOUT_SECONDS = 20;

  @TestFactory
  Stream<DynamicTest> nodePrintsTheRecordedOutput() throws IOException, InterruptedException {
    Optional<Path> node = findNode();
    Assumptions.assumeTrue(node.isPresent(), "node is not on the PATH");
    String version = run(node.get(), List.of("--version"), Corpus.jsDir()).stdout.trim();
    boolean node20 = version.startsWith("v20.");
    return Corpus.scenarios().stream().map(js -> DynamicTest.dynamicTest(js, () -> check(node.get(), js, node20, version)));
  }

  private static void check(Path node, String js, boolean node20, String version) throws IOException, InterruptedException {
    String base = Corpus.base(js);
    Result r = run(node, List.of(js), Corpus.jsDir());
    List<String> accepted = new ArrayList<>();
    accepted.add(base + ".out");
    accepted.add(base + ".alt.out");
    if (!node20) {
      accepted.add(base + ".spec.out");
    }
    boolean matched = false;
    for (String name : accepted) {
      Optional<String> want = Corpus.text(name);
      if (want.isPresent() && want.get().equals(r.stdout)) {
        matched = true;
        break;
      }
    }
    if (!matched) {
      List<String> want = Corpus.lines(base + ".out").orElseThrow(() -> new IllegalStateException("missing " + base + ".out"));
      fail("node " + version + " " + js + ": stdout differs from " + base + ".out (- recorded, + node printed)\n"
          + Diff.of(want, Corpus.splitLines(r.stdout)));
    }
    assertEquals(Corpus.exitCode(js), r.exitCode, "node " + version + " " + js + ": exit status");
  }

  private record Result(String stdout, int exitCode) {}

  private static Result run(Path node, List<String> args, Path dir) throws IOException, InterruptedException {
    Path out = Files.createTempFile("conformance-node-", ".out");
    try {
      List<String> command = new ArrayList<>();
      command.add(node.toString());
      command.addAll(args);
      Process p = new ProcessBuilder(command)
          .directory(dir.toFile())
          .redirectOutput(out.toFile())
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .redirectInput(ProcessBuilder.Redirect.from(new File(nullDevice())))
          .start();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail("node " + String.join(" ", args) + " did not finish within " + TIMEOUT_SECONDS + " s");
      }
      return new Result(Files.readString(out, StandardCharsets.UTF_8), p.exitValue());
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static String nullDevice() {
    return System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null";
  }

  private static Optional<Path> findNode() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    boolean windows = System.getProperty("os.name").startsWith("Windows");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      for (String name : windows ? List.of("node.exe", "node") : List.of("node")) {
        Path candidate = Path.of(dir, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }
}
