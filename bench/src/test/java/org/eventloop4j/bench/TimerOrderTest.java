package org.eventloop4j.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Comparator;
import java.util.stream.IntStream;
import org.eventloop4j.EventLoop;
import org.junit.jupiter.api.Test;

/** The timers workload, outside timing: every timer fires, in due order, at exactly its due time. */
class TimerOrderTest {
  @Test
  void fireAll_randomDelays_fireInDueOrderTiesInCreationOrder() {
    int[] delays = TimersBenchmark.delays(100_000);
    int[] order = new int[delays.length];
    long[] firedAt = new long[delays.length];
    int[] fired = {0};

    TimersBenchmark.fireAll(delays, i -> () -> {
      order[fired[0]++] = i;
      firedAt[i] = EventLoop.current().now();
    });

    assertEquals(delays.length, fired[0]);
    // setTimeout(cb, 0) means 1 ms, as in Node; ties keep creation order.
    int[] expected = IntStream.range(0, delays.length).boxed()
        .sorted(Comparator.comparingInt(i -> due(delays[i])))
        .mapToInt(Integer::intValue).toArray();
    assertArrayEquals(expected, order);
    for (int i = 0; i < delays.length; i++) {
      assertEquals(due(delays[i]), firedAt[i], "virtual time when timer " + i + " fired");
    }
  }

  private static int due(int delay) {
    return Math.max(1, delay);
  }
}
