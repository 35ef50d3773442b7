package org.eventloop4j.conformance;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.stream.AsyncGenerator;
import org.eventloop4j.stream.AsyncIterable;
import org.eventloop4j.stream.AsyncIterator;
import org.eventloop4j.stream.IteratorResult;
import org.jspecify.annotations.Nullable;

/**
 * Port of {@code js/73-asyncgen-yield-star-chain-hop-costs.js}: {@code const r = yield* walk(k)} is {@code
 * Object r = y.yieldAll(walk(k))}, {@code return v} is {@code y.finish(v)} (see S69), the tree a record.
 * It pins the fused pulls of a chain of delegations against Node's hop counts.
 */
final class S73AsyncGenYieldStarChainHopCosts implements Scenario {
  private record Node(int v, List<Node> kids) {
    static Node leaf(int v) {
      return new Node(v, List.of());
    }
  }

  @Override
  public void run(Log log) {
    Node two = new Node(2, List.of(Node.leaf(3), Node.leaf(4)));
    Node tree = new Node(1, List.of(two, new Node(5, List.of(Node.leaf(6)))));
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        Async.async(() -> {
          for (Object v : Async.forAwait(walk(log, tree))) {
            log.println("got " + v);
            if (v.equals(4)) {
              Js.labelledTicker(loop, log, "a", 30);
            }
          }
          log.println("walk done");
          AsyncGenerator<Object> g = outer(log);
          log.println(Js.string(Async.await(g.next("ignored")).value()));
          log.println(Js.string(Async.await(g.next("x")).value()));
          Js.labelledTicker(loop, log, "b", 8);
          log.println(Js.string(Async.await(g.next("y")).value()));
          IteratorResult<Object> r = Async.await(g.returnValue("r"));
          log.println("return: " + r.value() + " " + r.done());
          log.println("sent done");
          AsyncGenerator<Object> h = AsyncGenerator.of(y -> y.yieldAll(handWritten()));
          log.println("hand-written: " + Async.await(h.next()).value());
          IteratorResult<Object> hr = Async.await(h.returnValue(Promise.resolve("R")));
          log.println("its return value is a promise: " + (hr.value() instanceof Promise<?>) + ", of "
              + Async.await((Promise<?>) requireNonNull(hr.value())));
          AsyncGenerator<Object> t = outer(log);
          log.println(Js.string(Async.await(t.next()).value()));
          try {
            Async.await(t.returnValue(Promise.reject(new IllegalStateException("rejected return value"))));
          } catch (IllegalStateException e) {
            log.println("return(rejected) threw: " + e.getMessage());
          }
          return null;
        });
        log.println("sync end");
      });
    }
  }

  private static AsyncGenerator<Object> walk(Log log, Node node) {
    return AsyncGenerator.of(y -> {
      log.println("enter " + node.v());
      y.yield(node.v());
      for (Node k : node.kids()) {
        Object r = y.yieldAll(walk(log, k));
        log.println("back in " + node.v() + " from " + k.v() + ": " + r);
      }
      if (node.v() == 5) {
        Async.await((Object) null);
        log.println("5 awaited");
      }
      y.finish("done " + node.v());
    });
  }

  /** The hand-written iterator: its return(v) fulfils with a promise of "inner return v" as the value. */
  private static AsyncIterable<Object> handWritten() {
    return () -> new AsyncIterator<>() {
      @Override
      public Promise<IteratorResult<Object>> next() {
        return Promise.resolve(new IteratorResult<>("h", false));
      }

      @Override
      public Promise<IteratorResult<Object>> returnValue(@Nullable Object value) {
        return Promise.resolve(new IteratorResult<>(Promise.resolve("inner return " + value), true));
      }
    };
  }

  private static AsyncGenerator<Object> echo(Log log) {
    return AsyncGenerator.of(y -> {
      try {
        Object x = y.yield("first");
        for (;;) {
          log.println("echo received " + x);
          x = y.yield("echo " + x);
        }
      } finally {
        log.println("echo finally");
      }
    });
  }

  private static AsyncGenerator<Object> outer(Log log) {
    return AsyncGenerator.of(y -> {
      Object r = y.yieldAll(echo(log));
      log.println("outer got " + r);
    });
  }
}
