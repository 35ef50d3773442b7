package org.eventloop4j.examples;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.resilience.BatchProcessor;
import org.eventloop4j.resilience.CircuitBreaker;
import org.eventloop4j.resilience.CircuitOpenError;
import org.jspecify.annotations.Nullable;

/**
 * The seed's "Circuit Breaker Pattern" and "Batch Processing" programs. The seed's {@code CircuitBreaker}
 * and {@code BatchProcessor} classes are eventloop4j's {@link CircuitBreaker} and {@link BatchProcessor},
 * which read the loop's clock: on virtual time the breaker's six-second wait takes no time. Each example
 * then shows one of the seed's bugs that the library fixes, in notes.
 */
final class ResilienceExamples {
  private ResilienceExamples() {}

  /** The seed's {@code getState()} object, which {@code console.log} prints as {@code { state: 'OPEN', ... }}. */
  record BreakerState(String state, int failureCount, long lastFailureTime, long nextAttemptTime) {}

  /**
   * JavaScript's {@code Date.now()} for a loop's clock: the wall-clock time at which the example started,
   * moved on as the loop's clock moves (virtual or real). Loop-affine.
   */
  private static final class DateNow {
    private final EventLoop loop = EventLoop.current();
    private final long offset = System.currentTimeMillis() - loop.now();

    long now() {
      return offset + loop.now();
    }

    long at(long loopMillis) {
      return offset + loopMillis;
    }
  }

  /**
   * The seed's {@code failureCount} and {@code lastFailureTime} fields, kept by a breaker listener: the
   * failures in a row and when the last one happened. Listeners run on the calling loop here.
   */
  private static final class FailureLog implements CircuitBreaker.Listener {
    private final DateNow clock;
    int failureCount;
    long lastFailureTime;

    FailureLog(DateNow clock) {
      this.clock = clock;
    }

    @Override
    public void onSuccess(long durationMillis) {
      failureCount = 0;
    }

    @Override
    public void onFailure(long durationMillis, @Nullable Throwable error) {
      failureCount++;
      lastFailureTime = clock.now();
    }
  }

  /** A service that fails until told otherwise. Loop-confined. */
  private static final class UnreliableService implements Supplier<Promise<String>> {
    boolean shouldFail = true;

    @Override
    public Promise<String> get() {
      return shouldFail ? Promise.reject(new RuntimeException("Service unavailable")) : Promise.resolve("Service response");
    }
  }

  /**
   * {@code circuitBreakerExample()}: five calls a second apart against a failing service (three failures
   * open the circuit, the next two are rejected without a call), the breaker's state, six seconds of waiting,
   * then a trial call against the recovered service.
   */
  static Promise<@Nullable Void> circuitBreakerExample(Output out) {
    DateNow clock = new DateNow();
    FailureLog failures = new FailureLog(clock);
    CircuitBreaker circuitBreaker = CircuitBreaker.builder()
        .name("service")
        .failureThreshold(3)
        .resetTimeout(Duration.ofMillis(5000))
        .listener(failures)
        .build();
    UnreliableService unreliableService = new UnreliableService();
    return Async.async(() -> {
      try {
        // These will fail and eventually open the circuit
        for (int i = 0; i < 5; i++) {
          try {
            String result = Async.await(circuitBreaker.execute(unreliableService));
            out.log("Success:", result);
          } catch (CircuitOpenError error) {
            out.log("Failed:", "Circuit breaker is OPEN");
            out.note("eventloop4j's CircuitOpenError says: " + error.getMessage());
          } catch (RuntimeException error) {
            out.log("Failed:", error.getMessage());
          }
          Async.await(Async.sleep(1000));
        }
        CircuitBreaker.Metrics m = circuitBreaker.metrics();
        out.log("Circuit state:", new BreakerState(m.state().name(), failures.failureCount, failures.lastFailureTime,
            clock.at(m.nextAttemptAtMillis())));
        Async.await(Async.sleep(6000));   // wait for the reset timeout
        unreliableService.shouldFail = false;
        String result = Async.await(circuitBreaker.execute(unreliableService));
        out.log("Final success:", result);
      } catch (RuntimeException error) {
        out.error("Circuit breaker error:", error.getMessage());
      }
      showHalfOpenAdmitsOneTrial(out);
      return null;
    });
  }

  /**
   * The seed's HALF_OPEN lets every caller through (it only checks the state). Here HALF_OPEN admits
   * {@code halfOpenCalls} trial calls (default 1) and rejects the others until the trial decided.
   */
  private static void showHalfOpenAdmitsOneTrial(Output out) {
    CircuitBreaker breaker = CircuitBreaker.builder().failureThreshold(1).resetTimeout(Duration.ofMillis(100)).build();
    Async.await(breaker.execute(() -> Promise.reject(new RuntimeException("down"))).catchError(e -> null));
    Async.await(Async.sleep(100));
    int[] reached = {0};
    List<Promise<String>> callers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      callers.add(breaker.execute(() -> {
        reached[0]++;
        return Async.sleep(50).then(v -> "ok");
      }));
    }
    long rejected = Async.await(Promise.allSettled(callers)).stream()
        .filter(s -> s instanceof Promise.Settled.Rejected<String> r && r.reason() instanceof CircuitOpenError)
        .count();
    out.note("fixed: in HALF_OPEN the seed's breaker lets every caller through; here only the trial calls pass"
        + " (halfOpenCalls, default 1): of 5 callers right after the reset timeout, " + reached[0] + " reached the"
        + " service and " + rejected + " were rejected with CircuitOpenError; the breaker is now " + breaker.state());
  }

  /**
   * {@code batchProcessingExample()}: eight items 300 ms apart into batches of three (or whatever is there
   * after two seconds), each batch taking 500 ms, then a flush. {@link BatchProcessor#add} returns the
   * item's own result, so the loop does not wait on it as the seed's does; the batches are the same.
   */
  static Promise<@Nullable Void> batchProcessingExample(Output out) {
    return Async.async(() -> {
      BatchProcessor<Integer, Integer> batchProcessor = BatchProcessor.<Integer, Integer>builder(batch -> Async.async(() -> {
        out.log("Processing batch:", batch);
        Async.await(Async.sleep(500));
        out.log("Batch processed:", batch);
        return batch;                   // one result per item: the item itself
      })).batchSize(3).batchTimeout(Duration.ofMillis(2000)).build();

      List<Promise<Integer>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(batchProcessor.add(i));
        Async.await(Async.sleep(300));
      }
      Async.await(batchProcessor.flush());   // flush remaining items
      out.log("Batch processing completed");
      out.note("every add() got its own item's result: " + Async.await(Promise.all(results)));
      showTimerBatchFailureReported(out);
      return null;
    });
  }

  /**
   * The seed's timer calls {@code this.processBatch()} and drops its promise: a batch sent by the timeout
   * that fails is an unhandled rejection (Node ends the process) and none of its callers hears of it. Here
   * every item of a failed batch rejects its own {@code add()} promise, whatever sent the batch.
   */
  private static void showTimerBatchFailureReported(Output out) {
    BatchProcessor<Integer, Integer> failing = BatchProcessor.<Integer, Integer>builder(
        batch -> Promise.reject(new RuntimeException("database down")))
        .batchSize(3).batchTimeout(Duration.ofMillis(200)).build();
    List<Promise<Integer>> items = List.of(failing.add(0), failing.add(1));
    List<String> outcomes = Async.await(Promise.allSettled(items)).stream()
        .map(s -> s instanceof Promise.Settled.Rejected<Integer> r ? "rejected (" + r.reason().getMessage() + ")"
            : "fulfilled")
        .toList();
    out.note("fixed: a batch sent by the timer that fails rejects each of its add() promises (items 0 and 1: "
        + String.join(", ", outcomes) + "); the seed's timer drops that rejection: it is unhandled, and no caller"
        + " hears of it");
  }
}
