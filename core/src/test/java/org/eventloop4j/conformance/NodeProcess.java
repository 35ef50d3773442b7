package org.eventloop4j.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.eventloop4j.EventLoop;
import org.jspecify.annotations.Nullable;

/**
 * The part of Node's {@code process} object that the ports need and that the loop does not offer itself:
 * {@code 'exit'} listeners and {@code process.exit(n)}.
 *
 * <p>Node's process ends when the loop runs out of work (status 0), when an uncaught error ends it (status
 * 1) or when {@code process.exit(n)} is called; the {@code 'exit'} listeners run then, and nothing after
 * them. Here {@link #run(Runnable)} runs the loop, works out the status the same way, calls the listeners
 * after {@code EventLoop.run} has returned or thrown, and then ends like the process: normally for status
 * 0, by rethrowing the loop's error, or by throwing {@link ExitStatus}.
 */
final class NodeProcess {
  private final EventLoop loop;
  private final List<IntConsumer> exitListeners = new ArrayList<>();
  private @Nullable Integer exitCode;

  NodeProcess(EventLoop loop) {
    this.loop = loop;
  }

  /** {@code process.on('exit', listener)}: the listener gets the exit status. */
  void onExit(IntConsumer listener) {
    exitListeners.add(listener);
  }

  /**
   * {@code process.exit(code)}: stops the loop after the running callback. JavaScript's {@code exit} never
   * returns; a Java caller must {@code return} right after this call.
   */
  void exit(int code) {
    exitCode = code;
    loop.stop();
  }

  /** Runs {@code main} on the loop, then the 'exit' listeners; ends as the process would (see above). */
  void run(Runnable main) {
    RuntimeException failure = null;
    try {
      loop.run(main);
    } catch (RuntimeException e) {
      failure = e;
    }
    int code = exitCode != null ? exitCode : failure != null ? 1 : 0;
    for (IntConsumer listener : exitListeners) {
      listener.accept(code);
    }
    if (failure != null) {
      throw failure;
    }
    if (code != 0) {
      throw new ExitStatus(code);
    }
  }
}
