package org.eventloop4j.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eventloop4j.shared.SharedDifferential.T;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One test per divergence the differential testing against Node found (fixed in this package), and the
 * ECMA-262 behaviour where Node 20 itself deviates (so the generator does not produce those cases). The
 * expected strings are Node 20's output.
 */
@Timeout(30)
class SharedDifferentialRegressionTest {

  // ---- divergences fixed ----

  /** ECMA-262 %TypedArray%.prototype.subarray step 14: no end on a length-tracking view gives a tracking view. */
  @Test
  void subarray_ofLengthTrackingViewWithoutEnd_tracksTheBuffer() {
    for (T t : T.values()) {
      SharedArrayBuffer b = new SharedArrayBuffer(16, 64);
      TypedArray tracking = SharedDifferential.newView(t, b, 0L, null);
      TypedArray sub = SharedDifferential.subarray(tracking, 1, null);
      assertTrue(sub.isLengthTracking(), t.name());
      assertEquals(t.bytes, sub.byteOffset(), t.name());
      b.grow(64);
      assertEquals(64 / t.bytes - 1, sub.length(), t.name());
      TypedArray fixed = SharedDifferential.subarray(tracking, 1, 2);
      assertEquals(1, fixed.length(), t.name());
    }
  }

  @Test
  void subarray_ofTrackingViewBeginPastEnd_isEmptyTrackingViewAtTheEnd() {
    SharedArrayBuffer b = new SharedArrayBuffer(8, 16);
    Int32Array sub = new Int32Array(b).subarray(5);
    assertEquals(8, sub.byteOffset());
    assertEquals(0, sub.length());
    b.grow(16);
    assertEquals(2, sub.length());
  }

  @Test
  void subarray_ofFixedViewOnGrowableBufferWithoutEnd_staysFixed() {
    SharedArrayBuffer b = new SharedArrayBuffer(8, 16);
    Int32Array sub = new Int32Array(b, 0, 2).subarray(1);
    b.grow(16);
    assertEquals(1, sub.length());
  }

  /** Node's util.inspect groups more than six elements into columns and breaks long lines (breakLength 80). */
  @Test
  void toString_manyOrLongElements_laidOutLikeNodeInspect() {
    assertEquals("Int8Array(22) [\n  0, 0, 0, 0, 0, 0, 0,\n  0, 0, 0, 0, 0, 0, 0,\n  0, 0, 0, 0, 0, 0, 0,\n  0\n]",
        new Int8Array(22).toString());
    assertEquals("Int8Array(102) [\n" + "  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,\n".repeat(8) + "  0, 0, 0, 0,\n  ... 2 more items\n]",
        new Int8Array(102).toString());
    assertEquals("Float64Array(5) [\n" + "  1.2345678901234567,\n".repeat(4) + "  1.2345678901234567\n]",
        new Float64Array(5).fill(1.2345678901234567).toString());
    assertEquals("BigUint64Array(7) [\n" + "  18446744073709551615n,\n".repeat(6) + "  18446744073709551615n\n]",
        new BigUint64Array(7).fill(-1).toString());
    Uint32Array u = new Uint32Array(8);
    long[] values = {1, 4294967295L, 7, 300, 5, 6, 7, 8};
    for (int i = 0; i < values.length; i++) {
      u.set(i, values[i]);
    }
    assertEquals("Uint32Array(8) [ 1, 4294967295, 7, 300, 5, 6, 7, 8 ]", u.toString());
  }

  @Test
  void toString_columnsOfDifferentWidths_areRightAligned() {
    Int16Array a = new Int16Array(8);
    a.set(2, -300);
    a.set(5, 12);
    assertEquals("Int16Array(8) [\n  0,  0, -300, 0,\n  0, 12,    0, 0\n]", a.toString());
  }

  /** Double.toString never gives one digit (4.9E-324); Number::toString does when it round-trips. */
  @Test
  void floatElements_lowPrecisionSubnormals_printWithOneDigitLikeJavaScript() {
    Float64Array f = new Float64Array(4);
    f.set(0, Double.MIN_VALUE);
    f.set(1, 2 * Double.MIN_VALUE);
    f.set(2, 3 * Double.MIN_VALUE);
    f.set(3, -Double.MIN_VALUE);
    assertEquals("Float64Array(4) [ 5e-324, 1e-323, 1.5e-323, -5e-324 ]", f.toString());
    assertEquals("2e-323", JsNumbers.toString(4 * Double.MIN_VALUE));
    assertEquals("1e+21", JsNumbers.toString(1e21));
  }

  /**
   * CreateSharedByteDataBlock: memory that cannot be had is a RangeError (Node: "Array buffer allocation
   * failed"), not a JVM Error. 2^40 bytes exceed the JVM's native-memory limit (-XX:MaxDirectMemorySize,
   * by default the heap maximum), which refuses them before allocating anything.
   */
  @Test
  void newBuffer_memoryNotAvailable_throwsIllegalArgument() {
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> new SharedArrayBuffer(0, SharedArrayBuffer.MAX_BYTE_LENGTH));
    assertTrue(e.getMessage().contains("allocation"), e.getMessage());
  }

  // ---- where Node 20 deviates from ECMA-262 (not generated; the spec's behaviour) ----

  /**
   * InitializeTypedArrayFromArrayBuffer step 8: a length-tracking view needs no multiple of the element size
   * (Node 20 throws RangeError here).
   */
  @Test
  void trackingView_byteLengthNotAMultiple_hasTheFloorLength() {
    SharedArrayBuffer b = new SharedArrayBuffer(7, 16);
    Int16Array a = new Int16Array(b);
    assertEquals(3, a.length());
    assertEquals(0, new Int32Array(b, 4).length());
    b.grow(9);
    assertEquals(4, a.length());
    assertEquals(4, new Int16Array(b).subarray(0).length());
  }

  /** SharedArrayBuffer.prototype.slice makes a new buffer (Node 20 throws TypeError for an empty fixed one). */
  @Test
  void slice_ofEmptyFixedBuffer_isANewEmptyBuffer() {
    SharedArrayBuffer empty = new SharedArrayBuffer(0);
    SharedArrayBuffer copy = empty.slice(0);
    assertEquals(0, copy.byteLength());
    assertTrue(copy != empty);
  }
}
