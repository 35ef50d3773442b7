package org.eventloop4j.conformance;

import java.time.Duration;
import java.util.Map;
import org.eventloop4j.EventLoop;

/**
 * Port of {@code js/15-timer-delay-coercion.js}. Delays are {@code long} milliseconds or a {@link Duration}:
 * 0, -10 and 2<sup>31</sup> are passed as they are (the loop coerces them to 1 ms, as Node does); NaN becomes
 * {@code (long) Double.NaN}, which Java defines as 0, and then 1 ms; 1.9 ms is a {@code Duration} of 1.9 ms,
 * truncated to 1 ms by the loop. A string or a missing delay cannot be written in Java: those lines are
 * left out.
 */
final class S15TimerDelayCoercion implements Scenario {
  @Override
  public Map<String, String> omittedLines() {
    return Map.of(
        "delay \"abc\"", "a string delay does not type-check: setTimeout takes a long or a Duration",
        "delay undefined", "Java has no setTimeout without a delay",
        "delay \"20\" (string -> 20)", "a string delay does not type-check: setTimeout takes a long or a Duration");
  }

  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        loop.setTimeout(() -> log.println("delay 1"), 1);
        loop.setTimeout(() -> log.println("delay 0"), 0);
        loop.setTimeout(() -> log.println("delay -10"), -10);
        loop.setTimeout(() -> log.println("delay NaN"), (long) Double.NaN);
        loop.setTimeout(() -> log.println("delay 2**31 (overflow -> 1)"), 1L << 31);
        loop.setTimeout(() -> log.println("delay 1.9 (truncated to 1)"), Duration.ofNanos(1_900_000));
        loop.setTimeout(() -> log.println("delay 40"), 40);
      });
    }
  }
}
