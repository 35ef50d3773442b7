package org.eventloop4j.shared;

import java.lang.foreign.ValueLayout;

/**
 * JavaScript's {@code Uint32Array}: a view of unsigned 32-bit integers (read as a {@code long} in [0, 2<sup>32</sup>)) in the platform's byte order; {@code set} stores the value modulo 2<sup>32</sup>. Construction, length and access rules are those of
 * {@link TypedArray}.
 *
 * <p>Every {@link Atomics} operation applies except {@code wait}, {@code waitAsync} and {@code notify} (JavaScript's TypeError).
 */
public final class Uint32Array extends TypedArray {
  /** The size of one element in bytes. */
  public static final int BYTES_PER_ELEMENT = 4;

  /** {@code new Uint32Array(buffer)}: the whole buffer (length-tracking if it is growable). */
  public Uint32Array(SharedArrayBuffer buffer) {
    this(buffer, 0);
  }

  /** {@code new Uint32Array(buffer, byteOffset)}: from {@code byteOffset} to the end (length-tracking if growable). */
  public Uint32Array(SharedArrayBuffer buffer, long byteOffset) {
    super(Kind.UINT32, buffer, byteOffset, lengthFor(Kind.UINT32, buffer, byteOffset));
  }

  /** {@code new Uint32Array(buffer, byteOffset, length)}: exactly {@code length} elements from {@code byteOffset}. */
  public Uint32Array(SharedArrayBuffer buffer, long byteOffset, int length) {
    super(Kind.UINT32, buffer, byteOffset, lengthFor(Kind.UINT32, buffer, byteOffset, length));
  }

  /** {@code new Uint32Array(length)}: {@code length} zero elements in a new buffer of their own. */
  public Uint32Array(int length) {
    this(bufferFor(Kind.UINT32, length));
  }

  /** Element {@code index}: a plain (unordered) read. */
  public long get(int index) {
    return Integer.toUnsignedLong(segment.get(ValueLayout.JAVA_INT, at(index)));
  }

  /** Stores {@code value} at {@code index}: a plain (unordered) write. */
  public void set(int index, long value) {
    segment.set(ValueLayout.JAVA_INT, at(index), (int) value);
  }

  /** Sets every element to {@code value} (plain writes); returns this. */
  public Uint32Array fill(long value) {
    for (int i = 0, n = length(); i < n; i++) {
      set(i, value);
    }
    return this;
  }

  /** A copy of the elements, read with plain reads. */
  public long[] toArray() {
    long[] copy = new long[length()];
    for (int i = 0; i < copy.length; i++) {
      copy[i] = get(i);
    }
    return copy;
  }

  /** A view of elements {@code [begin, end)} of this one, over the same memory (negative indices count from the end). */
  public Uint32Array subarray(int begin, int end) {
    long[] r = subRange(begin, end);
    return new Uint32Array(buffer, r[0], (int) r[1]);
  }

  /**
   * {@code subarray(begin)}: {@code subarray(begin, length())}, except that of a length-tracking view it is a
   * length-tracking view from element {@code begin}, as in JavaScript.
   */
  public Uint32Array subarray(int begin) {
    return isLengthTracking() ? new Uint32Array(buffer, subStart(begin)) : subarray(begin, length());
  }

  @Override
  String elementString(int i) {
    return Long.toString(get(i));
  }
}
