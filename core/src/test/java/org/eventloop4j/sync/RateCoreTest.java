package org.eventloop4j.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.eventloop4j.EventLoop;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * {@link RateCore} without a loop: what happens when the wake-up cannot come — the head's loop is closed
 * (its waiter is dropped and the next one served), or its timer never fires (any later call serves the
 * queue once the wake-up is overdue).
 */
class RateCoreTest {
  private long time;
  private final List<@Nullable EventLoop> armedOn = new ArrayList<>();
  private final EventLoop live = EventLoop.create();
  private final EventLoop dead = EventLoop.create();

  private final RateCore core = new RateCore(1, 10, false, () -> time, new RecordingSettler(), new RateCore.Alarm() {
    @Override
    public boolean arm(long delayMs, @Nullable EventLoop loop, RateCore c) {
      armedOn.add(loop);
      return loop != dead;
    }

    @Override
    public void disarm() {
      armedOn.add(null);
    }
  }, "rate limiter");

  private RateWaiter queue(EventLoop loop) {
    return (RateWaiter) core.enter(1, loop, false, true);
  }

  @Test
  void aHeadWhoseLoopIsClosed_isDropped_andTheNextOneServed() {
    dead.close();
    assertSame(RateCore.GRANTED, core.enter(1, live, false, true));
    RateWaiter first = queue(live);
    RateWaiter orphan = queue(dead);
    RateWaiter next = queue(live);
    core.abort(first, new IllegalStateException("gave up"));
    Throwable dropped = RecordingSettler.of(orphan).reason;
    assertInstanceOf(ClosedError.class, dropped);
    assertEquals("the event loop of a waiter of the rate limiter is closed", dropped.getMessage());
    assertEquals(List.of(live, dead, live), armedOn);
    assertEquals(1, core.waiting());
    core.advanceAndWake(() -> time += 10);
    assertTrue(RecordingSettler.of(next).fulfilled);
    assertEquals(0, core.waiting());
  }

  @Test
  void anOverdueWakeUp_isServedByTheNextCall() {
    assertSame(RateCore.GRANTED, core.enter(1, live, false, true));
    RateWaiter waiter = queue(live);
    time = 10; // the timer for 10 never fires (its loop was stopped, say)
    assertFalse(core.tryAcquire(1)); // serves the waiter first: the new window's permit is its
    assertTrue(RecordingSettler.of(waiter).fulfilled);
    RateWaiter later = queue(live);
    time = 25;
    Object third = core.enter(1, live, false, true);
    assertTrue(RecordingSettler.of(later).fulfilled); // granted at 25 by the overdue check, in FIFO order
    assertInstanceOf(RateWaiter.class, third);
    assertNull(RecordingSettler.of((RateWaiter) third).reason);
  }
}
