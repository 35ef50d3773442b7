package org.eventloop4j.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Timers;
import org.eventloop4j.stream.StreamFixtures.CountingSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** batch(size, timeout), all on virtual time. */
@Timeout(30)
class AsyncStreamBatchTest {
  private final List<String> log = new ArrayList<>();
  private final EventLoop loop = EventLoop.builder().virtualTime().build();

  /** A generator yielding i at the absolute virtual times {@code at[i]}. */
  private AsyncGenerator<Integer> timed(long... at) {
    return AsyncGenerator.of(y -> {
      try {
        for (int i = 0; i < at.length; i++) {
          long wait = at[i] - loop.now();
          if (wait > 0) {
            Async.await(Timers.sleep(wait));
          }
          y.yield(i);
        }
      } finally {
        log.add("source done at " + loop.now());
      }
    });
  }

  private List<String> batches(AsyncStream<List<Integer>> s) {
    List<String> out = new ArrayList<>();
    loop.run(() -> s.forEach(b -> out.add(b + " at " + loop.now())).catchError(e -> {
      out.add("error " + e.getMessage() + " at " + loop.now());
      return null;
    }));
    return out;
  }

  @Test
  void batch_bySize_lastOneShorter() {
    assertEquals(List.of("[0, 1, 2] at 0", "[3, 4, 5] at 0", "[6] at 0"), batches(AsyncStream.range(0, 7).batch(3)));
  }

  @Test
  void batch_sizeOrTimeout_whicheverComesFirst_timerStartsAtTheFirstElement() {
    List<String> out = new ArrayList<>();
    loop.run(() -> AsyncStream.from(timed(10, 20, 30, 100, 110, 310)).batch(3, Duration.ofMillis(50))
        .forEach(b -> out.add(b + " at " + loop.now())));
    assertEquals(List.of("[0, 1, 2] at 30", "[3, 4] at 150", "[5] at 310"), out);
    assertEquals(List.of("source done at 310"), log);
  }

  @Test
  void batch_slowConsumer_neverMoreThanOneBatchAhead() {
    CountingSource src = new CountingSource(log, 1000);
    List<String> out = new ArrayList<>();
    loop.run(() -> Async.async(() -> {
      try (var values = Async.forAwait(AsyncStream.from(src).batch(5, 1_000))) {
        for (List<Integer> b : values) {
          Async.await(Timers.sleep(100));
          out.add(b.getFirst() + ".." + b.getLast() + ", pulls after a slow step " + src.nextCalls);
          if (out.size() == 3) {
            break;
          }
        }
      }
      return null;
    }));
    // while batch k is consumed, batch k+1 is read ahead and the upstream then stalls
    assertEquals(List.of("0..4, pulls after a slow step 10", "5..9, pulls after a slow step 15",
        "10..14, pulls after a slow step 20"), out);
    assertEquals(List.of("source closed"), log);
  }

  @Test
  void batch_timerFiresWhileABatchWaits_theOpenBatchIsSealedWhenTheWaitingOneIsTaken() {
    List<String> out = new ArrayList<>();
    loop.run(() -> Async.async(() -> {
      try (var values = Async.forAwait(AsyncStream.from(timed(0, 0, 5, 30, 1000)).batch(2, 20))) {
        for (List<Integer> b : values) {
          out.add(b + " at " + loop.now());
          Async.await(Timers.sleep(100));
        }
      }
      return null;
    }));
    // [2] opens at 5 and times out at 25 (ready, the consumer sleeps); [3] opens at 30 and is due at 50
    // while [2] still waits: it is sealed when [2] is taken at 100 instead of waiting for a second element
    assertEquals(List.of("[0, 1] at 0", "[2] at 100", "[3] at 200", "[4] at 1000"), out);
  }

  @Test
  void batch_upstreamError_deliversWhatWasCollectedThenTheError() {
    IllegalStateException boom = new IllegalStateException("boom");
    assertEquals(List.of("[0, 1] at 0", "error boom at 0"),
        batches(AsyncStream.from(new CountingSource(log, 5).failingAt(2, boom)).batch(3, 10)));
  }

  @Test
  void batch_earlyClose_clearsTheTimer_soTheLoopEndsAtOnce() {
    List<String> out = new ArrayList<>();
    loop.run(() -> AsyncStream.from(timed(0, 1, 2)).batch(2, 10_000).take(1).forEach(b -> out.add(b + " at " + loop.now())));
    assertEquals(List.of("[0, 1] at 1"), out);
    assertTrue(loop.now() < 10_000, "the batch timer was cleared, now=" + loop.now());
    // the pull in flight when [0, 1] was taken ends at 2; the close then runs the generator's finally
    assertEquals(List.of("source done at 2"), log);
  }

  @Test
  void batch_sizeOne_isOneElementPerBatch() {
    assertEquals(List.of("[0] at 0", "[1] at 0"), batches(AsyncStream.from(new CountingSource(log, 2)).batch(1, 5)));
  }

}
