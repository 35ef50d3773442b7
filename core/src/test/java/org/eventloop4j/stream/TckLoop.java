package org.eventloop4j.stream;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.eventloop4j.EventLoop;
import org.reactivestreams.tck.TestEnvironment;

/** The started loops the Reactive Streams TCK runs AsyncStream's bridges on, and its timeouts. */
final class TckLoop {
  /** Every uncaught error of a TCK loop; AsyncStreamTckTest requires none. */
  static final Queue<Throwable> ERRORS = new ConcurrentLinkedQueue<>();

  private TckLoop() {}

  /** Signals must arrive within 2 s; "no signal" is checked for 100 ms (keeps the run short). */
  static TestEnvironment environment() {
    return new TestEnvironment(2_000, 100, 10);
  }

  static EventLoop start(String name) {
    return EventLoop.builder().name(name).onUncaughtException(ERRORS::add).build().start();
  }
}
