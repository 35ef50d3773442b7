package org.eventloop4j.internal;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.eventloop4j.EventLoop;
import org.jspecify.annotations.Nullable;

/**
 * The one clock of something that loops share (a circuit breaker or its registry, a rate limiter): the
 * clock of one {@link EventLoop}, chosen once. Thread-safe.
 */
public final class LoopClock {
  /*
   * Overview: loops have separate clocks (virtual ones, or real ones counted from each loop's creation), so a
   * breaker shared by several loops cannot read "the current loop's" clock without mixing epochs. It binds
   * to one loop instead — the one given to the builder, else the loop current at build(), else the first
   * loop that needs the time — with one CAS, and reads that loop's clock ever after (EventLoop.now() is
   * thread-safe; on the bound loop's own thread it is the phase's cached value, elsewhere a fresh reading).
   * Used first from a thread without a loop, it binds to a monotonic clock of its own. Tests:
   * CircuitBreakerTest (virtual time), CircuitBreakerConcurrencyTest (several real loops), RateLimiterTest.
   */
  private final AtomicReference<@Nullable LongSupplier> source = new AtomicReference<>();

  public LoopClock(@Nullable EventLoop loop) {
    EventLoop bound = loop != null ? loop : EventLoop.tryCurrent();
    if (bound != null) {
      source.set(bound::now);
    }
  }

  /**
   * A clock that reads {@code source}: the loop-free seam through which the model-checking tests
   * (CircuitBreakerLincheckTest) drive a breaker's time without running an event loop.
   */
  public LoopClock(LongSupplier source) {
    this.source.set(java.util.Objects.requireNonNull(source, "source"));
  }

  /** The time in milliseconds. */
  public long now() {
    LongSupplier s = source.get();
    return (s != null ? s : bind()).getAsLong();
  }

  /** The time if the clock is bound already, else 0 (without binding it). */
  public long peek() {
    LongSupplier s = source.get();
    return s != null ? s.getAsLong() : 0;
  }

  private LongSupplier bind() {
    EventLoop current = EventLoop.tryCurrent();
    LongSupplier candidate = current != null ? current::now : monotonic();
    return source.compareAndSet(null, candidate) ? candidate : java.util.Objects.requireNonNull(source.get());
  }

  private static LongSupplier monotonic() {
    long start = System.nanoTime();
    return () -> (System.nanoTime() - start) / 1_000_000L;
  }
}
