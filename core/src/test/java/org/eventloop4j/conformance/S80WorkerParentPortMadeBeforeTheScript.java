package org.eventloop4j.conformance;

import java.util.ArrayList;
import java.util.List;
import org.eventloop4j.EventLoop;
import org.eventloop4j.worker.MessageChannel;
import org.eventloop4j.worker.Worker;

/**
 * Port of {@code js/80-worker-parent-port-made-before-the-script.js}: the worker's end of its channel with
 * the parent counts as made before the script runs, so it precedes the script's own ports in the worker's
 * loop. The parent's loop runs on virtual time (no timers).
 */
final class S80WorkerParentPortMadeBeforeTheScript implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        Worker w = Worker.start(scope -> {
          EventLoop here = EventLoop.current();
          List<String> seen = new ArrayList<>();
          MessageChannel c = new MessageChannel();
          c.port2().onMessage(m -> seen.add("c " + m));
          scope.onMessage(m -> {
            seen.add("parent " + m);
            c.port1().postMessage(1);
            c.port1().postMessage(2);
            here.setImmediate(() -> {
              seen.add("immediate");
              scope.postMessage(String.join(", ", seen));
              scope.parentPort().unref();
              c.port2().close();
            });
          });
        });
        w.onMessage(m -> log.println("worker saw: " + m));
        w.onExit(code -> log.println("exit " + code));
        w.postMessage("go");
        log.println("main done");
      });
    }
  }
}
