package org.eventloop4j.conformance;

import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.ForAwait;
import org.eventloop4j.Promise;
import org.eventloop4j.stream.AsyncGenerator;
import org.eventloop4j.stream.AsyncIterable;

/**
 * Port of {@code js/72-asyncgen-pipeline-early-exit-and-errors.js}. Each {@code for await} that can be left
 * early is {@code try (var values = Async.forAwait(src)) { for (...) { ... } }} (see S46): the close calls
 * {@code returnValue} and awaits it. A stage's {@code catch (e)} is {@code catch (RuntimeException e)}: the
 * return request raised at a {@code yield} is an {@link Error} that it does not catch, as JavaScript's
 * return completion is not caught; {@code await null} is {@code Async.await((Object) null)}.
 */
final class S72AsyncGenPipelineEarlyExitAndErrors implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        Async.async(() -> {
          Async.await(run(log, 1, -1, 100));
          Async.await(run(log, 2, 2, -1));
          Js.labelledTicker(loop, log, "t", 40);
          Async.await(run(log, 3, -1, 100));
          Async.await(run(log, 4, 2, -1));
          log.println("done");
          return null;
        });
        log.println("sync end");
      });
    }
  }

  private static Promise<Object> run(Log log, int n, int failAt, int breakAt) {
    return Async.async(() -> {
      try {
        AsyncIterable<Integer> pipeline = stage(log, stage(log, source(log, "s" + n, 10, failAt), "a" + n), "b" + n);
        try (ForAwait<Integer> values = Async.forAwait(pipeline)) {
          for (int v : values) {
            log.println("consumer " + n + " got " + v);
            if (v == breakAt) {
              break;
            }
          }
        }
        log.println("consumer " + n + " after the loop");
      } catch (RuntimeException e) {
        log.println("consumer " + n + " caught " + e.getMessage());
      }
      return null;
    });
  }

  private static AsyncGenerator<Integer> source(Log log, String name, int n, int failAt) {
    return AsyncGenerator.of(y -> {
      try {
        for (int i = 0; i < n; i++) {
          if (i == failAt) {
            throw new IllegalStateException(name + " failed at " + i);
          }
          log.println(name + " yields " + i);
          y.yield(i);
        }
      } finally {
        log.println(name + " finally");
      }
    });
  }

  private static AsyncGenerator<Integer> stage(Log log, AsyncIterable<Integer> inner, String name) {
    return AsyncGenerator.of(y -> {
      try (ForAwait<Integer> values = Async.forAwait(inner)) {
        for (int v : values) {
          log.println(name + " got " + v);
          y.yield(v * 10);
        }
      } catch (RuntimeException e) {
        log.println(name + " caught " + e.getMessage());
        throw e;
      } finally {
        log.println(name + " finally");
        Async.await((Object) null);
        log.println(name + " finally after await");
      }
    });
  }
}
