package org.eventloop4j.examples;

import java.util.List;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/** The seed's "Event Loop Architecture" and "Task Queues" programs. */
final class EventLoopExamples {
  private EventLoopExamples() {}

  static EventLoop loop(Tour.Options options) {
    return options.virtualTime() ? EventLoop.builder().virtualTime().build() : EventLoop.create();
  }

  /** {@code eventLoopExample()}: synchronous code, then the promise jobs, then the 0 ms timers. */
  static Tour.Verdict eventLoopExample(Tour.Options options, Tour.Output out) {
    EventLoop loop = loop(options);
    loop.run(() -> {
      out.println("Start");
      loop.setTimeout(() -> out.println("Timeout 1"), 0);
      Promise.resolve().thenRun(() -> out.println("Promise 1"));
      loop.setTimeout(() -> out.println("Timeout 2"), 0);
      Promise.resolve().thenRun(() -> out.println("Promise 2"));
      out.println("End");
    });
    return Tour.Verdict.matches(out.lines, List.of("Start", "End", "Promise 1", "Promise 2", "Timeout 1", "Timeout 2"));
  }

  /**
   * {@code queueDemo()}. The seed's comment is wrong twice: "Promise 3" runs after "queueMicrotask" (it is
   * queued while "Promise 2" runs, behind the queueMicrotask job), and a top-level setTimeout(0) versus
   * setImmediate has no guaranteed order in Node.
   */
  static Tour.Verdict queueDemo(Tour.Options options, Tour.Output out) {
    EventLoop loop = loop(options);
    loop.run(() -> {
      out.println("Script start");
      loop.setTimeout(() -> out.println("setTimeout"), 0);
      loop.setImmediate(() -> out.println("setImmediate"));
      Promise.resolve().thenRun(() -> out.println("Promise 1"));
      Promise.resolve().thenRun(() -> {
        out.println("Promise 2");
        Promise.resolve().thenRun(() -> out.println("Promise 3"));
      });
      loop.queueMicrotask(() -> out.println("queueMicrotask"));
      out.println("Script end");
    });
    out.note("the seed's comment puts Promise 3 before queueMicrotask: wrong, it is queued while Promise 2 runs");
    out.note("top-level setTimeout(0) vs setImmediate: Node gives no guaranteed order (both are valid)");
    List<String> head = List.of("Script start", "Script end", "Promise 1", "Promise 2", "queueMicrotask", "Promise 3");
    List<String> tail = out.lines.subList(Math.min(6, out.lines.size()), out.lines.size());
    boolean tailOk = tail.equals(List.of("setTimeout", "setImmediate")) || tail.equals(List.of("setImmediate", "setTimeout"));
    boolean ok = out.lines.subList(0, Math.min(6, out.lines.size())).equals(head) && tailOk;
    return new Tour.Verdict(ok, ok ? "same order as Node.js (its last two lines may come either way)" : "differs from Node.js");
  }
}
