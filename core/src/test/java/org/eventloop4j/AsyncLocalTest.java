package org.eventloop4j;

import static org.eventloop4j.Async.async;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.eventloop4j.stream.AsyncGenerator;
import org.junit.jupiter.api.Test;

class AsyncLocalTest {
  private static final AsyncLocal<String> REQUEST = new AsyncLocal<>("none");
  private static final ThreadLocal<String> THREAD_LOCAL = new ThreadLocal<>();
  private static final ScopedValue<String> SCOPED = ScopedValue.newInstance();

  private final List<String> log = new ArrayList<>();
  private final EventLoop loop = EventLoop.builder().virtualTime().build();

  @Test
  void binding_survivesAwaits_andIsInvisibleToCallbacksRunningMeanwhile() {
    loop.run(() -> {
      for (String id : List.of("a", "b")) {
        REQUEST.run(id, () -> async(() -> {
          Async.await(Async.sleep(id.equals("a") ? 10 : 5));
          log.add(id + " sees " + REQUEST.get());
          return null;
        }));
      }
      loop.setTimeout(() -> log.add("timer sees " + REQUEST.get()), 7);
    });
    assertEquals(List.of("b sees b", "timer sees none", "a sees a"), log);
  }

  @Test
  void bindingInsideBody_isInheritedByBodiesAndGeneratorsItStarts_andEndsWithTheCall() {
    loop.run(() -> async(() -> {
      REQUEST.call("outer", () -> {
        Async.await(async(() -> {
          Async.await(Async.sleep(1));
          log.add("child " + REQUEST.get());
          return null;
        }));
        AsyncGenerator<String> g = AsyncGenerator.of(y -> y.yield("gen " + REQUEST.get()));
        log.add(Async.await(g.next()).value());
        return null;
      });
      log.add("after call " + REQUEST.get());
      return null;
    }));
    assertEquals(List.of("child outer", "gen outer", "after call none"), log);
  }

  @Test
  void threadLocalAndScopedValue_leakIntoCallbacksOnASuspendedBodysThread_asDocumented() {
    List<String> seen = new ArrayList<>();
    loop.run(() -> async(() -> {
      THREAD_LOCAL.set("body's value");
      ScopedValue.where(SCOPED, "body's binding").call(() -> {
        for (int i = 0; i < 3; i++) {
          loop.queueMicrotask(() -> seen.add(THREAD_LOCAL.get() + " / " + (SCOPED.isBound() ? SCOPED.get() : "unbound")
              + " / " + REQUEST.get()));
        }
        Async.await(Async.sleep(1));
        return null;
      });
      THREAD_LOCAL.remove();
      return null;
    }));
    // The microtasks ran while the body was suspended; the AsyncLocal never leaks, the others may.
    assertEquals(3, seen.size());
    seen.forEach(s -> assertEquals("none", s.substring(s.lastIndexOf(" / ") + 3)));
  }
}
