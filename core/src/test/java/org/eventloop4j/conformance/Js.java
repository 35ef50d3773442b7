package org.eventloop4j.conformance;

import java.util.List;
import java.util.stream.Collectors;
import org.eventloop4j.EventLoop;

/** Helpers shared by the ports: loops, the hop ticker, busy-waiting and JSON-like formatting. */
final class Js {
  private Js() {}

  /** A loop on a virtual clock: timers never make a test wait. */
  static EventLoop virtualLoop() {
    return EventLoop.builder().virtualTime().build();
  }

  /**
   * The corpus's hop ticker: {@code queueMicrotask(function tick() { log('tick ' + (++t)); if (t < max)
   * queueMicrotask(tick); })}. A line printed after {@code tick k} and before {@code tick k+1} comes from a
   * job that ran in hop k.
   */
  static void ticker(EventLoop loop, Log log, int max) {
    var ticker = new Object() {
      int t;

      void tick() {
        log.println("tick " + (++t));
        if (t < max) {
          loop.queueMicrotask(this::tick);
        }
      }
    };
    loop.queueMicrotask(ticker::tick);
  }

  /**
   * The corpus's {@code busyWait(ms)}: keeps the thread busy for {@code ms} milliseconds of real time
   * (spinning, not sleeping), as a slow JavaScript callback does.
   */
  static void busyWait(long ms) {
    long end = System.nanoTime() + ms * 1_000_000L;
    while (System.nanoTime() - end < 0) {
      Thread.onSpinWait();
    }
  }

  /** {@code JSON.stringify} of an array of strings. */
  static String jsonStrings(List<?> values) {
    return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(",", "[", "]"));
  }
}
