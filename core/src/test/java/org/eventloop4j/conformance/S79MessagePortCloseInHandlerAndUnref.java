package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;
import org.eventloop4j.worker.MessageChannel;

/**
 * Port of {@code js/79-messageport-close-in-handler-and-unref.js}: a port closed by its own handler finishes
 * its turn first; a same-thread message to an unref()ed port is not delivered once nothing keeps the loop
 * alive.
 */
final class S79MessagePortCloseInHandlerAndUnref implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = EventLoop.builder().virtualTime().build()) {
      loop.run(() -> {
        MessageChannel a = new MessageChannel();
        MessageChannel b = new MessageChannel();
        b.port2().onMessage(m -> log.println("b got " + m));
        b.port2().unref();
        a.port2().onMessage(m -> {
          log.println("a got " + m);
          if (m.equals("x")) {
            a.port2().close();
            a.port1().postMessage("y");
            loop.setImmediate(() -> log.println("immediate"));
          }
        });
        a.port2().onClose(() -> {
          log.println("a closed");
          b.port1().postMessage("never delivered");
        });
        a.port1().postMessage("x");
        log.println("main done");
      });
    }
  }
}
