package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;
import org.eventloop4j.worker.MessageChannel;

/** Port of {@code js/78-messageport-drain-limit.js}: at most 1000 messages of a port per turn. */
final class S78MessagePortDrainLimit implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = EventLoop.builder().virtualTime().build()) {
      loop.run(() -> {
        MessageChannel ch = new MessageChannel();
        int[] last = {-1};
        ch.port2().onMessage(m -> {
          int n = (Integer) m;
          if (n == 0) {
            loop.setImmediate(() -> log.println("immediate after message " + last[0]));
          }
          last[0] = n;
          if (n % 500 == 0 || n == 999 || n == 1001) {
            log.println("message " + n);
          }
          if (n < 1200) {
            ch.port1().postMessage(n + 1);
          } else {
            ch.port2().close();
          }
        });
        ch.port1().postMessage(0);
      });
    }
  }
}
