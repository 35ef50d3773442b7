package org.eventloop4j.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.eventloop4j.TypeError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class AtomicsTest {
  private static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);

  // ---- Int32Array fast paths ----

  @Test
  void int32_everyOperation_returnsOldValueAndStoresNew() {
    Int32Array a = new Int32Array(2);
    assertEquals(0, Atomics.add(a, 0, 5));
    assertEquals(5, Atomics.sub(a, 0, 2));
    assertEquals(3, Atomics.or(a, 0, 0b1100));
    assertEquals(0b1111, Atomics.and(a, 0, 0b0110));
    assertEquals(0b0110, Atomics.xor(a, 0, 0b0011));
    assertEquals(0b0101, Atomics.exchange(a, 0, 100));
    assertEquals(100, Atomics.compareExchange(a, 0, 99, 1));
    assertEquals(100, Atomics.compareExchange(a, 0, 100, 1));
    assertEquals(1, Atomics.load(a, 0));
    assertEquals(-7, Atomics.store(a, 1, -7));
    assertEquals(-7, a.get(1));
  }

  @Test
  void int32_add_wrapsOnOverflowAsToInt32() {
    Int32Array a = new Int32Array(1);
    Atomics.store(a, 0, Integer.MAX_VALUE);
    assertEquals(Integer.MAX_VALUE, Atomics.add(a, 0, 1));
    assertEquals(Integer.MIN_VALUE, Atomics.load(a, 0));
  }

  @Test
  void operations_outOfRange_throwIndexOutOfBounds() {
    Int32Array a = new Int32Array(new SharedArrayBuffer(16), 4, 2);
    assertThrows(IndexOutOfBoundsException.class, () -> Atomics.add(a, 2, 1));
    assertThrows(IndexOutOfBoundsException.class, () -> Atomics.load(a, -1));
    assertThrows(IndexOutOfBoundsException.class, () -> Atomics.store(new Uint8Array(3), 3, 1));
    assertThrows(IndexOutOfBoundsException.class, () -> Atomics.notify(a, 5, 1));
  }

  @Test
  void operations_floatViews_throwTypeError() {
    TypedArray f = new Float32Array(2); // typed as Float32Array, the float extension takes it (FloatAtomicsTest)
    TypeError e = assertThrows(TypeError.class, () -> Atomics.add(f, 0, 1));
    assertTrue(e.getMessage().contains("Float32Array is not an integer typed array"), e.getMessage());
    assertThrows(TypeError.class, () -> Atomics.load((TypedArray) new Float64Array(1), 0));
    assertThrows(TypeError.class, () -> Atomics.compareExchange(f, 0, 0, 1));
    assertThrows(TypeError.class, () -> Atomics.store(f, 0, 1));
    assertThrows(NullPointerException.class, () -> Atomics.load((TypedArray) null, 0));
  }

  @Test
  void isLockFree_answersForTheSupportedSizes() {
    for (int size : new int[] {1, 2, 4, 8}) {
      assertTrue(Atomics.isLockFree(size), "size " + size);
    }
    assertFalse(Atomics.isLockFree(3));
    assertFalse(Atomics.isLockFree(16));
  }

  @Test
  void pause_negative_throwsAndOthersReturn() {
    Atomics.pause();
    Atomics.pause(0);
    Atomics.pause(1000);
    assertThrows(IllegalArgumentException.class, () -> Atomics.pause(-1));
  }

  @Test
  void results_readAsTheViewReads() {
    SharedArrayBuffer b = new SharedArrayBuffer(16);
    assertEquals(255, Atomics.store(new Uint8Array(b), 0, 255));
    assertEquals(-1, Atomics.load(new Int8Array(b), 0));
    assertEquals(255, Atomics.load(new Uint8Array(b), 0));
    assertEquals(300, Atomics.store(new Uint8Array(b), 1, 300));
    assertEquals(44, Atomics.load(new Uint8Array(b), 1));
    Atomics.store(new Int32Array(b), 1, -1);
    assertEquals(4294967295L, Atomics.load(new Uint32Array(b), 1));
    assertEquals(4294967295L, Atomics.add(new Uint32Array(b), 1, 1));
    assertEquals(0, Atomics.load(new Uint32Array(b), 1));
    Atomics.store(new BigUint64Array(b), 1, -1L);
    assertEquals("18446744073709551615", Long.toUnsignedString(Atomics.load(new BigUint64Array(b), 1)));
    assertEquals(-1L, Atomics.load(new BigInt64Array(b), 1));
  }

  // ---- against a model ----

  /** Random Atomics operations on every integer view type agree with a sequential byte-buffer model. */
  @Test
  void operations_randomOnEveryIntegerView_matchModel() {
    for (int seed = 0; seed < 300 * STRESS; seed++) {
      Random rnd = new Random(seed);
      SharedArrayBuffer b = new SharedArrayBuffer(32);
      ByteBuffer m = ByteBuffer.allocate(32).order(ByteOrder.nativeOrder());
      for (int step = 0; step < 100; step++) {
        int type = rnd.nextInt(8);
        int size = TypedArrayTest.SIZES[type];
        int offset = rnd.nextInt(32 / size) * size;
        TypedArray view = view(b, type, offset);
        int op = rnd.nextInt(9);
        long v = rnd.nextInt(4) == 0 ? rnd.nextLong() : rnd.nextInt(600) - 300;
        long old = read(m, type, offset);
        long cmp = rnd.nextBoolean() ? old : v;
        long got = apply(view, op, v, cmp);
        String where = "seed " + seed + " step " + step + " type " + type + " op " + op + " offset " + offset;
        assertEquals(op == 8 ? v : old, got, where);
        write(m, type, offset, next(type, op, old, v, cmp));
        assertEquals(read(m, type, offset), Atomics.load(view, 0), where + " (stored)");
      }
    }
  }

  private static TypedArray view(SharedArrayBuffer b, int type, int offset) {
    return switch (type) {
      case 0 -> new Int8Array(b, offset, 1);
      case 1 -> new Uint8Array(b, offset, 1);
      case 2 -> new Int16Array(b, offset, 1);
      case 3 -> new Uint16Array(b, offset, 1);
      case 4 -> new Int32Array(b, offset, 1);
      case 5 -> new Uint32Array(b, offset, 1);
      case 6 -> new BigInt64Array(b, offset, 1);
      default -> new BigUint64Array(b, offset, 1);
    };
  }

  /** Applies operation {@code op}; {@code cmp} is compareExchange's expected value. */
  private static long apply(TypedArray view, int op, long v, long cmp) {
    if (view instanceof Int32Array a && (v & 1) == 0 && v == (int) v) {
      int iv = (int) v;
      return switch (op) {
        case 0 -> Atomics.add(a, 0, iv);
        case 1 -> Atomics.sub(a, 0, iv);
        case 2 -> Atomics.and(a, 0, iv);
        case 3 -> Atomics.or(a, 0, iv);
        case 4 -> Atomics.xor(a, 0, iv);
        case 5 -> Atomics.exchange(a, 0, iv);
        case 6 -> Atomics.compareExchange(a, 0, (int) cmp, iv);
        case 7 -> Atomics.load(a, 0);
        default -> Atomics.store(a, 0, iv);
      };
    }
    return switch (op) {
      case 0 -> Atomics.add(view, 0, v);
      case 1 -> Atomics.sub(view, 0, v);
      case 2 -> Atomics.and(view, 0, v);
      case 3 -> Atomics.or(view, 0, v);
      case 4 -> Atomics.xor(view, 0, v);
      case 5 -> Atomics.exchange(view, 0, v);
      case 6 -> Atomics.compareExchange(view, 0, cmp, v);
      case 7 -> Atomics.load(view, 0);
      default -> Atomics.store(view, 0, v);
    };
  }

  /** The model's new element value after op (truncated by write). */
  private static long next(int type, int op, long old, long v, long cmp) {
    return switch (op) {
      case 0 -> old + v;
      case 1 -> old - v;
      case 2 -> old & v;
      case 3 -> old | v;
      case 4 -> old ^ v;
      case 5, 8 -> v;
      case 6 -> convert(type, cmp) == old ? v : old;
      default -> old;
    };
  }

  /** A value converted to the element type and read back as the view reads it. */
  private static long convert(int type, long v) {
    return switch (type) {
      case 0 -> (byte) v;
      case 1 -> v & 0xFF;
      case 2 -> (short) v;
      case 3 -> v & 0xFFFF;
      case 4 -> (int) v;
      case 5 -> v & 0xFFFFFFFFL;
      default -> v;
    };
  }

  private static long read(ByteBuffer m, int type, int offset) {
    return switch (type) {
      case 0 -> m.get(offset);
      case 1 -> m.get(offset) & 0xFF;
      case 2 -> m.getShort(offset);
      case 3 -> m.getShort(offset) & 0xFFFF;
      case 4 -> m.getInt(offset);
      case 5 -> Integer.toUnsignedLong(m.getInt(offset));
      default -> m.getLong(offset);
    };
  }

  private static void write(ByteBuffer m, int type, int offset, long v) {
    switch (TypedArrayTest.SIZES[type]) {
      case 1 -> m.put(offset, (byte) v);
      case 2 -> m.putShort(offset, (short) v);
      case 4 -> m.putInt(offset, (int) v);
      default -> m.putLong(offset, v);
    }
  }

  // ---- 8- and 16-bit atomics next to concurrent writes of the neighbouring bytes ----

  /** One thread adds to byte 0 while three others store to bytes 1–3 of the same word, all with Atomics. */
  @Test
  void uint8Add_neighboursStoredAtomicallyMeanwhile_noUpdateLost() throws Exception {
    subWordNeighbours(true);
  }

  /** The same with the neighbours written by plain (non-atomic) writes: the CAS never writes them back stale. */
  @Test
  void uint8Add_neighboursWrittenPlainlyMeanwhile_noUpdateLost() throws Exception {
    subWordNeighbours(false);
  }

  /**
   * Four threads on one 32-bit word: two add to byte 0 (8-bit atomics), one adds to bytes 2–3 (a 16-bit
   * atomic), one keeps rewriting byte 1 (atomically or plainly), ending with 0xA1. Every increment must
   * survive and byte 1 must end with the last value written.
   */
  private static void subWordNeighbours(boolean atomicNeighbour) throws Exception {
    int n = 200_000 * STRESS;
    SharedArrayBuffer b = new SharedArrayBuffer(8);
    Uint8Array u8 = new Uint8Array(b);
    Uint16Array u16 = new Uint16Array(b);
    CyclicBarrier start = new CyclicBarrier(4);
    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (int k = 0; k < 2; k++) {
      threads.add(thread(errors, () -> {
        start.await(10, TimeUnit.SECONDS);
        for (int i = 0; i < n; i++) {
          Atomics.add(u8, 0, 1);
        }
      }));
    }
    threads.add(thread(errors, () -> {
      start.await(10, TimeUnit.SECONDS);
      for (int i = 0; i < n; i++) {
        Atomics.add(u16, 1, 3);
      }
    }));
    threads.add(thread(errors, () -> {
      start.await(10, TimeUnit.SECONDS);
      for (int i = 0; i <= n; i++) {
        int value = i == n ? 0xA1 : (i * 7) & 0xFF;
        if (atomicNeighbour) {
          Atomics.store(u8, 1, value);
        } else {
          u8.set(1, value);
        }
      }
    }));
    for (Thread t : threads) {
      t.join(30_000);
      assertFalse(t.isAlive(), t.getName() + " still running");
    }
    assertTrue(errors.isEmpty(), errors::toString);
    assertEquals((2L * n) & 0xFF, Atomics.load(u8, 0), "byte 0 lost increments");
    assertEquals(0xA1, Atomics.load(u8, 1), "byte 1 overwritten with a stale value");
    assertEquals((3L * n) & 0xFFFF, Atomics.load(u16, 1), "bytes 2-3 lost increments");
  }

  private static Thread thread(List<Throwable> errors, ThrowingRunnable body) {
    Thread t = Thread.ofPlatform().name("atomics-neighbour").start(() -> {
      try {
        body.run();
      } catch (Throwable e) {
        errors.add(e);
      }
    });
    return t;
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }
}
