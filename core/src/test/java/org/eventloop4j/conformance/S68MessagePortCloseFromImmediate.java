package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;
import org.eventloop4j.worker.MessageChannel;

/** Port of {@code js/68-messageport-close-from-immediate.js}. {@code on('close', f)} is {@code onClose(f)}. */
final class S68MessagePortCloseFromImmediate implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = EventLoop.builder().virtualTime().build()) {
      loop.run(() -> {
        MessageChannel ch = new MessageChannel();
        ch.port1().onMessage(m -> log.println("port1 got " + m));
        ch.port2().onMessage(m -> log.println("port2 got " + m));
        ch.port1().onClose(() -> log.println("port1 close"));
        ch.port2().onClose(() -> log.println("port2 close"));
        loop.setImmediate(() -> {
          log.println("immediate 1: closing port1");
          ch.port1().close();
          loop.setImmediate(() -> log.println("immediate 3 (queued by 1)"));
          loop.nextTick(() -> log.println("tick after close"));
        });
        loop.setImmediate(() -> log.println("immediate 2"));
      });
    }
  }
}
