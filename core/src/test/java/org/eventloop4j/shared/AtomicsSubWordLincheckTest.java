package org.eventloop4j.shared;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of 8- and 16-bit Atomics that share one 32-bit word: concurrent adds, stores,
 * compare-exchanges and loads on bytes 0–3 and halfwords 0–1 of one word must behave as if applied one at
 * a time to a plain byte array — in particular, no operation may overwrite a neighbour with a stale byte.
 *
 * <p>Stress mode only: Lincheck's model checker does not treat {@code MemorySegment} VarHandle accesses as
 * switch points, so it cannot interleave inside the CAS loop — with the CAS replaced by a plain
 * read-then-write it still passed, while this stress test (and AtomicsTest's neighbour test) failed at
 * once.
 */
@Param(name = "byte", gen = IntGen.class, conf = "0:3")
@Param(name = "half", gen = IntGen.class, conf = "0:1")
@Param(name = "value", gen = IntGen.class, conf = "0:3")
@SuppressWarnings("exports") // Lincheck needs public test classes; this package is exported
public class AtomicsSubWordLincheckTest {
  private static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);

  /** Lincheck creates one instance per scenario. */
  public AtomicsSubWordLincheckTest() {}

  private final SharedArrayBuffer buffer = new SharedArrayBuffer(4);
  private final Uint8Array u8 = new Uint8Array(buffer);
  private final Uint16Array u16 = new Uint16Array(buffer);
  private final Int32Array word = new Int32Array(buffer);

  @Operation
  public long add8(@Param(name = "byte") int i, @Param(name = "value") int v) {
    return Atomics.add(u8, i, v);
  }

  @Operation
  public long store8(@Param(name = "byte") int i, @Param(name = "value") int v) {
    return Atomics.store(u8, i, v);
  }

  @Operation
  public long cas8(@Param(name = "byte") int i, @Param(name = "value") int expected, @Param(name = "value") int v) {
    return Atomics.compareExchange(u8, i, expected, v + 1);
  }

  @Operation
  public long add16(@Param(name = "half") int i, @Param(name = "value") int v) {
    return Atomics.add(u16, i, v * 257L);
  }

  @Operation
  public long exchange16(@Param(name = "half") int i, @Param(name = "value") int v) {
    return Atomics.exchange(u16, i, v);
  }

  @Operation
  public int load32() {
    return Atomics.load(word, 0);
  }

  @Test
  public void stress() {
    new StressOptions().iterations(5 * STRESS).invocationsPerIteration(500)
        .sequentialSpecification(Sequential.class).check(getClass());
  }

  /** The sequential specification: a little- or big-endian byte array, as the platform is. */
  public static final class Sequential {
    private static final boolean BIG = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.BIG_ENDIAN;
    private final int[] bytes = new int[4];

    /** A zeroed word. */
    public Sequential() {}

    public long add8(int i, int v) {
      int old = bytes[i];
      bytes[i] = (old + v) & 0xFF;
      return old;
    }

    public long store8(int i, int v) {
      bytes[i] = v & 0xFF;
      return v;
    }

    public long cas8(int i, int expected, int v) {
      int old = bytes[i];
      if (old == (expected & 0xFF)) {
        bytes[i] = (v + 1) & 0xFF;
      }
      return old;
    }

    public long add16(int i, int v) {
      int old = half(i);
      setHalf(i, old + v * 257);
      return old;
    }

    public long exchange16(int i, int v) {
      int old = half(i);
      setHalf(i, v);
      return old;
    }

    public int load32() {
      return BIG ? bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3]
          : bytes[3] << 24 | bytes[2] << 16 | bytes[1] << 8 | bytes[0];
    }

    private int half(int i) {
      int lo = bytes[2 * i];
      int hi = bytes[2 * i + 1];
      return BIG ? lo << 8 | hi : hi << 8 | lo;
    }

    private void setHalf(int i, int v) {
      int x = v & 0xFFFF;
      bytes[2 * i] = BIG ? x >>> 8 : x & 0xFF;
      bytes[2 * i + 1] = BIG ? x & 0xFF : x >>> 8;
    }
  }
}
