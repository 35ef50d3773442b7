package org.eventloop4j.fuzz;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs generated scripts with {@code node}, one process per script, several at a time. One process per
 * program keeps them isolated: batching them into one process would share the unhandled-rejection
 * bookkeeping and the timer lists between programs, which changes what they print.
 */
final class NodeRunner {
  private static final long TIMEOUT_SECONDS = 15;

  private final Path node;
  private final Path dir;

  private NodeRunner(Path node, Path dir) {
    this.node = node;
    this.dir = dir;
  }

  /** A runner if {@code node} is on the PATH. */
  static Optional<NodeRunner> find() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String d : path.split(File.pathSeparator)) {
      Path candidate = Path.of(d, "node");
      if (!d.isEmpty() && Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        try {
          return Optional.of(new NodeRunner(candidate, Files.createTempDirectory("eventloop4j-fuzz-")));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return Optional.empty();
  }

  /** What node printed: stdout lines, then {@code !! exit N} if the status was not 0. */
  List<String> run(String name, String script) {
    try {
      Path js = dir.resolve(name + ".js");
      Path out = dir.resolve(name + ".out");
      Files.writeString(js, script, StandardCharsets.UTF_8);
      Process p = new ProcessBuilder(node.toString(), js.getFileName().toString())
          .directory(dir.toFile())
          .redirectOutput(out.toFile())
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .start();
      List<String> lines = new ArrayList<>();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        lines.add("!! node timeout");
        return lines;
      }
      lines.addAll(Files.readAllLines(out, StandardCharsets.UTF_8));
      if (p.exitValue() != 0) {
        lines.add("!! exit " + p.exitValue());
      }
      Files.deleteIfExists(js);
      Files.deleteIfExists(out);
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs each script {@code runs} times, {@code parallel} processes at a time; results in input order. */
  List<List<List<String>>> runAll(List<String> names, List<String> scripts, int runs, int parallel) {
    ExecutorService pool = Executors.newFixedThreadPool(parallel);
    try {
      List<List<Future<List<String>>>> futures = new ArrayList<>();
      for (int i = 0; i < scripts.size(); i++) {
        List<Future<List<String>>> perScript = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
          String name = names.get(i) + "-" + r;
          String script = scripts.get(i);
          perScript.add(pool.submit(() -> run(name, script)));
        }
        futures.add(perScript);
      }
      List<List<List<String>>> results = new ArrayList<>();
      for (List<Future<List<String>>> perScript : futures) {
        List<List<String>> outs = new ArrayList<>();
        for (Future<List<String>> f : perScript) {
          outs.add(f.get());
        }
        results.add(outs);
      }
      return results;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      pool.shutdownNow();
    }
  }
}
