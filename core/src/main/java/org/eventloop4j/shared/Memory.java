package org.eventloop4j.shared;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Atomic accesses to a buffer's segment, in one of three orders: the machinery under {@link Atomics}. */
final class Memory {
  /*
   * Overview. Every atomic access is a VarHandle access in volatile mode (getVolatile, setVolatile,
   * getAndAdd, getAndBitwiseX, getAndSet, compareAndExchange), which Java makes sequentially consistent —
   * ECMAScript's SeqCst. 32- and 64-bit elements use JAVA_INT / JAVA_LONG handles directly (naturally
   * aligned, so the hardware does them atomically). 8- and 16-bit elements have no such handles in
   * every mode, and mixing sizes on one address has no defined meaning in the Java memory model, so every
   * atomic access to them — loads and stores included — is a volatile access to the aligned 32-bit word
   * that contains them: loads read the word and extract, everything else is a compareAndExchange loop
   * that replaces only the element's bits. A concurrent write of a neighbouring byte (atomic or plain)
   * changes the word, fails the CAS and makes the loop retry with the new word, so neighbours are never
   * overwritten with stale bytes. Buffers are 8-byte padded, so the containing word always exists.
   * Atomics' extension loads and stores (loadAcquire, storeRelease, loadOpaque, storeOpaque) take an Order:
   * the same accesses in the VarHandle mode of that name. A sub-word store in a weaker order is still a
   * compareAndExchange loop on the word (release mode: Java has no opaque CAS, and release is stronger), so
   * neighbours stay intact in every order.
   * Float and double elements (an extension) are the 32/64-bit handles on their raw bits: load, store and
   * exchange are single accesses, compareExchange compares bits, add is a compareAndExchange loop.
   * Tests: AtomicsSubWordLincheckTest (linearizability against a byte-array model), AtomicsTest
   * (neighbour stress, every op against a model), AtomicsOrderTest (the weaker orders).
   */
  static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
  static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
  private static final boolean BIG_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

  private Memory() {}

  /** The memory order of a load or store: VarHandle's volatile, acquire/release and opaque modes. */
  enum Order {
    SEQ_CST,
    ACQUIRE_RELEASE,
    OPAQUE
  }

  /** A read-modify-write operation of {@code Atomics}. */
  enum Op {
    ADD,
    SUB,
    AND,
    OR,
    XOR,
    EXCHANGE;

    int apply(int old, int v) {
      return switch (this) {
        case ADD -> old + v;
        case SUB -> old - v;
        case AND -> old & v;
        case OR -> old | v;
        case XOR -> old ^ v;
        case EXCHANGE -> v;
      };
    }
  }

  // ------------------------------------------------------------------------------------------------
  // 32 and 64 bits

  static int rmw32(MemorySegment s, long off, Op op, int v) {
    return switch (op) {
      case ADD -> (int) INT.getAndAdd(s, off, v);
      case SUB -> (int) INT.getAndAdd(s, off, -v);
      case AND -> (int) INT.getAndBitwiseAnd(s, off, v);
      case OR -> (int) INT.getAndBitwiseOr(s, off, v);
      case XOR -> (int) INT.getAndBitwiseXor(s, off, v);
      case EXCHANGE -> (int) INT.getAndSet(s, off, v);
    };
  }

  static long rmw64(MemorySegment s, long off, Op op, long v) {
    return switch (op) {
      case ADD -> (long) LONG.getAndAdd(s, off, v);
      case SUB -> (long) LONG.getAndAdd(s, off, -v);
      case AND -> (long) LONG.getAndBitwiseAnd(s, off, v);
      case OR -> (long) LONG.getAndBitwiseOr(s, off, v);
      case XOR -> (long) LONG.getAndBitwiseXor(s, off, v);
      case EXCHANGE -> (long) LONG.getAndSet(s, off, v);
    };
  }

  static int load32(MemorySegment s, long off) {
    return (int) INT.getVolatile(s, off);
  }

  static long load64(MemorySegment s, long off) {
    return (long) LONG.getVolatile(s, off);
  }

  static int load32(MemorySegment s, long off, Order o) {
    return switch (o) {
      case SEQ_CST -> (int) INT.getVolatile(s, off);
      case ACQUIRE_RELEASE -> (int) INT.getAcquire(s, off);
      case OPAQUE -> (int) INT.getOpaque(s, off);
    };
  }

  static long load64(MemorySegment s, long off, Order o) {
    return switch (o) {
      case SEQ_CST -> (long) LONG.getVolatile(s, off);
      case ACQUIRE_RELEASE -> (long) LONG.getAcquire(s, off);
      case OPAQUE -> (long) LONG.getOpaque(s, off);
    };
  }

  static void store32(MemorySegment s, long off, int v, Order o) {
    switch (o) {
      case SEQ_CST -> INT.setVolatile(s, off, v);
      case ACQUIRE_RELEASE -> INT.setRelease(s, off, v);
      case OPAQUE -> INT.setOpaque(s, off, v);
    }
  }

  static void store64(MemorySegment s, long off, long v, Order o) {
    switch (o) {
      case SEQ_CST -> LONG.setVolatile(s, off, v);
      case ACQUIRE_RELEASE -> LONG.setRelease(s, off, v);
      case OPAQUE -> LONG.setOpaque(s, off, v);
    }
  }

  static int cas32(MemorySegment s, long off, int expected, int replacement) {
    return (int) INT.compareAndExchange(s, off, expected, replacement);
  }

  static long cas64(MemorySegment s, long off, long expected, long replacement) {
    return (long) LONG.compareAndExchange(s, off, expected, replacement);
  }

  /** Adds {@code delta} to the float at {@code off} by a CAS loop on its bits; returns the old value. */
  static float addFloat(MemorySegment s, long off, float delta) {
    int old = (int) INT.getVolatile(s, off);
    while (true) {
      int sum = Float.floatToRawIntBits(Float.intBitsToFloat(old) + delta);
      int witness = (int) INT.compareAndExchange(s, off, old, sum);
      if (witness == old) {
        return Float.intBitsToFloat(old);
      }
      old = witness;
    }
  }

  /** Adds {@code delta} to the double at {@code off} by a CAS loop on its bits; returns the old value. */
  static double addDouble(MemorySegment s, long off, double delta) {
    long old = (long) LONG.getVolatile(s, off);
    while (true) {
      long sum = Double.doubleToRawLongBits(Double.longBitsToDouble(old) + delta);
      long witness = (long) LONG.compareAndExchange(s, off, old, sum);
      if (witness == old) {
        return Double.longBitsToDouble(old);
      }
      old = witness;
    }
  }

  // ------------------------------------------------------------------------------------------------
  // 8 and 16 bits, on the containing word

  /** The bit position of the {@code bytes}-wide element at {@code off} inside its aligned word. */
  private static int shift(long off, int bytes) {
    int inWord = (int) (off & 3);
    return (BIG_ENDIAN ? 4 - bytes - inWord : inWord) << 3;
  }

  private static int mask(int bytes) {
    return bytes == 1 ? 0xFF : 0xFFFF;
  }

  /** Applies {@code op} to the 1- or 2-byte element at {@code off}; answers its old bits, zero-extended. */
  static int rmwSub(MemorySegment s, long off, int bytes, Op op, int v) {
    long word = off & ~3L;
    int sh = shift(off, bytes);
    int mask = mask(bytes);
    int w = (int) INT.getVolatile(s, word);
    while (true) {
      int old = (w >>> sh) & mask;
      int nw = (w & ~(mask << sh)) | ((op.apply(old, v) & mask) << sh);
      int witness = (int) INT.compareAndExchange(s, word, w, nw);
      if (witness == w) {
        return old;
      }
      w = witness;
    }
  }

  /**
   * Compare-and-exchange of the 1- or 2-byte element at {@code off}: answers its old bits (zero-extended);
   * replaced them with {@code replacement} if they equalled {@code expected} (both already masked).
   */
  static int casSub(MemorySegment s, long off, int bytes, int expected, int replacement) {
    long word = off & ~3L;
    int sh = shift(off, bytes);
    int mask = mask(bytes);
    int w = (int) INT.getVolatile(s, word);
    while (true) {
      int old = (w >>> sh) & mask;
      if (old != expected) {
        return old;
      }
      int nw = (w & ~(mask << sh)) | ((replacement & mask) << sh);
      int witness = (int) INT.compareAndExchange(s, word, w, nw);
      if (witness == w) {
        return old;
      }
      w = witness;
    }
  }

  /** A load in order {@code o} of the 1- or 2-byte element at {@code off}, zero-extended. */
  static int loadSub(MemorySegment s, long off, int bytes, Order o) {
    return (load32(s, off & ~3L, o) >>> shift(off, bytes)) & mask(bytes);
  }

  /**
   * A store in order {@code o} of the low bits of {@code v} to the 1- or 2-byte element at {@code off}: a
   * compareAndExchange loop on its word (volatile for SEQ_CST, release otherwise; see the overview).
   */
  static void storeSub(MemorySegment s, long off, int bytes, int v, Order o) {
    if (o == Order.SEQ_CST) {
      rmwSub(s, off, bytes, Op.EXCHANGE, v);
      return;
    }
    long word = off & ~3L;
    int sh = shift(off, bytes);
    int mask = mask(bytes);
    int w = (int) INT.getOpaque(s, word);
    while (true) {
      int nw = (w & ~(mask << sh)) | ((v & mask) << sh);
      int witness = (int) INT.compareAndExchangeRelease(s, word, w, nw);
      if (witness == w) {
        return;
      }
      w = witness;
    }
  }
}
