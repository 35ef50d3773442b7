package org.eventloop4j.worker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.eventloop4j.internal.LinePad;

/**
 * An atomic {@code int} alone on its cache line: the subset of {@link java.util.concurrent.atomic.AtomicInteger}
 * that {@link WorkerPool} uses, with every access sequentially consistent. Any thread.
 */
final class PaddedInt extends PaddedIntValue {
  /*
   * Overview: the pool's counters are written by the submitting loop and by the pool threads on every
   * task. Plain AtomicIntegers allocated together share cache lines, so a loop's increment of one and a
   * pool thread's decrement of another bounce the same line between cores on every task. The JVM lays out
   * a superclass's fields before a subclass's, so 64 bytes of padding on each side (LinePad before,
   * the fields here after) keep `value` apart from any neighbouring object's hot fields.
   */
  long q0;
  long q1;
  long q2;
  long q3;
  long q4;
  long q5;
  long q6;
  long q7;

  int get() {
    return value;
  }

  int incrementAndGet() {
    return (int) VALUE.getAndAdd(this, 1) + 1;
  }

  int decrementAndGet() {
    return (int) VALUE.getAndAdd(this, -1) - 1;
  }

  int getAndIncrement() {
    return (int) VALUE.getAndAdd(this, 1);
  }

  boolean compareAndSet(int expected, int replacement) {
    return VALUE.compareAndSet(this, expected, replacement);
  }

  @Override
  public String toString() {
    return Integer.toString(value);
  }
}

/** The value of a {@link PaddedInt}. */
abstract class PaddedIntValue extends LinePad {
  static final VarHandle VALUE;

  static {
    try {
      VALUE = MethodHandles.lookup().findVarHandle(PaddedIntValue.class, "value", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  volatile int value;
}
