package org.eventloop4j.conformance;

import java.util.List;
import java.util.stream.Collectors;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.stream.IteratorResult;
import org.jspecify.annotations.Nullable;

/** Helpers shared by the ports: loops, the hop ticker, timers as promises and formatting. */
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
    ticker(loop, log, "tick ", max);
  }

  /** {@link #ticker(EventLoop, Log, int)} whose lines read {@code label + " tick " + k} (several tickers at once). */
  static void labelledTicker(EventLoop loop, Log log, String label, int max) {
    ticker(loop, log, label + " tick ", max);
  }

  private static void ticker(EventLoop loop, Log log, String prefix, int max) {
    var ticker = new Object() {
      int t;

      void tick() {
        log.println(prefix + (++t));
        if (t < max) {
          loop.queueMicrotask(this::tick);
        }
      }
    };
    loop.queueMicrotask(ticker::tick);
  }

  /** {@code JSON.stringify} of an array of strings. */
  static String jsonStrings(List<?> values) {
    return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(",", "[", "]"));
  }

  /**
   * The corpus's {@code fmt(r)}: {@code `{value: ${String(r.value)}, done: ${r.done}}`}, with Java's
   * {@code null} printed as JavaScript's {@code undefined} (what a missing value is in these programs).
   */
  static String fmt(IteratorResult<?> r) {
    return "{value: " + string(r.value()) + ", done: " + r.done() + "}";
  }

  /** JavaScript's {@code String(v)}, with {@code null} as {@code undefined}. */
  static String string(@Nullable Object v) {
    return v == null ? "undefined" : v.toString();
  }

  /** {@code new Promise((r) => setTimeout(() => r(value), ms))}. */
  static <T> Promise<T> delay(EventLoop loop, long ms, T value) {
    return Promise.create((resolve, reject) -> loop.setTimeout(() -> resolve.accept(value), ms));
  }

  /** {@code new Promise((r) => setTimeout(r, ms))}: a promise fulfilled with {@code null} after {@code ms}. */
  static Promise<@Nullable Void> sleep(EventLoop loop, long ms) {
    return Promise.create((resolve, reject) -> loop.setTimeout(() -> resolve.accept(null), ms));
  }
}
