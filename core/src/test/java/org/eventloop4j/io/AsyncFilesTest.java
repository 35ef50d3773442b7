package org.eventloop4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class AsyncFilesTest {
  @TempDir
  Path dir;

  private final List<String> log = new ArrayList<>();
  private final EventLoop loop = EventLoop.builder().virtualTime().build();

  /** Runs the loop with the promise {@code start} makes; returns its value, or fails with its rejection. */
  private <T> T await(Supplier<Promise<T>> start) {
    AtomicReference<T> value = new AtomicReference<>();
    AtomicReference<Throwable> error = new AtomicReference<>();
    loop.run(() -> start.get().then(v -> {
      value.set(v);
      return null;
    }, e -> {
      error.set(e);
      return null;
    }));
    if (error.get() != null) {
      throw new AssertionError("rejected", error.get());
    }
    return value.get();
  }

  private Throwable rejection(Supplier<Promise<?>> start) {
    AtomicReference<Throwable> error = new AtomicReference<>();
    loop.run(() -> start.get().catchError(e -> {
      error.set(e);
      return null;
    }));
    return error.get();
  }

  // ---- round trips ----

  @Test
  void writeThenReadAllBytes_tempFile_roundTrips() {
    Path file = dir.resolve("data.bin");
    byte[] data = {0, 1, 2, (byte) 0xff, 42};
    assertNull(await(() -> AsyncFiles.write(file, data)));
    assertArrayEquals(data, await(() -> AsyncFiles.readAllBytes(file)));
  }

  @Test
  void writeStringThenReadString_unicodeText_roundTrips() throws IOException {
    Path file = dir.resolve("text.txt");
    String text = "héllo, wörld — 事件循环 🎉\n";
    await(() -> AsyncFiles.writeString(file, text));
    assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), Files.readAllBytes(file));
    assertEquals(text, await(() -> AsyncFiles.readString(file)));
  }

  @Test
  void readAllBytes_multiMegabyteFile_readsUntilComplete() throws IOException {
    Path file = dir.resolve("big.bin");
    byte[] data = new byte[5 * 1024 * 1024 + 123];
    new Random(7).nextBytes(data);
    Files.write(file, data);
    assertArrayEquals(data, await(() -> AsyncFiles.readAllBytes(file)));
  }

  @Test
  void writeThenRead_multiMegabyteBuffer_writesUntilComplete() throws IOException {
    Path file = dir.resolve("big-out.bin");
    byte[] data = new byte[3 * 1024 * 1024 + 7];
    new Random(11).nextBytes(data);
    await(() -> AsyncFiles.write(file, data));
    assertArrayEquals(data, Files.readAllBytes(file));
  }

  @Test
  void readAllBytes_emptyFile_fulfilsWithEmptyArray() throws IOException {
    Path file = Files.createFile(dir.resolve("empty"));
    assertArrayEquals(new byte[0], await(() -> AsyncFiles.readAllBytes(file)));
  }

  @Test
  void readAllBytes_fileReportingSizeZero_readsItsContent() throws IOException {
    Path procFile = Path.of("/proc/self/status");
    assumeTrue(Files.isReadable(procFile) && Files.size(procFile) == 0);
    String text = await(() -> AsyncFiles.readString(procFile));
    assertTrue(text.startsWith("Name:"), text);
  }

  @Test
  void write_existingLongerFile_truncatesIt() throws IOException {
    Path file = dir.resolve("long.txt");
    Files.writeString(file, "a much longer previous content");
    await(() -> AsyncFiles.writeString(file, "short"));
    assertEquals("short", Files.readString(file));
  }

  @Test
  void write_arrayChangedAfterCall_writesOriginalContent() throws IOException {
    Path file = dir.resolve("copy.bin");
    byte[] data = {1, 2, 3};
    loop.run(() -> {
      AsyncFiles.write(file, data).catchError(e -> null);
      data[0] = 9;
    });
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file));
  }

  // ---- errors ----

  @Test
  void readAllBytes_missingFile_rejectsWithNoSuchFileExceptionLater() {
    Path missing = dir.resolve("missing.txt");
    AtomicReference<Promise.State> stateRightAfterCall = new AtomicReference<>();
    Throwable error = rejection(() -> {
      Promise<byte[]> p = AsyncFiles.readAllBytes(missing);
      stateRightAfterCall.set(p.state());
      return p;
    });
    assertEquals(Promise.State.PENDING, stateRightAfterCall.get());
    assertEquals(missing.toString(), assertInstanceOf(NoSuchFileException.class, error).getFile());
  }

  @Test
  void readString_missingFile_rejectsWithNoSuchFileException() {
    assertInstanceOf(NoSuchFileException.class, rejection(() -> AsyncFiles.readString(dir.resolve("nope"))));
  }

  @Test
  void write_missingParentDirectory_rejectsWithNoSuchFileException() {
    Path file = dir.resolve("no/such/dir/file.txt");
    assertInstanceOf(NoSuchFileException.class, rejection(() -> AsyncFiles.write(file, new byte[] {1})));
  }

  @Test
  void readString_invalidUtf8_rejectsWithMalformedInputException() throws IOException {
    Path file = dir.resolve("latin1.txt");
    Files.write(file, new byte[] {'c', 'a', 'f', (byte) 0xe9});
    assertInstanceOf(MalformedInputException.class, rejection(() -> AsyncFiles.readString(file)));
  }

  @Test
  void writeString_loneSurrogate_rejectsWithCharacterCodingExceptionAndWritesNothing() {
    Path file = dir.resolve("surrogate.txt");
    assertInstanceOf(CharacterCodingException.class, rejection(() -> AsyncFiles.writeString(file, "bad \ud800")));
    assertFalse(Files.exists(file));
  }

  @Test
  void readAllBytes_directory_rejectsWithIoException() {
    assertInstanceOf(IOException.class, rejection(() -> AsyncFiles.readAllBytes(dir)));
  }

  @Test
  void allMethods_nullArguments_throwNpeNamingParameter() {
    Path file = dir.resolve("f");
    loop.run(() -> {
      assertNpe("path", () -> AsyncFiles.readAllBytes(null));
      assertNpe("path", () -> AsyncFiles.readString(null));
      assertNpe("path", () -> AsyncFiles.write(null, new byte[0]));
      assertNpe("bytes", () -> AsyncFiles.write(file, null));
      assertNpe("path", () -> AsyncFiles.writeString(null, ""));
      assertNpe("text", () -> AsyncFiles.writeString(file, null));
      assertNpe("callback", () -> AsyncFiles.readAllBytes(file, null));
      assertNpe("callback", () -> AsyncFiles.readString(file, null));
      assertNpe("callback", () -> AsyncFiles.write(file, new byte[0], null));
      assertNpe("callback", () -> AsyncFiles.writeString(file, "", null));
    });
  }

  private static void assertNpe(String parameter, Executable call) {
    assertEquals(parameter, assertThrows(NullPointerException.class, call).getMessage());
  }

  @Test
  void readAllBytes_offLoop_throwsIllegalState() {
    assertThrows(IllegalStateException.class, () -> AsyncFiles.readAllBytes(dir.resolve("x")));
    assertThrows(IllegalStateException.class, () -> AsyncFiles.readAllBytes(dir.resolve("x"), (b, e) -> { }));
  }

  // ---- loop integration ----

  @Test
  void readAllBytes_callback_runsOnLoopThreadInPollPhaseTakingNoVirtualTime() throws IOException {
    Path file = Files.writeString(dir.resolve("f.txt"), "x");
    AtomicReference<Thread> loopThread = new AtomicReference<>();
    AtomicReference<Thread> callbackThread = new AtomicReference<>();
    loop.run(() -> {
      loopThread.set(Thread.currentThread());
      loop.setTimeout(() -> log.add("timer at " + loop.now()), 1_000);
      AsyncFiles.readAllBytes(file, (bytes, error) -> {
        callbackThread.set(Thread.currentThread());
        log.add("read " + bytes.length + " byte(s) at " + loop.now());
      });
    });
    assertSame(loopThread.get(), callbackThread.get());
    assertEquals(List.of("read 1 byte(s) at 0", "timer at 1000"), log);
  }

  @Test
  void readAllBytes_callbackScenario10_tickPromiseImmediateTimeoutOrder() throws IOException {
    // Port of conformance scenario 10 (fs.readFile callback): nextTick, promise, immediate, timeout.
    Path file = Files.writeString(dir.resolve("scenario10.js"), "// scenario 10\n");
    loop.run(() -> AsyncFiles.readAllBytes(file, (bytes, error) -> {
      log.add("readFile callback");
      loop.setTimeout(() -> log.add("timeout"), 0);
      loop.setImmediate(() -> log.add("immediate"));
      Promise.resolve().thenRun(() -> log.add("promise"));
      loop.nextTick(() -> log.add("nextTick"));
    }));
    assertEquals(List.of("readFile callback", "nextTick", "promise", "immediate", "timeout"), log);
  }

  @Test
  void readAllBytes_promiseForm_reactionRunsInDrainSoItsNextTickFollowsItsPromise() throws IOException {
    // fs.promises.readFile(...).then(cb): cb is a microtask, so a nextTick it queues waits for the
    // microtask queue to empty (scenario 05), unlike the callback form above.
    Path file = Files.writeString(dir.resolve("p.txt"), "p");
    loop.run(() -> AsyncFiles.readAllBytes(file).thenRun(() -> {
      log.add("then");
      loop.setTimeout(() -> log.add("timeout"), 0);
      loop.setImmediate(() -> log.add("immediate"));
      Promise.resolve().thenRun(() -> log.add("promise"));
      loop.nextTick(() -> log.add("nextTick"));
    }));
    assertEquals(List.of("then", "promise", "nextTick", "immediate", "timeout"), log);
  }

  @Test
  void keepAlive_releasedOnSuccessAndFailure_loopCanRunAgainAndEnds() throws IOException {
    Path file = Files.writeString(dir.resolve("k.txt"), "k");
    loop.run(() -> {
      AsyncFiles.readString(file, (text, error) -> log.add("ok " + text));
      AsyncFiles.readString(dir.resolve("absent"),
          (text, error) -> log.add("failed " + error.getClass().getSimpleName()));
      AsyncFiles.writeString(file, "\udc00", error -> log.add("encode " + error.getClass().getSimpleName()));
    });
    assertEquals(Set.of("ok k", "failed NoSuchFileException", "encode MalformedInputException"),
        Set.copyOf(log));
    loop.run(() -> log.add("second run"));
    assertEquals(4, log.size());
    assertEquals("second run", log.getLast());
  }

  @Test
  void readAllBytes_callbackThrows_isUncaughtExceptionOfLoopAndKeepAliveReleased() throws IOException {
    Path file = Files.writeString(dir.resolve("t.txt"), "t");
    IllegalStateException boom = new IllegalStateException("boom");
    IllegalStateException thrown = assertThrows(IllegalStateException.class,
        () -> loop.run(() -> AsyncFiles.readAllBytes(file, (bytes, error) -> {
          throw boom;
        })));
    assertSame(boom, thrown);
    loop.run(() -> log.add("second run"));
    assertEquals(List.of("second run"), log);
  }
}
