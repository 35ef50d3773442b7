package org.eventloop4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class PromiseTest {
  private final List<String> log = new ArrayList<>();
  private final EventLoop loop = EventLoop.builder().virtualTime().build();

  @Test
  void millionLinkChain_builtThenSettled_neverOverflowsTheStack() {
    int n = 1_000_000;
    AtomicReference<Integer> result = new AtomicReference<>();
    loop.run(() -> {
      Resolvers<Integer> root = Promise.withResolvers();
      Promise<Integer> p = root.promise();
      for (int i = 0; i < n; i++) {
        p = p.then(v -> v + 1);
      }
      p.thenAccept(result::set);
      root.resolve(0);
    });
    assertEquals(n, result.get());
  }

  @Test
  void deepRecursiveResolution_promiseResolvedWithPromiseChains_neverOverflows() {
    int depth = 200_000;
    AtomicReference<Object> result = new AtomicReference<>();
    loop.run(() -> {
      Promise<Object> p = Promise.resolve((Object) "deep");
      for (int i = 0; i < depth; i++) {
        Promise<Object> inner = p;
        p = Promise.create((resolve, reject) -> resolve.accept(inner));
      }
      p.thenAccept(result::set);
    });
    assertEquals("deep", result.get());
  }

  @Test
  void from_completionStageCompletedOnAnotherThread_settlesOnTheLoop_andKeepsItAlive() {
    CompletableFuture<String> future = new CompletableFuture<>();
    loop.run(() -> {
      Promise.from(future).thenAccept(v -> log.add(v + " on loop " + (EventLoop.current() == loop)));
      Thread.ofPlatform().start(() -> future.complete("value"));
    });
    assertEquals(List.of("value on loop true"), log);
  }

  @Test
  void from_failedStage_unwrapsCompletionException() {
    IOException io = new IOException("io");
    AtomicReference<Throwable> reason = new AtomicReference<>();
    loop.run(() -> Promise.from(CompletableFuture.failedFuture(io).thenApply(x -> x))
        .catchError(e -> {
          reason.set(e);
          return null;
        }));
    assertSame(io, reason.get());
  }

  @Test
  void toCompletableFuture_andJoin_fromAPlainThread() throws Exception {
    EventLoop started = EventLoop.create().start();
    try {
      CompletableFuture<Promise<String>> made = new CompletableFuture<>();
      started.execute(() -> made.complete(Async.async(() -> {
        Async.await(Async.sleep(5));
        return "late";
      })));
      Promise<String> p = made.get(10, TimeUnit.SECONDS);
      assertEquals("late", p.toCompletableFuture().get(10, TimeUnit.SECONDS));
      assertEquals("late", p.join());
    } finally {
      started.close();
    }
  }

  @Test
  void join_ofRejection_throwsUncheckedAsIs_checkedWrapped() throws Exception {
    EventLoop started = EventLoop.create().start();
    try {
      IllegalStateException unchecked = new IllegalStateException("u");
      IOException checked = new IOException("c");
      CompletableFuture<List<Promise<Object>>> made = new CompletableFuture<>();
      started.execute(() -> {
        Promise<Object> a = Promise.reject(unchecked);
        Promise<Object> b = Promise.reject(checked);
        a.catchError(e -> null);
        b.catchError(e -> null);
        made.complete(List.of(a, b));
      });
      List<Promise<Object>> ps = made.get(10, TimeUnit.SECONDS);
      assertSame(unchecked, assertThrows(IllegalStateException.class, ps.get(0)::join));
      assertSame(checked, assertThrows(CompletionException.class, ps.get(1)::join).getCause());
    } finally {
      started.close();
    }
  }

  @Test
  void join_onAPromiseOfAClosedLoop_isCancelled() throws Exception {
    EventLoop started = EventLoop.create().start();
    CompletableFuture<Promise<Object>> made = new CompletableFuture<>();
    started.execute(() -> made.complete(Promise.withResolvers().promise()));
    Promise<Object> pending = made.get(10, TimeUnit.SECONDS);
    CountDownLatch joining = new CountDownLatch(1);
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread.ofPlatform().start(() -> {
      joining.countDown();
      try {
        pending.join();
      } catch (Throwable t) {
        outcome.complete(t);
      }
    });
    joining.await();
    started.close();
    assertInstanceOf(CancellationException.class, outcome.get(10, TimeUnit.SECONDS));
  }

  @Test
  void reactionRegisteredFromAnotherLoop_runsOnThatLoop() throws Exception {
    EventLoop owner = EventLoop.create().start();
    try {
      CompletableFuture<Resolvers<String>> made = new CompletableFuture<>();
      owner.execute(() -> made.complete(Promise.withResolvers()));
      Resolvers<String> r = made.get(10, TimeUnit.SECONDS);
      EventLoop other = EventLoop.builder().virtualTime().build();
      other.run(() -> {
        r.promise().thenAccept(v -> log.add(v + " on other " + (EventLoop.current() == other)));
        owner.execute(() -> r.resolve("settled by owner"));
      });
      assertEquals(List.of("settled by owner on other true"), log);
    } finally {
      owner.close();
    }
  }

  @Test
  void settlingTwice_isIgnoredAsInJavaScript_firstWins() {
    loop.run(() -> {
      Resolvers<String> r = Promise.withResolvers();
      r.resolve("first");
      r.resolve("second");
      r.reject(new IllegalStateException("third"));
      r.promise().thenAccept(log::add);
    });
    assertEquals(List.of("first"), log);
  }

  @Test
  void selfResolution_rejectsWithTypeError() {
    AtomicReference<Throwable> reason = new AtomicReference<>();
    loop.run(() -> {
      Resolvers<Object> r = Promise.withResolvers();
      r.resolve(r.promise());
      r.promise().catchError(e -> {
        reason.set(e);
        return null;
      });
    });
    assertInstanceOf(TypeError.class, reason.get());
    assertTrue(reason.get().getMessage().contains("Chaining cycle"));
  }

  @Test
  void badInput_nullsAreRefusedWithTheParameterName() {
    loop.run(() -> {
      Promise<Object> p = Promise.resolve("x");
      assertEquals("onFulfilled", assertThrows(NullPointerException.class, () -> p.then(null)).getMessage());
      assertEquals("reason", assertThrows(NullPointerException.class, () -> Promise.reject(null)).getMessage());
      assertEquals("executor", assertThrows(NullPointerException.class, () -> Promise.create(null)).getMessage());
      assertEquals("onFinally", assertThrows(NullPointerException.class, () -> p.andFinally(null)).getMessage());
      assertThrows(NullPointerException.class, () -> Promise.all((List<Promise<Object>>) null));
      List<Promise<Object>> withNull = new ArrayList<>();
      withNull.add(p);
      withNull.add(null);
      assertEquals("promises[1] is null", assertThrows(NullPointerException.class, () -> Promise.all(withNull)).getMessage());
    });
  }

  @Test
  void creatingAPromiseOffLoop_isRefusedClearly() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Promise.resolve("x"));
    assertTrue(e.getMessage().contains("no event loop is running"), e.getMessage());
  }

  @Test
  void thenComposeReturningNull_rejectsWithAClearError() {
    AtomicReference<Throwable> reason = new AtomicReference<>();
    loop.run(() -> Promise.resolve(1).thenCompose(v -> null).catchError(e -> {
      reason.set(e);
      return null;
    }));
    assertInstanceOf(NullPointerException.class, reason.get());
    assertTrue(reason.get().getMessage().contains("thenCompose"));
  }

  @Test
  void any_allRejected_aggregatesInInputOrder() {
    AtomicReference<Throwable> reason = new AtomicReference<>();
    IllegalStateException a = new IllegalStateException("a");
    IllegalStateException b = new IllegalStateException("b");
    loop.run(() -> Promise.any(Async.async(() -> {
      Async.await(Async.sleep(10));
      throw a;
    }), Promise.reject(b)).catchError(e -> {
      reason.set(e);
      return null;
    }));
    AggregateError error = assertInstanceOf(AggregateError.class, reason.get());
    assertEquals(List.of(a, b), error.errors());
    assertEquals("All promises were rejected", error.getMessage());
  }
}
