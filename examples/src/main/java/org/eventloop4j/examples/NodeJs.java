package org.eventloop4j.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs an example's JavaScript version under the {@code node} found on the {@code PATH}. The script is read
 * from the classpath ({@code /js/<name>.js}, inside the jar when packaged), copied to a temporary
 * {@code .cjs} file (CommonJS whatever {@code package.json} is around) and run with stdout and stderr merged,
 * as a terminal shows them. Blocking; call it off the loop.
 */
final class NodeJs {
  private final Path executable;

  private NodeJs(Path executable) {
    this.executable = executable;
  }

  /** The {@code node} on the PATH, if there is one. */
  static Optional<NodeJs> find() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    boolean windows = System.getProperty("os.name", "").startsWith("Windows");
    return Arrays.stream(path.split(java.io.File.pathSeparator))
        .filter(dir -> !dir.isBlank())
        .map(dir -> Path.of(dir, windows ? "node.exe" : "node"))
        .filter(Files::isExecutable)
        .findFirst()
        .map(NodeJs::new);
  }

  /** The node executable. */
  Path executable() {
    return executable;
  }

  /** {@code node --version}, e.g. {@code v20.20.2}. */
  String version() {
    try {
      Process p = new ProcessBuilder(executable.toString(), "--version").redirectErrorStream(true).start();
      String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      p.waitFor(30, TimeUnit.SECONDS);
      return v;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "node (version unknown)";
    }
  }

  /** Starts {@code js/<name>.js}; {@link Run#await} returns its output lines. */
  Run start(String name) {
    try {
      Path script = Files.createTempFile("eventloop4j-" + name + "-", ".cjs");
      try (InputStream in = Tour.class.getResourceAsStream("/js/" + name + ".js")) {
        if (in == null) {
          throw new IllegalArgumentException("no js/" + name + ".js on the classpath");
        }
        Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
      }
      Process p = new ProcessBuilder(executable.toString(), script.toString()).redirectErrorStream(true).start();
      CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()),
          r -> Thread.ofVirtual().start(r));
      return new Run(name, script, p, output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A running script. */
  static final class Run {
    private final String name;
    private final Path script;
    private final Process process;
    private final CompletableFuture<byte[]> output;

    private Run(String name, Path script, Process process, CompletableFuture<byte[]> output) {
      this.name = name;
      this.script = script;
      this.process = process;
      this.output = output;
    }

    /**
     * Waits for the script to end and returns what it printed, line by line.
     *
     * @throws IllegalStateException if it did not end within {@code timeout} or exited with a non-zero status
     */
    List<String> await(Duration timeout) throws InterruptedException {
      try {
        byte[] bytes = output.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new TimeoutException();
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
          throw new IllegalStateException("node " + name + ".js exited with " + process.exitValue() + ":\n" + text);
        }
        return text.lines().toList();
      } catch (TimeoutException e) {
        process.destroyForcibly();
        throw new IllegalStateException("node " + name + ".js did not finish within " + timeout, e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("cannot read the output of node " + name + ".js", e.getCause());
      } finally {
        deleteScript();
      }
    }

    /** Stops the script (if it still runs) and forgets its output. */
    void cancel() {
      process.destroyForcibly();
      deleteScript();
    }

    private void deleteScript() {
      try {
        Files.deleteIfExists(script);
      } catch (IOException e) {
        System.getLogger(NodeJs.class.getName()).log(System.Logger.Level.DEBUG, "cannot delete " + script, e);
      }
    }
  }
}
