package org.eventloop4j.shared;

import static java.util.Objects.requireNonNull;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A JavaScript typed array: a view of elements of one type over a {@link SharedArrayBuffer}, starting at a
 * byte offset, with a fixed length or — made over a growable buffer without an explicit length — a length
 * that tracks the buffer's.
 *
 * <h2>Construction (same rules as JavaScript)</h2>
 *
 * <ul>
 *   <li>{@code new Int32Array(buffer)}: the whole buffer; its byte length must be a multiple of the
 *       element size (unless the buffer is growable, when the view tracks it);
 *   <li>{@code new Int32Array(buffer, byteOffset)}: from {@code byteOffset}, which must be a multiple of
 *       the element size and at most the buffer's length;
 *   <li>{@code new Int32Array(buffer, byteOffset, length)}: exactly {@code length} elements, which must fit;
 *   <li>{@code new Int32Array(length)}: a fresh buffer of {@code length} elements.
 * </ul>
 *
 * <p>A violated rule throws {@link IllegalArgumentException} (JavaScript's {@code RangeError}), with the
 * message JavaScript would give in substance.
 *
 * <h2>Element access</h2>
 *
 * <p>Each subclass has {@code get(index)} and {@code set(index, value)} in its element type: plain,
 * unordered accesses, like JavaScript's {@code a[i]}. Values are converted as JavaScript converts them (an
 * {@code Int8Array} stores {@code value} modulo 2<sup>8</sup>, read back signed; a {@code Uint32Array} reads
 * a {@code long} in [0, 2<sup>32</sup>)). Unlike JavaScript, which reads {@code undefined} and ignores the
 * write, an index outside [0, length) throws {@link IndexOutOfBoundsException}. For ordered, atomic access
 * use {@link Atomics}.
 *
 * <p>Thread-safe in the sense of JavaScript's memory model: any thread may use a view; plain accesses that
 * race are data races with JavaScript's (weak) semantics.
 */
public abstract sealed class TypedArray
    permits Int8Array, Uint8Array, Int16Array, Uint16Array, Int32Array, Uint32Array, BigInt64Array, BigUint64Array,
        Float32Array, Float64Array {
  /*
   * Overview: a view is (buffer, byteOffset, length or "track the buffer"), all final. `segment` is the
   * buffer's whole segment, so the hot path of an access is one unsigned compare against `fixedLength` and
   * one shift-add; only length-tracking views read the buffer's volatile length. Offsets are aligned to the
   * element size by construction and the segment is 64-byte aligned, so Atomics' VarHandles never see a
   * misaligned address. Tests: TypedArrayTest (construction rules, conversions, against a model),
   * SharedDifferential*Test (against Node: corpus replay, live seeds, regressions).
   */
  /** The element types, with the facts Atomics and the views need. */
  enum Kind {
    INT8("Int8Array", 0, true, false),
    UINT8("Uint8Array", 0, true, false),
    INT16("Int16Array", 1, true, false),
    UINT16("Uint16Array", 1, true, false),
    INT32("Int32Array", 2, true, true),
    UINT32("Uint32Array", 2, true, false),
    BIGINT64("BigInt64Array", 3, true, true),
    BIGUINT64("BigUint64Array", 3, true, false),
    FLOAT32("Float32Array", 2, false, false),
    FLOAT64("Float64Array", 3, false, false);

    final String jsName;
    final int shift;
    final boolean integer;
    final boolean waitable;

    Kind(String jsName, int shift, boolean integer, boolean waitable) {
      this.jsName = jsName;
      this.shift = shift;
      this.integer = integer;
      this.waitable = waitable;
    }

    int bytes() {
      return 1 << shift;
    }
  }

  private static final int TRACKING = -1;
  private static final int INSPECT_LIMIT = 100;

  final Kind kind;
  final SharedArrayBuffer buffer;
  final MemorySegment segment;
  final long byteOffset;
  private final int fixedLength;

  TypedArray(Kind kind, SharedArrayBuffer buffer, long byteOffset, long length) {
    this.kind = kind;
    this.buffer = requireNonNull(buffer, "buffer");
    this.segment = buffer.segment;
    this.byteOffset = byteOffset;
    this.fixedLength = (int) length;
  }

  /** Validates {@code (buffer, byteOffset)} and answers the length, or {@link #TRACKING}. */
  static long lengthFor(Kind kind, SharedArrayBuffer buffer, long byteOffset) {
    checkOffset(kind, buffer, byteOffset);
    if (buffer.growable()) {
      return TRACKING;
    }
    long rest = buffer.byteLength() - byteOffset;
    if ((rest & (kind.bytes() - 1)) != 0) {
      throw new IllegalArgumentException("byte length of " + kind.jsName + " should be a multiple of " + kind.bytes()
          + " (the buffer has " + rest + " bytes after offset " + byteOffset + ")");
    }
    return checkFits(kind, rest >> kind.shift);
  }

  /** Validates {@code (buffer, byteOffset, length)} and answers the length. */
  static long lengthFor(Kind kind, SharedArrayBuffer buffer, long byteOffset, long length) {
    checkOffset(kind, buffer, byteOffset);
    if (length < 0 || length > Integer.MAX_VALUE || byteOffset + (length << kind.shift) > buffer.byteLength()) {
      throw new IllegalArgumentException("Invalid typed array length: " + length + " (" + kind.jsName + " at byte offset "
          + byteOffset + " of a " + buffer.byteLength() + "-byte buffer)");
    }
    return length;
  }

  /** A fresh buffer for {@code new Int32Array(length)}. */
  static SharedArrayBuffer bufferFor(Kind kind, long length) {
    if (length < 0 || length > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("Invalid typed array length: " + length);
    }
    return new SharedArrayBuffer(length << kind.shift);
  }

  private static void checkOffset(Kind kind, SharedArrayBuffer buffer, long byteOffset) {
    requireNonNull(buffer, "buffer");
    if (byteOffset < 0 || (byteOffset & (kind.bytes() - 1)) != 0) {
      throw new IllegalArgumentException("start offset of " + kind.jsName + " should be a non-negative multiple of "
          + kind.bytes() + ", was " + byteOffset);
    }
    if (byteOffset > buffer.byteLength()) {
      throw new IllegalArgumentException("Start offset " + byteOffset + " is outside the bounds of the buffer ("
          + buffer.byteLength() + " bytes)");
    }
  }

  private static long checkFits(Kind kind, long length) {
    if (length > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(kind.jsName + " of " + length + " elements exceeds " + Integer.MAX_VALUE);
    }
    return length;
  }

  // ------------------------------------------------------------------------------------------------

  /** The buffer this view reads and writes. */
  public final SharedArrayBuffer buffer() {
    return buffer;
  }

  /** The view's start in the buffer, in bytes. */
  public final long byteOffset() {
    return byteOffset;
  }

  /** The number of elements: fixed, or for a length-tracking view, what fits in the buffer now. */
  public final int length() {
    int n = fixedLength;
    return n != TRACKING ? n : trackedLength();
  }

  private int trackedLength() {
    long n = (buffer.byteLength() - byteOffset) >> kind.shift;
    return (int) Math.min(Integer.MAX_VALUE, n);
  }

  /** The view's length in bytes. */
  public final long byteLength() {
    return (long) length() << kind.shift;
  }

  /** The size of one element in bytes ({@code BYTES_PER_ELEMENT}). */
  public final int bytesPerElement() {
    return kind.bytes();
  }

  /** Whether the view follows a growable buffer's length (made without an explicit length). */
  public final boolean isLengthTracking() {
    return fixedLength == TRACKING;
  }

  /**
   * The segment offset of element {@code index}.
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= index < length()}
   */
  final long at(int index) {
    int n = fixedLength;
    if (Integer.compareUnsigned(index, n != TRACKING ? n : trackedLength()) >= 0) {
      throw outOfRange(index);
    }
    return byteOffset + ((long) index << kind.shift);
  }

  private IndexOutOfBoundsException outOfRange(int index) {
    return new IndexOutOfBoundsException(kind.jsName + " index " + index + " is out of range [0, " + length() + ")");
  }

  /** The {@code [begin, end)} element range of {@code subarray}, JavaScript-clamped, as (offset, length). */
  final long[] subRange(int begin, int end) {
    int len = length();
    int from = clamp(begin, len);
    int to = Math.max(from, clamp(end, len));
    return new long[] {byteOffset + ((long) from << kind.shift), to - from};
  }

  /** The byte offset where {@code subarray(begin)} of a length-tracking view starts, JavaScript-clamped. */
  final long subStart(int begin) {
    return byteOffset + ((long) clamp(begin, length()) << kind.shift);
  }

  private static int clamp(int index, int len) {
    return index < 0 ? Math.max(0, len + index) : Math.min(index, len);
  }

  /** Element {@code i} as Node's inspector prints it. */
  abstract String elementString(int i);

  /**
   * Node's {@code util.inspect} form at top level (what {@code console.log(view)} prints), e.g. {@code
   * Int32Array(3) [ 1, 2, 3 ]}: more than six elements in aligned columns over several lines, long elements
   * one per line, eliding after 100 elements.
   */
  @Override
  public final String toString() {
    int n = length();
    int shown = Math.min(n, INSPECT_LIMIT);
    List<String> output = new ArrayList<>(shown + 1);
    for (int i = 0; i < shown; i++) {
      output.add(elementString(i));
    }
    if (n > shown) {
      output.add("... " + (n - shown) + " more item" + (n - shown == 1 ? "" : "s"));
    }
    return Inspector.typedArray(kind.jsName + "(" + n + ") [", output, n > shown);
  }
}
