package org.eventloop4j.shared;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class TypedArrayTest {
  private static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);

  // ---- SharedArrayBuffer ----

  @Test
  void buffer_new_isZeroedWithItsLength() {
    SharedArrayBuffer b = new SharedArrayBuffer(10);
    assertEquals(10, b.byteLength());
    assertEquals(10, b.maxByteLength());
    assertFalse(b.growable());
    assertArrayEquals(new int[10], new Uint8Array(b).toArray());
  }

  @Test
  void buffer_zeroLength_isAllowedAsInJavaScript() {
    SharedArrayBuffer b = new SharedArrayBuffer(0);
    assertEquals(0, b.byteLength());
    assertEquals(0, new Int32Array(b).length());
  }

  @Test
  void buffer_negativeOrHugeLength_throwsIllegalArgument() {
    assertThrows(IllegalArgumentException.class, () -> new SharedArrayBuffer(-1));
    assertThrows(IllegalArgumentException.class, () -> new SharedArrayBuffer(SharedArrayBuffer.MAX_BYTE_LENGTH + 1));
    assertThrows(IllegalArgumentException.class, () -> new SharedArrayBuffer(16, 8));
    assertThrows(IllegalArgumentException.class, () -> new SharedArrayBuffer(-1, 8));
  }

  @Test
  void buffer_grow_extendsLengthTrackingViewsOnly() {
    SharedArrayBuffer b = new SharedArrayBuffer(8, 64);
    Int32Array tracking = new Int32Array(b);
    Int32Array fixed = new Int32Array(b, 0, 2);
    assertTrue(tracking.isLengthTracking());
    assertEquals(2, tracking.length());
    b.grow(32);
    assertEquals(32, b.byteLength());
    assertEquals(8, tracking.length());
    assertEquals(2, fixed.length());
    tracking.set(7, 42);
    assertEquals(42, tracking.get(7));
    assertEquals(0, tracking.get(6));
  }

  @Test
  void buffer_growBadly_throws() {
    SharedArrayBuffer b = new SharedArrayBuffer(8, 16);
    assertThrows(IllegalArgumentException.class, () -> b.grow(4));
    assertThrows(IllegalArgumentException.class, () -> b.grow(17));
    assertThrows(UnsupportedOperationException.class, () -> new SharedArrayBuffer(8).grow(8));
    assertEquals(8, b.byteLength());
  }

  @Test
  void buffer_slice_copiesWithJavaScriptClamping() {
    SharedArrayBuffer b = new SharedArrayBuffer(8);
    Uint8Array u = new Uint8Array(b);
    for (int i = 0; i < 8; i++) {
      u.set(i, i + 1);
    }
    assertArrayEquals(new int[] {3, 4, 5}, new Uint8Array(b.slice(2, 5)).toArray());
    assertArrayEquals(new int[] {7, 8}, new Uint8Array(b.slice(-2)).toArray());
    assertArrayEquals(new int[0], new Uint8Array(b.slice(6, 2)).toArray());
    SharedArrayBuffer copy = b.slice(0);
    new Uint8Array(copy).set(0, 99);
    assertEquals(1, u.get(0));
  }

  @Test
  void buffer_asSegment_seesTheSameBytes() {
    SharedArrayBuffer b = new SharedArrayBuffer(4);
    new Int32Array(b).set(0, 0x01020304);
    assertEquals(4, b.asSegment().byteSize());
    assertEquals(0x01020304, b.asSegment().get(java.lang.foreign.ValueLayout.JAVA_INT, 0));
  }

  // ---- construction rules ----

  @Test
  void view_misalignedOffset_throwsIllegalArgument() {
    SharedArrayBuffer b = new SharedArrayBuffer(16);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Int32Array(b, 2));
    assertTrue(e.getMessage().contains("multiple of 4"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new BigInt64Array(b, 4, 1));
    assertThrows(IllegalArgumentException.class, () -> new Int16Array(b, 1));
    assertThrows(IllegalArgumentException.class, () -> new Int8Array(b, -1));
  }

  @Test
  void view_outsideBuffer_throwsIllegalArgument() {
    SharedArrayBuffer b = new SharedArrayBuffer(16);
    assertThrows(IllegalArgumentException.class, () -> new Int32Array(b, 20));
    assertThrows(IllegalArgumentException.class, () -> new Int32Array(b, 8, 3));
    assertThrows(IllegalArgumentException.class, () -> new Int32Array(b, 0, -1));
    assertThrows(IllegalArgumentException.class, () -> new Float64Array(new SharedArrayBuffer(12)));
    assertThrows(IllegalArgumentException.class, () -> new Int32Array(-1));
    assertEquals(0, new Int32Array(b, 16).length());
  }

  @Test
  void view_lengths_followJavaScript() {
    SharedArrayBuffer b = new SharedArrayBuffer(32);
    assertEquals(32, new Int8Array(b).length());
    assertEquals(16, new Uint16Array(b).length());
    assertEquals(6, new Int32Array(b, 8).length());
    assertEquals(2, new BigUint64Array(b, 16).length());
    assertEquals(3, new Float32Array(b, 4, 3).length());
    assertEquals(12, new Float32Array(b, 4, 3).byteLength());
    assertEquals(4, new Int32Array(b, 4, 3).byteOffset());
    assertEquals(8, BigInt64Array.BYTES_PER_ELEMENT);
    assertEquals(8, new Int32Array(2).byteLength());
  }

  @Test
  void view_indexOutOfRange_throwsIndexOutOfBounds() {
    Int32Array a = new Int32Array(4);
    IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> a.get(4));
    assertTrue(e.getMessage().contains("Int32Array index 4"), e.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> a.set(-1, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> new Uint8Array(0).get(0));
  }

  @Test
  void view_subarray_sharesMemoryAndClamps() {
    Int16Array a = new Int16Array(8);
    Int16Array sub = a.subarray(2, -2);
    assertEquals(4, sub.length());
    assertEquals(4, sub.byteOffset());
    sub.set(0, -5);
    assertEquals(-5, a.get(2));
    assertEquals(0, a.subarray(5, 3).length());
    assertSame(a.buffer(), sub.buffer());
  }

  // ---- conversions ----

  @Test
  void set_outOfRangeValues_wrapAsJavaScriptConverts() {
    SharedArrayBuffer b = new SharedArrayBuffer(8);
    Int8Array i8 = new Int8Array(b);
    Uint8Array u8 = new Uint8Array(b);
    i8.set(0, 200);
    assertEquals(-56, i8.get(0));
    assertEquals(200, u8.get(0));
    u8.set(1, -1);
    assertEquals(255, u8.get(1));
    Uint16Array u16 = new Uint16Array(b);
    u16.set(1, 70000);
    assertEquals(70000 - 65536, u16.get(1));
    Uint32Array u32 = new Uint32Array(b);
    u32.set(1, -1L);
    assertEquals(4294967295L, u32.get(1));
    assertEquals(-1, new Int32Array(b).get(1));
    BigUint64Array u64 = new BigUint64Array(b);
    u64.set(0, -1L);
    assertEquals("18446744073709551615", Long.toUnsignedString(u64.get(0)));
  }

  @Test
  void toString_printsLikeNodeInspect() {
    Int32Array a = new Int32Array(3).fill(1);
    assertEquals("Int32Array(3) [ 1, 1, 1 ]", a.toString());
    assertEquals("Int32Array(0) []", new Int32Array(0).toString());
    assertEquals("Int8Array(102) [\n" + "  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,\n".repeat(8) + "  0, 0, 0, 0,\n  ... 2 more items\n]",
        new Int8Array(102).toString()); // Node's column layout (SharedDifferentialRegressionTest)
    assertEquals("BigInt64Array(1) [ -3n ]", new BigInt64Array(1).fill(-3).toString());
    assertEquals("BigUint64Array(1) [ 18446744073709551615n ]", new BigUint64Array(1).fill(-1).toString());
    Float64Array f = new Float64Array(6);
    f.set(0, 0.1);
    f.set(1, 1e21);
    f.set(2, 1e-7);
    f.set(3, -2.5);
    f.set(4, Double.NaN);
    f.set(5, 123456789.0);
    assertEquals("Float64Array(6) [ 0.1, 1e+21, 1e-7, -2.5, NaN, 123456789 ]", f.toString());
    Float32Array g = new Float32Array(2);
    g.set(0, 0.5f);
    g.set(1, 0.1f);
    assertEquals("Float32Array(2) [ 0.5, 0.10000000149011612 ]", g.toString());
  }

  // ---- against a model ----

  /** Random plain reads and writes through every view type agree with a ByteBuffer in native order. */
  @Test
  void views_randomPlainAccess_matchByteBufferModel() {
    for (int seed = 0; seed < 200 * STRESS; seed++) {
      Random rnd = new Random(seed);
      SharedArrayBuffer b = new SharedArrayBuffer(64);
      ByteBuffer model = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder());
      for (int step = 0; step < 200; step++) {
        int type = rnd.nextInt(10);
        int size = SIZES[type];
        int offset = rnd.nextInt(64 / size) * size;
        int index = 0;
        long raw = notNaN(type, rnd.nextLong());
        boolean write = rnd.nextBoolean();
        String where = "seed " + seed + " step " + step + " type " + type + " offset " + offset;
        long got = access(b, type, offset, index, write, raw);
        long want = modelAccess(model, type, offset, write, raw);
        assertEquals(want, got, where);
      }
    }
  }

  /** NaN payloads need not survive a float round trip, so the model avoids them. */
  private static long notNaN(int type, long raw) {
    if (type == 8 && Float.isNaN(Float.intBitsToFloat((int) raw)) || type == 9 && Double.isNaN(Double.longBitsToDouble(raw))) {
      return 0;
    }
    return raw;
  }

  static final int[] SIZES = {1, 1, 2, 2, 4, 4, 8, 8, 4, 8};

  /** Writes (answering 0) or reads (answering the value as a long; floats as raw bits) via a view. */
  private static long access(SharedArrayBuffer b, int type, int offset, int index, boolean write, long raw) {
    switch (type) {
      case 0 -> {
        Int8Array v = new Int8Array(b, offset, 1);
        if (write) {
          v.set(index, (int) raw);
          return 0;
        }
        return v.get(index);
      }
      case 1 -> {
        Uint8Array v = new Uint8Array(b, offset, 1);
        if (write) {
          v.set(index, (int) raw);
          return 0;
        }
        return v.get(index);
      }
      case 2 -> {
        Int16Array v = new Int16Array(b, offset, 1);
        if (write) {
          v.set(index, (int) raw);
          return 0;
        }
        return v.get(index);
      }
      case 3 -> {
        Uint16Array v = new Uint16Array(b, offset, 1);
        if (write) {
          v.set(index, (int) raw);
          return 0;
        }
        return v.get(index);
      }
      case 4 -> {
        Int32Array v = new Int32Array(b, offset, 1);
        if (write) {
          v.set(index, (int) raw);
          return 0;
        }
        return v.get(index);
      }
      case 5 -> {
        Uint32Array v = new Uint32Array(b, offset, 1);
        if (write) {
          v.set(index, raw);
          return 0;
        }
        return v.get(index);
      }
      case 6 -> {
        BigInt64Array v = new BigInt64Array(b, offset, 1);
        if (write) {
          v.set(index, raw);
          return 0;
        }
        return v.get(index);
      }
      case 7 -> {
        BigUint64Array v = new BigUint64Array(b, offset, 1);
        if (write) {
          v.set(index, raw);
          return 0;
        }
        return v.get(index);
      }
      case 8 -> {
        Float32Array v = new Float32Array(b, offset, 1);
        if (write) {
          v.set(index, Float.intBitsToFloat((int) raw));
          return 0;
        }
        return Float.floatToRawIntBits(v.get(index));
      }
      default -> {
        Float64Array v = new Float64Array(b, offset, 1);
        if (write) {
          v.set(index, Double.longBitsToDouble(raw));
          return 0;
        }
        return Double.doubleToRawLongBits(v.get(index));
      }
    }
  }

  private static long modelAccess(ByteBuffer m, int type, int offset, boolean write, long raw) {
    if (write) {
      switch (SIZES[type]) {
        case 1 -> m.put(offset, (byte) raw);
        case 2 -> m.putShort(offset, (short) raw);
        case 4 -> m.putInt(offset, (int) raw);
        default -> m.putLong(offset, raw);
      }
      return 0;
    }
    return switch (type) {
      case 0 -> m.get(offset);
      case 1 -> m.get(offset) & 0xFF;
      case 2 -> m.getShort(offset);
      case 3 -> m.getShort(offset) & 0xFFFF;
      case 4, 8 -> m.getInt(offset);
      case 5 -> Integer.toUnsignedLong(m.getInt(offset));
      default -> m.getLong(offset);
    };
  }
}
