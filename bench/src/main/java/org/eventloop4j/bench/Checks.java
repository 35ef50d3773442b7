package org.eventloop4j.bench;

/** Result checks done inside the timed code: cheap, and they keep every benchmark honest. */
final class Checks {
  private Checks() {}

  static int zero(int left) {
    if (left != 0) {
      throw new IllegalStateException("the chain stopped with " + left + " steps left");
    }
    return left;
  }

  static int equal(int expected, int actual, String what) {
    if (expected != actual) {
      throw new IllegalStateException(what + ": expected " + expected + ", got " + actual);
    }
    return actual;
  }
}
