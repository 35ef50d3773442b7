package org.eventloop4j.conformance;

import org.eventloop4j.EventLoop;
import org.eventloop4j.worker.MessageChannel;
import org.eventloop4j.worker.MessagePort;
import org.eventloop4j.worker.Worker;

/**
 * Port of {@code js/67-worker-transferred-port.js}. A transfer ({@code postMessage({port}, [port])}) is
 * posting the port itself: messages are passed by reference and the loop that calls {@code onMessage} on a
 * port owns it. {@code parentPort.once('message', f)} is {@code onMessage} followed, in the handler, by
 * {@code parentPort().unref()}: removing the last 'message' listener unrefs the port in Node. The parent's
 * loop runs on virtual time (no timers).
 */
final class S67WorkerTransferredPort implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        Worker w = Worker.start(scope -> scope.onMessage(msg -> {
          scope.parentPort().unref();
          MessagePort port = (MessagePort) msg;
          scope.postMessage("worker got a port");
          port.onMessage(m -> port.postMessage("pong " + m));
          port.onClose(() -> scope.postMessage("worker saw its port close"));
        }));
        MessageChannel ch = new MessageChannel();
        MessagePort port1 = ch.port1();
        w.onMessage(m -> log.println("parent: " + m));
        w.onExit(code -> log.println("exit " + code));
        port1.onMessage(m -> {
          log.println("port1 got " + m);
          if (m.equals("pong 2")) {
            port1.close();
          }
        });
        port1.postMessage(1);
        w.postMessage(ch.port2());
        port1.postMessage(2);
        log.println("main done");
      });
    }
  }
}
