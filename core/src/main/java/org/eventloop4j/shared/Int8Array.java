package org.eventloop4j.shared;

import java.lang.foreign.ValueLayout;

/**
 * JavaScript's {@code Int8Array}: a view of signed 8-bit integers; {@code set} stores the value modulo 2<sup>8</sup>. Construction, length and access rules are those of
 * {@link TypedArray}.
 *
 * <p>Every {@link Atomics} operation applies except {@code wait}, {@code waitAsync} and {@code notify} (JavaScript's TypeError). The 8- and 16-bit ones work by compare-and-exchange on the aligned 32-bit word that contains the element, so they never disturb the neighbouring bytes.
 */
public final class Int8Array extends TypedArray {
  /** The size of one element in bytes. */
  public static final int BYTES_PER_ELEMENT = 1;

  /** {@code new Int8Array(buffer)}: the whole buffer (length-tracking if it is growable). */
  public Int8Array(SharedArrayBuffer buffer) {
    this(buffer, 0);
  }

  /** {@code new Int8Array(buffer, byteOffset)}: from {@code byteOffset} to the end (length-tracking if growable). */
  public Int8Array(SharedArrayBuffer buffer, long byteOffset) {
    super(Kind.INT8, buffer, byteOffset, lengthFor(Kind.INT8, buffer, byteOffset));
  }

  /** {@code new Int8Array(buffer, byteOffset, length)}: exactly {@code length} elements from {@code byteOffset}. */
  public Int8Array(SharedArrayBuffer buffer, long byteOffset, int length) {
    super(Kind.INT8, buffer, byteOffset, lengthFor(Kind.INT8, buffer, byteOffset, length));
  }

  /** {@code new Int8Array(length)}: {@code length} zero elements in a new buffer of their own. */
  public Int8Array(int length) {
    this(bufferFor(Kind.INT8, length));
  }

  /** Element {@code index}: a plain (unordered) read. */
  public int get(int index) {
    return segment.get(ValueLayout.JAVA_BYTE, at(index));
  }

  /** Stores {@code value} at {@code index}: a plain (unordered) write. */
  public void set(int index, int value) {
    segment.set(ValueLayout.JAVA_BYTE, at(index), (byte) value);
  }

  /** Sets every element to {@code value} (plain writes); returns this. */
  public Int8Array fill(int value) {
    for (int i = 0, n = length(); i < n; i++) {
      set(i, value);
    }
    return this;
  }

  /** A copy of the elements, read with plain reads. */
  public int[] toArray() {
    int[] copy = new int[length()];
    for (int i = 0; i < copy.length; i++) {
      copy[i] = get(i);
    }
    return copy;
  }

  /** A view of elements {@code [begin, end)} of this one, over the same memory (negative indices count from the end). */
  public Int8Array subarray(int begin, int end) {
    long[] r = subRange(begin, end);
    return new Int8Array(buffer, r[0], (int) r[1]);
  }

  /**
   * {@code subarray(begin)}: {@code subarray(begin, length())}, except that of a length-tracking view it is a
   * length-tracking view from element {@code begin}, as in JavaScript.
   */
  public Int8Array subarray(int begin) {
    return isLengthTracking() ? new Int8Array(buffer, subStart(begin)) : subarray(begin, length());
  }

  @Override
  String elementString(int i) {
    return Integer.toString(get(i));
  }
}
