package org.eventloop4j.resilience;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Timers;

/**
 * A virtual-time loop driven step by step from the test thread, and calls that settle after a given
 * time with a given outcome. Each {@link #on} runs a task on the loop and everything it makes due now.
 */
final class BreakerHarness {
  final List<Throwable> uncaught = new ArrayList<>();
  final EventLoop loop = EventLoop.builder().virtualTime().onUncaughtException(uncaught::add).build();
  final List<String> log = new ArrayList<>();
  final AtomicInteger invocations = new AtomicInteger();

  /** Runs {@code task} on the loop now, and whatever it makes due at the current time. */
  void on(Runnable task) {
    loop.execute(task);
    loop.runUntilIdle();
  }

  /** Moves the virtual clock forward, firing what falls due on the way. */
  void advance(long ms) {
    loop.advance(ms);
  }

  /**
   * Keeps the loop alive for a day with a referenced timer, as a real program's other work would:
   * {@code advance} stops early when only unreferenced timers (like the breaker's automatic ones) remain.
   */
  void stayAlive() {
    on(() -> loop.setTimeout(() -> {}, 86_400_000));
  }

  long now() {
    return loop.now();
  }

  /** Executes {@code call} through {@code cb} now and logs how it settles under {@code name}. */
  <T> void call(CircuitBreaker cb, String name, Supplier<Promise<T>> call) {
    on(() -> record(name, cb.execute(counted(call))));
  }

  <T> Supplier<Promise<T>> counted(Supplier<Promise<T>> call) {
    return () -> {
      invocations.incrementAndGet();
      return call.get();
    };
  }

  <T> void record(String name, Promise<T> p) {
    p.then(v -> log.add(name + " ok " + v + " @" + loop.now()),
        e -> log.add(name + " " + e.getClass().getSimpleName() + " @" + loop.now()));
  }

  static Supplier<Promise<String>> ok() {
    return () -> Promise.resolve("v");
  }

  static Supplier<Promise<String>> fail() {
    return () -> Promise.reject(new IllegalStateException("boom"));
  }

  static Supplier<Promise<String>> fail(RuntimeException e) {
    return () -> Promise.reject(e);
  }

  static Supplier<Promise<String>> okAfter(long ms) {
    return () -> Timers.setTimeout(ms, "late");
  }

  static Supplier<Promise<String>> failAfter(long ms) {
    return () -> Timers.sleep(ms).then(v -> {
      throw new IllegalStateException("late boom");
    });
  }

  static <T> Supplier<Promise<T>> never() {
    return () -> Promise.<T>withResolvers().promise();
  }

  /** Fails {@code cb} with {@code n} immediate failures. */
  void failures(CircuitBreaker cb, int n) {
    for (int i = 0; i < n; i++) {
      call(cb, "f" + i, fail());
    }
  }

  void successes(CircuitBreaker cb, int n) {
    for (int i = 0; i < n; i++) {
      call(cb, "s" + i, ok());
    }
  }
}
