package org.eventloop4j.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.util.Arrays;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Reads a whole file, however large its first reported size (0 for files under {@code /proc}) or however
 * it grows or shrinks meanwhile: reads until the end of the file, then converts the bytes on the channel
 * thread.
 *
 * @param <T> the result type: the bytes, or their text
 */
final class ReadAll<T> extends FileOperation<T> {
  /*
   * Overview: `bytes` is sized from the file's size when opened, and filled by reads at file position
   * `filled`. When it is full, one more read goes into a small `probe` buffer: end of file (the usual case)
   * means the array is exact and is returned without a copy; bytes mean the file grew, so the array grows
   * (doubling) and reading goes on. A shrunk file ends early and the array is trimmed. `probing` is true
   * exactly while a probe read is in flight; the probe buffer is allocated once, on first use.
   */
  /** Converts the bytes read into the result; may throw, e.g. a MalformedInputException. */
  @FunctionalInterface
  interface Decoder<T> {
    T decode(byte[] bytes) throws IOException;
  }

  /** The largest array the JVM reliably allocates, as in {@code java.nio.file.Files}. */
  private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
  private static final int PROBE_SIZE = 8192;

  private final Decoder<T> decoder;
  private byte[] bytes = new byte[0];
  private int filled;
  private @Nullable ByteBuffer probe;
  private boolean probing;

  ReadAll(Decoder<T> decoder, BiConsumer<@Nullable T, @Nullable Throwable> callback) {
    super(callback);
    this.decoder = decoder;
  }

  @Override
  void begin(AsynchronousFileChannel ch) throws IOException {
    long size = ch.size();
    if (size > MAX_ARRAY) {
      throw tooLarge();
    }
    bytes = new byte[(int) size];
    readMore(ch);
  }

  @Override
  void transferred(AsynchronousFileChannel ch, int n) throws IOException {
    if (n < 0) {
      finish(decoder.decode(filled == bytes.length ? bytes : Arrays.copyOf(bytes, filled)), null);
      return;
    }
    if (probing) {
      probing = false;
      append(probeBuffer(), n);
    } else {
      filled += n;
    }
    readMore(ch);
  }

  private void readMore(AsynchronousFileChannel ch) {
    if (filled < bytes.length) {
      ch.read(ByteBuffer.wrap(bytes, filled, bytes.length - filled), filled, null, this);
    } else {
      probing = true;
      ch.read(probeBuffer().clear(), filled, null, this);
    }
  }

  private ByteBuffer probeBuffer() {
    ByteBuffer p = probe;
    return p != null ? p : (probe = ByteBuffer.allocate(PROBE_SIZE));
  }

  private void append(ByteBuffer p, int n) {
    long needed = (long) filled + n;
    if (needed > MAX_ARRAY) {
      throw tooLarge();
    }
    long doubled = Math.max(needed, 2L * filled);
    bytes = Arrays.copyOf(bytes, (int) Math.min(MAX_ARRAY, doubled));
    p.flip().get(bytes, filled, n);
    filled += n;
  }

  private static OutOfMemoryError tooLarge() {
    return new OutOfMemoryError("Required array size too large");
  }
}
