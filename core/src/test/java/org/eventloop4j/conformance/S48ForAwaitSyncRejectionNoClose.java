package org.eventloop4j.conformance;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Supplier;
import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;

/**
 * Port of {@code js/48-for-await-sync-rejection-no-close.js}, following the current ECMAScript specification
 * (ECMA-262 PR #2600) rather than Node 20: when the sync iterator yields a rejected promise, the
 * async-from-sync iterator closes it before the loop throws, so its {@code finally} runs first. Compared
 * with {@code 48-for-await-sync-rejection-no-close.eventloop4j.out} (the {@code .spec.out} order; see
 * MAPPING.md). The sync generator {@code function*} is an {@link Iterator} that is {@link AutoCloseable}:
 * its {@code close()} is the generator's {@code return()}, which runs the {@code finally} block; running
 * off its end runs it too.
 */
final class S48ForAwaitSyncRejectionNoClose implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> Async.async(() -> {
        Iterable<Object> syncGen = () -> new SyncGen(log);
        try {
          for (Object v : Async.forAwait(syncGen)) {
            log.println("got " + v);
          }
        } catch (RuntimeException e) {
          log.println("loop threw: " + e.getMessage());
        }
        log.println("after loop");
        return null;
      }));
    }
  }

  /** {@code function* syncGen() { try { yield ...; yield ...; yield ...; } finally { log(...); } }}. */
  private static final class SyncGen implements Iterator<Object>, AutoCloseable {
    private final Log log;
    private final List<Supplier<Object>> values;
    private int next;
    private boolean finished;

    SyncGen(Log log) {
      this.log = log;
      this.values = List.of(
          () -> Promise.resolve("ok"), () -> Promise.reject(new RuntimeException("bad")), () -> "unreachable");
    }

    @Override
    public boolean hasNext() {
      if (!finished && next == values.size()) {
        close();
      }
      return !finished;
    }

    @Override
    public Object next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return values.get(next++).get();
    }

    /** The generator's {@code return()}: runs the {@code finally} block once. */
    @Override
    public void close() {
      if (!finished) {
        finished = true;
        log.println("sync generator finally");
      }
    }
  }
}
