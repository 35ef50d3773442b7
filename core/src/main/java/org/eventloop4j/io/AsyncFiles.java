package org.eventloop4j.io;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Resolvers;
import org.jspecify.annotations.Nullable;

/**
 * Whole-file reads and writes that do not block the loop, like Node's {@code fs.readFile} and {@code
 * fs.writeFile}; the counterparts of {@link java.nio.file.Files#readAllBytes}, {@code readString}, {@code
 * write} and {@code writeString}, with the same options, charset rules and exceptions.
 *
 * <h2>Ordering and threads</h2>
 *
 * <p>Every method is loop-affine: call it on a loop thread ({@link EventLoop#current()}), which it keeps
 * alive until the operation completed. The file is opened on the calling thread (one {@code open} system
 * call); reading and writing run on the JDK's {@link java.nio.channels.AsynchronousFileChannel} threads;
 * the completion is posted back with {@link EventLoop#execute}, so it arrives in a poll phase of the loop —
 * never synchronously, not even when the file does not exist.
 *
 * <p>Each operation comes in two forms. The <b>callback</b> form is Node's {@code fs.readFile(path, cb)}:
 * the callback runs as the poll-phase task itself, so what it schedules is ordered exactly as in a Node
 * I/O callback (its nextTicks before its promise reactions, its immediates before its timeouts —
 * conformance scenario 10); an exception it throws is an uncaught exception of the loop. The <b>promise</b>
 * form is {@code fs.promises}: the promise is settled in that poll-phase task, and its reactions run in
 * the microtask drain right after it.
 *
 * <h2>Errors</h2>
 *
 * <p>Failures reject (or reach the callback) with the JDK's exception, unwrapped: {@link
 * java.nio.file.NoSuchFileException}, {@link java.nio.file.AccessDeniedException}, {@link
 * java.nio.charset.MalformedInputException} or {@link java.nio.charset.UnmappableCharacterException} for
 * text that UTF-8 cannot carry, {@link OutOfMemoryError} for a file larger than an array. Only a {@code
 * null} argument ({@link NullPointerException}) or a call off a loop thread ({@link IllegalStateException})
 * throws.
 */
public final class AsyncFiles {
  /*
   * Overview: each method builds one FileOperation (ReadAll or WriteAll), which owns the channel, the
   * KeepAlive and the single delivery to the loop; the promise forms wrap the callback forms with
   * Promise.withResolvers. Text is decoded or encoded with strict UTF-8 coders (REPORT, as Files does):
   * decoding on the channel thread after the last read, encoding on the loop thread before the write (a
   * failure is still delivered through the loop, never thrown). Tests: AsyncFilesTest.
   */
  private AsyncFiles() {}

  /** Reads the whole file at {@code path}; see the class documentation. */
  public static Promise<byte[]> readAllBytes(Path path) {
    requireNonNull(path, "path");
    return promise(callback -> readAllBytes(path, callback));
  }

  /**
   * Reads the whole file at {@code path} and passes its bytes to {@code callback} in a poll phase of the
   * current loop; exactly one of the callback's arguments is non-null.
   */
  public static void readAllBytes(Path path, BiConsumer<byte @Nullable [], @Nullable Throwable> callback) {
    requireNonNull(path, "path");
    requireNonNull(callback, "callback");
    new ReadAll<byte[]>(bytes -> bytes, callback).start(path, StandardOpenOption.READ);
  }

  /** Reads the whole file at {@code path} as UTF-8 text; see the class documentation. */
  public static Promise<String> readString(Path path) {
    requireNonNull(path, "path");
    return promise(callback -> readString(path, callback));
  }

  /**
   * Reads the whole file at {@code path} as UTF-8 text and passes it to {@code callback} in a poll phase of
   * the current loop; exactly one of the callback's arguments is non-null.
   */
  public static void readString(Path path, BiConsumer<@Nullable String, @Nullable Throwable> callback) {
    requireNonNull(path, "path");
    requireNonNull(callback, "callback");
    new ReadAll<String>(AsyncFiles::decode, callback).start(path, StandardOpenOption.READ);
  }

  /**
   * Writes {@code bytes} to the file at {@code path}, creating it or truncating it first; the array is
   * copied, so the caller may reuse it at once.
   */
  public static Promise<@Nullable Void> write(Path path, byte[] bytes) {
    requireNonNull(path, "path");
    requireNonNull(bytes, "bytes");
    return promise(callback -> write(path, bytes, toError(callback)));
  }

  /**
   * {@link #write(Path, byte[])} reporting to {@code callback} in a poll phase of the current loop: {@code
   * null} on success, else the error.
   */
  public static void write(Path path, byte[] bytes, Consumer<@Nullable Throwable> callback) {
    requireNonNull(path, "path");
    requireNonNull(bytes, "bytes");
    requireNonNull(callback, "callback");
    writeBuffer(path, ByteBuffer.wrap(bytes.clone()), callback);
  }

  /** Writes {@code text} as UTF-8 to the file at {@code path}, creating it or truncating it first. */
  public static Promise<@Nullable Void> writeString(Path path, String text) {
    requireNonNull(path, "path");
    requireNonNull(text, "text");
    return promise(callback -> writeString(path, text, toError(callback)));
  }

  /**
   * {@link #writeString(Path, String)} reporting to {@code callback} in a poll phase of the current loop:
   * {@code null} on success, else the error.
   */
  public static void writeString(Path path, String text, Consumer<@Nullable Throwable> callback) {
    requireNonNull(path, "path");
    requireNonNull(text, "text");
    requireNonNull(callback, "callback");
    ByteBuffer data;
    try {
      data = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(text));
    } catch (CharacterCodingException e) {
      new WriteAll(ByteBuffer.allocate(0), (unused, error) -> callback.accept(error)).finish(null, e);
      return;
    }
    writeBuffer(path, data, callback);
  }

  private static void writeBuffer(Path path, ByteBuffer data, Consumer<@Nullable Throwable> callback) {
    new WriteAll(data, (unused, error) -> callback.accept(error))
        .start(path, StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
  }

  private static String decode(byte[] bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
  }

  /** Starts a callback-form operation and returns a promise that it settles. */
  private static <T> Promise<T> promise(Consumer<BiConsumer<@Nullable T, @Nullable Throwable>> start) {
    Resolvers<T> resolvers = Promise.withResolvers();
    start.accept((value, error) -> {
      if (error != null) {
        resolvers.reject(error);
      } else {
        resolvers.resolve(value);
      }
    });
    return resolvers.promise();
  }

  /** Adapts a (value, error) callback to the write forms' error-only callback. */
  private static Consumer<@Nullable Throwable> toError(BiConsumer<@Nullable Void, @Nullable Throwable> callback) {
    return error -> callback.accept(null, error);
  }
}
