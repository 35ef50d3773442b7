package org.eventloop4j.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.eventloop4j.EventLoop;

/**
 * The started loops of one stress test, each reporting its uncaught errors here; the test closes them
 * after it ran ({@code @AfterEach}).
 */
final class StartedLoops implements AutoCloseable {
  private final List<EventLoop> loops = new ArrayList<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  /** Starts another loop. */
  EventLoop start() {
    EventLoop l = EventLoop.builder().onUncaughtException(failure::set).build().start();
    loops.add(l);
    return l;
  }

  /** Throws the last uncaught error a loop reported, if any. */
  void assertNoFailure() {
    Throwable t = failure.get();
    if (t != null) {
      throw new AssertionError(t);
    }
  }

  @Override
  public void close() {
    loops.forEach(EventLoop::close);
  }
}
