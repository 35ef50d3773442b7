package org.eventloop4j.examples;

/**
 * The seeded stand-in for {@code Math.random()} that the random examples' JavaScript versions install
 * ({@code Math.random = mulberry32(seed)}): the same 32-bit generator bit for bit, so that the Java port
 * and Node draw the same numbers in the same order. Not thread-safe; use it from one loop.
 */
final class Mulberry32 {
  private int a;

  Mulberry32(int seed) {
    this.a = seed;
  }

  /** The next number in [0, 1), as JavaScript's {@code mulberry32(seed)()} returns it. */
  double next() {
    a += 0x6D2B79F5;
    int t = (a ^ (a >>> 15)) * (1 | a);
    t = (t + (t ^ (t >>> 7)) * (61 | t)) ^ t;
    return ((t ^ (t >>> 14)) & 0xFFFFFFFFL) / 4294967296.0;
  }
}
