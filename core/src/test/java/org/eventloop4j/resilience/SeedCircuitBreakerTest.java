package org.eventloop4j.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Timers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The seed's {@code circuitBreakerExample()} ported to promise callbacks on a virtual clock: five calls a
 * second apart against a failing service, the state printed, six seconds of waiting, then a call
 * against the recovered service. The trace records every line and every transition with its time.
 */
@Timeout(10)
class SeedCircuitBreakerTest {
  private final EventLoop loop = EventLoop.builder().virtualTime().build();
  private final List<String> trace = new ArrayList<>();
  private boolean shouldFail = true;

  private void log(String line) {
    trace.add(loop.now() + " " + line);
  }

  private final Supplier<Promise<String>> unreliableService = () -> shouldFail
      ? Promise.reject(new RuntimeException("Service unavailable"))
      : Promise.resolve("Service response");

  private void attempt(CircuitBreaker cb, int i) {
    if (i == 5) {
      log("Circuit state: " + cb.state() + " " + cb.metrics().nextAttemptAtMillis());
      Timers.sleep(6000).thenRun(() -> {
        shouldFail = false;
        cb.execute(unreliableService).then(r -> trace.add(loop.now() + " Final success: " + r),
            e -> trace.add(loop.now() + " Circuit breaker error: " + e.getMessage()));
      });
      return;
    }
    cb.execute(unreliableService)
        .then(r -> trace.add(loop.now() + " Success: " + r), e -> trace.add(loop.now() + " Failed: " + e.getMessage()))
        .thenCompose(v -> Timers.sleep(1000))
        .thenRun(() -> attempt(cb, i + 1));
  }

  private CircuitBreaker.Builder seedBreaker() {
    return CircuitBreaker.builder().name("seed").failureThreshold(3).resetTimeout(Duration.ofSeconds(5))
        .onStateTransition((from, to) -> log("transition " + from + " -> " + to));
  }

  @Test
  void seedProgram_threeFailuresOpen_rejectedWhileOpen_trialCallAfterResetCloses() {
    loop.run(() -> attempt(seedBreaker().build(), 0));
    assertEquals(List.of(
        "0 Failed: Service unavailable",
        "1000 Failed: Service unavailable",
        "2000 transition CLOSED -> OPEN",
        "2000 Failed: Service unavailable",
        "3000 Failed: circuit breaker 'seed' is OPEN; next trial call in 4000 ms",
        "4000 Failed: circuit breaker 'seed' is OPEN; next trial call in 3000 ms",
        "5000 Circuit state: OPEN 7000",
        "11000 transition OPEN -> HALF_OPEN",
        "11000 transition HALF_OPEN -> CLOSED",
        "11000 Final success: Service response"), trace);
  }

  @Test
  void seedProgram_automaticHalfOpen_halfOpensExactlyAtResetTimeout() {
    loop.run(() -> attempt(seedBreaker().automaticHalfOpen().build(), 0));
    assertEquals(List.of(
        "0 Failed: Service unavailable",
        "1000 Failed: Service unavailable",
        "2000 transition CLOSED -> OPEN",
        "2000 Failed: Service unavailable",
        "3000 Failed: circuit breaker 'seed' is OPEN; next trial call in 4000 ms",
        "4000 Failed: circuit breaker 'seed' is OPEN; next trial call in 3000 ms",
        "5000 Circuit state: OPEN 7000",
        "7000 transition OPEN -> HALF_OPEN",
        "11000 transition HALF_OPEN -> CLOSED",
        "11000 Final success: Service response"), trace);
  }
}
