package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.worker.MessageChannel;
import org.eventloop4j.worker.MessagePort;

/**
 * Port of {@code js/64-messageport-close.js}. {@code on('close', f)} is {@code onClose(f)}. Virtual clock (see
 * {@link S63MessagePortDeliveryPhases}); the steps are chained by 1 ms timers.
 */
final class S64MessagePortClose implements Scenario {
  private EventLoop loop;
  private Log log;

  @Override
  public void run(Log log) {
    this.log = log;
    try (EventLoop l = EventLoop.builder().virtualTime().build()) {
      loop = l;
      l.run(() -> l.setTimeout(this::step1, 1));
    }
  }

  private MessageChannel channel(int n) {
    MessageChannel ch = new MessageChannel();
    ch.port1().onMessage(m -> log.println(n + ": port1 got " + m));
    ch.port2().onMessage(m -> log.println(n + ": port2 got " + m));
    return ch;
  }

  private void step1() {
    log.println("-- 1: the receiver closes before its messages are delivered");
    MessageChannel ch = channel(1);
    ch.port1().onClose(() -> log.println("1: port1 close"));
    ch.port2().onClose(() -> {
      log.println("1: port2 close");
      loop.setTimeout(this::step2, 1);
    });
    ch.port2().postMessage("x");
    ch.port2().postMessage("y");
    ch.port1().close();
    loop.nextTick(() -> log.println("1: nextTick"));
    Promise.resolve().thenRun(() -> log.println("1: promise"));
    loop.setImmediate(() -> log.println("1: immediate"));
  }

  private void step2() {
    log.println("-- 2: the sender posts, then closes");
    MessageChannel ch = channel(2);
    ch.port1().onClose(() -> {
      log.println("2: port1 close");
      loop.setTimeout(this::step3, 1);
    });
    ch.port2().onClose(() -> log.println("2: port2 close"));
    ch.port2().postMessage("x");
    ch.port2().postMessage("y");
    ch.port2().close();
    loop.nextTick(() -> log.println("2: nextTick"));
    Promise.resolve().thenRun(() -> log.println("2: promise"));
    loop.setImmediate(() -> log.println("2: immediate"));
  }

  private void step3() {
    log.println("-- 3: the receiver closes inside its handler");
    MessageChannel ch = new MessageChannel();
    MessagePort port1 = ch.port1();
    port1.onMessage(m -> {
      log.println("3: port1 got " + m);
      if (m.equals("a")) {
        port1.close();
        loop.setImmediate(() -> log.println("3: immediate queued by handler a"));
      }
    });
    ch.port2().onMessage(m -> log.println("3: port2 got " + m));
    port1.onClose(() -> log.println("3: port1 close"));
    ch.port2().onClose(() -> log.println("3: port2 close"));
    ch.port2().postMessage("a");
    ch.port2().postMessage("b");
    ch.port2().postMessage("c");
    loop.setImmediate(() -> log.println("3: immediate"));
  }
}
