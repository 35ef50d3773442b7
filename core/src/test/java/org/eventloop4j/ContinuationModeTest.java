package org.eventloop4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The choice between the two mechanisms of async bodies (strands by default, JDK continuations opt-in) and
 * what only the continuation mechanism has to handle. The whole core suite runs in both modes (surefire's
 * default and {@code continuations} executions); these tests check that each mode is really the one asked
 * for, and the edges where the mechanisms differ inside: a body resumed by a later run's driver, a
 * monitor held across an await, and a yield that a native frame refuses.
 */
@Timeout(60)
class ContinuationModeTest {
  private final EventLoop loop = EventLoop.builder().virtualTime().build();

  @Test
  void mode_isContinuationsExactlyWhenAskedForAndExported() {
    boolean asked = Boolean.getBoolean(Continuations.PROPERTY);
    boolean exported = Object.class.getModule().isExported("jdk.internal.vm", Continuations.class.getModule());
    assertEquals(asked && exported, Continuations.ENABLED, "asked " + asked + ", exported " + exported);
  }

  @Test
  void suspendedBody_hasAStrandOfItsOwnOnlyWithoutContinuations() {
    long[] during = {0};
    long before = Strand.live();
    loop.run(() -> {
      Async.async(() -> Async.await(Async.sleep(10)));
      during[0] = Strand.live() - before; // the driver, plus the body's strand without continuations
    });
    assertEquals(Continuations.ENABLED ? 1 : 2, during[0]);
  }

  @Test
  void bodySuspendedAtTheEndOfAnAdvance_resumesInTheNextOne() {
    List<String> log = new ArrayList<>();
    loop.setTimeout(() -> {
      Async.async(() -> {
        log.add("start");
        Async.await(Async.sleep(10));
        log.add("resumed at " + loop.now());
        return null;
      });
    }, 1);
    loop.advance(5);
    assertEquals(List.of("start"), log);
    loop.advance(20);
    assertEquals(List.of("start", "resumed at 11"), log);
  }

  @Test
  void monitorHeldAcrossAnAwait_uncontended_doesNotStopTheBody() {
    Object lock = new Object();
    List<String> log = new ArrayList<>();
    loop.run(() -> {
      Async.async(() -> {
        synchronized (lock) {
          Async.await(Async.sleep(5));
          log.add("inside at " + loop.now());
        }
        return null;
      });
      loop.setTimeout(() -> log.add("timer at " + loop.now()), 1);
    });
    assertEquals(List.of("timer at 1", "inside at 5"), log);
  }

  @Test
  void awaitInAClassInitializer_failsClearly_andTheLoopGoesOn() {
    assumeTrue(Continuations.ENABLED, "only a continuation is pinned by the initializer's native frame");
    List<Object> log = new ArrayList<>();
    loop.run(() -> {
      Resolvers<String> r = Promise.withResolvers();
      awaitedByInitializer = r.promise();
      Async.async(() -> Initializer.VALUE).catchError(t -> {
        log.add(t);
        return null;
      });
      r.resolve("late"); // the disarmed resumption must not resume anything
      loop.setTimeout(() -> log.add("loop goes on"), 1);
    });
    assertEquals(2, log.size(), log.toString());
    Throwable error = assertInstanceOf(ExceptionInInitializerError.class, log.get(0));
    assertInstanceOf(IllegalStateException.class, error.getCause());
    assertTrue(error.getCause().getMessage().contains("class initialiser"), error.getCause().getMessage());
    assertEquals("loop goes on", log.get(1));
  }

  private static @Nullable Promise<String> awaitedByInitializer;

  /** A class whose initializer awaits: the JVM calls it through a native frame. */
  static final class Initializer {
    static final String VALUE = Async.await(requireNonNull(awaitedByInitializer));

    private Initializer() {}
  }
}
