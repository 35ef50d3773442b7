package org.eventloop4j.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eventloop4j.EventLoop;
import org.eventloop4j.resilience.CircuitBreaker.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class CircuitBreakerRegistryTest {
  private final EventLoop loop = EventLoop.builder().virtualTime().build();
  private final AtomicInteger made = new AtomicInteger();
  private final List<String> evicted = new ArrayList<>();

  private CircuitBreaker.Registry.Builder<String> registry() {
    return CircuitBreaker.<String>registry(key -> {
      made.incrementAndGet();
      return CircuitBreaker.builder().name(key).clock(loop).failureThreshold(1).build();
    }).clock(loop).onEviction((key, cb) -> evicted.add(key));
  }

  @Test
  void get_sameKey_sameBreaker_madeOnce() {
    CircuitBreaker.Registry<String> r = registry().build();
    CircuitBreaker a = r.get("host-a");
    assertSame(a, r.get("host-a"));
    assertNotSame(a, r.get("host-b"));
    assertEquals("host-a", a.name());
    assertEquals(2, made.get());
    assertEquals(Set.of("host-a", "host-b"), r.keys());
  }

  @Test
  void maxSize_exceeded_evictsLeastRecentlyUsedClosedFirst() {
    CircuitBreaker.Registry<String> r = registry().maxSize(3).build();
    r.get("a").transitionTo(State.OPEN);
    loop.advance(1);
    r.get("b");
    loop.advance(1);
    r.get("c");
    loop.advance(1);
    r.get("d");
    assertEquals(List.of("b"), evicted, "a is older but OPEN: it protects its host, so CLOSED b goes first");
    assertEquals(Set.of("a", "c", "d"), r.keys());
  }

  @Test
  void maxSize_neverEvictsTheBreakerJustReturned() {
    CircuitBreaker.Registry<String> r = registry().maxSize(1).build();
    CircuitBreaker a = r.get("a");
    a.transitionTo(State.OPEN);
    CircuitBreaker b = r.get("b");
    assertEquals(List.of("a"), evicted);
    assertSame(b, r.getIfPresent("b"));
    assertEquals(State.OPEN, a.state(), "an evicted breaker still works for its holders");
  }

  @Test
  void expireAfterIdle_unusedBreakersEvicted_usedOnesKept() {
    CircuitBreaker.Registry<String> r = registry().expireAfterIdle(Duration.ofMinutes(10)).build();
    CircuitBreaker a = r.get("a");
    r.get("b");
    loop.advance(Duration.ofMinutes(6));
    r.get("b");
    loop.advance(Duration.ofMinutes(5));
    r.get("c");
    assertEquals(List.of("a"), evicted);
    assertNull(r.getIfPresent("a"));
    assertNotSame(a, r.get("a"), "a fresh breaker for an evicted key");
  }

  @Test
  void cleanUp_runsEvictionWithoutGet() {
    CircuitBreaker.Registry<String> r = registry().expireAfterIdle(Duration.ofSeconds(1)).build();
    r.get("a");
    loop.advance(1000);
    r.cleanUp();
    assertEquals(0, r.size());
  }

  @Test
  void remove_isNotAnEviction() {
    CircuitBreaker.Registry<String> r = registry().build();
    r.get("a");
    assertTrue(r.remove("a"));
    assertFalse(r.remove("a"));
    assertEquals(List.of(), evicted);
  }

  @Test
  void concurrentGets_oneBreakerPerKey_boundHeld() throws InterruptedException {
    ConcurrentHashMap<String, Set<CircuitBreaker>> seen = new ConcurrentHashMap<>();
    CircuitBreaker.Registry<String> r = CircuitBreaker.<String>registry(k -> CircuitBreaker.builder().build())
        .maxSize(64).build();
    int threads = 4;
    CountDownLatch done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread.ofPlatform().start(() -> {
        for (int i = 0; i < 20_000; i++) {
          String key = "k" + ((i * 7 + id) % 50);
          seen.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(r.get(key));
        }
        done.countDown();
      });
    }
    assertTrue(done.await(20, TimeUnit.SECONDS));
    seen.forEach((k, set) -> assertEquals(1, set.size(), "one breaker for " + k + " (50 keys fit the bound)"));
    assertTrue(r.size() <= 64);
  }

  @Test
  void badInput_clearErrors() {
    assertThrows(NullPointerException.class, () -> CircuitBreaker.registry(null));
    assertThrows(IllegalArgumentException.class, () -> registry().maxSize(0));
    assertThrows(IllegalArgumentException.class, () -> registry().expireAfterIdle(Duration.ZERO));
    CircuitBreaker.Registry<String> r = CircuitBreaker.<String>registry(k -> null).build();
    assertThrows(NullPointerException.class, () -> r.get("x"));
    assertThrows(NullPointerException.class, () -> r.get(null));
    assertEquals(0, r.size());
  }

  @Test
  void evictionListenerThrows_loggedOffLoop_registryCarriesOn() {
    CircuitBreaker.Registry<String> r = CircuitBreaker.<String>registry(k -> CircuitBreaker.builder().build())
        .maxSize(1).onEviction((k, cb) -> {
          throw new IllegalStateException("listener bug");
        }).build();
    r.get("a");
    r.get("b");
    assertEquals(Set.of("b"), r.keys());
  }
}
