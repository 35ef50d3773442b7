package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.worker.MessageChannel;

/**
 * Port of {@code js/76-messageport-ports-served-in-creation-order.js}: the ports with messages are served in
 * the order they were made, each its whole queue (see MessagePort's "Delivery and order" and PortHub).
 */
final class S76MessagePortPortsServedInCreationOrder implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = EventLoop.builder().virtualTime().build()) {
      loop.run(() -> {
        MessageChannel c1 = new MessageChannel();
        MessageChannel c2 = new MessageChannel();
        MessageChannel c3 = new MessageChannel();
        c2.port2().onMessage(m -> {
          log.println("p2 " + m);
          if (m.equals("b1")) {
            c1.port1().postMessage("a-late");
            c2.port1().postMessage("b-late");
            c3.port1().postMessage("c-late");
            loop.setImmediate(() -> log.println("immediate queued by p2"));
          }
        });
        c1.port2().onMessage(m -> {
          log.println("p1 " + m);
          loop.nextTick(() -> log.println("  nextTick after " + m));
          Promise.resolve().thenRun(() -> log.println("  promise after " + m));
        });
        c3.port2().onMessage(m -> {
          log.println("p3 " + m);
          if (m.equals("c-imm")) {
            c1.port1().close();
            c2.port1().close();
            c3.port1().close();
          }
        });
        c1.port1().postMessage("a1");
        c2.port1().postMessage("b1");
        c1.port1().postMessage("a2");
        c3.port1().postMessage("c1");
        c2.port1().postMessage("b2");
        loop.setImmediate(() -> {
          log.println("immediate");
          c3.port1().postMessage("c-imm");
          c1.port1().postMessage("a-imm");
        });
        log.println("main done");
      });
    }
  }
}
