package org.eventloop4j.examples;

import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.jspecify.annotations.Nullable;

/** The seed's "Event Loop Architecture" and "Task Queues" programs. Each runs as a loop's main task. */
final class EventLoopExamples {
  private EventLoopExamples() {}

  /** {@code eventLoopExample()}: the synchronous code, then the promise jobs, then the 0 ms timers. */
  static @Nullable Promise<?> eventLoopExample(Output out) {
    EventLoop loop = EventLoop.current();
    out.log("Start");
    loop.setTimeout(() -> out.log("Timeout 1"), 0);
    Promise.resolve().thenRun(() -> out.log("Promise 1"));
    loop.setTimeout(() -> out.log("Timeout 2"), 0);
    Promise.resolve().thenRun(() -> out.log("Promise 2"));
    out.log("End");
    return null;
  }

  /**
   * {@code queueDemo()}. The seed's comment is wrong twice: "Promise 3" runs after "queueMicrotask" (it is
   * queued while "Promise 2" runs, behind the queueMicrotask job), and a top-level setTimeout(0) versus
   * setImmediate has no guaranteed order in Node.
   */
  static @Nullable Promise<?> queueDemo(Output out) {
    EventLoop loop = EventLoop.current();
    out.log("Script start");
    loop.setTimeout(() -> out.log("setTimeout"), 0);
    loop.setImmediate(() -> out.log("setImmediate"));
    Promise.resolve().thenRun(() -> out.log("Promise 1"));
    Promise.resolve().thenRun(() -> {
      out.log("Promise 2");
      Promise.resolve().thenRun(() -> out.log("Promise 3"));
    });
    loop.queueMicrotask(() -> out.log("queueMicrotask"));
    out.log("Script end");
    out.noteAtEnd("the seed's comment puts Promise 3 before queueMicrotask: wrong. Promise 3 is queued while Promise 2"
        + " runs, behind queueMicrotask, so the real order is Promise 1, Promise 2, queueMicrotask, Promise 3");
    out.noteAtEnd("top-level setTimeout(0) vs setImmediate: Node does not fix their order (the timer runs first only"
        + " if 1 ms passed before the loop started); eventloop4j runs the immediate first on virtual time");
    return null;
  }
}
