package org.eventloop4j.shared;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SharedArrayBuffer#mapFile}: the file's bytes are the buffer's, two mappings of one file share
 * them and their atomics, and so does a second JVM adding to the same slots at the same time. Nothing
 * sleeps: the child says it started through the buffer itself, with deadlines only as failure guards.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MappedBufferTest {
  private static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);
  /** Slots both processes add to; slot SLOTS is the child's "started" flag, SLOTS + 1 its "done" flag. */
  private static final int SLOTS = 16;

  @TempDir
  Path dir;

  @Test
  void mapFile_newFile_isZeroedAndExtendedToWholeWords() throws IOException {
    Path f = dir.resolve("new.bin");
    SharedArrayBuffer b = SharedArrayBuffer.mapFile(f, 10);
    assertEquals(10, b.byteLength());
    assertEquals(16, Files.size(f));
    assertTrue(b.isMapped());
    assertFalse(b.growable());
    assertEquals(0, new Uint8Array(b).get(9));
    assertEquals("SharedArrayBuffer { byteLength: 10, file: " + f + " }", b.toString());
  }

  @Test
  void mapFile_zeroLength_isAllowedAndTakesOneWord() throws IOException {
    Path f = dir.resolve("empty.bin");
    assertEquals(0, SharedArrayBuffer.mapFile(f, 0).byteLength());
    assertEquals(8, Files.size(f));
  }

  @Test
  void mapFile_existingFile_keepsItsBytesAndItsLongerLength() throws IOException {
    Path f = dir.resolve("old.bin");
    Files.write(f, "hello, world".getBytes(StandardCharsets.US_ASCII));
    Uint8Array a = new Uint8Array(SharedArrayBuffer.mapFile(f, 5));
    assertEquals(5, a.length());
    assertEquals('h', a.get(0));
    assertEquals('o', a.get(4));
    assertEquals(12, Files.size(f));
  }

  @Test
  void writes_reachTheFile_inNativeByteOrder() throws IOException {
    Path f = dir.resolve("out.bin");
    SharedArrayBuffer b = SharedArrayBuffer.mapFile(f, 8);
    Int32Array a = new Int32Array(b);
    Atomics.store(a, 0, 0x01020304);
    a.set(1, -2);
    b.asSegment().force();
    ByteBuffer expected = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(0x01020304).putInt(-2);
    assertArrayEquals(expected.array(), Files.readAllBytes(f));
  }

  @Test
  void twoMappingsOfOneFile_shareTheBytesAndTheirAtomics() throws Exception {
    Path f = dir.resolve("two.bin");
    Int32Array one = new Int32Array(SharedArrayBuffer.mapFile(f, 4 * SLOTS));
    Int32Array two = new Int32Array(SharedArrayBuffer.mapFile(f, 4 * SLOTS));
    Atomics.store(one, 3, 42);
    assertEquals(42, Atomics.load(two, 3));
    int rounds = 50_000 * STRESS;
    Thread t = Thread.ofPlatform().start(() -> addToEverySlot(two, rounds));
    addToEverySlot(one, rounds);
    t.join();
    for (int i = 0; i < SLOTS; i++) {
      assertEquals((i == 3 ? 42 : 0) + 2 * rounds / SLOTS, Atomics.load(one, i), "slot " + i);
    }
  }

  @Test
  void twoMappingsOfOneFile_waitersAreThoseOfTheirOwnObject() throws Exception {
    Path f = dir.resolve("wait.bin");
    Int32Array one = new Int32Array(SharedArrayBuffer.mapFile(f, 8));
    Int32Array two = new Int32Array(SharedArrayBuffer.mapFile(f, 8));
    assertEquals(Atomics.WaitResult.TIMED_OUT, Atomics.wait(one, 0, 0, 0));
    assertEquals(0, Atomics.notify(two, 0, 1)); // documented: a notify reaches its own object's waiters only
  }

  @Test
  void aSecondJvm_addingToTheSameSlotsAtTheSameTime_losesNoUpdate() throws Exception {
    Path f = dir.resolve("processes.bin");
    Int32Array a = new Int32Array(SharedArrayBuffer.mapFile(f, 4 * (SLOTS + 2)));
    int rounds = 200_000 * STRESS;
    Process child = startChild(f, rounds);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
    while (Atomics.load(a, SLOTS) == 0) { // the child's first add may already have happened; ours overlap it
      assertTrue(child.isAlive() || Atomics.load(a, SLOTS) != 0, () -> "the child JVM ended: " + output(child));
      assertTrue(System.nanoTime() < deadline, "the child JVM did not start");
      Thread.onSpinWait();
    }
    addToEverySlot(a, rounds);
    assertTrue(child.waitFor(40, TimeUnit.SECONDS), "the child JVM did not end");
    assertEquals(0, child.exitValue(), output(child));
    assertEquals(1, Atomics.load(a, SLOTS + 1), "the child did not finish its adds");
    for (int i = 0; i < SLOTS; i++) {
      assertEquals(2 * rounds / SLOTS, Atomics.load(a, i), "slot " + i);
    }
  }

  @Test
  void mapFile_badInput_saysWhatWasWrong() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SharedArrayBuffer.mapFile(dir.resolve("x"), -1));
    assertEquals("SharedArrayBuffer byteLength must be between 0 and 1099511627776, was -1", e.getMessage());
    assertThrows(NullPointerException.class, () -> SharedArrayBuffer.mapFile(null, 8));
    assertThrows(IOException.class, () -> SharedArrayBuffer.mapFile(dir, 8)); // a folder
  }

  @Test
  void grow_ofAMappedBuffer_isRefused() throws IOException {
    SharedArrayBuffer b = SharedArrayBuffer.mapFile(dir.resolve("g.bin"), 8);
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> b.grow(16));
    assertEquals("SharedArrayBuffer.grow: the buffer is not growable (a mapped file)", e.getMessage());
  }

  @Test
  void slice_ofAMappedBuffer_isAnOrdinaryCopy() throws IOException {
    SharedArrayBuffer b = SharedArrayBuffer.mapFile(dir.resolve("s.bin"), 8);
    new Uint8Array(b).set(1, 7);
    SharedArrayBuffer copy = b.slice(1, 3);
    assertFalse(copy.isMapped());
    assertEquals(7, new Uint8Array(copy).get(0));
  }

  /** Adds 1 {@code rounds} times, going round the slots: {@code rounds / SLOTS} to each. */
  private static void addToEverySlot(Int32Array a, int rounds) {
    for (int r = 0; r < rounds; r++) {
      Atomics.add(a, r % SLOTS, 1);
    }
  }

  private static Process startChild(Path f, int rounds) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-cp",
        System.getProperty("java.class.path"), MappedBufferTest.class.getName(), f.toString(),
        Integer.toString(rounds)));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  private static String output(Process p) {
    try {
      return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** The child JVM: maps the file, raises the "started" flag, adds to every slot, raises "done". */
  public static void main(String[] args) throws IOException {
    Int32Array a = new Int32Array(SharedArrayBuffer.mapFile(Path.of(args[0]), 4 * (SLOTS + 2)));
    int rounds = Integer.parseInt(args[1]);
    Atomics.store(a, SLOTS, 1);
    addToEverySlot(a, rounds);
    Atomics.store(a, SLOTS + 1, 1);
  }
}
