package org.eventloop4j.shared;

import java.lang.foreign.ValueLayout;

/**
 * JavaScript's {@code Float64Array}: a view of IEEE 754 double-precision numbers in the platform's byte order. Construction, length and access rules are those of
 * {@link TypedArray}.
 *
 * <p>{@link Atomics}' float extension takes this view ({@code load}, {@code store}, {@code exchange},
 * {@code compareExchange} by bits, {@code add}); its {@code TypedArray} overloads refuse it with a {@link
 * org.eventloop4j.TypeError}, as JavaScript does.
 */
public final class Float64Array extends TypedArray {
  /** The size of one element in bytes. */
  public static final int BYTES_PER_ELEMENT = 8;

  /** {@code new Float64Array(buffer)}: the whole buffer (length-tracking if it is growable). */
  public Float64Array(SharedArrayBuffer buffer) {
    this(buffer, 0);
  }

  /** {@code new Float64Array(buffer, byteOffset)}: from {@code byteOffset} to the end (length-tracking if growable). */
  public Float64Array(SharedArrayBuffer buffer, long byteOffset) {
    super(Kind.FLOAT64, buffer, byteOffset, lengthFor(Kind.FLOAT64, buffer, byteOffset));
  }

  /** {@code new Float64Array(buffer, byteOffset, length)}: exactly {@code length} elements from {@code byteOffset}. */
  public Float64Array(SharedArrayBuffer buffer, long byteOffset, int length) {
    super(Kind.FLOAT64, buffer, byteOffset, lengthFor(Kind.FLOAT64, buffer, byteOffset, length));
  }

  /** {@code new Float64Array(length)}: {@code length} zero elements in a new buffer of their own. */
  public Float64Array(int length) {
    this(bufferFor(Kind.FLOAT64, length));
  }

  /** Element {@code index}: a plain (unordered) read. */
  public double get(int index) {
    return segment.get(ValueLayout.JAVA_DOUBLE, at(index));
  }

  /** Stores {@code value} at {@code index}: a plain (unordered) write. */
  public void set(int index, double value) {
    segment.set(ValueLayout.JAVA_DOUBLE, at(index), value);
  }

  /** Sets every element to {@code value} (plain writes); returns this. */
  public Float64Array fill(double value) {
    for (int i = 0, n = length(); i < n; i++) {
      set(i, value);
    }
    return this;
  }

  /** A copy of the elements, read with plain reads. */
  public double[] toArray() {
    double[] copy = new double[length()];
    for (int i = 0; i < copy.length; i++) {
      copy[i] = get(i);
    }
    return copy;
  }

  /** A view of elements {@code [begin, end)} of this one, over the same memory (negative indices count from the end). */
  public Float64Array subarray(int begin, int end) {
    long[] r = subRange(begin, end);
    return new Float64Array(buffer, r[0], (int) r[1]);
  }

  /**
   * {@code subarray(begin)}: {@code subarray(begin, length())}, except that of a length-tracking view it is a
   * length-tracking view from element {@code begin}, as in JavaScript.
   */
  public Float64Array subarray(int begin) {
    return isLengthTracking() ? new Float64Array(buffer, subStart(begin)) : subarray(begin, length());
  }

  @Override
  String elementString(int i) {
    return JsNumbers.toString(get(i));
  }
}
