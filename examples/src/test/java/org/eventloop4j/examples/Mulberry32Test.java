package org.eventloop4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link Mulberry32} draws what the JavaScript {@code mulberry32} draws (numbers printed by Node 20). */
class Mulberry32Test {
  @Test
  void next_seed2025_sameNumbersAsJavaScript() {
    Mulberry32 r = new Mulberry32(2025);
    double[] node = {0.425480789039284, 0.6139415160287172, 0.2061573399696499, 0.17433054326102138,
        0.6809732669498771};
    for (double expected : node) {
      assertEquals(expected, r.next());
    }
  }

  @Test
  void next_negativeSeed_hundredThousandDraws_sameSumAsJavaScript() {
    Mulberry32 r = new Mulberry32(-7);
    double sum = 0;
    for (int i = 0; i < 100_000; i++) {
      sum += r.next();
    }
    assertEquals("49893.9137735914", Inspect.number(sum));
  }
}
