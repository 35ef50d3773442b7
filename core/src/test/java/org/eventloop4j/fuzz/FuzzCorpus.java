package org.eventloop4j.fuzz;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The recorded corpus, {@code fuzz/corpus.txt} on the test class path: for each seed, a header line {@code
 * @ seed <n> js <hash>} followed by the lines node printed. Programs are regenerated from their seeds; the
 * hash (of the emitted script) tells when the generator changed and the corpus must be recorded again.
 */
final class FuzzCorpus {
  static final String RESOURCE = "/fuzz/corpus.txt";
  private static final String HEADER = "@ seed ";

  /** One recorded program. */
  record Entry(long seed, List<String> output) {}

  private FuzzCorpus() {}

  /** A short hash of the script the seed's program emits. */
  static String scriptHash(long seed) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(JsEmitter.emit(ProgramGenerator.generate(seed)).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static void write(Path file, List<Entry> entries) throws IOException {
    StringBuilder b = new StringBuilder();
    for (Entry e : entries) {
      b.append(HEADER).append(e.seed()).append(" js ").append(scriptHash(e.seed())).append('\n');
      for (String line : e.output()) {
        b.append(line).append('\n');
      }
    }
    Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
  }

  /** The entries, with the hash each was recorded with (checked by the test). */
  static List<Recorded> read() {
    try (InputStream in = FuzzCorpus.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the test class path");
      }
      List<Recorded> out = new ArrayList<>();
      Recorded cur = null;
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1)) {
        if (line.startsWith(HEADER)) {
          String[] parts = line.substring(HEADER.length()).split(" js ");
          cur = new Recorded(Long.parseLong(parts[0]), parts[1], new ArrayList<>());
          out.add(cur);
        } else if (cur != null && !line.isEmpty()) {
          cur.output().add(line);
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An entry as read, with its script hash. */
  record Recorded(long seed, String hash, List<String> output) {}
}
