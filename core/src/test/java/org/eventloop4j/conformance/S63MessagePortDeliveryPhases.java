package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.worker.MessageChannel;
import org.eventloop4j.worker.MessagePort;

/**
 * Port of {@code js/63-messageport-delivery-phases.js}. {@code port.on('message', f)} is {@code
 * onMessage(f)}, {@code port.on('close', f)} is {@code onClose(f)}. Virtual clock: a listening port is a
 * ref'd handle, which does not hold the clock back (see MAPPING.md).
 */
final class S63MessagePortDeliveryPhases implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = EventLoop.builder().virtualTime().build()) {
      loop.run(() -> {
        MessageChannel ch = new MessageChannel();
        MessagePort port1 = ch.port1();
        MessagePort port2 = ch.port2();
        port1.onMessage(m -> {
          log.println("message " + m);
          loop.nextTick(() -> log.println("  nextTick after " + m));
          Promise.resolve().thenRun(() -> log.println("  promise after " + m));
          if (m.equals("b")) {
            port2.postMessage("posted by handler b");
          }
          if (m.equals("from immediate 1")) {
            loop.setTimeout(() -> {
              log.println("timeout queued by message");
              port2.postMessage("from timeout");
              loop.setImmediate(() -> log.println("immediate queued by timeout"));
            }, 0);
            loop.setImmediate(() -> log.println("immediate queued by message"));
          }
          if (m.equals("from timeout")) {
            port1.close();
          }
        });
        port1.onClose(() -> log.println("port1 close"));
        port2.postMessage("a");
        port2.postMessage("b");
        loop.setImmediate(() -> {
          log.println("immediate 1");
          port2.postMessage("from immediate 1");
          loop.setImmediate(() -> log.println("immediate queued by immediate 1"));
        });
        loop.setImmediate(() -> log.println("immediate 2"));
        loop.nextTick(() -> log.println("nextTick"));
        Promise.resolve().thenRun(() -> log.println("promise"));
        log.println("main done");
      });
    }
  }
}
