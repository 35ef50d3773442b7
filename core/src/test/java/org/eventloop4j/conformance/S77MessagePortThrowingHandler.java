package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;
import org.eventloop4j.worker.MessageChannel;

/**
 * Port of {@code js/77-messageport-throwing-handler.js}. 'uncaughtException' is {@code onUncaughtException};
 * a handler that throws ends its port's turn, the other ports are still served.
 */
final class S77MessagePortThrowingHandler implements Scenario {
  @Override
  public void run(Log log) {
    EventLoop.Builder builder = EventLoop.builder().virtualTime()
        .onUncaughtException(e -> log.println("uncaught " + e.getMessage()));
    try (EventLoop loop = builder.build()) {
      loop.run(() -> {
        MessageChannel c = new MessageChannel();
        MessageChannel d = new MessageChannel();
        d.port2().onMessage(m -> log.println("d " + m));
        c.port2().onMessage(m -> {
          log.println("c " + m);
          if (m.equals(1)) {
            throw new IllegalStateException("boom");
          }
          if (m.equals(3)) {
            c.port1().close();
            d.port1().close();
          }
        });
        c.port1().postMessage(1);
        c.port1().postMessage(2);
        c.port1().postMessage(3);
        d.port1().postMessage("x");
        loop.setImmediate(() -> log.println("immediate"));
      });
    }
  }
}
