package org.eventloop4j.conformance;

import java.util.List;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.worker.BroadcastChannel;

/**
 * Port of {@code js/81-broadcastchannel-delivery.js}. {@code channel.onmessage = e => f(e.data)} is {@code
 * onMessage(f)}; Node's InvalidStateError is an {@link IllegalStateException} with the same message.
 */
final class S81BroadcastChannelDelivery implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = EventLoop.builder().virtualTime().build()) {
      loop.run(() -> {
        BroadcastChannel a = new BroadcastChannel("news");
        BroadcastChannel b = new BroadcastChannel("news");
        BroadcastChannel quiet = new BroadcastChannel("news");
        BroadcastChannel other = new BroadcastChannel("other");
        other.onMessage(m -> log.println("other got " + m));
        b.onMessage(m -> {
          log.println("b got " + m);
          loop.nextTick(() -> log.println("  nextTick after b " + m));
          Promise.resolve().thenRun(() -> log.println("  promise after b " + m));
          if (m.equals(1)) {
            b.postMessage("reply from b");
          }
        });
        a.onMessage(m -> {
          log.println("a got " + m);
          if (m.equals("reply from b")) {
            BroadcastChannel late = new BroadcastChannel("news");
            late.onMessage(v -> log.println("late got " + v));
            quiet.onMessage(v -> {
              log.println("quiet got " + v);
              for (BroadcastChannel c : List.of(a, b, quiet, other, late)) {
                c.close();
              }
              try {
                a.postMessage("after close");
              } catch (IllegalStateException e) {
                log.println("post after close: " + e.getMessage());
              }
            });
            loop.setImmediate(() -> log.println("immediate"));
            a.postMessage("last");
          }
        });
        a.postMessage(1);
        b.postMessage(2);
        a.postMessage(3);
        loop.setImmediate(() -> log.println("first immediate"));
        log.println("main done");
      });
    }
  }
}
