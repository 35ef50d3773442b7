package org.eventloop4j.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns JMH's JSON results ({@code -rf json}) and the Node scripts' output lines into the Markdown
 * tables of BENCHMARKS.md, on standard output.
 *
 * <pre>java -cp bench/target/benchmarks.jar org.eventloop4j.bench.report.Report a.json [b.json …] [--node node.txt]</pre>
 *
 * <p>A benchmark method {@code Class.impl} or {@code Class.op_impl} is the row {@code impl} of the workload
 * {@code class_op} (snake case: {@code MicrotaskChain.eventloop4j} → {@code microtask_chain},
 * {@code Timers1e5.fireAll_eventloop4j} → {@code timers1e5_fire_all}). A Node line
 * {@code <workload> ns_per_op=N …} is that workload's Node row; a name seen on several lines (one per
 * run) gives the median and the range of the runs. Ratios are {@code x / eventloop4j}: above 1, ours is
 * faster.
 */
public final class Report {
  static final String OURS = "eventloop4j";
  static final String NODE = "node";
  /** Ours with the opt-in accelerator (async bodies as JDK continuations): neither a peer nor the default. */
  static final String ACCEL = "eventloop4jContinuations";

  /** Workloads in table order, with what one op is. Unknown workloads follow, in input order. */
  private static final Map<String, String> WORKLOADS = new LinkedHashMap<>();
  /** Implementation labels. Unknown ones are shown by their method name. */
  private static final Map<String, String> IMPLS = new LinkedHashMap<>();

  static {
    WORKLOADS.put("microtask_chain", "microtask chain: each callback queues the next (peers: a self-resubmitting task)");
    WORKLOADS.put("microtask_burst", "10^6 microtasks queued at once, then drained (peers: 10^6 tasks posted from the loop)");
    WORKLOADS.put("promise_chain", "10^6-link then() chain built up front, then settled (per link)");
    WORKLOADS.put("immediate_chain", "setImmediate chain: one loop turn per step (peers: one task per step)");
    for (String n : List.of("1e5", "1e6")) {
      String count = "10^" + n.substring(2);
      WORKLOADS.put("timers" + n + "_schedule", "schedule " + count + " timers, random 0–1000 ms (per timer)");
      WORKLOADS.put("timers" + n + "_cancel", "cancel " + count + " pending timers (per timer)");
      WORKLOADS.put("timers" + n + "_fire_all",
          "schedule + fire " + count + " timers; ours on virtual time, Node on the real clock (CPU time per timer)");
    }
    WORKLOADS.put("execute_throughput", "cross-thread execute(), 1 producer thread, 10^6 tasks (per task)");
    WORKLOADS.put("wakeup_latency", "ping-pong with an idle loop, one in flight (per round trip)");
    WORKLOADS.put("async_call", "call of an async function that never awaits, from plain code (per call)");
    WORKLOADS.put("await_resolved", "await of an already-resolved promise inside one body (per await)");
    WORKLOADS.put("await_value", "await of a plain value inside one body (per await)");
    WORKLOADS.put("await_call", "await f() inside a body, f an async function that never awaits (per call)");
    WORKLOADS.put("await_call_fused", "the same through Async.awaitCall (per call)");
    WORKLOADS.put("for_await_generator", "for await over an async generator (per value)");
    WORKLOADS.put("generator_pipeline", "3-stage async-generator pipeline, source -> map -> filter -> map (per item)");
    WORKLOADS.put("ping_pong", "two async bodies taking turns through fresh pending promises (per hop)");
    WORKLOADS.put("semaphore_uncontended_acquire_await_release", "await sem.acquire(), release, in one body (per pair)");
    WORKLOADS.put("mutex_handoff_handoff100", "100 waiters handing a mutex on, promise callbacks (per hand-off)");
    WORKLOADS.put("queue_same_loop_await_each1p2c", "same-loop AsyncQueue, 1 producer 2 consumers, each item awaited (per item)");
    WORKLOADS.put("queue_cross_thread", "AsyncQueue between threads/loops vs the JDK's and JCTools' queues (per item)");
    WORKLOADS.put("batch_throughput_batch", "BatchProcessor, batches of 10 due 5 ms after their first item, no-op batch function (per item)");
    WORKLOADS.put("batch_throughput_batch_tick", "the same, batches due at the end of the tick (per item)");
    WORKLOADS.put("circuit_breaker_call_breaker_call", "count-window circuit breaker around an already-resolved async call (per call)");
    WORKLOADS.put("stream_pipeline", "AsyncStream source -> map -> filter -> map over 10^6 items, synchronous operators (per item)");
    WORKLOADS.put("stream_for_await", "for await over a stream of 10^6 items (per item)");
    WORKLOADS.put("stream_map_async_ordered", "mapAsync with concurrency 16 over already-resolved promises (per item)");
    WORKLOADS.put("stream_map_async_unordered", "mapAsyncUnordered with concurrency 16 over already-resolved promises (per item)");
    WORKLOADS.put("pool_roundtrip", "WorkerPool round trip of a trivial task (per task)");
    WORKLOADS.put("pool_throughput", "WorkerPool with 256 trivial tasks in flight (per task)");
    WORKLOADS.put("cpu_split", "the seed's CPU job split over the pool's threads (per job)");
    WORKLOADS.put("atomics_add_single", "Atomics.add on one Int32Array slot, one thread (per add)");

    IMPLS.put(OURS, "**eventloop4j**");
    IMPLS.put(ACCEL, "**eventloop4j**, continuations");
    IMPLS.put("nettyNio", "Netty NIO event loop");
    IMPLS.put("nettyDefault", "Netty DefaultEventLoop");
    IMPLS.put("jdkSingleThread", "JDK newSingleThreadExecutor");
    IMPLS.put("vertx", "Vert.x runOnContext");
    IMPLS.put("completableFuture", "CompletableFuture.thenApply");
    IMPLS.put("nettyHashedWheel", "Netty HashedWheelTimer");
    IMPLS.put("stpe", "ScheduledThreadPoolExecutor");
    IMPLS.put("javaDataloader", "java-dataloader (no cache)");
    IMPLS.put(NODE, "Node.js");
  }

  /**
   * One implementation's result for one workload. {@code lo}/{@code hi}: the range of fork means (JMH,
   * {@code forks > 1}), of iterations (JMH, one fork) or of runs (Node).
   */
  record Row(String workload, String impl, double ns, double error, double lo, double hi, String rangeOf,
      double bytesPerOp) {}

  private Report() {}

  public static void main(String[] args) throws IOException {
    List<Path> jmh = new ArrayList<>();
    Path node = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--node") && i + 1 < args.length) {
        node = Path.of(args[++i]);
      } else if (args[i].startsWith("--")) {
        usage();
      } else {
        jmh.add(Path.of(args[i]));
      }
    }
    if (jmh.isEmpty()) {
      usage();
    }
    List<Row> rows = new ArrayList<>();
    for (Path p : jmh) {
      rows.addAll(jmhRows(Files.readString(p)));
    }
    if (node != null && Files.exists(node)) {
      rows.addAll(nodeRows(Files.readAllLines(node)));
    }
    System.out.print(render(rows));
  }

  private static void usage() {
    System.err.println("usage: Report results.json [more.json …] [--node node-results.txt]");
    System.exit(2);
  }

  // ---------------------------------------------------------------------------------------------- input

  static List<Row> jmhRows(String json) {
    List<Row> rows = new ArrayList<>();
    for (Object o : (List<?>) Json.parse(json)) {
      Map<?, ?> result = (Map<?, ?>) o;
      String benchmark = (String) result.get("benchmark");
      String[] parts = benchmark.split("\\.");
      String cls = parts[parts.length - 2];
      String method = parts[parts.length - 1];
      int cut = method.lastIndexOf('_');
      String workload = snake(cls) + (cut < 0 ? "" : "_" + snake(method.substring(0, cut)));
      String impl = cut < 0 ? method : method.substring(cut + 1);

      Map<?, ?> primary = (Map<?, ?>) result.get("primaryMetric");
      String unit = (String) primary.get("scoreUnit");
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      List<?> forks = (List<?>) primary.get("rawData");
      for (Object fork : forks) {
        if (forks.size() > 1) {
          double mean = mean((List<?>) fork);
          lo = Math.min(lo, mean);
          hi = Math.max(hi, mean);
        } else {
          for (Object it : (List<?>) fork) {
            lo = Math.min(lo, Json.number(it));
            hi = Math.max(hi, Json.number(it));
          }
        }
      }
      String rangeOf = forks.size() > 1 ? forks.size() + " forks" : count(((List<?>) forks.get(0)).size(), "it");
      double score = Json.number(primary.get("score"));
      double ns = nanosPerOp(unit, score);
      double error = Json.number(primary.get("scoreError"));
      double nsError = unit.endsWith("/op") ? error * toNanos(unit) : ns * error / score;
      double a = nanosPerOp(unit, lo);
      double b = nanosPerOp(unit, hi);
      rows.add(new Row(workload, impl, ns, nsError, Math.min(a, b), Math.max(a, b), rangeOf, allocation(result)));
    }
    return rows;
  }

  /** {@code -prof gc}'s bytes per op, or NaN without that profiler. */
  private static double allocation(Map<?, ?> result) {
    if (result.get("secondaryMetrics") instanceof Map<?, ?> secondary) {
      for (Map.Entry<?, ?> e : secondary.entrySet()) {
        if (((String) e.getKey()).endsWith("gc.alloc.rate.norm")) {
          return Json.number(((Map<?, ?>) e.getValue()).get("score"));
        }
      }
    }
    return Double.NaN;
  }

  static List<Row> nodeRows(List<String> lines) {
    Map<String, List<Double>> runs = new LinkedHashMap<>();
    for (String line : lines) {
      String[] fields = line.trim().split("\\s+");
      if (fields.length < 2 || fields[0].startsWith("#")) {
        continue;
      }
      for (String f : fields) {
        if (f.startsWith("ns_per_op=")) {
          runs.computeIfAbsent(fields[0], k -> new ArrayList<>()).add(Double.parseDouble(f.substring(10)));
        }
      }
    }
    List<Row> rows = new ArrayList<>();
    runs.forEach((workload, values) -> {
      List<Double> sorted = values.stream().sorted().toList();
      rows.add(new Row(workload, NODE, median(sorted), Double.NaN, sorted.getFirst(), sorted.getLast(),
          count(sorted.size(), "run"), Double.NaN));
    });
    return rows;
  }

  // --------------------------------------------------------------------------------------------- output

  static String render(List<Row> rows) {
    Map<String, List<Row>> byWorkload = new LinkedHashMap<>();
    WORKLOADS.keySet().forEach(w -> byWorkload.put(w, new ArrayList<>()));
    rows.forEach(r -> byWorkload.computeIfAbsent(r.workload(), k -> new ArrayList<>()).add(r));
    byWorkload.values().removeIf(List::isEmpty);
    List<String> implOrder = new ArrayList<>(IMPLS.keySet());
    Comparator<Row> order = Comparator.comparingInt((Row r) -> r.impl().equals(NODE) ? 3 : r.impl().equals(OURS) ? 0 : r.impl().equals(ACCEL) ? 1 : 2)
        .thenComparingInt(r -> implOrder.indexOf(r.impl()) < 0 ? Integer.MAX_VALUE : implOrder.indexOf(r.impl()));
    byWorkload.values().forEach(list -> list.sort(order));

    StringBuilder out = new StringBuilder();
    out.append("## Summary\n\n");
    out.append("Ratios are x / eventloop4j: above 1 means eventloop4j is faster. \"continuations\": the same ")
        .append("workload with the opt-in accelerator (async bodies as JDK continuations, see README).\n\n");
    out.append("| workload | eventloop4j ns/op | fastest JVM peer | its ns/op | peer / ours | Node.js ns/op | Node / ours ")
        .append("| continuations ns/op | Node / continuations |\n");
    out.append("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    byWorkload.forEach((workload, list) -> {
      Row ours = find(list, OURS);
      Row node = find(list, NODE);
      Row accel = find(list, ACCEL);
      Row peer = list.stream().filter(r -> isPeer(r.impl()))
          .min(Comparator.comparingDouble(Row::ns)).orElse(null);
      out.append("| `").append(workload).append("` | ").append(ours == null ? "—" : fmt(ours.ns()))
          .append(" | ").append(peer == null ? "—" : label(peer.impl()))
          .append(" | ").append(peer == null ? "—" : fmt(peer.ns()))
          .append(" | ").append(ratio(peer, ours))
          .append(" | ").append(node == null ? "—" : fmt(node.ns()))
          .append(" | ").append(ratio(node, ours))
          .append(" | ").append(accel == null ? "—" : fmt(accel.ns()))
          .append(" | ").append(accel == null ? "—" : ratio(node, accel)).append(" |\n");
    });

    out.append("\n## All results\n\n");
    out.append("ns/op: JMH's mean (± its 99.9 % confidence half-width) or, for Node, the median of the runs. ")
        .append("Range: the lowest and highest fork mean (or iteration, with one fork; or run, for Node). ")
        .append("B/op: bytes allocated per op (`-prof gc`), where measured.\n\n");
    out.append("| workload | implementation | ns/op | ± | range | B/op | x / ours |\n");
    out.append("| --- | --- | ---: | ---: | --- | ---: | ---: |\n");
    byWorkload.forEach((workload, list) -> {
      Row ours = find(list, OURS);
      boolean first = true;
      for (Row r : list) {
        out.append("| ").append(first ? "`" + workload + "`" : "").append(" | ").append(label(r.impl()))
            .append(" | ").append(fmt(r.ns()))
            .append(" | ").append(Double.isNaN(r.error()) ? "" : fmt(r.error()))
            .append(" | ").append(fmt(r.lo())).append(" – ").append(fmt(r.hi())).append(" (").append(r.rangeOf()).append(")")
            .append(" | ").append(Double.isNaN(r.bytesPerOp()) ? "" : fmt(r.bytesPerOp()))
            .append(" | ").append(r == ours ? "1" : ratio(r, ours)).append(" |\n");
        first = false;
      }
    });
    out.append("\nWorkloads:\n\n");
    byWorkload.keySet().forEach(w -> out.append("- `").append(w).append("`: ")
        .append(WORKLOADS.getOrDefault(w, "(no description)")).append('\n'));
    return out.toString();
  }

  private static Row find(List<Row> rows, String impl) {
    return rows.stream().filter(r -> r.impl().equals(impl)).findFirst().orElse(null);
  }

  /**
   * Whether {@code impl} is a peer: not Node, not ours, and not one of our own variants of the workload
   * (JMH methods named {@code our...}, e.g. StreamPipeline.ourGeneratorSource), which the summary must not
   * present as the fastest JVM peer.
   */
  static boolean isPeer(String impl) {
    return !impl.equals(OURS) && !impl.equals(NODE) && !impl.equals(ACCEL) && !impl.startsWith("our");
  }

  private static String label(String impl) {
    return IMPLS.getOrDefault(impl, impl);
  }

  private static String ratio(Row x, Row ours) {
    if (x == null || ours == null || !(ours.ns() > 0)) {
      return "—";
    }
    return String.format(Locale.ROOT, x.ns() / ours.ns() >= 10 ? "%.0f" : "%.2f", x.ns() / ours.ns());
  }

  /** Three significant digits, thousands grouped with a space. */
  static String fmt(double v) {
    if (Double.isNaN(v)) {
      return "—";
    }
    double a = Math.abs(v);
    if (a >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", v).replace(',', ' ');
    }
    if (a >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }

  static String snake(String camel) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c) && i > 0) {
        sb.append('_');
      }
      sb.append(Character.toLowerCase(c));
    }
    return sb.toString();
  }

  /** A score as ns per op: a time per op scaled, a throughput ({@code ops/us} and the like) inverted. */
  static double nanosPerOp(String unit, double score) {
    if (unit.endsWith("/op")) {
      return score * toNanos(unit);
    }
    return switch (unit) {
      case "ops/ns" -> 1 / score;
      case "ops/us" -> 1e3 / score;
      case "ops/ms" -> 1e6 / score;
      case "ops/s" -> 1e9 / score;
      default -> throw new IllegalArgumentException("not a time per op nor a throughput: " + unit);
    };
  }

  private static double toNanos(String unit) {
    return switch (unit) {
      case "ns/op" -> 1;
      case "us/op" -> 1e3;
      case "ms/op" -> 1e6;
      case "s/op" -> 1e9;
      default -> throw new IllegalArgumentException("not a time per op: " + unit + " (run JMH in avgt mode)");
    };
  }

  private static String count(int n, String what) {
    return n + " " + what + (n == 1 ? "" : "s");
  }

  private static double mean(List<?> values) {
    return values.stream().mapToDouble(Json::number).average().orElse(Double.NaN);
  }

  private static double median(List<Double> sorted) {
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
