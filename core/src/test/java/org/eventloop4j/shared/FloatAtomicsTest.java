package org.eventloop4j.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import org.eventloop4j.TypeError;
import org.junit.jupiter.api.Test;

/**
 * The float extension of {@link Atomics}: load, store, exchange, compareExchange (by bits) and add (a CAS
 * loop) on {@link Float32Array} and {@link Float64Array}; concurrent adds counted exactly once; neighbours
 * untouched; {@code TypedArray}-typed float views still refused as in JavaScript.
 */
class FloatAtomicsTest {
  private static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);

  @Test
  void float32_operations_returnOldValuesAndStore() {
    Float32Array f = new Float32Array(2);
    assertEquals(1.5f, Atomics.store(f, 0, 1.5f));
    assertEquals(1.5f, Atomics.load(f, 0));
    assertEquals(1.5f, Atomics.add(f, 0, 0.25f));
    assertEquals(1.75f, Atomics.exchange(f, 0, -2f));
    assertEquals(-2f, Atomics.compareExchange(f, 0, -2f, 8f));
    assertEquals(8f, f.get(0));
    assertEquals(8f, Atomics.compareExchange(f, 0, 7f, 9f), "a mismatch stores nothing");
    assertEquals(8f, f.get(0));
    assertEquals(0f, f.get(1), "the neighbour is untouched");
  }

  @Test
  void float64_operations_returnOldValuesAndStore() {
    Float64Array d = new Float64Array(2);
    assertEquals(0.1, Atomics.store(d, 1, 0.1));
    assertEquals(0.1, Atomics.add(d, 1, 0.2));
    assertEquals(0.1 + 0.2, Atomics.load(d, 1), "IEEE addition, 0.30000000000000004");
    assertEquals(0.1 + 0.2, Atomics.exchange(d, 1, Double.NEGATIVE_INFINITY));
    assertEquals(Double.NEGATIVE_INFINITY, Atomics.compareExchange(d, 1, Double.NEGATIVE_INFINITY, 3));
    assertEquals(3.0, d.get(1));
    assertEquals(0.0, d.get(0));
  }

  @Test
  void compareExchange_comparesBitsNotNumbers() {
    Float64Array d = new Float64Array(1);
    Atomics.store(d, 0, -0.0);
    Atomics.compareExchange(d, 0, 0.0, 5);
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(d.get(0)), "0.0 does not match -0.0");
    Atomics.store(d, 0, Double.NaN);
    Atomics.compareExchange(d, 0, Double.NaN, 5);
    assertEquals(5.0, d.get(0), "a NaN matches the NaN with the same bits (NaN == NaN is false, but the bits agree)");

    Float32Array f = new Float32Array(1);
    Atomics.store(f, 0, 0f);
    Atomics.compareExchange(f, 0, -0f, 1f);
    assertEquals(0f, f.get(0));
    Atomics.compareExchange(f, 0, 0f, 1f);
    assertEquals(1f, f.get(0));
  }

  @Test
  void typedArrayStaticType_isRefusedAsInJavaScript_withAHint() {
    TypedArray f = new Float32Array(2);
    TypeError e = assertThrows(TypeError.class, () -> Atomics.add(f, 0, 1));
    assertEquals("Atomics.add: Float32Array is not an integer typed array "
        + "(the float extension Atomics.add(Float32Array, ...) needs a view typed Float32Array)", e.getMessage());
    TypeError x = assertThrows(TypeError.class, () -> Atomics.xor(new Float64Array(1), 0, 1));
    assertEquals("Atomics.xor: Float64Array is not an integer typed array", x.getMessage(), "no float xor, no hint");
  }

  @Test
  void outOfRange_throwsIndexOutOfBounds() {
    Float32Array f = new Float32Array(new SharedArrayBuffer(16), 4, 2);
    assertThrows(IndexOutOfBoundsException.class, () -> Atomics.add(f, 2, 1f));
    assertThrows(IndexOutOfBoundsException.class, () -> Atomics.load(new Float64Array(1), -1));
    assertThrows(NullPointerException.class, () -> Atomics.load((Float64Array) null, 0));
  }

  @Test
  void concurrentAdds_eachCountsOnce_andNeighboursSurvive() throws Exception {
    // Small integers are exact in both types, so the totals do not depend on the order of the adds.
    int threads = 4;
    int perThread = 20_000 * STRESS;
    SharedArrayBuffer buffer = new SharedArrayBuffer(24);
    Float32Array f = new Float32Array(buffer, 0, 2);
    Float64Array d = new Float64Array(buffer, 8, 2);
    CyclicBarrier start = new CyclicBarrier(threads + 1);
    List<Thread> all = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      all.add(Thread.ofPlatform().start(() -> {
        await(start);
        for (int i = 0; i < perThread; i++) {
          Atomics.add(f, 0, 1f);
          Atomics.add(d, 0, 1.0);
          if (id == 0) {
            f.set(1, i); // plain writes of the neighbours, racing with the adds
            d.set(1, i);
          }
        }
      }));
    }
    await(start);
    for (Thread t : all) {
      t.join();
    }
    assertTrue(threads * perThread < 1 << 24, "exact in float");
    assertEquals((float) (threads * perThread), Atomics.load(f, 0));
    assertEquals((double) (threads * perThread), Atomics.load(d, 0));
    assertEquals(perThread - 1, f.get(1));
    assertEquals(perThread - 1, d.get(1));
  }

  private static void await(CyclicBarrier b) {
    try {
      b.await();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
