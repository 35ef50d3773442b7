package org.eventloop4j.shared;

import java.lang.foreign.ValueLayout;

/**
 * JavaScript's {@code BigInt64Array}: a view of signed 64-bit integers (JavaScript BigInts) in the platform's byte order. Construction, length and access rules are those of
 * {@link TypedArray}.
 *
 * <p>Every {@link Atomics} operation applies, including {@code wait}, {@code waitAsync} and {@code notify}.
 */
public final class BigInt64Array extends TypedArray {
  /** The size of one element in bytes. */
  public static final int BYTES_PER_ELEMENT = 8;

  /** {@code new BigInt64Array(buffer)}: the whole buffer (length-tracking if it is growable). */
  public BigInt64Array(SharedArrayBuffer buffer) {
    this(buffer, 0);
  }

  /** {@code new BigInt64Array(buffer, byteOffset)}: from {@code byteOffset} to the end (length-tracking if growable). */
  public BigInt64Array(SharedArrayBuffer buffer, long byteOffset) {
    super(Kind.BIGINT64, buffer, byteOffset, lengthFor(Kind.BIGINT64, buffer, byteOffset));
  }

  /** {@code new BigInt64Array(buffer, byteOffset, length)}: exactly {@code length} elements from {@code byteOffset}. */
  public BigInt64Array(SharedArrayBuffer buffer, long byteOffset, int length) {
    super(Kind.BIGINT64, buffer, byteOffset, lengthFor(Kind.BIGINT64, buffer, byteOffset, length));
  }

  /** {@code new BigInt64Array(length)}: {@code length} zero elements in a new buffer of their own. */
  public BigInt64Array(int length) {
    this(bufferFor(Kind.BIGINT64, length));
  }

  /** Element {@code index}: a plain (unordered) read. */
  public long get(int index) {
    return segment.get(ValueLayout.JAVA_LONG, at(index));
  }

  /** Stores {@code value} at {@code index}: a plain (unordered) write. */
  public void set(int index, long value) {
    segment.set(ValueLayout.JAVA_LONG, at(index), value);
  }

  /** Sets every element to {@code value} (plain writes); returns this. */
  public BigInt64Array fill(long value) {
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
  public BigInt64Array subarray(int begin, int end) {
    long[] r = subRange(begin, end);
    return new BigInt64Array(buffer, r[0], (int) r[1]);
  }

  /**
   * {@code subarray(begin)}: {@code subarray(begin, length())}, except that of a length-tracking view it is a
   * length-tracking view from element {@code begin}, as in JavaScript.
   */
  public BigInt64Array subarray(int begin) {
    return isLengthTracking() ? new BigInt64Array(buffer, subStart(begin)) : subarray(begin, length());
  }

  @Override
  String elementString(int i) {
    return get(i) + "n";
  }
}
