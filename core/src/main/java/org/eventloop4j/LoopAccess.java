package org.eventloop4j;

import java.util.function.Function;
import org.eventloop4j.internal.Bridge;

/**
 * {@link Bridge.Loops} for the module's other packages: the package-private loop operations they need
 * (MessagePort's 'close' event in the close phase, its handle). Registers itself when {@link Bridge#loops()} loads it.
 */
final class LoopAccess implements Bridge.Loops {
  static {
    Bridge.register(new LoopAccess());
  }

  private LoopAccess() {}

  @Override
  public void queueCloseCallback(EventLoop loop, Runnable callback) {
    loop.queueCloseCallback(callback);
  }

  @Override
  public EventLoop.KeepAlive handle(EventLoop loop) {
    return loop.handle();
  }

  @Override
  public void runInNextPoll(EventLoop loop, Runnable task) {
    loop.runInNextPoll(task);
  }

  @Override
  public void continueInPoll(EventLoop loop, Runnable task) {
    loop.continueInPoll(task);
  }

  @Override
  public Bridge.PortDispatcher portHub(EventLoop loop, Function<EventLoop, Bridge.PortDispatcher> make) {
    return loop.portHub(make);
  }
}
