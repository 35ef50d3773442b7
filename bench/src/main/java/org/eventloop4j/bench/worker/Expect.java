package org.eventloop4j.bench.worker;

/** Result checks done inside the timed code: cheap, and they keep every benchmark honest. */
final class Expect {
  private Expect() {}

  static int equal(long expected, long actual, String what) {
    if (expected != actual) {
      throw new IllegalStateException(what + ": expected " + expected + ", got " + actual);
    }
    return (int) actual;
  }
}
