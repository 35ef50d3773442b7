package org.eventloop4j.conformance;

import java.util.List;
import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.worker.Worker;
import org.eventloop4j.worker.WorkerScope;

/**
 * Port of {@code js/66-worker-lifecycle-events.js}. The worker's half of the file is {@link #script}; {@code
 * workerData} is the kind; {@code w.on('online'|'message'|'error'|'exit', f)} are {@code onOnline},
 * {@code onMessage}, {@code onError}, {@code onExit}; {@code process.exit(7)} is {@code scope.exit(7)}
 * followed by {@code return}. JavaScript's {@code new Error(m)} is a {@code RuntimeException}, whose
 * {@code e.constructor.name} is printed as {@code Error}. The async loop over the kinds is an {@code Async.async} body.
 * The parent's loop runs on virtual time (it has no timers; it only waits for its workers).
 */
final class S66WorkerLifecycleEvents implements Scenario {
  private static final List<String> KINDS =
      List.of("two messages", "throws", "rejects", "exit(7)", "listens", "posts from a timer");

  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        Async.async(() -> {
          for (String kind : KINDS) {
            Async.await(start(log, kind));
          }
          log.println("all done");
          return null;
        });
      });
    }
  }

  private static Promise<Object> start(Log log, String kind) {
    return Promise.create((resolve, reject) -> {
      log.println("-- " + kind);
      Worker w = Worker.builder().workerData(kind).start(S66WorkerLifecycleEvents::script);
      w.onOnline(() -> {
        if (kind.equals("throws") || kind.equals("rejects")) {
          log.println(kind + ": online");
        }
      });
      w.onMessage(m -> {
        log.println(kind + ": message " + m);
        if (kind.equals("listens")) {
          w.terminate().thenAccept(code -> log.println(kind + ": terminate() resolved with " + code));
        }
      });
      w.onError(e -> log.println(kind + ": error " + jsName(e) + ": " + e.getMessage()));
      w.onExit(code -> {
        log.println(kind + ": exit " + code);
        resolve.accept(null);
      });
      if (kind.equals("listens")) {
        w.postMessage("hi");
      }
    });
  }

  private static void script(WorkerScope scope) {
    switch ((String) scope.workerData()) {
      case "two messages" -> {
        scope.postMessage("one");
        scope.postMessage("two");
      }
      case "throws" -> throw new RuntimeException("boom");
      case "rejects" -> Promise.reject(new RuntimeException("rejected in worker"));
      case "exit(7)" -> {
        scope.postMessage("before exit");
        scope.exit(7);
        return;
      }
      case "listens" -> scope.onMessage(m -> scope.postMessage("echo " + m));
      case "posts from a timer" -> scope.loop().setTimeout(() -> scope.postMessage("last words"), 5);
      default -> throw new IllegalArgumentException("unknown kind");
    }
  }

  /** {@code e.constructor.name}: a plain RuntimeException stands for JavaScript's Error. */
  private static String jsName(Throwable e) {
    return e.getClass() == RuntimeException.class ? "Error" : e.getClass().getSimpleName();
  }
}
