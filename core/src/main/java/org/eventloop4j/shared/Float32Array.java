package org.eventloop4j.shared;

import java.lang.foreign.ValueLayout;

/**
 * JavaScript's {@code Float32Array}: a view of IEEE 754 single-precision numbers in the platform's byte order. Construction, length and access rules are those of
 * {@link TypedArray}.
 *
 * <p>{@link Atomics}' float extension takes this view ({@code load}, {@code store}, {@code exchange},
 * {@code compareExchange} by bits, {@code add}); its {@code TypedArray} overloads refuse it with a {@link
 * org.eventloop4j.TypeError}, as JavaScript does.
 */
public final class Float32Array extends TypedArray {
  /** The size of one element in bytes. */
  public static final int BYTES_PER_ELEMENT = 4;

  /** {@code new Float32Array(buffer)}: the whole buffer (length-tracking if it is growable). */
  public Float32Array(SharedArrayBuffer buffer) {
    this(buffer, 0);
  }

  /** {@code new Float32Array(buffer, byteOffset)}: from {@code byteOffset} to the end (length-tracking if growable). */
  public Float32Array(SharedArrayBuffer buffer, long byteOffset) {
    super(Kind.FLOAT32, buffer, byteOffset, lengthFor(Kind.FLOAT32, buffer, byteOffset));
  }

  /** {@code new Float32Array(buffer, byteOffset, length)}: exactly {@code length} elements from {@code byteOffset}. */
  public Float32Array(SharedArrayBuffer buffer, long byteOffset, int length) {
    super(Kind.FLOAT32, buffer, byteOffset, lengthFor(Kind.FLOAT32, buffer, byteOffset, length));
  }

  /** {@code new Float32Array(length)}: {@code length} zero elements in a new buffer of their own. */
  public Float32Array(int length) {
    this(bufferFor(Kind.FLOAT32, length));
  }

  /** Element {@code index}: a plain (unordered) read. */
  public float get(int index) {
    return segment.get(ValueLayout.JAVA_FLOAT, at(index));
  }

  /** Stores {@code value} at {@code index}: a plain (unordered) write. */
  public void set(int index, float value) {
    segment.set(ValueLayout.JAVA_FLOAT, at(index), value);
  }

  /** Sets every element to {@code value} (plain writes); returns this. */
  public Float32Array fill(float value) {
    for (int i = 0, n = length(); i < n; i++) {
      set(i, value);
    }
    return this;
  }

  /** A copy of the elements, read with plain reads. */
  public float[] toArray() {
    float[] copy = new float[length()];
    for (int i = 0; i < copy.length; i++) {
      copy[i] = get(i);
    }
    return copy;
  }

  /** A view of elements {@code [begin, end)} of this one, over the same memory (negative indices count from the end). */
  public Float32Array subarray(int begin, int end) {
    long[] r = subRange(begin, end);
    return new Float32Array(buffer, r[0], (int) r[1]);
  }

  /**
   * {@code subarray(begin)}: {@code subarray(begin, length())}, except that of a length-tracking view it is a
   * length-tracking view from element {@code begin}, as in JavaScript.
   */
  public Float32Array subarray(int begin) {
    return isLengthTracking() ? new Float32Array(buffer, subStart(begin)) : subarray(begin, length());
  }

  @Override
  String elementString(int i) {
    return JsNumbers.toString(get(i));
  }
}
