package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;
import org.eventloop4j.worker.MessageChannel;

/**
 * Port of {@code js/65-messageport-liveness.js}. A second {@code on('message')} listener is a second {@code
 * onMessage} call (it replaces the handler; neither re-refs the port). Virtual clock: the port that keeps
 * the loop alive is what waits for the unref()ed 20 ms timer, and a listening port, a ref'd handle, lets
 * the clock jump to it (see MAPPING.md).
 */
final class S65MessagePortLiveness implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = EventLoop.builder().virtualTime().build()) {
      NodeProcess process = new NodeProcess(loop);
      process.onExit(code -> log.println("exit " + code));
      process.run(() -> {
        MessageChannel a = new MessageChannel();
        log.println("a fresh hasRef " + a.port1().hasRef());
        a.port1().onMessage(m -> log.println("a got " + m));
        log.println("a listening hasRef " + a.port1().hasRef());
        a.port1().unref();
        log.println("a unref hasRef " + a.port1().hasRef());
        a.port1().onMessage(m -> log.println("a second listener got " + m));
        log.println("a second listener hasRef " + a.port1().hasRef());
        MessageChannel b = new MessageChannel();
        b.port1().onMessage(m -> {
          log.println("b got " + m);
          b.port1().close();
        });
        b.port1().onClose(() -> log.println("b closed"));
        b.port1().unref();
        b.port1().ref();
        log.println("b ref again hasRef " + b.port1().hasRef());
        loop.setTimeout(() -> {
          log.println("unref timer posts");
          b.port2().postMessage("late");
        }, 20).unref();
        log.println("main done");
      });
    }
  }
}
