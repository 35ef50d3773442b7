package org.eventloop4j.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {
  private static final String JMH = """
      [ {
        "benchmark" : "org.eventloop4j.bench.Timers1e5.schedule_eventloop4j",
        "forks" : 2,
        "params" : { "n" : "100000" },
        "primaryMetric" : { "score" : 20.0, "scoreError" : 1.5, "scoreUnit" : "ns/op",
          "rawData" : [ [ 19.0, 20.0 ], [ 21.0, 20.0 ] ] },
        "secondaryMetrics" : { "\\u00b7gc.alloc.rate.norm" : { "score" : 48.0, "scoreUnit" : "B/op" } }
      }, {
        "benchmark" : "org.eventloop4j.bench.Timers1e5.schedule_stpe",
        "primaryMetric" : { "score" : 0.08, "scoreError" : "NaN", "scoreUnit" : "us/op",
          "rawData" : [ [ 0.07, 0.09 ] ] },
        "secondaryMetrics" : { }
      } ]
      """;

  @Test
  void jmhRows_methodNames_becomeWorkloadAndImplementation() {
    List<Report.Row> rows = Report.jmhRows(JMH);
    assertEquals("timers1e5_schedule", rows.get(0).workload());
    assertEquals("eventloop4j", rows.get(0).impl());
    assertEquals(19.5, rows.get(0).lo()); // fork means
    assertEquals(20.5, rows.get(0).hi());
    assertEquals(48.0, rows.get(0).bytesPerOp());
    assertEquals(80.0, rows.get(1).ns(), 1e-9); // µs converted to ns
    assertEquals("stpe", rows.get(1).impl());
  }

  @Test
  void render_oursPeerAndNode_givesRatiosToOurs() {
    List<Report.Row> rows = new ArrayList<>(Report.jmhRows(JMH));
    rows.addAll(Report.nodeRows(List.of("# node v20", "timers1e5_schedule ns_per_op=500 n=100000",
        "timers1e5_schedule ns_per_op=400", "timers1e5_schedule ns_per_op=600")));
    String table = Report.render(rows);
    assertTrue(table.contains("| `timers1e5_schedule` | 20.0 | ScheduledThreadPoolExecutor | 80.0 | 4.00 | 500 | 25 | — | — |"), table);
    assertTrue(table.contains("|  | Node.js | 500 |  | 400 – 600 (3 runs) |  | 25 |"), table);
  }

  @Test
  void render_continuationsRow_isItsOwnColumnNotAPeer() {
    List<Report.Row> rows = new ArrayList<>();
    rows.add(new Report.Row("async_call", "eventloop4j", 500, 1, 490, 510, "3 it", Double.NaN));
    rows.add(new Report.Row("async_call", "eventloop4jContinuations", 40, 1, 39, 41, "3 it", Double.NaN));
    rows.addAll(Report.nodeRows(List.of("async_call ns_per_op=60")));
    String table = Report.render(rows);
    assertTrue(table.contains("| `async_call` | 500 | — | — | — | 60.0 | 0.12 | 40.0 | 1.50 |"), table);
  }

  @Test
  void render_ourOwnVariant_isNotTheFastestPeer() {
    List<Report.Row> rows = new ArrayList<>();
    rows.add(new Report.Row("stream_for_await", "eventloop4j", 9, 1, 8, 10, "3 it", Double.NaN));
    rows.add(new Report.Row("stream_for_await", "ourAsyncIteratorSource", 8, 1, 7, 9, "3 it", Double.NaN));
    rows.add(new Report.Row("stream_for_await", "reactorToIterable", 90, 1, 89, 91, "3 it", Double.NaN));
    String table = Report.render(rows);
    assertTrue(table.contains("| `stream_for_await` | 9.00 | reactorToIterable | 90.0 | 10 | — | — | — | — |"), table);
  }

  @Test
  void jmhRows_paramsOtherThanN_nameTheVariant() {
    String json = """
        [ { "benchmark" : "org.eventloop4j.bench.worker.PoolThroughput.eventloop4j",
            "params" : { "n" : "100000", "threads" : "2" },
            "primaryMetric" : { "score" : 100.0, "scoreError" : 1.0, "scoreUnit" : "ns/op", "rawData" : [ [ 100.0 ] ] } } ]
        """;
    assertEquals("pool_throughput_threads2", Report.jmhRows(json).getFirst().workload());
  }

  @Test
  void render_variantsOfOneWorkload_areNeverComparedWithEachOther() {
    List<Report.Row> rows = new ArrayList<>();
    rows.add(new Report.Row("pool_throughput_threads1", "eventloop4j", 100, 1, 99, 101, "3 it", Double.NaN));
    rows.add(new Report.Row("pool_throughput_threads1", "forkJoinPool", 80, 1, 79, 81, "3 it", Double.NaN));
    rows.add(new Report.Row("pool_throughput_threads2", "eventloop4j", 120, 1, 119, 121, "3 it", Double.NaN));
    rows.add(new Report.Row("pool_throughput_threads2", "forkJoinPool", 60, 1, 59, 61, "3 it", Double.NaN));
    String table = Report.render(rows);
    assertTrue(table.contains("| `pool_throughput_threads1` | 100 | forkJoinPool | 80.0 | 0.80 |"), table);
    assertTrue(table.contains("| `pool_throughput_threads2` | 120 | forkJoinPool | 60.0 | 0.50 |"), table);
  }

  @Test
  void render_ourNamedVariant_isNotTheFastestPeer() {
    List<Report.Row> rows = new ArrayList<>();
    rows.add(new Report.Row("circuit_breaker_call_breaker_call", "eventloop4j", 20, 1, 19, 21, "3 it", Double.NaN));
    rows.add(new Report.Row("circuit_breaker_call_breaker_call", "eventloop4jCountWindow", 22, 1, 21, 23, "3 it", Double.NaN));
    rows.add(new Report.Row("circuit_breaker_call_breaker_call", "resilience4j", 90, 1, 89, 91, "3 it", Double.NaN));
    String table = Report.render(rows);
    assertTrue(table.contains("| `circuit_breaker_call_breaker_call` | 20.0 | resilience4j | 90.0 | 4.50 |"), table);
  }

  @Test
  void render_peerFaster_listsTheRowWithItsReason() {
    List<Report.Row> rows = new ArrayList<>();
    rows.add(new Report.Row("immediate_chain", "eventloop4j", 17, 1, 16, 18, "3 it", Double.NaN));
    rows.add(new Report.Row("immediate_chain", "nettyNio", 10, 1, 9, 11, "3 it", Double.NaN));
    rows.add(new Report.Row("brand_new", "eventloop4j", 20, 1, 19, 21, "3 it", Double.NaN));
    rows.add(new Report.Row("brand_new", "somePeer", 10, 1, 9, 11, "3 it", Double.NaN));
    rows.add(new Report.Row("promise_chain", "eventloop4j", 10, 1, 9, 11, "3 it", Double.NaN));
    rows.add(new Report.Row("promise_chain", "completableFuture", 30, 1, 29, 31, "3 it", Double.NaN));
    rows.add(new Report.Row("close_call", "eventloop4j", 20, 5, 15, 25, "3 it", Double.NaN));
    rows.add(new Report.Row("close_call", "somePeer", 18, 1, 17, 19, "3 it", Double.NaN));
    String table = Report.render(rows);
    assertTrue(table.contains("- `immediate_chain` (Netty NIO event loop, 0.59): every step is a whole loop turn"), table);
    assertTrue(table.contains("- `brand_new` (somePeer, 0.50): no reason recorded yet."), table);
    assertTrue(table.contains("- `close_call` (somePeer, 0.90): a tie in this run: the peer's mean lies within the"
        + " range of ours (15.0 – 25.0)."), table);
    assertTrue(!table.contains("- `promise_chain` ("), table); // ours is faster there
  }

  @Test
  void snake_camelCase_becomesSnakeCase() {
    assertEquals("microtask_chain", Report.snake("MicrotaskChain"));
    assertEquals("fire_all", Report.snake("fireAll"));
    assertEquals("timers1e6", Report.snake("Timers1e6"));
  }
}
