package org.eventloop4j.shared;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jspecify.annotations.Nullable;

/**
 * JavaScript's {@code SharedArrayBuffer}: a fixed (or growable) block of zero-initialised memory that any
 * number of threads read and write at once through {@linkplain TypedArray typed views} and
 * {@link Atomics}.
 *
 * <h2>Memory</h2>
 *
 * <p>The bytes live in one native {@link MemorySegment} of an automatic {@link Arena} (shared by every
 * thread, freed by the garbage collector once neither the buffer nor a view of it is reachable). The
 * segment starts on a 64-byte boundary, so element offsets that the views require to be aligned are
 * aligned in memory too, which {@code Atomics} needs. A growable buffer reserves (allocates and zeroes)
 * its maximum at construction: growing only moves the visible length, so every view and every thread keeps
 * working on the same memory while it grows.
 *
 * <h2>Memory shared between processes</h2>
 *
 * <p>{@link #mapFile(Path, long)} makes a fixed-length buffer over a memory-mapped file (not part of
 * JavaScript): every process that maps the same file — another JVM, or a C program — reads and writes the
 * same bytes, and {@link Atomics} operations are atomic with respect to theirs (they are the processor's
 * atomic instructions on shared pages). Waiting is the exception: {@link Atomics#notify} wakes only the
 * waiters of the same buffer object, so across processes (or across two mappings in one process) a waiter
 * must wait with a timeout and re-check the value. Share one buffer object among the threads of a process.
 *
 * <h2>Threads and ordering</h2>
 *
 * <p>Every method is thread-safe. The memory model is JavaScript's: {@link Atomics} operations are
 * sequentially consistent with each other; plain {@code get}/{@code set} calls on views are
 * unordered (Java plain accesses) and may be torn for 64-bit elements on 32-bit hardware. A buffer is
 * shared by handing the object (or a view of it) to another thread, worker or pool task — there is no copy.
 *
 * <h2>Errors</h2>
 *
 * <p>JavaScript's {@code RangeError}s become {@link IllegalArgumentException} (negative length, maximum
 * below the length, growing beyond the maximum or shrinking, memory that cannot be allocated) and {@link IndexOutOfBoundsException}
 * (indices). A zero-length buffer is allowed, as in JavaScript.
 */
public final class SharedArrayBuffer {
  /*
   * Overview: `segment` is allocated once with the capacity max(maxByteLength, byteLength) rounded up to 8,
   * so an 8- or 16-bit atomic's containing 32-bit word (see Atomics) and an 8-byte element never leave it.
   * `length` is the visible byte length: volatile, only ever increased (under `this` in grow), and read by
   * length-tracking views on every access. Fixed-length views never read it after construction, since a
   * SharedArrayBuffer never shrinks. `waiters` holds the Atomics.wait/waitAsync waiter lists of this
   * buffer. A mapped buffer (mapFile) has the same layout over a file mapping of the same rounded capacity,
   * so everything above holds for it unchanged; it is never growable, and `file` names it for toString.
   * Tests: TypedArrayTest (its SharedArrayBuffer section: construction, grow, slice, asSegment),
   * SharedDifferentialCorpusTest and SharedDifferentialRegressionTest (against Node's output), AtomicsWaitTest,
   * MappedBufferTest (files, two mappings, a second JVM adding to the same slots).
   */
  /** The largest byte length (and maximum) a buffer may have. */
  public static final long MAX_BYTE_LENGTH = 1L << 40;

  static final long ALIGNMENT = 64;

  final MemorySegment segment;
  final Waiters waiters = new Waiters();
  private final long maxByteLength;
  private final boolean growable;
  private final @Nullable Path file;
  private volatile long length;

  /**
   * A fixed-length buffer of {@code byteLength} zero bytes ({@code new SharedArrayBuffer(byteLength)}).
   *
   * @throws IllegalArgumentException if {@code byteLength} is negative or above {@link #MAX_BYTE_LENGTH}, or
   *     the memory cannot be allocated (JavaScript's RangeError "Array buffer allocation failed")
   */
  public SharedArrayBuffer(long byteLength) {
    this(checkLength(byteLength, "byteLength"), byteLength, false);
  }

  /**
   * A growable buffer of {@code byteLength} zero bytes that {@link #grow} may extend up to {@code
   * maxByteLength} ({@code new SharedArrayBuffer(byteLength, { maxByteLength })}). The maximum is
   * allocated at once (see the class documentation).
   *
   * @throws IllegalArgumentException if either length is negative, above {@link #MAX_BYTE_LENGTH}, or
   *     {@code byteLength > maxByteLength}, or the maximum cannot be allocated (the JVM limits native memory
   *     to {@code -XX:MaxDirectMemorySize}, by default the maximum heap size)
   */
  public SharedArrayBuffer(long byteLength, long maxByteLength) {
    this(checkLength(byteLength, "byteLength"), checkMax(byteLength, maxByteLength), true);
  }

  private SharedArrayBuffer(long byteLength, long maxByteLength, boolean growable) {
    this.length = byteLength;
    this.maxByteLength = maxByteLength;
    this.growable = growable;
    this.segment = allocate(capacity(maxByteLength));
    this.file = null;
  }

  private SharedArrayBuffer(long byteLength, MemorySegment mapping, Path file) {
    this.length = byteLength;
    this.maxByteLength = byteLength;
    this.growable = false;
    this.segment = mapping;
    this.file = file;
  }

  /**
   * A fixed-length buffer whose bytes are the first {@code byteLength} bytes of {@code file}, mapped into
   * memory (see the class documentation): the file is created if it does not exist and extended with zero
   * bytes to at least {@code byteLength} rounded up to a multiple of 8 (and at least 8), the room the
   * sub-word atomics need; what it already holds is kept, not zeroed. Writes reach the file through the
   * operating system's page cache; {@code asSegment().force()} writes them to the storage device. The
   * mapping ends when the buffer and its views are no longer reachable (the file stays).
   *
   * @throws IllegalArgumentException if {@code byteLength} is negative or above {@link #MAX_BYTE_LENGTH}
   * @throws IOException if the file cannot be opened for reading and writing, extended or mapped
   * @throws NullPointerException if {@code file} is null
   */
  public static SharedArrayBuffer mapFile(Path file, long byteLength) throws IOException {
    requireNonNull(file, "file");
    checkLength(byteLength, "byteLength");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      MemorySegment mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, capacity(byteLength), Arena.ofAuto());
      return new SharedArrayBuffer(byteLength, mapping, file);
    }
  }

  /** The bytes a buffer reserves: its maximum, rounded up to whole 8-byte words (see the overview). */
  private static long capacity(long maxByteLength) {
    return Math.max(8, (maxByteLength + 7) & ~7L);
  }

  /** The zeroed native memory; a refused reservation is JavaScript's RangeError ("allocation failed"). */
  private static MemorySegment allocate(long capacity) {
    try {
      return Arena.ofAuto().allocate(capacity, ALIGNMENT);
    } catch (OutOfMemoryError e) {
      // Native memory only (beyond -XX:MaxDirectMemorySize, or malloc failed): the heap is unaffected.
      throw new IllegalArgumentException(
          "SharedArrayBuffer allocation of " + capacity + " bytes failed (" + e.getMessage() + ")", e);
    }
  }

  private static long checkLength(long n, String what) {
    if (n < 0 || n > MAX_BYTE_LENGTH) {
      throw new IllegalArgumentException(
          "SharedArrayBuffer " + what + " must be between 0 and " + MAX_BYTE_LENGTH + ", was " + n);
    }
    return n;
  }

  private static long checkMax(long byteLength, long max) {
    checkLength(max, "maxByteLength");
    if (byteLength > max) {
      throw new IllegalArgumentException(
          "SharedArrayBuffer byteLength " + byteLength + " exceeds maxByteLength " + max);
    }
    return max;
  }

  /** The current length in bytes; for a growable buffer it only ever increases. */
  public long byteLength() {
    return length;
  }

  /** The maximum length: {@link #byteLength()} for a fixed-length buffer. */
  public long maxByteLength() {
    return growable ? maxByteLength : length;
  }

  /** Whether the buffer's memory is a mapped file ({@link #mapFile}). */
  public boolean isMapped() {
    return file != null;
  }

  /** Whether the buffer was made with a maximum and can {@link #grow}. */
  public boolean growable() {
    return growable;
  }

  /**
   * Extends the buffer to {@code newByteLength} bytes; the new bytes are zero. Views made without an
   * explicit length (length-tracking views) see the new length at once, on every thread.
   *
   * @throws UnsupportedOperationException if the buffer is not growable (JavaScript's TypeError), which a
   *     mapped buffer never is
   * @throws IllegalArgumentException if {@code newByteLength} is below the current length or above the
   *     maximum
   */
  public synchronized void grow(long newByteLength) {
    if (!growable) {
      throw new UnsupportedOperationException("SharedArrayBuffer.grow: the buffer is not growable ("
          + (file != null ? "a mapped file" : "made without maxByteLength") + ")");
    }
    if (newByteLength < length || newByteLength > maxByteLength) {
      throw new IllegalArgumentException("SharedArrayBuffer.grow: new length " + newByteLength
          + " must be between the current length " + length + " and maxByteLength " + maxByteLength);
    }
    length = newByteLength;
  }

  /**
   * A new, fixed-length buffer holding a copy of bytes {@code [begin, end)}; negative indices count from
   * the end and out-of-range ones are clamped, as in JavaScript. The copy is not atomic; the copy of a mapped
   * buffer is an ordinary one, in memory.
   */
  public SharedArrayBuffer slice(long begin, long end) {
    long len = length;
    long from = clamp(begin, len);
    long to = Math.max(from, clamp(end, len));
    SharedArrayBuffer copy = new SharedArrayBuffer(to - from);
    MemorySegment.copy(segment, from, copy.segment, 0, to - from);
    return copy;
  }

  /** {@code slice(begin, byteLength())}. */
  public SharedArrayBuffer slice(long begin) {
    return slice(begin, length);
  }

  private static long clamp(long index, long len) {
    return index < 0 ? Math.max(0, len + index) : Math.min(index, len);
  }

  /**
   * The buffer's memory as a segment of {@link #byteLength()} bytes, for I/O and foreign code. Accesses
   * through it follow the segment's own rules; only {@link Atomics} gives JavaScript's guarantees.
   */
  public MemorySegment asSegment() {
    return segment.asSlice(0, length);
  }

  @Override
  public String toString() {
    return "SharedArrayBuffer { byteLength: " + length + (growable ? ", maxByteLength: " + maxByteLength : "")
        + (file != null ? ", file: " + file : "") + " }";
  }
}
