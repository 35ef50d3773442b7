package org.eventloop4j.shared;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Differential testing of this package against Node's {@code SharedArrayBuffer} / typed arrays /
 * {@code Atomics}: a seeded generator of operation sequences, a JavaScript emitter and a Java interpreter
 * that print the same one-line-per-op format, and the node runner.
 *
 * <h2>Line format</h2>
 *
 * <p>{@code <op description> => <result>}. Results: numbers as {@code String(x)} (with {@code -0}),
 * BigInts as {@code 123n}, booleans, strings, arrays as {@code [a,b]} (view info is
 * {@code [length,byteOffset,byteLength,BYTES_PER_ELEMENT]}, buffer info {@code [byteLength,maxByteLength,growable]}),
 * {@code undefined} for no value, {@code noobj} when the op's buffer/view failed to be created, {@code ~}
 * when the op ran but its result is not comparable (see {@link #DELIBERATE}), and {@code !RangeError} /
 * {@code !TypeError} for errors.
 *
 * <h2>Java exception to JavaScript error (the mapping table)</h2>
 *
 * <pre>
 *   IllegalArgumentException        -> RangeError   (sizes, offsets, lengths, grow)
 *   IndexOutOfBoundsException       -> RangeError   (Atomics indices)
 *   org.eventloop4j.TypeError       -> TypeError    (wrong view type for Atomics)
 *   UnsupportedOperationException   -> TypeError    (grow on a fixed-length buffer)
 *   anything else                   -> !Java:&lt;SimpleName&gt; (never matches: a divergence)
 * </pre>
 *
 * <h2>Deliberate differences (inputs skipped or results masked)</h2>
 *
 * See {@link #DELIBERATE}.
 */
final class SharedDifferential {
  /*
   * Overview: Generator makes a List<Op> from a seed, keeping a small model of buffer lengths and view
   * geometry only to pick interesting offsets and indices (it never predicts results). Each Op record
   * knows its JavaScript statement (js()) and how to run itself against the Java API (java(Interp)). Slots
   * (B[i] buffers, V[i] views) are assigned by the generator, so both back ends agree on names; a failed
   * creation leaves the slot empty and later ops on it print "noobj" on both sides. Node runs one script
   * holding a function per program (many seeds per process). minimize() is delta debugging over ops,
   * batching every candidate of a round into one node process.
   */
  private SharedDifferential() {}

  /** Where Java's API differs on purpose, so the generator never produces the case (or masks the result). */
  static final String DELIBERATE = """
      - integer views take Java int/long: NaN, +-Infinity, fractions and numbers outside [-2^63, 2^63) are \
      never passed to them (the Java caller converts first); -0 becomes 0. Integers beyond int range are \
      given to int parameters as (int) of the long (equal modulo 2^32, so ToInt8/16/32 agree);
      - BigInt values are passed as BigInteger.longValue() (mod 2^64); Atomics.store returns the Java long \
      it was given, so its result is compared only when the BigInt is in the view's own range;
      - Number values are never given to BigInt views nor BigInts to Number views (JS TypeError; one Java long);
      - indices are Java ints: fractional, -0.5 and >= 2^31 indices are not generated;
      - plain a[i] / a[i] = v out of range: JS gives undefined / ignores, Java throws \
      IndexOutOfBoundsException by design; the Java back end prints that as "undefined";
      - new XArray(n) is over a SharedArrayBuffer in Java (ArrayBuffer in JS): JS emits \
      new XArray(new SharedArrayBuffer(n * BYTES_PER_ELEMENT));
      - Atomics.wait only with timeouts <= 0 (no real blocking); Atomics.pause is absent from Node 20;
      - buffer sizes stay small: Java allocates a growable buffer's maximum at construction (V8 only       reserves address space), limits are implementation-defined (Node: maxByteLength <= 2^32, Java 2^40),       and memory that cannot be had is RangeError in both (SharedDifferentialRegressionTest);
      - Node 20 bug (V8, fixed later): a length-tracking view (no length, growable buffer) whose \
      byteLength - byteOffset is not a multiple of the element size throws RangeError in Node 20; \
      ECMA-262 (InitializeTypedArrayFromArrayBuffer step 8, subarray step 14) makes it a tracking view \
      of floor((byteLength - byteOffset) / size) elements, which Java does. Not generated; \
      SharedDifferentialRegressionTest checks the spec behaviour;
      - Node 20 bug: slice() of a fixed-length zero-length SharedArrayBuffer throws TypeError ("subclass       returned this from species constructor": V8 shares one empty backing store); ECMA-262       SharedArrayBuffer.prototype.slice gives a new empty buffer, as Java does. Not generated.
      """;

  // ------------------------------------------------------------------------------------------------
  // Types and values

  enum T {
    Int8Array(1, false, false),
    Uint8Array(1, false, false),
    Int16Array(2, false, false),
    Uint16Array(2, false, false),
    Int32Array(4, false, false),
    Uint32Array(4, false, false),
    BigInt64Array(8, true, false),
    BigUint64Array(8, true, false),
    Float32Array(4, false, true),
    Float64Array(8, false, true);

    final int bytes;
    final boolean big;
    final boolean floating;

    T(int bytes, boolean big, boolean floating) {
      this.bytes = bytes;
      this.big = big;
      this.floating = floating;
    }
  }

  /** A JavaScript value: a Number (double) or a BigInt. */
  record JsVal(double num, @Nullable BigInteger big) {
    /** A Number; a NaN becomes the canonical one (a JS literal has no payload). */
    static JsVal of(double d) {
      return new JsVal(Double.isNaN(d) ? Double.NaN : d, null);
    }

    static JsVal of(BigInteger b) {
      return new JsVal(0, b);
    }

    String js() {
      if (big != null) {
        return big + "n";
      }
      if (Double.isNaN(num)) {
        return "NaN";
      }
      if (Double.isInfinite(num)) {
        return num > 0 ? "Infinity" : "-Infinity";
      }
      if (num == 0 && Double.doubleToRawLongBits(num) != 0) {
        return "-0";
      }
      return Double.toString(num);
    }

    boolean isLong() {
      return big != null || (num == Math.rint(num) && num >= -0x1p63 && num < 0x1p63);
    }

    boolean isInt() {
      return big == null && num == Math.rint(num) && num >= Integer.MIN_VALUE && num <= Integer.MAX_VALUE;
    }

    long asLong() {
      if (big != null) {
        return big.longValue();
      }
      if (!isLong()) {
        throw new IllegalStateException("not a Java long: " + js());
      }
      return (long) num;
    }

    int asInt() {
      return (int) asLong();
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Ops

  /** One operation: its JavaScript expression (a function body returning the result) and its Java run. */
  sealed interface Op {
    String desc();

    /** JavaScript statements of a function body that returns the result. */
    String js();

    /** Runs against the Java API; returns the formatted result. Exceptions are mapped by the caller. */
    String java(Interp in) throws Exception;
  }

  static final class NoObj extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NoObj() {
      super("noobj", null, false, false);
    }
  }

  /** The Java back end's state. */
  static final class Interp {
    final SharedArrayBuffer[] b = new SharedArrayBuffer[64];
    final TypedArray[] v = new TypedArray[256];
    private org.eventloop4j.@Nullable EventLoop loop;

    /** A virtual-time loop for waitAsync, made on first use; each op is one {@code run}. */
    org.eventloop4j.EventLoop loop() {
      if (loop == null) {
        loop = org.eventloop4j.EventLoop.builder().virtualTime().build();
      }
      return loop;
    }

    SharedArrayBuffer buf(int i) {
      SharedArrayBuffer x = b[i];
      if (x == null) {
        throw new NoObj();
      }
      return x;
    }

    TypedArray view(int i) {
      TypedArray x = v[i];
      if (x == null) {
        throw new NoObj();
      }
      return x;
    }
  }

  static String num(double d) {
    return JsNumbers.toString(d);
  }

  static String bufInfo(SharedArrayBuffer x) {
    return "[" + num(x.byteLength()) + "," + num(x.maxByteLength()) + "," + x.growable() + "]";
  }

  static String viewInfo(TypedArray x) {
    return "[" + num(x.length()) + "," + num(x.byteOffset()) + "," + num(x.byteLength()) + "," + num(x.bytesPerElement())
        + "]";
  }

  /** A result of an Atomics op (or element) on {@code x}, given as a Java long. */
  static String elem(TypedArray x, long value) {
    return switch (x) {
      case BigInt64Array a -> value + "n";
      case BigUint64Array a -> Long.toUnsignedString(value) + "n";
      default -> num(value);
    };
  }

  static String get(TypedArray x, int i) {
    return switch (x) {
      case Int8Array a -> num(a.get(i));
      case Uint8Array a -> num(a.get(i));
      case Int16Array a -> num(a.get(i));
      case Uint16Array a -> num(a.get(i));
      case Int32Array a -> num(a.get(i));
      case Uint32Array a -> num(a.get(i));
      case BigInt64Array a -> a.get(i) + "n";
      case BigUint64Array a -> Long.toUnsignedString(a.get(i)) + "n";
      case Float32Array a -> num(a.get(i));
      case Float64Array a -> num(a.get(i));
    };
  }

  static void set(TypedArray x, int i, JsVal val) {
    switch (x) {
      case Int8Array a -> a.set(i, val.asInt());
      case Uint8Array a -> a.set(i, val.asInt());
      case Int16Array a -> a.set(i, val.asInt());
      case Uint16Array a -> a.set(i, val.asInt());
      case Int32Array a -> a.set(i, val.asInt());
      case Uint32Array a -> a.set(i, val.asLong());
      case BigInt64Array a -> a.set(i, val.asLong());
      case BigUint64Array a -> a.set(i, val.asLong());
      case Float32Array a -> a.set(i, (float) val.num());
      case Float64Array a -> a.set(i, val.num());
    }
  }

  static void fill(TypedArray x, JsVal val) {
    switch (x) {
      case Int8Array a -> a.fill(val.asInt());
      case Uint8Array a -> a.fill(val.asInt());
      case Int16Array a -> a.fill(val.asInt());
      case Uint16Array a -> a.fill(val.asInt());
      case Int32Array a -> a.fill(val.asInt());
      case Uint32Array a -> a.fill(val.asLong());
      case BigInt64Array a -> a.fill(val.asLong());
      case BigUint64Array a -> a.fill(val.asLong());
      case Float32Array a -> a.fill((float) val.num());
      case Float64Array a -> a.fill(val.num());
    }
  }

  static String toArray(TypedArray x) {
    List<String> out = new ArrayList<>();
    switch (x) {
      case Int8Array a -> Arrays.stream(a.toArray()).forEach(e -> out.add(num(e)));
      case Uint8Array a -> Arrays.stream(a.toArray()).forEach(e -> out.add(num(e)));
      case Int16Array a -> Arrays.stream(a.toArray()).forEach(e -> out.add(num(e)));
      case Uint16Array a -> Arrays.stream(a.toArray()).forEach(e -> out.add(num(e)));
      case Int32Array a -> Arrays.stream(a.toArray()).forEach(e -> out.add(num(e)));
      case Uint32Array a -> Arrays.stream(a.toArray()).forEach(e -> out.add(num(e)));
      case BigInt64Array a -> Arrays.stream(a.toArray()).forEach(e -> out.add(e + "n"));
      case BigUint64Array a -> Arrays.stream(a.toArray()).forEach(e -> out.add(Long.toUnsignedString(e) + "n"));
      case Float32Array a -> {
        for (float f : a.toArray()) {
          out.add(num(f));
        }
      }
      case Float64Array a -> Arrays.stream(a.toArray()).forEach(e -> out.add(num(e)));
    }
    return "[" + String.join(",", out) + "]";
  }

  static TypedArray subarray(TypedArray x, int begin, @Nullable Integer end) {
    boolean e = end != null;
    int en = e ? end : 0;
    return switch (x) {
      case Int8Array a -> e ? a.subarray(begin, en) : a.subarray(begin);
      case Uint8Array a -> e ? a.subarray(begin, en) : a.subarray(begin);
      case Int16Array a -> e ? a.subarray(begin, en) : a.subarray(begin);
      case Uint16Array a -> e ? a.subarray(begin, en) : a.subarray(begin);
      case Int32Array a -> e ? a.subarray(begin, en) : a.subarray(begin);
      case Uint32Array a -> e ? a.subarray(begin, en) : a.subarray(begin);
      case BigInt64Array a -> e ? a.subarray(begin, en) : a.subarray(begin);
      case BigUint64Array a -> e ? a.subarray(begin, en) : a.subarray(begin);
      case Float32Array a -> e ? a.subarray(begin, en) : a.subarray(begin);
      case Float64Array a -> e ? a.subarray(begin, en) : a.subarray(begin);
    };
  }

  static TypedArray newView(T t, SharedArrayBuffer buf, @Nullable Long off, @Nullable Integer len) {
    if (off == null) {
      return switch (t) {
        case Int8Array -> new Int8Array(buf);
        case Uint8Array -> new Uint8Array(buf);
        case Int16Array -> new Int16Array(buf);
        case Uint16Array -> new Uint16Array(buf);
        case Int32Array -> new Int32Array(buf);
        case Uint32Array -> new Uint32Array(buf);
        case BigInt64Array -> new BigInt64Array(buf);
        case BigUint64Array -> new BigUint64Array(buf);
        case Float32Array -> new Float32Array(buf);
        case Float64Array -> new Float64Array(buf);
      };
    }
    long o = off;
    if (len == null) {
      return switch (t) {
        case Int8Array -> new Int8Array(buf, o);
        case Uint8Array -> new Uint8Array(buf, o);
        case Int16Array -> new Int16Array(buf, o);
        case Uint16Array -> new Uint16Array(buf, o);
        case Int32Array -> new Int32Array(buf, o);
        case Uint32Array -> new Uint32Array(buf, o);
        case BigInt64Array -> new BigInt64Array(buf, o);
        case BigUint64Array -> new BigUint64Array(buf, o);
        case Float32Array -> new Float32Array(buf, o);
        case Float64Array -> new Float64Array(buf, o);
      };
    }
    int n = len;
    return switch (t) {
      case Int8Array -> new Int8Array(buf, o, n);
      case Uint8Array -> new Uint8Array(buf, o, n);
      case Int16Array -> new Int16Array(buf, o, n);
      case Uint16Array -> new Uint16Array(buf, o, n);
      case Int32Array -> new Int32Array(buf, o, n);
      case Uint32Array -> new Uint32Array(buf, o, n);
      case BigInt64Array -> new BigInt64Array(buf, o, n);
      case BigUint64Array -> new BigUint64Array(buf, o, n);
      case Float32Array -> new Float32Array(buf, o, n);
      case Float64Array -> new Float64Array(buf, o, n);
    };
  }

  static TypedArray newViewLen(T t, int n) {
    return switch (t) {
      case Int8Array -> new Int8Array(n);
      case Uint8Array -> new Uint8Array(n);
      case Int16Array -> new Int16Array(n);
      case Uint16Array -> new Uint16Array(n);
      case Int32Array -> new Int32Array(n);
      case Uint32Array -> new Uint32Array(n);
      case BigInt64Array -> new BigInt64Array(n);
      case BigUint64Array -> new BigUint64Array(n);
      case Float32Array -> new Float32Array(n);
      case Float64Array -> new Float64Array(n);
    };
  }

  static String jsOpt(@Nullable Object o) {
    return o == null ? "" : ", " + o;
  }

  record NewBuf(int slot, long len, @Nullable Long max) implements Op {
    public String desc() {
      return "B" + slot + " = new SharedArrayBuffer(" + len + (max == null ? "" : ", {maxByteLength: " + max + "}") + ")";
    }

    public String js() {
      return "B[" + slot + "] = undefined; const x = new SharedArrayBuffer(" + len
          + (max == null ? "" : ", {maxByteLength: " + max + "}") + "); B[" + slot + "] = x; return binfo(x);";
    }

    public String java(Interp in) {
      in.b[slot] = null;
      SharedArrayBuffer x = max == null ? new SharedArrayBuffer(len) : new SharedArrayBuffer(len, max);
      in.b[slot] = x;
      return bufInfo(x);
    }
  }

  record BufInfo(int slot) implements Op {
    public String desc() {
      return "info B" + slot;
    }

    public String js() {
      return "return binfo(b(" + slot + "));";
    }

    public String java(Interp in) {
      return bufInfo(in.buf(slot));
    }
  }

  record Grow(int slot, long n) implements Op {
    public String desc() {
      return "B" + slot + ".grow(" + n + ")";
    }

    public String js() {
      return "return b(" + slot + ").grow(" + n + ");";
    }

    public String java(Interp in) {
      in.buf(slot).grow(n);
      return "undefined";
    }
  }

  record Slice(int slot, int src, long begin, @Nullable Long end) implements Op {
    public String desc() {
      return "B" + slot + " = B" + src + ".slice(" + begin + jsOpt(end) + ")";
    }

    public String js() {
      return "B[" + slot + "] = undefined; const x = b(" + src + ").slice(" + begin + jsOpt(end) + "); B[" + slot
          + "] = x; return binfo(x);";
    }

    public String java(Interp in) {
      in.b[slot] = null;
      SharedArrayBuffer s = in.buf(src);
      SharedArrayBuffer x = end == null ? s.slice(begin) : s.slice(begin, end);
      in.b[slot] = x;
      return bufInfo(x);
    }
  }

  record NewView(int slot, T t, int buf, @Nullable Long off, @Nullable Integer len) implements Op {
    private String args() {
      return "B" + buf + (off == null ? "" : ", " + off + jsOpt(len));
    }

    public String desc() {
      return "V" + slot + " = new " + t + "(" + args() + ")";
    }

    public String js() {
      return "V[" + slot + "] = undefined; const x = new " + t + "(b(" + buf + ")"
          + (off == null ? "" : ", " + off + jsOpt(len)) + "); V[" + slot + "] = x; return vinfo(x);";
    }

    public String java(Interp in) {
      in.v[slot] = null;
      TypedArray x = newView(t, in.buf(buf), off, len);
      in.v[slot] = x;
      return viewInfo(x);
    }
  }

  record NewViewLen(int slot, T t, int n) implements Op {
    public String desc() {
      return "V" + slot + " = new " + t + "(" + n + ")";
    }

    public String js() {
      return "V[" + slot + "] = undefined; const x = new " + t + "(new SharedArrayBuffer(" + n + " * " + t
          + ".BYTES_PER_ELEMENT)); V[" + slot + "] = x; return vinfo(x);";
    }

    public String java(Interp in) {
      in.v[slot] = null;
      TypedArray x = newViewLen(t, n);
      in.v[slot] = x;
      return viewInfo(x);
    }
  }

  record ViewInfo(int slot) implements Op {
    public String desc() {
      return "info V" + slot;
    }

    public String js() {
      return "return vinfo(v(" + slot + "));";
    }

    public String java(Interp in) {
      return viewInfo(in.view(slot));
    }
  }

  record Sub(int slot, int src, int begin, @Nullable Integer end) implements Op {
    public String desc() {
      return "V" + slot + " = V" + src + ".subarray(" + begin + jsOpt(end) + ")";
    }

    public String js() {
      return "V[" + slot + "] = undefined; const x = v(" + src + ").subarray(" + begin + jsOpt(end) + "); V[" + slot
          + "] = x; return vinfo(x);";
    }

    public String java(Interp in) {
      in.v[slot] = null;
      TypedArray x = subarray(in.view(src), begin, end);
      in.v[slot] = x;
      return viewInfo(x);
    }
  }

  record Get(int slot, int index) implements Op {
    public String desc() {
      return "V" + slot + "[" + index + "]";
    }

    public String js() {
      return "return v(" + slot + ")[" + index + "];";
    }

    public String java(Interp in) {
      TypedArray x = in.view(slot);
      try {
        return get(x, index);
      } catch (IndexOutOfBoundsException e) {
        return "undefined"; // deliberate: see DELIBERATE
      }
    }
  }

  record Set(int slot, int index, JsVal val) implements Op {
    public String desc() {
      return "V" + slot + "[" + index + "] = " + val.js();
    }

    public String js() {
      return "v(" + slot + ")[" + index + "] = " + val.js() + ";";
    }

    public String java(Interp in) {
      TypedArray x = in.view(slot);
      try {
        set(x, index, val);
      } catch (IndexOutOfBoundsException e) {
        // deliberate: see DELIBERATE
      }
      return "undefined";
    }
  }

  record Fill(int slot, JsVal val) implements Op {
    public String desc() {
      return "V" + slot + ".fill(" + val.js() + ")";
    }

    public String js() {
      return "v(" + slot + ").fill(" + val.js() + ");";
    }

    public String java(Interp in) {
      fill(in.view(slot), val);
      return "undefined";
    }
  }

  record ToArray(int slot) implements Op {
    public String desc() {
      return "Array.from(V" + slot + ")";
    }

    public String js() {
      return "return Array.from(v(" + slot + "));";
    }

    public String java(Interp in) {
      return toArray(in.view(slot));
    }
  }

  record Inspect(int slot) implements Op {
    public String desc() {
      return "inspect(V" + slot + ")";
    }

    public String js() {
      return "return esc(util.inspect(v(" + slot + ")));";
    }

    public String java(Interp in) {
      return esc(in.view(slot).toString());
    }
  }

  static String esc(String s) {
    return s.replace("\\", "\\\\").replace("\n", "\\n");
  }

  /**
   * An Atomics read-modify-write, load, store or compareExchange. {@code int32} uses the Int32Array
   * overloads (values then are Java ints); {@code compare} false masks the result (deliberate difference).
   */
  record Atomic(String name, int slot, int index, @Nullable JsVal a, @Nullable JsVal b, boolean int32, boolean compare)
      implements Op {
    public String desc() {
      return "Atomics." + name + (int32 ? "/int" : "") + "(V" + slot + ", " + index + (a == null ? "" : ", " + a.js())
          + (b == null ? "" : ", " + b.js()) + ")";
    }

    public String js() {
      String call = "Atomics." + name + "(v(" + slot + "), " + index + (a == null ? "" : ", " + a.js())
          + (b == null ? "" : ", " + b.js()) + ")";
      return compare ? "return " + call + ";" : call + "; return '~';";
    }

    public String java(Interp in) {
      TypedArray x = in.view(slot);
      String r = int32 ? num(int32((Int32Array) x)) : elem(x, generic(x));
      return compare ? r : "~";
    }

    private int int32(Int32Array x) {
      return switch (name) {
        case "add" -> Atomics.add(x, index, a.asInt());
        case "sub" -> Atomics.sub(x, index, a.asInt());
        case "and" -> Atomics.and(x, index, a.asInt());
        case "or" -> Atomics.or(x, index, a.asInt());
        case "xor" -> Atomics.xor(x, index, a.asInt());
        case "exchange" -> Atomics.exchange(x, index, a.asInt());
        case "compareExchange" -> Atomics.compareExchange(x, index, a.asInt(), b.asInt());
        case "load" -> Atomics.load(x, index);
        case "store" -> Atomics.store(x, index, a.asInt());
        default -> throw new IllegalStateException(name);
      };
    }

    private long generic(TypedArray x) {
      return switch (name) {
        case "add" -> Atomics.add(x, index, a.asLong());
        case "sub" -> Atomics.sub(x, index, a.asLong());
        case "and" -> Atomics.and(x, index, a.asLong());
        case "or" -> Atomics.or(x, index, a.asLong());
        case "xor" -> Atomics.xor(x, index, a.asLong());
        case "exchange" -> Atomics.exchange(x, index, a.asLong());
        case "compareExchange" -> Atomics.compareExchange(x, index, a.asLong(), b.asLong());
        case "load" -> Atomics.load(x, index);
        case "store" -> Atomics.store(x, index, a.asLong());
        default -> throw new IllegalStateException(name);
      };
    }
  }

  record IsLockFree(int n) implements Op {
    public String desc() {
      return "Atomics.isLockFree(" + n + ")";
    }

    public String js() {
      return "return Atomics.isLockFree(" + n + ");";
    }

    public String java(Interp in) {
      return Boolean.toString(Atomics.isLockFree(n));
    }
  }

  record Wait(int slot, int index, JsVal expected, long timeout, boolean int32) implements Op {
    public String desc() {
      return "Atomics.wait" + (int32 ? "/int" : "") + "(V" + slot + ", " + index + ", " + expected.js() + ", " + timeout + ")";
    }

    public String js() {
      return "return Atomics.wait(v(" + slot + "), " + index + ", " + expected.js() + ", " + timeout + ");";
    }

    public String java(Interp in) throws InterruptedException {
      TypedArray x = in.view(slot);
      Atomics.WaitResult r = int32
          ? Atomics.wait((Int32Array) x, index, expected.asInt(), timeout)
          : Atomics.wait(x, index, expected.asLong(), timeout);
      return r.toString();
    }
  }

  /**
   * {@code Atomics.waitAsync}; prints {@code async} when the wait is pending (JS {@code async: true}, Java a
   * pending promise right after the call), else the result. {@code timeout} null: none (JS omits it).
   */
  record WaitAsync(int slot, int index, JsVal expected, @Nullable Long timeout, boolean int32) implements Op {
    public String desc() {
      return "Atomics.waitAsync" + (int32 ? "/int" : "") + "(V" + slot + ", " + index + ", " + expected.js()
          + jsOpt(timeout) + ")";
    }

    public String js() {
      return "const x = Atomics.waitAsync(v(" + slot + "), " + index + ", " + expected.js() + jsOpt(timeout)
          + "); return x.async ? 'async' : x.value;";
    }

    public String java(Interp in) {
      TypedArray x = in.view(slot);
      long t = timeout == null ? Atomics.NO_TIMEOUT : timeout;
      String[] out = new String[1];
      RuntimeException[] err = new RuntimeException[1];
      in.loop().run(() -> {
        try {
          org.eventloop4j.Promise<Atomics.WaitResult> p = int32
              ? Atomics.waitAsync((Int32Array) x, index, expected.asInt(), t)
              : Atomics.waitAsync(x, index, expected.asLong(), t, null);
          out[0] = p.state() == org.eventloop4j.Promise.State.PENDING ? "async" : "settled";
          if (out[0].equals("settled")) {
            p.thenAccept(r -> out[0] = r.toString());
          }
        } catch (RuntimeException e) {
          err[0] = e;
        }
      });
      if (err[0] != null) {
        throw err[0];
      }
      return out[0];
    }
  }

  record Notify(int slot, int index, @Nullable Integer count, boolean int32) implements Op {
    public String desc() {
      return "Atomics.notify" + (int32 ? "/int" : "") + "(V" + slot + ", " + index + jsOpt(count) + ")";
    }

    public String js() {
      return "return Atomics.notify(v(" + slot + "), " + index + jsOpt(count) + ");";
    }

    public String java(Interp in) {
      TypedArray x = in.view(slot);
      int r;
      if (int32) {
        r = count == null ? Atomics.notify((Int32Array) x, index) : Atomics.notify((Int32Array) x, index, count);
      } else {
        r = Atomics.notify(x, index, count == null ? Integer.MAX_VALUE : count);
      }
      return num(r);
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Running

  /** Runs {@code ops} against the Java API: one line per op. */
  static List<String> runJava(List<Op> ops) {
    Interp in = new Interp();
    List<String> out = new ArrayList<>(ops.size());
    for (Op op : ops) {
      String r;
      try {
        r = op.java(in);
      } catch (Throwable e) {
        r = errorName(e);
      }
      out.add(op.desc() + " => " + r);
    }
    return out;
  }

  /** The mapping table of the class documentation. */
  static String errorName(Throwable e) {
    return switch (e) {
      case NoObj x -> "noobj";
      case IllegalArgumentException x -> "!RangeError";
      case IndexOutOfBoundsException x -> "!RangeError";
      case org.eventloop4j.TypeError x -> "!TypeError";
      case UnsupportedOperationException x -> "!TypeError";
      default -> "!Java:" + e.getClass().getSimpleName();
    };
  }

  static final String PRELUDE = """
      'use strict';
      const util = require('util');
      class NoObj extends Error {}
      function fmt(x) {
        if (x === undefined) return 'undefined';
        if (typeof x === 'bigint') return x + 'n';
        if (typeof x === 'number') return Object.is(x, -0) ? '-0' : String(x);
        if (typeof x === 'boolean' || typeof x === 'string') return String(x);
        if (Array.isArray(x)) return '[' + x.map(fmt).join(',') + ']';
        return '?' + typeof x;
      }
      function esc(s) { return s.replace(/\\\\/g, '\\\\\\\\').replace(/\\n/g, '\\\\n'); }
      function binfo(x) { return [x.byteLength, x.maxByteLength, x.growable]; }
      function vinfo(x) { return [x.length, x.byteOffset, x.byteLength, x.BYTES_PER_ELEMENT]; }
      let OUT = [];
      function r(desc, f) {
        let s;
        try { s = fmt(f()); }
        catch (e) { s = e instanceof NoObj ? 'noobj' : '!' + (e && e.constructor ? e.constructor.name : String(e)); }
        OUT.push(desc + ' => ' + s);
      }
      """;

  /** A JavaScript function {@code p<id>} running {@code ops}; it appends the program's lines to OUT. */
  static String jsProgram(String id, List<Op> ops) {
    StringBuilder sb = new StringBuilder();
    sb.append("function p").append(id).append("() {\n  const B = [], V = [];\n");
    sb.append("  const b = i => { if (B[i] === undefined) throw new NoObj(); return B[i]; };\n");
    sb.append("  const v = i => { if (V[i] === undefined) throw new NoObj(); return V[i]; };\n");
    for (Op op : ops) {
      sb.append("  r(").append(jsString(op.desc())).append(", () => { ").append(op.js()).append(" });\n");
    }
    sb.append("}\n");
    return sb.toString();
  }

  static String jsString(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /**
   * Runs the programs (keyed by a name without spaces) in one node process; answers each program's lines.
   */
  static Map<String, List<String>> runNode(Map<String, List<Op>> programs) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("shared-diff");
    try {
      Path script = dir.resolve("diff.js");
      StringBuilder sb = new StringBuilder(PRELUDE);
      int i = 0;
      List<String> names = new ArrayList<>(programs.keySet());
      for (String name : names) {
        sb.append(jsProgram(Integer.toString(i++), programs.get(name)));
      }
      sb.append("const NAMES = [");
      for (String name : names) {
        sb.append(jsString(name)).append(',');
      }
      sb.append("];\nconst PROGS = [");
      for (int k = 0; k < names.size(); k++) {
        sb.append('p').append(k).append(',');
      }
      sb.append("];\nconst chunks = [];\nfor (let i = 0; i < NAMES.length; i++) {\n")
          .append("  OUT = ['#program ' + NAMES[i]];\n  PROGS[i]();\n  chunks.push(OUT.join('\\n'));\n}\n")
          .append("require('fs').writeFileSync(process.argv[2], chunks.join('\\n') + '\\n');\nprocess.exit(0);\n");
      Files.writeString(script, sb.toString());
      Path out = dir.resolve("out.txt");
      Path err = dir.resolve("err.txt");
      Process p = new ProcessBuilder("node", "--stack-size=4000", script.toString(), out.toString())
          .redirectErrorStream(false)
          .redirectOutput(dir.resolve("stdout.txt").toFile())
          .redirectError(err.toFile())
          .start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IOException("node timed out");
      }
      if (p.exitValue() != 0) {
        throw new IOException("node failed (" + p.exitValue() + "): " + Files.readString(err));
      }
      return parse(Files.readAllLines(out, StandardCharsets.UTF_8));
    } finally {
      try (var s = Files.walk(dir)) {
        s.sorted((x, y) -> y.compareTo(x)).forEach(f -> f.toFile().delete());
      }
    }
  }

  /** Splits {@code #program name} sections. */
  static Map<String, List<String>> parse(List<String> lines) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    List<String> cur = null;
    for (String l : lines) {
      if (l.startsWith("#program ")) {
        cur = new ArrayList<>();
        out.put(l.substring("#program ".length()), cur);
      } else if (cur != null) {
        cur.add(l);
      }
    }
    return out;
  }

  /** Whether {@code node} can be started. */
  static boolean nodeAvailable() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** The first differing line as a message, or null when equal. */
  static @Nullable String firstDifference(List<String> expected, List<String> actual) {
    int n = Math.max(expected.size(), actual.size());
    for (int i = 0; i < n; i++) {
      String e = i < expected.size() ? expected.get(i) : "<none>";
      String a = i < actual.size() ? actual.get(i) : "<none>";
      if (!e.equals(a)) {
        return "op " + i + ":\n  node: " + e + "\n  java: " + a;
      }
    }
    return null;
  }

  // ------------------------------------------------------------------------------------------------
  // Minimizing

  /**
   * Delta debugging: removes ops while the Java and node lines still differ. Every round's candidates run
   * in one node process.
   */
  static List<Op> minimize(List<Op> ops) throws IOException, InterruptedException {
    List<Op> cur = new ArrayList<>(ops);
    int chunk = Math.max(1, cur.size() / 2);
    while (true) {
      Map<String, List<Op>> cands = new LinkedHashMap<>();
      for (int start = 0; start < cur.size(); start += chunk) {
        List<Op> c = new ArrayList<>(cur.subList(0, start));
        c.addAll(cur.subList(Math.min(cur.size(), start + chunk), cur.size()));
        cands.put("c" + start, c);
      }
      Map<String, List<String>> res = runNode(cands);
      List<Op> found = null;
      for (Map.Entry<String, List<Op>> e : cands.entrySet()) {
        if (firstDifference(res.get(e.getKey()), runJava(e.getValue())) != null) {
          found = e.getValue();
          break;
        }
      }
      if (found != null) {
        cur = found;
        chunk = Math.min(chunk, Math.max(1, cur.size() / 2));
      } else if (chunk > 1) {
        chunk /= 2;
      } else {
        return cur;
      }
      if (cur.isEmpty()) {
        return cur;
      }
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Generating

  /** A program of about {@code size} ops from {@code seed}. */
  static List<Op> generate(long seed, int size) {
    return new Generator(new Random(seed)).run(size);
  }

  static final class Generator {
    /*
     * The model: exact buffer lengths (grow is deterministic), view geometry; used only to pick offsets,
     * lengths and indices near the edges and to avoid the Node 20 tracking-view bug (DELIBERATE).
     */
    private static final class BufM {
      long len;
      final long max;
      final boolean growable;

      BufM(long len, long max, boolean growable) {
        this.len = len;
        this.max = max;
        this.growable = growable;
      }
    }

    /** {@code buf} is null for a view over a buffer of its own ({@code new XArray(n)}). */
    private record ViewM(T t, @Nullable BufM buf, long off, long fixedLen) {
      boolean tracking() {
        return fixedLen < 0;
      }
    }

    private final Random rnd;
    private final List<Op> ops = new ArrayList<>();
    private final Map<Integer, BufM> bufs = new LinkedHashMap<>();
    private final Map<Integer, ViewM> views = new LinkedHashMap<>();
    private int nextBuf;
    private int nextView;

    Generator(Random rnd) {
      this.rnd = rnd;
    }

    List<Op> run(int size) {
      while (ops.size() < size) {
        step();
      }
      return ops;
    }

    private long viewLen(ViewM v) {
      return v.tracking() ? Math.max(0, (v.buf.len - v.off) / v.t.bytes) : v.fixedLen;
    }

    private <X> X pick(List<X> xs) {
      return xs.get(rnd.nextInt(xs.size()));
    }

    private T type() {
      return rnd.nextInt(5) == 0 ? pick(List.of(T.Int32Array, T.BigInt64Array)) : T.values()[rnd.nextInt(T.values().length)];
    }

    /** A view slot, preferring {@code Int32Array} / {@code BigInt64Array} views (for wait and notify). */
    private int waitableSlot() {
      List<Integer> w = new ArrayList<>();
      views.forEach((k, m) -> {
        if ((m.t == T.Int32Array || m.t == T.BigInt64Array) && viewLen(m) > 0) {
          w.add(k);
        }
      });
      return w.isEmpty() || rnd.nextInt(4) == 0 ? viewSlot() : pick(w);
    }

    private void step() {
      if (bufs.isEmpty() || rnd.nextInt(40) == 0) {
        newBuf();
        return;
      }
      if (views.isEmpty() || rnd.nextInt(12) == 0) {
        newView();
        return;
      }
      int k = rnd.nextInt(100);
      if (k < 4) {
        grow();
      } else if (k < 6) {
        ops.add(new BufInfo(pick(new ArrayList<>(bufs.keySet()))));
      } else if (k < 8) {
        slice();
      } else if (k < 10) {
        newViewLen();
      } else if (k < 13) {
        ops.add(new ViewInfo(viewSlot()));
      } else if (k < 17) {
        sub();
      } else if (k < 27) {
        int s = viewSlot();
        ops.add(new Get(s, index(s)));
      } else if (k < 39) {
        int s = viewSlot();
        ops.add(new Set(s, index(s), value(views.get(s).t)));
      } else if (k < 41) {
        int s = viewSlot();
        ops.add(new Fill(s, value(views.get(s).t)));
      } else if (k < 45) {
        ops.add(new ToArray(viewSlot()));
      } else if (k < 48) {
        ops.add(new Inspect(viewSlot()));
      } else if (k < 92) {
        atomic();
      } else if (k < 93) {
        ops.add(new IsLockFree(pick(List.of(-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 16, Integer.MAX_VALUE))));
      } else if (k < 94) {
        waitOp();
      } else if (k < 96) {
        waitAsyncOp();
      } else {
        notifyOp();
      }
    }

    private long size() {
      return switch (rnd.nextInt(6)) {
        case 0 -> 0;
        case 1 -> rnd.nextInt(9);
        case 2 -> 8L * rnd.nextInt(9);
        case 3 -> pick(List.of(1L, 3L, 5L, 7L, 9L, 15L, 17L, 31L, 33L));
        case 4 -> rnd.nextInt(70);
        default -> rnd.nextInt(300) == 0 ? -1 : 16;
      };
    }

    private void newBuf() {
      int slot = nextBuf++ % 64;
      long len = size();
      Long max = null;
      if (rnd.nextInt(2) == 0) {
        max = rnd.nextInt(20) == 0 ? Math.max(0, len - 1) : len + size();
      }
      ops.add(new NewBuf(slot, len, max));
      bufs.remove(slot);
      if (len >= 0 && (max == null || max >= len)) {
        bufs.put(slot, new BufM(len, max == null ? len : max, max != null));
      }
    }

    private int bufSlot() {
      if (bufs.isEmpty()) {
        newBuf();
      }
      if (bufs.isEmpty()) {
        return 0;
      }
      return pick(new ArrayList<>(bufs.keySet()));
    }

    /** A view slot, mostly of a non-empty view. */
    private int viewSlot() {
      while (views.isEmpty()) {
        newView();
      }
      List<Integer> nonEmpty = new ArrayList<>();
      views.forEach((k, m) -> {
        if (viewLen(m) > 0) {
          nonEmpty.add(k);
        }
      });
      return nonEmpty.isEmpty() || rnd.nextInt(5) == 0 ? pick(new ArrayList<>(views.keySet())) : pick(nonEmpty);
    }

    private void grow() {
      int s = bufSlot();
      BufM m = bufs.get(s);
      if (m == null) {
        return;
      }
      long n = switch (rnd.nextInt(6)) {
        case 0 -> m.len;
        case 1 -> m.len - 1;
        case 2 -> m.max;
        case 3 -> m.max + 1;
        case 4 -> rnd.nextBoolean() ? -1 : pick(List.of(Long.MAX_VALUE, Long.MIN_VALUE, 1L << 53, 1L << 41));
        default -> m.len + rnd.nextInt((int) Math.max(1, m.max - m.len + 1));
      };
      ops.add(new Grow(s, n));
      if (m.growable && n >= m.len && n <= m.max) {
        m.len = n;
      }
    }

    private void slice() {
      int src = bufSlot();
      BufM m = bufs.get(src);
      if (m == null || (!m.growable && m.len == 0)) {
        return; // Node 20 bug, see DELIBERATE
      }
      int slot = nextBuf++ % 64;
      long begin = rnd.nextInt(20) == 0 ? pick(List.of(Long.MIN_VALUE, Long.MAX_VALUE, 1L << 53))
          : rnd.nextInt((int) m.len + 5) - 2 - (rnd.nextBoolean() ? m.len : 0);
      Long end = rnd.nextBoolean() ? null : rnd.nextInt((int) m.len + 5) - 2 - (rnd.nextBoolean() ? m.len : 0);
      ops.add(new Slice(slot, src, begin, end));
      long from = clamp(begin, m.len);
      long to = end == null ? m.len : Math.max(from, clamp(end, m.len));
      bufs.remove(slot);
      bufs.put(slot, new BufM(Math.max(0, to - from), Math.max(0, to - from), false));
    }

    private static long clamp(long i, long len) {
      return i < 0 ? Math.max(0, len + i) : Math.min(i, len);
    }

    private void newView() {
      int b = bufSlot();
      BufM m = bufs.get(b);
      if (m == null) {
        return;
      }
      T t = type();
      int slot = nextView++ % 256;
      int form = rnd.nextInt(3);
      Long off = null;
      Integer len = null;
      if (form >= 1) {
        off = switch (rnd.nextInt(8)) {
          case 0 -> 0L;
          case 1 -> (long) t.bytes * rnd.nextInt(4);
          case 2 -> m.len;
          case 3 -> m.len + t.bytes;
          case 4 -> (long) -t.bytes;
          case 5 -> (long) rnd.nextInt((int) m.len + 1);
          default -> (m.len / t.bytes) * t.bytes - t.bytes * rnd.nextInt(2);
        };
      }
      if (form == 2) {
        long room = Math.max(0, (m.len - off) / t.bytes);
        len = switch (rnd.nextInt(6)) {
          case 0 -> 0;
          case 1 -> (int) room;
          case 2 -> (int) room + 1;
          case 3 -> rnd.nextBoolean() ? -1 : Integer.MAX_VALUE;
          default -> rnd.nextInt((int) room + 1);
        };
      }
      boolean ok = off == null || (off >= 0 && off % t.bytes == 0 && off <= m.len);
      long fixed;
      if (len != null) {
        ok &= len >= 0 && off + (long) len * t.bytes <= m.len;
        fixed = len == null ? 0 : len;
      } else if (m.growable) {
        long o = off == null ? 0 : off;
        if (ok && (m.len - o) % t.bytes != 0) {
          return; // Node 20 bug, see DELIBERATE
        }
        fixed = -1;
      } else {
        long o = off == null ? 0 : off;
        ok &= (m.len - o) % t.bytes == 0;
        fixed = (m.len - o) / t.bytes;
      }
      ops.add(new NewView(slot, t, b, off, len));
      views.remove(slot);
      if (ok) {
        views.put(slot, new ViewM(t, m, off == null ? 0 : off, fixed));
      }
    }

    private void newViewLen() {
      T t = type();
      int n = rnd.nextInt(50) == 0 ? -1 : rnd.nextInt(rnd.nextBoolean() ? 9 : 120);
      int slot = nextView++ % 256;
      ops.add(new NewViewLen(slot, t, n));
      views.remove(slot);
      if (n >= 0) {
        views.put(slot, new ViewM(t, null, 0, n));
      }
    }

    private void sub() {
      int src = viewSlot();
      ViewM m = views.get(src);
      long len = viewLen(m);
      int begin = rnd.nextInt(20) == 0 ? extremeInt() : (int) (rnd.nextInt((int) len + 5) - 2 - (rnd.nextBoolean() ? len : 0));
      Integer end = rnd.nextBoolean() ? null
          : rnd.nextInt(20) == 0 ? extremeInt() : (int) (rnd.nextInt((int) len + 5) - 2 - (rnd.nextBoolean() ? len : 0));
      int from = (int) clamp(begin, len);
      if (end == null && m.tracking() && (m.buf.len - m.off) % m.t.bytes != 0) {
        return; // Node 20 bug, see DELIBERATE
      }
      int slot = nextView++ % 256;
      ops.add(new Sub(slot, src, begin, end));
      views.remove(slot);
      long off = m.off + (long) from * m.t.bytes;
      if (end == null && m.tracking()) {
        views.put(slot, new ViewM(m.t, m.buf, off, -1));
      } else {
        long to = end == null ? len : Math.max(from, clamp(end, len));
        views.put(slot, new ViewM(m.t, m.buf, off, to - from));
      }
    }

    private int extremeInt() {
      return pick(List.of(Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE + 1, Integer.MAX_VALUE - 1));
    }

    private int index(int slot) {
      long len = viewLen(views.get(slot));
      if (len > 0 && rnd.nextInt(4) != 0) {
        return rnd.nextInt((int) len);
      }
      return switch (rnd.nextInt(6)) {
        case 0 -> -1;
        case 1 -> (int) len;
        case 2 -> (int) len + 1;
        case 3 -> (int) len - 1;
        case 4 -> rnd.nextInt(3) == 0 ? Integer.MIN_VALUE : Integer.MAX_VALUE;
        default -> 0;
      };
    }

    private static final double[] INTS = {
      0, -0.0, 1, -1, 2, 5, 127, 128, 129, 255, 256, 257, -127, -128, -129, -255, -256, 32767, 32768, 65535,
      65536, 65537, -32768, -32769, -65536, 0x7fffffff, 0x1p31, -0x1p31, -0x1p31 - 1, 0xffffffffL, 0x1p32,
      0x1p32 + 1, -0x1p32, 0x1p53, 0x1p53 - 1, -0x1p53, 0x1p62, -0x1p63, 0x1p63 - 1024, 0x1p40 + 3
    };

    private static final double[] FLOATS = {
      Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.5, -0.5, 1.5, 2.5, -1.5, 0.1,
      1e-40, 1e-46, Double.MIN_VALUE, 3.4028234663852886e38, 3.4028235677973366e38, 3.5e38, 1e300, 16777217,
      1.0000001, 0x1p-149, 0x1p-150, 0x1.8p-150, 1e21, 1e-7, 123456789.125, -1e-300, Math.PI
    };

    private JsVal value(T t) {
      if (t.big) {
        return JsVal.of(bigValue());
      }
      int k = rnd.nextInt(10);
      if (t.floating && k < 4) {
        return JsVal.of(k == 0 ? Double.longBitsToDouble(rnd.nextLong()) : FLOATS[rnd.nextInt(FLOATS.length)]);
      }
      if (t.floating && k == 4) {
        return JsVal.of((rnd.nextDouble() - 0.5) * Math.pow(10, rnd.nextInt(80) - 40));
      }
      return JsVal.of(intValue());
    }

    private double intValue() {
      return switch (rnd.nextInt(4)) {
        case 0 -> rnd.nextInt(21) - 10;
        case 1 -> rnd.nextInt();
        case 2 -> {
          double d = rnd.nextLong() >> rnd.nextInt(64);
          yield d >= 0x1p63 ? 0x1p62 : d;
        }
        default -> INTS[rnd.nextInt(INTS.length)];
      };
    }

    private static final BigInteger TWO63 = BigInteger.ONE.shiftLeft(63);
    private static final BigInteger TWO64 = BigInteger.ONE.shiftLeft(64);

    private BigInteger bigValue() {
      return switch (rnd.nextInt(5)) {
        case 0 -> BigInteger.valueOf(rnd.nextInt(21) - 10);
        case 1 -> BigInteger.valueOf(rnd.nextLong());
        case 2 -> new BigInteger(66, rnd).subtract(TWO64);
        default -> pick(List.of(BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE.negate(), TWO63.subtract(BigInteger.ONE),
            TWO63, TWO63.negate(), TWO63.negate().subtract(BigInteger.ONE), TWO64.subtract(BigInteger.ONE), TWO64,
            TWO64.add(BigInteger.ONE), TWO64.negate(), TWO64.shiftLeft(1).add(BigInteger.valueOf(3)),
            BigInteger.valueOf(255), BigInteger.valueOf(0x80000000L), BigInteger.valueOf(0xffffffffL)));
      };
    }

    private boolean inOwnRange(T t, JsVal v) {
      BigInteger b = v.big();
      if (b == null) {
        return true;
      }
      return t == T.BigInt64Array
          ? b.bitLength() < 64
          : b.signum() >= 0 && b.compareTo(TWO64) < 0;
    }

    private static final List<String> OPS =
        List.of("add", "sub", "and", "or", "xor", "exchange", "compareExchange", "load", "store");

    private void atomic() {
      int s = viewSlot();
      T t = views.get(s).t;
      String name = pick(OPS);
      JsVal a = name.equals("load") ? null : atomicValue(t);
      JsVal b = name.equals("compareExchange") ? atomicValue(t) : null;
      if (name.equals("compareExchange") && rnd.nextInt(3) == 0) {
        a = null; // filled below with the current value, so the exchange happens
      }
      if (name.equals("compareExchange") && a == null) {
        // Compare with what a previous load would give is unknown to the model: use a small value often
        // written, so that hits are frequent.
        a = t.big ? JsVal.of(BigInteger.valueOf(rnd.nextInt(3))) : JsVal.of(rnd.nextInt(3));
      }
      boolean int32 = t == T.Int32Array && rnd.nextBoolean() && (a == null || a.isInt()) && (b == null || b.isInt());
      boolean compare = !name.equals("store") || a == null || inOwnRange(t, a);
      ops.add(new Atomic(name, s, index(s), a, b, int32, compare));
    }

    private JsVal atomicValue(T t) {
      if (t.big) {
        return JsVal.of(bigValue());
      }
      if (t == T.Int32Array && rnd.nextBoolean()) {
        double d = intValue();
        return JsVal.of(d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE ? d : rnd.nextInt());
      }
      // Float views reject the op before converting; give them integers too (Java takes long).
      return JsVal.of(intValue());
    }

    private void waitOp() {
      int s = waitableSlot();
      T t = views.get(s).t;
      JsVal e = t.big ? JsVal.of(bigValue().mod(BigInteger.valueOf(3)))
          : JsVal.of(rnd.nextInt(4) == 0 ? intValue() : rnd.nextInt(3));
      long timeout = rnd.nextInt(4) == 0 ? -rnd.nextInt(1000) : 0;
      boolean int32 = t == T.Int32Array && rnd.nextBoolean() && e.isInt();
      ops.add(new Wait(s, index(s), e, timeout, int32));
    }

    private void waitAsyncOp() {
      int s = waitableSlot();
      T t = views.get(s).t;
      JsVal e = t.big ? JsVal.of(bigValue().mod(BigInteger.valueOf(3)))
          : JsVal.of(rnd.nextInt(4) == 0 ? intValue() : rnd.nextInt(3));
      Long timeout = switch (rnd.nextInt(6)) {
        case 0 -> null;
        case 1 -> -1L;
        case 2 -> 1L;
        case 3 -> 100_000L;
        default -> 0L;
      };
      boolean int32 = t == T.Int32Array && rnd.nextBoolean() && e.isInt();
      int index = index(s);
      ops.add(new WaitAsync(s, index, e, timeout, int32));
      int k = rnd.nextInt(4);
      Integer count = rnd.nextInt(3) == 0 ? null : rnd.nextInt(4) - 1;
      if (k == 0) {
        ops.add(new Notify(s, index, count, t == T.Int32Array && rnd.nextBoolean()));
      } else if (k == 1) {
        ops.add(new WaitAsync(s, index, e, timeout, int32));
      } else if (k == 2) {
        notifyThroughAlias(views.get(s), index, count);
      }
    }

    /** Notifies the byte address of {@code m[index]} through a new Int32Array or BigInt64Array over the whole buffer. */
    private void notifyThroughAlias(ViewM m, int index, @Nullable Integer count) {
      int b = -1;
      for (Map.Entry<Integer, BufM> e : bufs.entrySet()) {
        if (e.getValue() == m.buf) {
          b = e.getKey();
        }
      }
      if (b < 0 || index < 0 || index >= viewLen(m)) {
        return;
      }
      long pos = m.off + (long) index * m.t.bytes;
      T t = rnd.nextBoolean() || pos % 8 != 0 ? T.Int32Array : T.BigInt64Array;
      if (m.buf.growable ? m.buf.len % t.bytes != 0 : m.buf.len % t.bytes != 0) {
        return; // the whole-buffer view would be refused (or hit the Node 20 bug)
      }
      int slot = nextView++ % 256;
      ops.add(new NewView(slot, t, b, null, null));
      views.remove(slot);
      views.put(slot, new ViewM(t, m.buf, 0, m.buf.growable ? -1 : m.buf.len / t.bytes));
      ops.add(new Notify(slot, (int) (pos / t.bytes), count, false));
    }

    private void notifyOp() {
      int s = waitableSlot();
      T t = views.get(s).t;
      Integer count = rnd.nextInt(3) == 0 ? null : rnd.nextInt(5) - 2;
      boolean int32 = t == T.Int32Array && rnd.nextBoolean();
      ops.add(new Notify(s, index(s), count, int32));
    }
  }

  /** Writes {@code lines} of all programs in corpus form. */
  static void writeCorpus(Path file, Map<String, List<String>> programs) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, List<String>> e : programs.entrySet()) {
      sb.append("#program ").append(e.getKey()).append('\n');
      for (String l : e.getValue()) {
        sb.append(l).append('\n');
      }
    }
    Files.createDirectories(file.getParent());
    Files.writeString(file, sb.toString());
  }
}
