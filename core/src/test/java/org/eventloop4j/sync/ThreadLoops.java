package org.eventloop4j.sync;

import java.util.concurrent.Callable;
import org.eventloop4j.EventLoop;

/**
 * One virtual-time event loop per test thread, for the model checks: an operation that must run on a loop
 * is posted to the calling thread's loop, which then runs until idle — also delivering what other threads
 * posted to it (grants, rejections) in the meantime.
 */
final class ThreadLoops {
  private final ThreadLocal<EventLoop> loops = ThreadLocal.withInitial(() -> EventLoop.builder().virtualTime().build());

  @SuppressWarnings("unchecked")
  <T> T call(Callable<T> op) {
    EventLoop loop = loops.get();
    Object[] out = new Object[1];
    RuntimeException[] failure = new RuntimeException[1];
    loop.execute(() -> {
      try {
        out[0] = op.call();
      } catch (RuntimeException e) {
        failure[0] = e;
      } catch (Exception e) {
        failure[0] = new IllegalStateException(e);
      }
    });
    loop.runUntilIdle();
    if (failure[0] != null) {
      throw failure[0];
    }
    return (T) out[0];
  }
}
