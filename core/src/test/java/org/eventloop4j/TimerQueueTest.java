package org.eventloop4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random arm / clear / refresh / fire sequences on a virtual-time loop, against a reference model: the
 * armed timers sorted by (due, arming order). Every timer must fire exactly when and in the order the model
 * says, whatever the mix of delays.
 */
class TimerQueueTest {
  private static final int CASES = 200 * Integer.getInteger("eventloop4j.stress", 1);

  private record Armed(int id, long due, long seq) {}

  @Test
  void randomSchedules_fireInExactOrderOfDueThenArming() {
    for (int c = 0; c < CASES; c++) {
      long seed = 0x5EEDL + c;
      try {
        runCase(new Random(seed));
      } catch (AssertionError e) {
        throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
      }
    }
  }

  private void runCase(Random random) {
    EventLoop loop = EventLoop.builder().virtualTime().build();
    List<String> fired = new ArrayList<>();
    List<Armed> model = new ArrayList<>();
    long[] seq = {0};
    int[] delayChoices = {1, 1, 2, 5, 10, 10, 10, 37, 100};
    loop.run(() -> {
      List<Timer> timers = new ArrayList<>();
      int n = 1 + random.nextInt(60);
      for (int i = 0; i < n; i++) {
        int id = i;
        int delay = random.nextBoolean() ? delayChoices[random.nextInt(delayChoices.length)] : random.nextInt(200);
        timers.add(loop.setTimeout(() -> fired.add(id + "@" + loop.now()), delay));
        model.add(new Armed(id, Math.max(1, delay), seq[0]++));
      }
      for (int i = 0; i < n / 4; i++) {
        int victim = random.nextInt(n);
        timers.get(victim).clear();
        model.removeIf(a -> a.id == victim);
      }
    });
    model.sort(Comparator.comparingLong(Armed::due).thenComparingLong(Armed::seq));
    List<String> expected = model.stream().map(a -> a.id + "@" + a.due).toList();
    assertEquals(expected, fired);
  }

  @Test
  void timersArmedInsideCallbacks_andRefreshed_keepOrder() {
    EventLoop loop = EventLoop.builder().virtualTime().build();
    List<String> fired = new ArrayList<>();
    loop.run(() -> {
      Timer a = loop.setTimeout(() -> fired.add("a@" + loop.now()), 10);
      loop.setTimeout(() -> {
        fired.add("b@" + loop.now());
        a.refresh();
        loop.setTimeout(() -> fired.add("c@" + loop.now()), 5);
      }, 5);
    });
    assertEquals(List.of("b@5", "c@10", "a@15"), fired);
  }

  @Test
  void manyTimers_allFireInOrder() {
    EventLoop loop = EventLoop.builder().virtualTime().build();
    int n = 100_000;
    Random random = new Random(7);
    long[] last = {Long.MIN_VALUE};
    int[] count = {0};
    boolean[] ordered = {true};
    loop.run(() -> {
      for (int i = 0; i < n; i++) {
        loop.setTimeout(() -> {
          long now = loop.now();
          ordered[0] &= now >= last[0];
          last[0] = now;
          count[0]++;
        }, random.nextInt(1001));
      }
    });
    assertEquals(n, count[0]);
    assertEquals(true, ordered[0]);
  }
}
