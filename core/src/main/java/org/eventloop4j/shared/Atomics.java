package org.eventloop4j.shared;

import static java.util.Objects.requireNonNull;

import java.lang.foreign.MemorySegment;
import org.eventloop4j.AbortSignal;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.TypeError;
import org.eventloop4j.shared.Memory.Op;
import org.eventloop4j.shared.Memory.Order;
import org.eventloop4j.shared.TypedArray.Kind;
import org.jspecify.annotations.Nullable;

/**
 * ECMAScript's {@code Atomics}: sequentially consistent operations on the elements of
 * {@linkplain TypedArray typed views} of a {@link SharedArrayBuffer}, and futex-style waiting on an address.
 *
 * <pre>{@code
 * Int32Array a = new Int32Array(new SharedArrayBuffer(4096));
 * Atomics.add(a, 0, 1);                                  // returns the old value
 * Atomics.compareExchange(a, 0, 1, 5);                   // 1, and a[0] is now 5
 * Atomics.waitAsync(a, 1, 0, 1_000).thenAccept(r -> ...); // "ok" once someone calls notify(a, 1, ...)
 * }</pre>
 *
 * <h2>Overloads</h2>
 *
 * <p>Every operation takes any {@link TypedArray} with {@code long} values, as JavaScript takes any view:
 * results are the element's value read as the view reads it (an {@code Int8Array} gives −128…127, a
 * {@code Uint32Array} 0…2<sup>32</sup>−1, a {@code BigUint64Array} the unsigned value's bits), operands are
 * converted modulo the element width. {@link Int32Array} — the type of almost every real use — also has
 * {@code int} overloads, which compile to a single VarHandle access.
 *
 * <h2>Memory order</h2>
 *
 * <p>Every ECMAScript operation is sequentially consistent (Java volatile semantics) with respect to every other
 * {@code Atomics} operation on the same buffer, on every thread. 32- and 64-bit operations are single
 * hardware atomics. 8- and 16-bit operations, loads and stores included, are compare-and-exchange loops on
 * the aligned 32-bit word that contains the element: they are lock-free and never disturb the neighbouring
 * bytes, even while other threads write those bytes (atomically or not).
 *
 * <p><b>Weaker orders</b> (an extension: ECMAScript has only sequential consistency). {@link
 * #loadAcquire}/{@link #storeRelease} and {@link #loadOpaque}/{@link #storeOpaque} are Java's acquire/release
 * and opaque modes ({@link java.lang.invoke.VarHandle}) on the same elements, with the same views, bounds
 * and errors: release/acquire is the classic publication pair (write the data plainly, {@code
 * storeRelease} a flag; a thread that {@code loadAcquire}s the flag set then reads the data plainly and
 * sees it), and on x86 a release store is a plain store where {@link #store} needs a fence.
 * Mixing orders on one element is allowed; each access is atomic. 8- and 16-bit stores stay
 * compare-and-exchange loops on the containing word, so neighbours are never disturbed in any order.
 *
 * <p><b>Float views</b> (an extension: ECMAScript refuses them, and WebAssembly users keep asking). {@link
 * Float32Array} and {@link Float64Array} have {@code load}, {@code store}, {@code exchange}, {@code
 * compareExchange} and {@code add}, sequentially consistent like the rest: the first three are single
 * 32/64-bit accesses to the element's bits, {@code add} is a compare-and-exchange loop (lock-free; each
 * concurrent add counts exactly once, in some order — IEEE addition is not associative, so the rounding of
 * the total can depend on that order), and {@code compareExchange} compares bits, not numbers. The
 * {@code TypedArray} overloads still refuse float views with JavaScript's {@code TypeError}, so a view
 * whose static type is {@code TypedArray} behaves as in JavaScript. Give the operand as a {@code float} or
 * {@code double} ({@code add(f, 0, 1.0)}): an {@code int} literal matches both overloads and javac reports
 * the call as ambiguous.
 *
 * <h2>Waiting</h2>
 *
 * <p>{@link #wait(Int32Array, int, int, long)} and {@link #waitAsync(Int32Array, int, int, long)} put the
 * caller on the waiter list of one address (buffer and byte index; {@code Int32Array} and
 * {@code BigInt64Array} views only) if the element still holds the expected value — the check and the
 * enqueue are atomic with respect to {@link #notify}, so a {@code store} + {@code notify} can never slip
 * between them (no lost wake-up). {@code notify} wakes waiters in the order they started waiting (FIFO,
 * synchronous and asynchronous waiters in one list) and returns exactly how many it woke. A waiter that
 * timed out, was aborted or was interrupted is no longer on the list and is not counted.
 *
 * <p><b>Blocking is refused on event-loop threads.</b> {@code wait} throws {@link IllegalStateException} on
 * any thread that runs an {@link EventLoop} callback — the main loop and a worker's loop alike — because a
 * blocked loop runs no timers, messages or promise reactions: the same rule as {@link Promise#join()}, and
 * what browsers do on their main thread (Node allows it; we are stricter so that the mistake fails at
 * once instead of freezing a loop). Block in {@link org.eventloop4j.worker.WorkerPool} tasks or plain
 * threads; on a loop use {@code waitAsync}.
 *
 * <p>{@code waitAsync} answers a promise of the calling loop that settles there: {@code "not-equal"} and a
 * zero timeout at once; {@code "ok"} once notified; {@code "timed-out"} from a timer of the loop, so on a
 * virtual clock the timeout elapses in virtual time; rejected with the signal's reason if its
 * {@link AbortSignal} aborts first (JavaScript has no way to cancel a {@code waitAsync}). As in Node, a
 * pending {@code waitAsync} does not keep its loop alive — its timeout timer is unreferenced — so whatever
 * is expected to notify must: a {@link org.eventloop4j.worker.Worker} or pool task does, a plain thread
 * needs an {@link EventLoop#keepAlive()}. A waiter left behind by a loop that ended stays on the list until
 * notified (counted then, and settled if that loop runs again). Timeouts are milliseconds; a negative one
 * counts as 0, and {@link #NO_TIMEOUT} (or, for {@code waitAsync}, any value of 2<sup>31</sup>−1 and more)
 * means none.
 *
 * <h2>Errors</h2>
 *
 * <p>As in ECMAScript: a view of the wrong type throws {@link TypeError} (a float view for any operation;
 * anything but {@code Int32Array} and {@code BigInt64Array} for {@code wait}, {@code waitAsync} and
 * {@code notify}); an index outside the view throws {@link IndexOutOfBoundsException} (JavaScript's
 * {@code RangeError}); a {@code null} view throws {@link NullPointerException}.
 *
 * <p>Every method is thread-safe.
 */
public final class Atomics {
  /*
   * Overview: this class only validates and dispatches. Memory does the accesses (its overview explains
   * the sub-word CAS), Waiters the waiter lists (its overview explains the critical section that makes
   * check-and-enqueue atomic with notify). The Int32Array overloads skip the Kind switch: one bounds check
   * and one VarHandle call, which C2 turns into a single `lock xadd` for add.
   */
  private Atomics() {}

  /** The outcome of {@code wait} / {@code waitAsync}; {@link #toString()} gives JavaScript's string. */
  public enum WaitResult {
    /** Woken by {@code notify}: {@code "ok"}. */
    OK("ok"),
    /** The element did not hold the expected value: {@code "not-equal"}. */
    NOT_EQUAL("not-equal"),
    /** The timeout elapsed first: {@code "timed-out"}. */
    TIMED_OUT("timed-out");

    private final String js;

    WaitResult(String js) {
      this.js = js;
    }

    /** JavaScript's string for this result. */
    @Override
    public String toString() {
      return js;
    }
  }

  /** {@code timeout} meaning "wait forever". */
  public static final long NO_TIMEOUT = Long.MAX_VALUE;

  // ------------------------------------------------------------------------------------------------
  // Int32Array fast paths

  /** Adds {@code value} to {@code a[index]}; returns the old value (wrapping on overflow, as ToInt32 does). */
  public static int add(Int32Array a, int index, int value) {
    return (int) Memory.INT.getAndAdd(a.segment, a.at(index), value);
  }

  /** Subtracts {@code value} from {@code a[index]}; returns the old value. */
  public static int sub(Int32Array a, int index, int value) {
    return (int) Memory.INT.getAndAdd(a.segment, a.at(index), -value);
  }

  /** {@code a[index] &= value}; returns the old value. */
  public static int and(Int32Array a, int index, int value) {
    return (int) Memory.INT.getAndBitwiseAnd(a.segment, a.at(index), value);
  }

  /** {@code a[index] |= value}; returns the old value. */
  public static int or(Int32Array a, int index, int value) {
    return (int) Memory.INT.getAndBitwiseOr(a.segment, a.at(index), value);
  }

  /** {@code a[index] ^= value}; returns the old value. */
  public static int xor(Int32Array a, int index, int value) {
    return (int) Memory.INT.getAndBitwiseXor(a.segment, a.at(index), value);
  }

  /** Stores {@code value} at {@code a[index]}; returns the old value. */
  public static int exchange(Int32Array a, int index, int value) {
    return (int) Memory.INT.getAndSet(a.segment, a.at(index), value);
  }

  /** Stores {@code replacement} if {@code a[index] == expected}; returns the old value either way. */
  public static int compareExchange(Int32Array a, int index, int expected, int replacement) {
    return (int) Memory.INT.compareAndExchange(a.segment, a.at(index), expected, replacement);
  }

  /** A sequentially consistent read of {@code a[index]}. */
  public static int load(Int32Array a, int index) {
    return (int) Memory.INT.getVolatile(a.segment, a.at(index));
  }

  /** A sequentially consistent write of {@code value} to {@code a[index]}; returns {@code value}. */
  public static int store(Int32Array a, int index, int value) {
    Memory.INT.setVolatile(a.segment, a.at(index), value);
    return value;
  }

  // ------------------------------------------------------------------------------------------------
  // Any integer view

  /** {@code Atomics.add} on any integer view; returns the old value (see the class documentation). */
  public static long add(TypedArray view, int index, long value) {
    return rmw(view, index, value, Op.ADD, "add");
  }

  /** {@code Atomics.sub} on any integer view; returns the old value. */
  public static long sub(TypedArray view, int index, long value) {
    return rmw(view, index, value, Op.SUB, "sub");
  }

  /** {@code Atomics.and} on any integer view; returns the old value. */
  public static long and(TypedArray view, int index, long value) {
    return rmw(view, index, value, Op.AND, "and");
  }

  /** {@code Atomics.or} on any integer view; returns the old value. */
  public static long or(TypedArray view, int index, long value) {
    return rmw(view, index, value, Op.OR, "or");
  }

  /** {@code Atomics.xor} on any integer view; returns the old value. */
  public static long xor(TypedArray view, int index, long value) {
    return rmw(view, index, value, Op.XOR, "xor");
  }

  /** {@code Atomics.exchange} on any integer view; returns the old value. */
  public static long exchange(TypedArray view, int index, long value) {
    return rmw(view, index, value, Op.EXCHANGE, "exchange");
  }

  /**
   * {@code Atomics.compareExchange} on any integer view: stores {@code replacement} if the element equals
   * {@code expected} (converted to the element type first, as JavaScript converts it); returns the old
   * value either way.
   */
  public static long compareExchange(TypedArray view, int index, long expected, long replacement) {
    Kind k = integerKind(view, "compareExchange");
    long off = view.at(index);
    MemorySegment s = view.segment;
    int e = (int) expected;
    int r = (int) replacement;
    return switch (k) {
      case INT8 -> (byte) Memory.casSub(s, off, 1, e & 0xFF, r);
      case UINT8 -> Memory.casSub(s, off, 1, e & 0xFF, r);
      case INT16 -> (short) Memory.casSub(s, off, 2, e & 0xFFFF, r);
      case UINT16 -> Memory.casSub(s, off, 2, e & 0xFFFF, r);
      case INT32 -> Memory.cas32(s, off, e, r);
      case UINT32 -> Integer.toUnsignedLong(Memory.cas32(s, off, e, r));
      default -> Memory.cas64(s, off, expected, replacement);
    };
  }

  /** {@code Atomics.load} on any integer view. */
  public static long load(TypedArray view, int index) {
    return load(view, index, Order.SEQ_CST, "load");
  }

  /** {@code Atomics.store} on any integer view; returns {@code value} as given, as JavaScript does. */
  public static long store(TypedArray view, int index, long value) {
    return store(view, index, value, Order.SEQ_CST, "store");
  }

  // ------------------------------------------------------------------------------------------------
  // Float views (not in ECMAScript)

  /** A sequentially consistent read of {@code a[index]} (see "Float views" in the class documentation). */
  public static float load(Float32Array a, int index) {
    return Float.intBitsToFloat((int) Memory.INT.getVolatile(a.segment, a.at(index)));
  }

  /** A sequentially consistent write of {@code value} to {@code a[index]}; returns {@code value}. */
  public static float store(Float32Array a, int index, float value) {
    Memory.INT.setVolatile(a.segment, a.at(index), Float.floatToRawIntBits(value));
    return value;
  }

  /** Atomically replaces {@code a[index]} with {@code value}; returns the old value. */
  public static float exchange(Float32Array a, int index, float value) {
    int bits = Float.floatToRawIntBits(value);
    return Float.intBitsToFloat((int) Memory.INT.getAndSet(a.segment, a.at(index), bits));
  }

  /**
   * Stores {@code replacement} if {@code a[index]} has exactly the bits of {@code expected}; returns the old
   * value either way. The comparison is of bits, not of numbers: {@code -0.0f} does not match {@code 0.0f},
   * and a NaN matches a NaN with the same bits.
   */
  public static float compareExchange(Float32Array a, int index, float expected, float replacement) {
    int e = Float.floatToRawIntBits(expected);
    int r = Float.floatToRawIntBits(replacement);
    return Float.intBitsToFloat(Memory.cas32(a.segment, a.at(index), e, r));
  }

  /** Atomically adds {@code delta} to {@code a[index]} (IEEE 754 addition); returns the old value. */
  public static float add(Float32Array a, int index, float delta) {
    return Memory.addFloat(a.segment, a.at(index), delta);
  }

  /** A sequentially consistent read of {@code a[index]} (see "Float views" in the class documentation). */
  public static double load(Float64Array a, int index) {
    return Double.longBitsToDouble((long) Memory.LONG.getVolatile(a.segment, a.at(index)));
  }

  /** A sequentially consistent write of {@code value} to {@code a[index]}; returns {@code value}. */
  public static double store(Float64Array a, int index, double value) {
    Memory.LONG.setVolatile(a.segment, a.at(index), Double.doubleToRawLongBits(value));
    return value;
  }

  /** Atomically replaces {@code a[index]} with {@code value}; returns the old value. */
  public static double exchange(Float64Array a, int index, double value) {
    long bits = Double.doubleToRawLongBits(value);
    return Double.longBitsToDouble((long) Memory.LONG.getAndSet(a.segment, a.at(index), bits));
  }

  /**
   * Stores {@code replacement} if {@code a[index]} has exactly the bits of {@code expected}; returns the old
   * value either way. The comparison is of bits, as for {@link #compareExchange(Float32Array, int, float, float)}.
   */
  public static double compareExchange(Float64Array a, int index, double expected, double replacement) {
    long e = Double.doubleToRawLongBits(expected);
    long r = Double.doubleToRawLongBits(replacement);
    return Double.longBitsToDouble(Memory.cas64(a.segment, a.at(index), e, r));
  }

  /** Atomically adds {@code delta} to {@code a[index]} (IEEE 754 addition); returns the old value. */
  public static double add(Float64Array a, int index, double delta) {
    return Memory.addDouble(a.segment, a.at(index), delta);
  }

  // ------------------------------------------------------------------------------------------------
  // Weaker orders (not in ECMAScript)

  /**
   * An acquire load of {@code a[index]} (VarHandle's {@code getAcquire}): no later read or write of this
   * thread is reordered before it, so after it reads what a {@link #storeRelease} wrote, this thread sees
   * everything the storing thread wrote before that store (see the class documentation).
   */
  public static int loadAcquire(Int32Array a, int index) {
    return (int) Memory.INT.getAcquire(a.segment, a.at(index));
  }

  /** {@link #loadAcquire(Int32Array, int)} on any integer view. */
  public static long loadAcquire(TypedArray view, int index) {
    return load(view, index, Order.ACQUIRE_RELEASE, "loadAcquire");
  }

  /**
   * A release store of {@code value} to {@code a[index]} (VarHandle's {@code setRelease}): no earlier read
   * or write of this thread is reordered after it; returns {@code value}. Cheaper than {@link #store}, which
   * also orders it before this thread's later loads.
   */
  public static int storeRelease(Int32Array a, int index, int value) {
    Memory.INT.setRelease(a.segment, a.at(index), value);
    return value;
  }

  /** {@link #storeRelease(Int32Array, int, int)} on any integer view; returns {@code value} as given. */
  public static long storeRelease(TypedArray view, int index, long value) {
    return store(view, index, value, Order.ACQUIRE_RELEASE, "storeRelease");
  }

  /**
   * An opaque load of {@code a[index]} (VarHandle's {@code getOpaque}): atomic and coherent — a thread's
   * opaque loads of one element never see its writes out of order, and a loop of them eventually sees a
   * new value — but it orders nothing else; for progress flags and statistics.
   */
  public static int loadOpaque(Int32Array a, int index) {
    return (int) Memory.INT.getOpaque(a.segment, a.at(index));
  }

  /** {@link #loadOpaque(Int32Array, int)} on any integer view. */
  public static long loadOpaque(TypedArray view, int index) {
    return load(view, index, Order.OPAQUE, "loadOpaque");
  }

  /** An opaque store of {@code value} to {@code a[index]} (VarHandle's {@code setOpaque}); returns it. */
  public static int storeOpaque(Int32Array a, int index, int value) {
    Memory.INT.setOpaque(a.segment, a.at(index), value);
    return value;
  }

  /** {@link #storeOpaque(Int32Array, int, int)} on any integer view; returns {@code value} as given. */
  public static long storeOpaque(TypedArray view, int index, long value) {
    return store(view, index, value, Order.OPAQUE, "storeOpaque");
  }

  private static long load(TypedArray view, int index, Order o, String name) {
    Kind k = integerKind(view, name);
    long off = view.at(index);
    MemorySegment s = view.segment;
    return switch (k) {
      case INT8 -> (byte) Memory.loadSub(s, off, 1, o);
      case UINT8 -> Memory.loadSub(s, off, 1, o);
      case INT16 -> (short) Memory.loadSub(s, off, 2, o);
      case UINT16 -> Memory.loadSub(s, off, 2, o);
      case INT32 -> Memory.load32(s, off, o);
      case UINT32 -> Integer.toUnsignedLong(Memory.load32(s, off, o));
      default -> Memory.load64(s, off, o);
    };
  }

  private static long store(TypedArray view, int index, long value, Order o, String name) {
    Kind k = integerKind(view, name);
    long off = view.at(index);
    MemorySegment s = view.segment;
    switch (k) {
      case INT8, UINT8 -> Memory.storeSub(s, off, 1, (int) value, o);
      case INT16, UINT16 -> Memory.storeSub(s, off, 2, (int) value, o);
      case INT32, UINT32 -> Memory.store32(s, off, (int) value, o);
      default -> Memory.store64(s, off, value, o);
    }
    return value;
  }

  private static long rmw(TypedArray view, int index, long value, Op op, String name) {
    Kind k = integerKind(view, name);
    long off = view.at(index);
    MemorySegment s = view.segment;
    int v = (int) value;
    return switch (k) {
      case INT8 -> (byte) Memory.rmwSub(s, off, 1, op, v);
      case UINT8 -> Memory.rmwSub(s, off, 1, op, v);
      case INT16 -> (short) Memory.rmwSub(s, off, 2, op, v);
      case UINT16 -> Memory.rmwSub(s, off, 2, op, v);
      case INT32 -> Memory.rmw32(s, off, op, v);
      case UINT32 -> Integer.toUnsignedLong(Memory.rmw32(s, off, op, v));
      default -> Memory.rmw64(s, off, op, value);
    };
  }

  private static Kind integerKind(TypedArray view, String name) {
    Kind k = requireNonNull(view, "view").kind;
    if (!k.integer) {
      throw new TypeError("Atomics." + name + ": " + k.jsName + " is not an integer typed array"
          + floatHint(k, name));
    }
    return k;
  }

  /** For a float view and an operation the float extension has: where to find it. */
  private static String floatHint(Kind k, String name) {
    boolean extended = switch (name) {
      case "load", "store", "exchange", "compareExchange", "add" -> true;
      default -> false;
    };
    return extended && (k == Kind.FLOAT32 || k == Kind.FLOAT64)
        ? " (the float extension Atomics." + name + "(" + k.jsName + ", ...) needs a view typed " + k.jsName + ")"
        : "";
  }

  private static Kind waitableKind(TypedArray view, String name) {
    Kind k = requireNonNull(view, "view").kind;
    if (!k.waitable) {
      throw new TypeError("Atomics." + name + ": " + k.jsName + " is not an Int32Array or BigInt64Array");
    }
    return k;
  }

  // ------------------------------------------------------------------------------------------------
  // Other operations

  /**
   * Whether atomic operations on elements of {@code size} bytes are lock-free: true for 1, 2, 4 and 8 (every
   * operation here is a hardware atomic or a CAS loop on one), false otherwise.
   */
  public static boolean isLockFree(int size) {
    return size == 1 || size == 2 || size == 4 || size == 8;
  }

  /** {@code Atomics.pause()}: a spin-wait hint ({@link Thread#onSpinWait()}), for spin loops before waiting. */
  public static void pause() {
    Thread.onSpinWait();
  }

  /**
   * {@code Atomics.pause(n)}: a spin-wait hint; a larger {@code n} (the iteration count of the caller's
   * back-off) pauses longer, up to 64 hints.
   *
   * @throws IllegalArgumentException if {@code n} is negative (JavaScript's RangeError)
   */
  public static void pause(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("Atomics.pause: the iteration number must be non-negative, was " + n);
    }
    for (int i = Math.min(n, 63); i >= 0; i--) {
      Thread.onSpinWait();
    }
  }

  // ------------------------------------------------------------------------------------------------
  // wait / waitAsync / notify

  /** {@link #wait(Int32Array, int, int, long)} without a timeout. */
  public static WaitResult wait(Int32Array a, int index, int expected) throws InterruptedException {
    return wait(a, index, expected, NO_TIMEOUT);
  }

  /**
   * Blocks the calling thread while {@code a[index] == expected}, until notified or {@code timeoutMs}
   * milliseconds passed (see the class documentation). An interrupt removes the thread from the waiter list
   * and throws {@link InterruptedException} — unless a {@code notify} woke it first, which then counts and
   * {@code "ok"} is returned with the interrupt flag set again.
   *
   * @throws IllegalStateException on an event-loop thread
   */
  public static WaitResult wait(Int32Array a, int index, int expected, long timeoutMs) throws InterruptedException {
    return block(a, index, expected, timeoutMs);
  }

  /**
   * {@code Atomics.wait} on an {@code Int32Array} or {@code BigInt64Array} given as any view.
   *
   * @throws TypeError for any other view type
   * @throws IllegalStateException on an event-loop thread
   */
  public static WaitResult wait(TypedArray view, int index, long expected, long timeoutMs) throws InterruptedException {
    return block(view, index, expected, timeoutMs);
  }

  private static WaitResult block(TypedArray view, int index, long expected, long timeoutMs) throws InterruptedException {
    Kind k = waitableKind(view, "wait");
    long off = view.at(index);
    EventLoop loop = EventLoop.tryCurrent();
    if (loop != null) {
      throw new IllegalStateException("Atomics.wait called on event loop thread " + Thread.currentThread().getName()
          + " (loop " + loop.name() + "): blocking there would stop the loop; use Atomics.waitAsync, or wait in a "
          + "WorkerPool task or a plain thread");
    }
    return view.buffer.waiters.await(view.segment, off, k == Kind.BIGINT64, expected, toNanos(timeoutMs));
  }

  /** {@link #waitAsync(Int32Array, int, int, long)} without a timeout. */
  public static Promise<WaitResult> waitAsync(Int32Array a, int index, int expected) {
    return waitAsync(a, index, expected, NO_TIMEOUT);
  }

  /**
   * Waits without blocking: a promise of the calling loop for the outcome of waiting while {@code a[index]
   * == expected} (see the class documentation).
   *
   * @throws IllegalStateException off an event-loop thread
   */
  public static Promise<WaitResult> waitAsync(Int32Array a, int index, int expected, long timeoutMs) {
    return waitAsync((TypedArray) a, index, expected, timeoutMs, null);
  }

  /**
   * {@link #waitAsync(Int32Array, int, int, long)} that gives up when {@code signal} aborts: the waiter
   * leaves the list (a later {@code notify} does not count it) and the promise rejects with the signal's
   * reason. An abort after the promise settled does nothing; a signal already aborted rejects at once.
   */
  public static Promise<WaitResult> waitAsync(Int32Array a, int index, int expected, long timeoutMs, AbortSignal signal) {
    return waitAsync((TypedArray) a, index, expected, timeoutMs, requireNonNull(signal, "signal"));
  }

  /**
   * {@code Atomics.waitAsync} on an {@code Int32Array} or {@code BigInt64Array} given as any view, with an
   * optional {@code signal}.
   *
   * @throws TypeError for any other view type
   * @throws IllegalStateException off an event-loop thread
   */
  public static Promise<WaitResult> waitAsync(
      TypedArray view, int index, long expected, long timeoutMs, @Nullable AbortSignal signal) {
    Kind k = waitableKind(view, "waitAsync");
    long off = view.at(index);
    EventLoop loop = EventLoop.current();
    return view.buffer.waiters.awaitAsync(loop, view.segment, off, k == Kind.BIGINT64, expected, timeoutMs, signal);
  }

  /** Wakes every waiter on {@code a[index]}; returns how many. */
  public static int notify(Int32Array a, int index) {
    return notify(a, index, Integer.MAX_VALUE);
  }

  /**
   * Wakes up to {@code count} waiters on {@code a[index]}, oldest first; returns exactly how many it woke
   * (0 for a negative count).
   */
  public static int notify(Int32Array a, int index, int count) {
    return notify((TypedArray) a, index, count);
  }

  /**
   * {@code Atomics.notify} on an {@code Int32Array} or {@code BigInt64Array} given as any view.
   *
   * @throws TypeError for any other view type
   */
  public static int notify(TypedArray view, int index, int count) {
    waitableKind(view, "notify");
    long off = view.at(index);
    return view.buffer.waiters.notify(off, count);
  }

  private static long toNanos(long timeoutMs) {
    if (timeoutMs == NO_TIMEOUT) {
      return Waiters.FOREVER;
    }
    if (timeoutMs <= 0) {
      return 0;
    }
    return timeoutMs >= Long.MAX_VALUE / 1_000_000L ? Waiters.FOREVER : timeoutMs * 1_000_000L;
  }
}
