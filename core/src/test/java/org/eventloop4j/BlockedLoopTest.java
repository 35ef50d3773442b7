package org.eventloop4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The blocked-loop detector ({@link EventLoop.Builder#onBlocked}). The sampling rules run on a fake probe and
 * clock. The end-to-end cases block a callback on a latch that only the report opens, so they wait for the
 * detector itself and never for a fixed time.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BlockedLoopTest {
  private static final Duration THRESHOLD = Duration.ofMillis(20);
  private static final long MS = 1_000_000L;
  /** The end-to-end threshold: long enough that a pause of the JVM is not what gets reported. */
  private static final Duration E2E_THRESHOLD = Duration.ofMillis(100);

  private final List<BlockedLoop> reports = new CopyOnWriteArrayList<>();
  private final CountDownLatch reported = new CountDownLatch(1);

  // ------------------------------------------------------------------------------------------------
  // The sampling rules, on a fake probe and clock

  /** A probe whose state the test sets. */
  private static final class FakeProbe implements Watchdog.Probe {
    long turns;
    @Nullable Thread busy = Thread.currentThread();

    @Override
    public long turns() {
      return turns;
    }

    @Override
    public @Nullable Thread busyThread() {
      return busy;
    }

    @Override
    public String loopName() {
      return "fake";
    }
  }

  private static BlockedLoop report(@Nullable BlockedLoop b) {
    assertNotNull(b, "no report");
    return b;
  }

  private Watchdog watchdog(Watchdog.Probe probe, Consumer<BlockedLoop> handler) {
    return new Watchdog(probe, THRESHOLD, handler);
  }

  @Test
  void sample_sameCallbackForTheThreshold_reportsOnceWithTheTimeSinceItWasFirstSeen() {
    FakeProbe probe = new FakeProbe();
    Watchdog w = watchdog(probe, reports::add);
    assertNull(w.sample(0));
    assertNull(w.sample(19 * MS));
    BlockedLoop b = report(w.sample(20 * MS));
    assertEquals(Duration.ofMillis(20), b.blockedFor());
    assertSame(Thread.currentThread(), b.thread());
    assertEquals("fake", b.loopName());
    assertTrue(b.stackTrace().stream().anyMatch(f -> f.getMethodName().equals("sample")), b.stackTrace()::toString);
    assertNull(w.sample(25 * MS), "one report per episode");
    assertNull(w.sample(3_600_000 * MS));
    assertEquals(List.of(b), reports);
  }

  @Test
  void sample_callbacksMovingOn_neverReport() {
    FakeProbe probe = new FakeProbe();
    Watchdog w = watchdog(probe, reports::add);
    for (long t = 0; t < 1_000; t++) {
      probe.turns = t;
      assertNull(w.sample(t * 15 * MS));
    }
    assertEquals(List.of(), reports);
  }

  @Test
  void sample_waitingForWork_isNotBlocking_andEndsAnEpisode() {
    FakeProbe probe = new FakeProbe();
    Watchdog w = watchdog(probe, reports::add);
    probe.busy = null;
    for (long t = 0; t < 100; t++) {
      assertNull(w.sample(t * 15 * MS), "a parked loop is never reported");
    }
    probe.busy = Thread.currentThread();
    assertNull(w.sample(1_500 * MS));
    assertNull(w.sample(1_515 * MS));
    probe.busy = null;
    assertNull(w.sample(1_530 * MS));
    probe.busy = Thread.currentThread();
    assertNull(w.sample(1_545 * MS), "the same count after a wait is a new callback's episode");
    assertNotNull(w.sample(1_565 * MS));
  }

  @Test
  void sample_aLaterBlock_isReportedAgain() {
    FakeProbe probe = new FakeProbe();
    Watchdog w = watchdog(probe, reports::add);
    w.sample(0);
    assertNotNull(w.sample(30 * MS));
    probe.turns++;
    assertNull(w.sample(40 * MS));
    assertNull(w.sample(59 * MS));
    assertEquals(Duration.ofMillis(20), report(w.sample(60 * MS)).blockedFor());
    assertEquals(2, reports.size());
  }

  @Test
  void sample_aThrowingHandler_isLogged_andTheWatchdogGoesOn() {
    FakeProbe probe = new FakeProbe();
    List<BlockedLoop> seen = new ArrayList<>();
    Watchdog w = watchdog(probe, b -> {
      seen.add(b);
      throw new IllegalStateException("handler bug");
    });
    w.sample(0);
    assertNotNull(w.sample(20 * MS));
    probe.turns++;
    w.sample(30 * MS);
    assertNotNull(w.sample(50 * MS));
    assertEquals(2, seen.size());
  }

  @Test
  void toException_carriesTheSampledStack_andTheReportAsItsMessage() {
    StackTraceElement frame = new StackTraceElement("app.Worker", "crunch", "Worker.java", 42);
    BlockedLoop b = new BlockedLoop("main", Thread.currentThread(), Duration.ofMillis(250), List.of(frame));
    RuntimeException e = b.toException();
    assertEquals("event loop main blocked for 250 ms in a callback on thread " + Thread.currentThread().getName(),
        e.getMessage());
    assertEquals(List.of(frame), List.of(e.getStackTrace()));
  }

  // ------------------------------------------------------------------------------------------------
  // End to end

  private EventLoop detecting() {
    return EventLoop.builder().name("detecting").onBlocked(E2E_THRESHOLD, this::onReport).build();
  }

  /**
   * Keeps the reports of the test's own block; a slow start of the JVM (class loading, a GC pause) may
   * block some other callback past the threshold too, which is no concern of the test.
   */
  private void onReport(BlockedLoop b) {
    if (b.stackTrace().stream().anyMatch(f -> f.getMethodName().equals("blockUntilReported"))) {
      reports.add(b);
      reported.countDown();
    }
  }

  /** Blocks the loop until the detector has reported it (bounded, so a broken detector fails the test). */
  private void blockUntilReported() {
    try {
      assertTrue(reported.await(30, TimeUnit.SECONDS), "no report of a loop blocked for 30 s");
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private BlockedLoop theReport() {
    assertEquals(1, reports.size(), () -> "one report for the one block: " + reports);
    BlockedLoop b = reports.getFirst();
    assertEquals("detecting", b.loopName());
    assertTrue(b.blockedFor().compareTo(E2E_THRESHOLD) >= 0, b::toString);
    return b;
  }

  @Test
  void aMacrotaskThatBlocks_isReportedWithItsStack() {
    EventLoop loop = detecting();
    loop.run(() -> loop.setImmediate(this::blockUntilReported));
    theReport();
    assertNoWatchdogThread("detecting");
  }

  @Test
  void aMicrotaskThatBlocks_isReportedWithItsStack() {
    EventLoop loop = detecting();
    loop.run(() -> loop.setImmediate(() -> loop.queueMicrotask(this::blockUntilReported)));
    theReport();
  }

  @Test
  void anAsyncBodyThatBlocksAfterAnAwait_isReportedWithTheBodysStackAndThread() {
    EventLoop loop = detecting();
    Thread[] bodyThread = new Thread[1];
    loop.run(() -> Async.async(() -> {
      Async.await(Timers.setImmediate());
      bodyThread[0] = Thread.currentThread();
      blockUntilReported();
      return null;
    }));
    assertSame(bodyThread[0], theReport().thread());
  }

  @Test
  void aVirtualClockLoop_isWatchedOnTheRealClock() {
    EventLoop loop = EventLoop.builder().virtualTime().name("detecting").onBlocked(E2E_THRESHOLD, this::onReport).build();
    loop.run(() -> loop.setTimeout(this::blockUntilReported, 60_000));
    theReport();
    assertEquals(60_000, loop.now());
  }

  @Test
  void aStartedLoop_waitingForWork_looksIdle_andItsWatchdogEndsWithClose() throws InterruptedException {
    // The loop's own watchdog gets an hour, so that a slow start cannot report; the test samples the loop's
    // probe with a watchdog of its own.
    EventLoop loop = EventLoop.builder().name("served").onBlocked(Duration.ofHours(1), reports::add).build();
    loop.start();
    try {
      CountDownLatch ran = new CountDownLatch(1);
      loop.execute(ran::countDown);
      assertTrue(ran.await(30, TimeUnit.SECONDS));
      Watchdog.Probe probe = probeOf(loop);
      while (probe.busyThread() != null) {
        Thread.onSpinWait(); // the loop parks at once: it has nothing to do
      }
      Watchdog w = new Watchdog(probe, THRESHOLD, reports::add);
      assertNull(w.sample(0));
      assertNull(w.sample(3_600_000 * MS), "a parked loop is not blocked");
    } finally {
      loop.close();
    }
    assertEquals(List.of(), reports);
    assertNoWatchdogThread("served");
  }

  @Test
  void aLoopWithoutTheOption_hasNoWatchdog() {
    EventLoop loop = EventLoop.builder().name("plain").build();
    Thread[] during = new Thread[1];
    loop.run(() -> during[0] = watchdogThread("plain"));
    assertNull(during[0]);
  }

  @Test
  void onBlocked_badInput_isRejectedClearly() {
    EventLoop.Builder b = EventLoop.builder();
    assertEquals("onBlocked threshold must be at least 1 ms, was PT0S",
        assertThrows(IllegalArgumentException.class, () -> b.onBlocked(Duration.ZERO, reports::add)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> b.onBlocked(Duration.ofMillis(-5)));
    assertThrows(IllegalArgumentException.class, () -> b.onBlocked(Duration.ofNanos(999_999)));
    assertEquals("threshold",
        assertThrows(NullPointerException.class, () -> b.onBlocked(null, reports::add)).getMessage());
    assertEquals("handler", assertThrows(NullPointerException.class, () -> b.onBlocked(THRESHOLD, null)).getMessage());
    b.onBlocked(Duration.ofMillis(1)).build(); // the shortest threshold is accepted
  }

  private static Watchdog.Probe probeOf(EventLoop loop) {
    Watchdog w = loop.watchdog();
    assertNotNull(w, "the started loop runs a watchdog");
    return w.probe();
  }

  private static @Nullable Thread watchdogThread(String loopName) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("eventloop4j-watchdog-" + loopName))
        .findFirst()
        .orElse(null);
  }

  private static void assertNoWatchdogThread(String loopName) {
    assertNull(watchdogThread(loopName), "the watchdog outlived the run");
  }
}
