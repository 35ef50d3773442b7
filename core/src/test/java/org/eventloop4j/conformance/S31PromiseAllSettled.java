package org.eventloop4j.conformance;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Promise.Settled;

/**
 * Port of {@code js/31-promise-allsettled.js}. Reasons are Throwables, so the JavaScript's string reasons
 * {@code 'b'} and {@code 'd'} become exceptions with that message, and the JSON shows the message. A
 * result is a {@link Settled} record; {@code Object.keys(r)} is {@code status} followed by the record's
 * components.
 */
final class S31PromiseAllSettled implements Scenario {
  @Override
  public void run(Log log) {
    try (EventLoop loop = Js.virtualLoop()) {
      loop.run(() -> {
        var t = new Object() {
          Promise<String> later(long ms, String v, boolean ok) {
            return Promise.create((resolve, reject) -> loop.setTimeout(() -> {
              if (ok) {
                resolve.accept(v);
              } else {
                reject.accept(new RuntimeException(v));
              }
            }, ms));
          }
        };
        Promise.allSettled(t.later(20, "a", true), t.later(5, "b", false), Promise.resolve("c"),
                Promise.<String>reject(new RuntimeException("d")))
            .thenAccept(rs -> {
              for (Settled<String> r : rs) {
                log.println(json(r) + " keys=" + keys(r));
              }
            });
      });
    }
  }

  private static String json(Settled<String> r) {
    return switch (r) {
      case Settled.Fulfilled<String> f -> "{\"status\":\"" + f.status() + "\",\"value\":\"" + f.value() + "\"}";
      case Settled.Rejected<String> j -> "{\"status\":\"" + j.status() + "\",\"reason\":\"" + j.reason().getMessage() + "\"}";
    };
  }

  private static String keys(Settled<String> r) {
    return "status," + Arrays.stream(r.getClass().getRecordComponents()).map(c -> c.getName()).collect(Collectors.joining(","));
  }
}
