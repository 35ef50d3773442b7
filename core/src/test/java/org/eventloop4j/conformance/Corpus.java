package org.eventloop4j.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The conformance corpus as test resources: {@code conformance/js/NN-name.js} with its recorded stdout
 * {@code NN-name.out} (and {@code NN-name.alt.out} where Node's order is open), {@code exit-codes.txt}, and
 * {@code NN-name.eventloop4j.out} where eventloop4j deliberately differs from Node (see MAPPING.md).
 * Read from the test classpath; no absolute paths.
 */
final class Corpus {
  private static final String ROOT = "/conformance";

  private Corpus() {}

  /** The folder holding the corpus on the test classpath. */
  static Path root() {
    URL url = Corpus.class.getResource(ROOT + "/README.md");
    if (url == null) {
      throw new IllegalStateException("conformance corpus not on the test classpath (" + ROOT + ")");
    }
    if (!"file".equals(url.getProtocol())) {
      throw new IllegalStateException("conformance corpus must be a folder on the test classpath, not " + url);
    }
    try {
      return Path.of(url.toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The folder with the scenarios. */
  static Path jsDir() {
    return root().resolve("js");
  }

  /** The scenario file names ({@code NN-name.js}), sorted. */
  static List<String> scenarios() {
    try (Stream<Path> files = Files.list(jsDir())) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".js")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The scenario whose file starts with {@code NN-}, e.g. {@code "07"} gives {@code 07-microtasks-between-timers.js}. */
  static Optional<String> scenario(String number) {
    return scenarios().stream().filter(n -> n.startsWith(number + "-")).findFirst();
  }

  /** {@code NN-name} for {@code NN-name.js}. */
  static String base(String jsFile) {
    return jsFile.substring(0, jsFile.length() - ".js".length());
  }

  /** The two-digit number of a scenario file. */
  static String number(String jsFile) {
    return jsFile.substring(0, 2);
  }

  /** The lines of {@code js/<name>} if the file exists. */
  static Optional<List<String>> lines(String name) {
    return text(name).map(Corpus::splitLines);
  }

  /** The exact text of {@code js/<name>} if the file exists. */
  static Optional<String> text(String name) {
    Path p = jsDir().resolve(name);
    if (!Files.isRegularFile(p)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Splits stdout into lines; the final newline does not start another line. */
  static List<String> splitLines(String text) {
    if (text.isEmpty()) {
      return List.of();
    }
    String t = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    return new ArrayList<>(Arrays.asList(t.split("\n", -1)));
  }

  /** The exit status Node must end {@code jsFile} with ({@code exit-codes.txt}; 0 when not listed). */
  static int exitCode(String jsFile) {
    return exitCodes().getOrDefault(jsFile, 0);
  }

  private static Map<String, Integer> exitCodes() {
    Map<String, Integer> codes = new HashMap<>();
    try {
      for (String line : Files.readAllLines(root().resolve("exit-codes.txt"), StandardCharsets.UTF_8)) {
        String[] parts = line.trim().split("\\s+");
        if (parts.length == 2) {
          codes.put(parts[0], Integer.parseInt(parts[1]));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return codes;
  }

  /** The text of a file at the corpus root (README.md, MAPPING.md, ...). */
  static String rootText(String name) {
    try {
      return Files.readString(root().resolve(name), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
