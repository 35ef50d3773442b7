package org.eventloop4j.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.eventloop4j.TypeError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The weaker orders of {@link Atomics} ({@code loadAcquire}/{@code storeRelease}, {@code loadOpaque}/{@code
 * storeOpaque}): values converted per view as the sequentially consistent forms convert them, neighbours of
 * 8- and 16-bit elements never disturbed, the same errors, and release/acquire publication. Nothing sleeps;
 * spins are bounded by deadlines that only guard against a hang.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AtomicsOrderTest {
  private static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);

  /** Each integer view over 16 bytes, with a value its store converts and what a load then reads. */
  private record Case(String name, IntFunction<TypedArray> view, long stored, long read) {}

  private static final List<Case> CASES = List.of(
      new Case("Int8Array", n -> new Int8Array(new SharedArrayBuffer(n)), 200, -56),
      new Case("Uint8Array", n -> new Uint8Array(new SharedArrayBuffer(n)), 300, 44),
      new Case("Int16Array", n -> new Int16Array(new SharedArrayBuffer(n)), 40_000, -25_536),
      new Case("Uint16Array", n -> new Uint16Array(new SharedArrayBuffer(n)), -1, 65_535),
      new Case("Int32Array", n -> new Int32Array(new SharedArrayBuffer(n)), 1L << 32 | 7, 7),
      new Case("Uint32Array", n -> new Uint32Array(new SharedArrayBuffer(n)), -1, 4_294_967_295L),
      new Case("BigInt64Array", n -> new BigInt64Array(new SharedArrayBuffer(n)), Long.MIN_VALUE, Long.MIN_VALUE),
      new Case("BigUint64Array", n -> new BigUint64Array(new SharedArrayBuffer(n)), -2, -2));

  @Test
  void storeRelease_thenEveryLoad_readsTheConvertedValue_onEveryView() {
    for (Case c : CASES) {
      TypedArray v = c.view().apply(16);
      assertEquals(c.stored(), Atomics.storeRelease(v, 1, c.stored()), c.name());
      assertEquals(c.read(), Atomics.loadAcquire(v, 1), c.name());
      assertEquals(c.read(), Atomics.loadOpaque(v, 1), c.name());
      assertEquals(c.read(), Atomics.load(v, 1), c.name());
    }
  }

  @Test
  void storeOpaque_thenEveryLoad_readsTheConvertedValue_onEveryView() {
    for (Case c : CASES) {
      TypedArray v = c.view().apply(16);
      assertEquals(c.stored(), Atomics.storeOpaque(v, 0, c.stored()), c.name());
      assertEquals(c.read(), Atomics.loadAcquire(v, 0), c.name());
      assertEquals(c.read(), Atomics.loadOpaque(v, 0), c.name());
      assertEquals(0, Atomics.load(v, 1), c.name() + ": the neighbour");
    }
  }

  @Test
  void int32Overloads_matchTheGenericOnes() {
    Int32Array a = new Int32Array(4);
    assertEquals(-5, Atomics.storeRelease(a, 2, -5));
    assertEquals(-5, Atomics.loadAcquire(a, 2));
    assertEquals(9, Atomics.storeOpaque(a, 3, 9));
    assertEquals(9, Atomics.loadOpaque(a, 3));
    assertEquals(-5, Atomics.loadAcquire((TypedArray) a, 2));
    assertEquals(0, Atomics.load(a, 1));
  }

  /**
   * One thread release-stores byte 0 of a word over and over while another adds to bytes 1..3 atomically:
   * every add survives (a store that wrote back a stale word would lose some) and byte 0 ends as stored.
   */
  @Test
  void subWordStoreRelease_racingAddsToItsNeighbours_losesNoAdd() throws InterruptedException {
    int rounds = 100_000 * STRESS;
    Uint8Array a = new Uint8Array(8);
    Thread storer = Thread.ofPlatform().start(() -> {
      for (int r = 0; r < rounds; r++) {
        Atomics.storeRelease(a, 0, r);
        Atomics.storeOpaque(a, 0, r + 1);
      }
    });
    for (int r = 0; r < rounds; r++) {
      Atomics.add(a, 1 + r % 3, 1);
    }
    storer.join();
    int perNeighbour = rounds / 3;
    assertEquals((rounds) & 0xFF, a.get(0));
    for (int i = 1; i <= 3; i++) {
      int expected = (perNeighbour + (i - 1 < rounds % 3 ? 1 : 0)) & 0xFF;
      assertEquals(expected, a.get(i), "byte " + i);
    }
  }

  /**
   * Release/acquire publication, many times over: the writer fills the data plainly, then release-stores
   * the round number; the reader acquire-loads until it sees that round, then must read the round's data.
   */
  @Test
  void storeReleaseOfAFlag_publishesThePlainWritesBeforeIt() throws InterruptedException {
    int rounds = 20_000 * STRESS;
    Int32Array a = new Int32Array(10); // [0]: the round published, [1]: the round read, [2..9]: data
    AtomicReference<String> failure = new AtomicReference<>();
    Thread reader = Thread.ofPlatform().start(() -> read(a, rounds, failure));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
    for (int r = 1; r <= rounds && failure.get() == null; r++) {
      while (Atomics.loadAcquire(a, 1) != r - 1) { // the reader has taken the previous round
        assertTrue(System.nanoTime() < deadline, "the reader stopped at round " + (r - 1));
        Thread.onSpinWait();
      }
      for (int i = 2; i < 10; i++) {
        a.set(i, r * 10 + i);
      }
      Atomics.storeRelease(a, 0, r);
    }
    reader.join(TimeUnit.SECONDS.toMillis(40));
    assertEquals(null, failure.get());
    assertEquals(rounds, Atomics.load(a, 1));
  }

  private static void read(Int32Array a, int rounds, AtomicReference<String> failure) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
    for (int r = 1; r <= rounds; r++) {
      while (Atomics.loadAcquire(a, 0) != r) {
        if (System.nanoTime() > deadline) {
          failure.set("the writer stopped before round " + r);
          return;
        }
        Thread.onSpinWait();
      }
      for (int i = 2; i < 10; i++) {
        if (a.get(i) != r * 10 + i) {
          failure.set("round " + r + ": data slot " + i + " read " + a.get(i));
          return;
        }
      }
      Atomics.storeRelease(a, 1, r);
    }
  }

  @Test
  void weakerOrders_onAFloatView_throwTypeErrorNamingTheOperation() {
    Float64Array f = new Float64Array(2);
    assertEquals("Atomics.loadAcquire: Float64Array is not an integer typed array",
        assertThrows(TypeError.class, () -> Atomics.loadAcquire(f, 0)).getMessage());
    assertEquals("Atomics.storeRelease: Float64Array is not an integer typed array",
        assertThrows(TypeError.class, () -> Atomics.storeRelease(f, 0, 1)).getMessage());
    assertEquals("Atomics.loadOpaque: Float64Array is not an integer typed array",
        assertThrows(TypeError.class, () -> Atomics.loadOpaque(f, 0)).getMessage());
    assertEquals("Atomics.storeOpaque: Float64Array is not an integer typed array",
        assertThrows(TypeError.class, () -> Atomics.storeOpaque(f, 0, 1)).getMessage());
  }

  @Test
  void weakerOrders_outsideTheView_throwIndexOutOfBounds() {
    Int32Array a = new Int32Array(2);
    Int16Array s = new Int16Array(2);
    assertThrows(IndexOutOfBoundsException.class, () -> Atomics.loadAcquire(a, 2));
    assertThrows(IndexOutOfBoundsException.class, () -> Atomics.storeRelease(a, -1, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> Atomics.loadOpaque(s, 2));
    assertThrows(IndexOutOfBoundsException.class, () -> Atomics.storeOpaque(s, 2, 0));
    assertThrows(NullPointerException.class, () -> Atomics.loadAcquire((TypedArray) null, 0));
  }
}
