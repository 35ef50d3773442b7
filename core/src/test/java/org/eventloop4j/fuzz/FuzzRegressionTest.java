package org.eventloop4j.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.ForAwait;
import org.eventloop4j.Promise;
import org.eventloop4j.stream.AsyncGenerator;
import org.junit.jupiter.api.Test;

/**
 * Divergences the fuzzer found, minimized, each as a conformance-style port: the JavaScript program, the
 * output Node 20 printed for it, and the Java port that must print the same.
 */
class FuzzRegressionTest {
  /**
   * Fuzz seed 500316, minimized. A for-await consumer stays suspended forever inside its body while the
   * generator waits at a yield:
   *
   * <pre>{@code
   * const never = new Promise(() => {});
   * async function* gen() { log('gen: start'); yield 'a'; log('gen: after yield'); }
   * (async () => {
   *   for await (const v of gen()) { log('got ' + v); await never; break; }
   *   log('after the loop');
   * })();
   * log('main end');
   * }</pre>
   *
   * Node prints {@code gen: start, main end, got a}. eventloop4j unwound both bodies when the run ended; when
   * the generator was unwound first it was left "suspended at a yield", so the consumer's unwinding
   * for-await close (returnValue) started the generator's body again and printed {@code gen: start} a
   * second time.
   */
  @Test
  void forAwaitConsumerSuspendedForever_runEnds_generatorBodyNotRestarted() {
    List<String> log = new ArrayList<>();
    try (EventLoop loop = EventLoop.builder().virtualTime().build()) {
      loop.run(() -> {
        Promise<Object> never = Promise.create((resolve, reject) -> { });
        AsyncGenerator<String> gen = AsyncGenerator.of(y -> {
          log.add("gen: start");
          y.yield("a");
          log.add("gen: after yield");
        });
        Async.async(() -> {
          try (ForAwait<String> values = Async.forAwait(gen)) {
            for (String v : values) {
              log.add("got " + v);
              Async.await(never);
              break;
            }
          }
          log.add("after the loop");
          return null;
        });
        log.add("main end");
      });
    }
    assertEquals(List.of("gen: start", "main end", "got a"), log);
  }

  /**
   * The same state reached directly: once the run has ended, a generator that was suspended at a yield is
   * done, so {@code next()} reports the end instead of running the body from its start again.
   */
  @Test
  void generatorSuspendedAtYield_runEnded_nextReportsTheEnd() {
    List<String> log = new ArrayList<>();
    List<AsyncGenerator<String>> holder = new ArrayList<>();
    try (EventLoop loop = EventLoop.builder().virtualTime().build()) {
      loop.run(() -> {
        AsyncGenerator<String> gen = AsyncGenerator.of(y -> {
          log.add("gen: start");
          y.yield("a");
          log.add("gen: after yield");
        });
        holder.add(gen);
        gen.next().thenAccept(r -> log.add("first " + r.value()));
      });
      loop.run(() -> holder.get(0).next().thenAccept(r -> log.add("second done=" + r.done())));
    }
    assertEquals(List.of("gen: start", "first a", "second done=true"), log);
  }

  /**
   * Fuzz seed 501193 (and 501315, 503311, 601107), minimized: {@code return()} forwarded through {@code
   * yield*} settled one hop early.
   *
   * <pre>{@code
   * async function* inner() { log('inner start'); yield 'i1'; log('inner after'); }
   * async function* outer() { log('outer start'); yield* inner(); log('outer after'); }
   * const it = outer();
   * it.next().then((r) => log('n1 ' + fmt(r)));
   * it.return('R').then((r) => log('ret ' + fmt(r)));
   * it.next().then((r) => log('n2 ' + fmt(r)));
   * }</pre>
   *
   * with the corpus's ticker. Node prints {@code ret} after {@code tick 6}; eventloop4j printed it after
   * {@code tick 5}. ECMA-262 (YieldExpression: yield*, step "received is a return completion": after
   * awaiting the inner {@code return()}'s result, if it is done, "If generatorKind is async, set value to ?
   * Await(value)") awaits the value once more before the return completion; eventloop4j skipped that await.
   */
  @Test
  void returnThroughYieldStar_awaitsTheInnerValue_sameHopAsNode() {
    List<String> log = new ArrayList<>();
    try (EventLoop loop = EventLoop.builder().virtualTime().build()) {
      loop.run(() -> {
        var ticker = new Object() {
          int t;

          void tick() {
            log.add("tick " + (++t));
            if (t < 8) {
              loop.queueMicrotask(this::tick);
            }
          }
        };
        loop.queueMicrotask(ticker::tick);
        AsyncGenerator<String> inner = AsyncGenerator.of(y -> {
          log.add("inner start");
          y.yield("i1");
          log.add("inner after");
        });
        AsyncGenerator<String> outer = AsyncGenerator.of(y -> {
          log.add("outer start");
          y.yieldAll(inner);
          log.add("outer after");
        });
        outer.next().thenAccept(r -> log.add("n1 {" + r.value() + "," + r.done() + "}"));
        outer.returnValue("R").thenAccept(r -> log.add("ret {" + r.value() + "," + r.done() + "}"));
        outer.next().thenAccept(r -> log.add("n2 {" + r.value() + "," + r.done() + "}"));
      });
    }
    // what node prints for the program above (its ticker run to 8); undefined is Java's null
    assertEquals(List.of("outer start", "inner start", "tick 1", "tick 2", "tick 3", "n1 {i1,false}", "tick 4", "tick 5",
        "tick 6", "ret {R,true}", "n2 {null,true}", "tick 7", "tick 8"), log);
  }
}
