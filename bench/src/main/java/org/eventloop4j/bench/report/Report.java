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
  /** Why a peer can beat ours on a workload: a difference of shape or of guarantees, not of effort. */
  private static final Map<String, String> WHY_PEER_FASTER = new LinkedHashMap<>();
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
    WORKLOADS.put("queue_same_loop_batched1p2c", "the same with offer while there is room and popMany(256) (per item)");
    WORKLOADS.put("mutex_handoff_handoff100_async", "100 async bodies awaiting each lock (Node's shape; every await"
        + " suspends, so each hand-off switches virtual threads) (per hand-off)");
    WORKLOADS.put("semaphore_uncontended_acquire_release", "acquire() + release() on one loop, the promise not waited for (per pair)");
    WORKLOADS.put("semaphore_uncontended_try_acquire_release", "tryAcquire() + release() on one loop (per pair)");
    WORKLOADS.put("semaphore_uncontended_lock_unlock", "Mutex lock() + unlock() on one loop, the promise not waited for (per pair)");
    WORKLOADS.put("semaphore_uncontended_acquire_then_release", "acquire().thenRun(release): one reaction and microtask per pair");
    for (int c = 1; c <= 2; c++) {
      WORKLOADS.put("queue_cross_thread_consumers" + c, "bounded queue (1024) from a producer thread to " + c
          + " consumer thread" + (c == 1 ? "" : "s") + ": AsyncQueue between loops vs the JDK's, JCTools' and the Disruptor's (per item)");
    }
    WORKLOADS.put("rate_limiter_permit_try_acquire", "RateLimiter.tryAcquire() with budget to spare, on a loop (per"
        + " call; peers: Resilience4j acquirePermission, Failsafe tryAcquirePermit)");
    WORKLOADS.put("rate_limiter_permit_acquire", "RateLimiter.acquire() with budget to spare, on a loop: an already"
        + " fulfilled promise (per call)");
    WORKLOADS.put("batch_throughput_batch", "BatchProcessor, batches of 10 due 5 ms after their first item, no-op batch function (per item)");
    WORKLOADS.put("batch_throughput_batch_tick", "the same, batches due at the end of the tick (per item)");
    WORKLOADS.put("circuit_breaker_call_breaker_call", "circuit breaker around an already-resolved async call (per call;"
        + " peers: Resilience4j, Failsafe)");
    WORKLOADS.put("retry_call_success", "retry (3 attempts) around an already-resolved async call that succeeds (per"
        + " call; peers: Resilience4j, Failsafe)");
    WORKLOADS.put("retry_call_bare", "the same call without a retry: the baseline to subtract (per call)");
    WORKLOADS.put("adaptive_limiter_call_execute", "adaptive (AIMD) concurrency limit around an already-resolved async"
        + " call, below its limit: permit promise, then the call (per call)");
    WORKLOADS.put("adaptive_limiter_call_try_execute", "the same through tryExecute: the call at once, or refused"
        + " (per call; peer: Netflix concurrency-limits)");
    WORKLOADS.put("adaptive_limiter_call_bare", "the same call without a limiter: the baseline to subtract (per call)");
    WORKLOADS.put("circuit_breaker_call_bare_call", "the same call without a breaker: the baseline to subtract (per call)");
    WORKLOADS.put("batch_throughput_item_promise_floor", "the per-item promise alone, no batching: the floor of batch_throughput (per item)");
    WORKLOADS.put("stream_pipeline", "AsyncStream source -> map -> filter -> map over 10^6 items, synchronous operators (per item)");
    WORKLOADS.put("stream_for_await", "for await over a stream of 10^6 items (per item)");
    WORKLOADS.put("stream_map_async_ordered", "mapAsync with concurrency 16 over already-resolved promises (per item)");
    WORKLOADS.put("stream_map_async_unordered", "mapAsyncUnordered with concurrency 16 over already-resolved promises (per item)");
    for (int t = 1; t <= 2; t++) {
      String threads = t == 1 ? "1 thread" : t + " threads";
      WORKLOADS.put("pool_roundtrip_threads" + t, "WorkerPool round trip of a trivial task, one in flight, " + threads
          + " (per task; Node: a 1-worker pool)");
      WORKLOADS.put("pool_throughput_threads" + t, "WorkerPool with 256 trivial tasks in flight, " + threads
          + " (per task; Node: a 1-worker pool)");
    }
    WORKLOADS.put("cpu_split", "the seed's CPU job split over the pool's threads (per job)");
    WORKLOADS.put("worker_roundtrip", "postMessage round trip parent -> Worker -> parent, one in flight (per message)");
    WORKLOADS.put("worker_throughput", "postMessage echo through one Worker, 256 in flight (per message)");
    WORKLOADS.put("port_messages", "two MessageChannels on one loop bouncing 64 messages between them (per delivery)");
    WORKLOADS.put("atomics_add_single", "Atomics.add on one Int32Array slot, one thread (per add)");
    WORKLOADS.put("atomics_add_pair_same", "Atomics.add from 2 threads on the same slot (per add, both threads' total)");
    WORKLOADS.put("atomics_add_pair_adjacent", "Atomics.add from 2 threads on adjacent slots, one cache line (per add)");
    WORKLOADS.put("atomics_add_pair_padded", "Atomics.add from 2 threads on slots 128 bytes apart (per add)");
    WORKLOADS.put("shared_mutex_lock_uncontended", "SharedMutex lock() + unlock() around a counter increment, one"
        + " thread (per pair; peer: non-fair ReentrantLock; Node has no shared-memory mutex)");
    WORKLOADS.put("shared_mutex_lock_signal_nobody", "SharedCondition.signal() with nobody waiting: an add, a fence"
        + " and a read (per signal; peer: ReentrantLock lock + Condition.signal + unlock)");
    WORKLOADS.put("shared_mutex_lock_contended2", "the same from 2 threads on one lock (per pair, both threads' total)");

    WHY_PEER_FASTER.put("immediate_chain", "every step is a whole loop turn (the timers, poll, check and close"
        + " phases, as in Node) and allocates the handle that `clearImmediate` takes (48 B); the peer re-submits"
        + " one preallocated task to its queue.");
    for (String n : List.of("1e5", "1e6")) {
      WHY_PEER_FASTER.put("timers" + n + "_cancel", "`clear()` unlinks the timer from its list at once, as Node's"
          + " `clearTimeout` does (with many timers live, the neighbour it relinks is a cache miss);"
          + " `HashedWheelTimer.cancel` only marks the timeout and queues it for its worker thread, which unlinks"
          + " it on the other core, outside the measured thread.");
    }
    WHY_PEER_FASTER.put("stream_map_async_unordered", "Reactor's and RxJava's `flatMap` recognise `Mono.just` /"
        + " `Flowable.just` as a scalar and emit its value inline, with no inner subscription; `mapAsyncUnordered`"
        + " takes every promise's value through a reaction (a microtask per item), as a promise demands.");
    WHY_PEER_FASTER.put("stream_pipeline", "a tie: both run the synchronous stages as one fused loop per item.");
    WHY_PEER_FASTER.put("execute_throughput", "Netty's loop runs its task queue in a tight loop; ours runs each"
        + " posted task as a poll-phase callback followed by its own drain (ticks, microtasks, the rejection"
        + " check), as Node runs an I/O callback, which JavaScript's ordering needs.");
    for (int t = 1; t <= 2; t++) {
      WHY_PEER_FASTER.put("pool_throughput_threads" + t, "the peers' next task is submitted by the pool thread"
          + " that completed the previous one (the common ForkJoinPool keeps it on that thread's own deque, so"
          + " nothing crosses threads); ours settles every result on the submitting loop, as the API promises,"
          + " so each task crosses to a pool thread and back: compare the row of Vert.x's `executeBlocking`, the one"
          + " peer that keeps that contract (its result comes back to the submitting event loop).");
    }
    WHY_PEER_FASTER.put("ping_pong", "a tie: in the default mode every hop switches virtual threads, as the"
        + " peer's blocking join does, and both are bimodal (the switch stays on one carrier or crosses to the"
        + " other); the continuations column has no switch.");
    WHY_PEER_FASTER.put("queue_cross_thread_consumers1", "a bimodal cross-thread row (see above): our iterations"
        + " ranged from the fast mode to the slow one; in runs that land in the fast mode ours is ahead of every"
        + " peer (e.g. 47 ns against JCTools' 83 earlier the same day).");
    WHY_PEER_FASTER.put("cpu_split", "the same two threads doing the same arithmetic (one task per thread per"
        + " job, so no queue traffic to speak of), and the row moves with the other CPU's load: run alone"
        + " (`CpuSplit -f 1 -wi 2 -i 4`) on 2026-12-06, ours took 108.5 ms, the peer 109.7 and one thread 208.0"
        + " (1.92×).");
    WHY_PEER_FASTER.put("atomics_add_single", "one `lock xadd` either way; ours also checks the index against"
        + " the view (a VarHandle on a MemorySegment).");
    WHY_PEER_FASTER.put("shared_mutex_lock_uncontended", "two atomic instructions either way (the lock's CAS and"
        + " the unlock's exchange against ReentrantLock's CAS and volatile store); ours also checks the element"
        + " index against its view (a VarHandle on a MemorySegment).");
    WHY_PEER_FASTER.put("shared_mutex_lock_contended2", "both spin briefly and then park; ReentrantLock parks on a"
        + " queue of its own object, ours goes through the buffer's waiter list (a lock and a hash lookup per"
        + " wait and per notify), the price of waiting keyed by address.");
    WHY_PEER_FASTER.put("semaphore_uncontended_acquire_release", "two atomic instructions either way (the"
        + " acquire's CAS and the release's); ours also answers with a promise.");
    WHY_PEER_FASTER.put("semaphore_uncontended_lock_unlock", "two atomic instructions either way (the lock's CAS"
        + " and the unlock's); ours also answers with a promise.");
    WHY_PEER_FASTER.put("promise_chain", "the same 80 B per link either way (`-prof gc`: a promise, its reaction"
        + " and the boxed value against a future, its completion and the boxed value), and all links are live at"
        + " once, so the row is mostly young-generation copying and moves with the heap's state; besides, each"
        + " settled link's reaction goes through the microtask queue, as ECMAScript's job queue demands, where the"
        + " peer completes its dependents from its own stack.");
    WHY_PEER_FASTER.put("stream_map_async_ordered", "each call's promise reaches the stage through a reaction"
        + " (one microtask per item, as a promise demands) and a slot per element that keeps the input order;"
        + " the peer's inner `Mono.just` emits during its own subscription, with no job queue in between.");
    WHY_PEER_FASTER.put("atomics_add_pair_same", "both threads `lock xadd` the same word either way, so the"
        + " word's cache line travelling between the cores sets the cost, which moves with the host (7.2 ns for"
        + " both in the run of 2026-12-04 19:32); ours also checks the index against the view.");
    WHY_PEER_FASTER.put("shared_mutex_lock_signal_nobody", "about the same work: ours an atomic add, a fence and"
        + " a read of the waiter count, the peer's lock CAS, a read of its queue and the unlock's store; ours"
        + " also checks the element index against its view.");
    WHY_PEER_FASTER.put("atomics_add_pair_adjacent", "one `lock xadd` either way on a cache line that both threads"
        + " write, so the line's transfers between the cores set the cost; ours also checks the index against"
        + " the view (a VarHandle on a MemorySegment).");
    WHY_PEER_FASTER.put("retry_call_success", "the rows are not alike: ours is a chain of promise reactions on a"
        + " loop, one call started from the previous one's reaction, whose bare row (`retry_call_bare`) is itself"
        + " ≈ 17–20 ns; Resilience4j's joins an already-completed CompletableFuture in a plain loop (its bare row"
        + " ≈ 0.3 ns). Overhead over the bare row: ours ≈ 1 ns and 0 B (a first attempt already fulfilled on"
        + " the loop is the outcome itself), Resilience4j's ≈ 10 ns and 48 B, Failsafe's ≈ 110 ns.");
    WHY_PEER_FASTER.put("retry_call_bare", "a baseline, not a contest: `sync` is a plain Java call and"
        + " `completableFuture` a join of a completed future, with no loop at all; subtract each bare row from its"
        + " retry row.");
    WHY_PEER_FASTER.put("queue_cross_thread_consumers2", "a cross-thread row, bimodal with the host (see above; in"
        + " this run JCTools was in its slow mode too): each item for a consumer loop that waits is posted to that"
        + " loop and wakes it if it parks, where the JDK queue's consumer threads take items under one lock; in the"
        + " run of 2026-12-04 21:56 ours was 79.1 ns against the JDK queue's 90.1.");
    WHY_PEER_FASTER.put("batch_throughput_batch", "ours answers every add with a promise of that item's own result"
        + " (the floor row `batch_throughput_item_promise_floor` is most of the cost); the peer's items get no result"
        + " of their own.");
    WHY_PEER_FASTER.put("stream_for_await", "within 20 %: ours takes each item through the async-iterator protocol"
        + " (an IteratorResult per item; `ourAsyncIteratorSource` is that protocol alone); the peers' blocking"
        + " iterables hand out prefetched items from a queue on the same thread, with no object per item.");
    WHY_PEER_FASTER.put("atomics_add_pair_padded", "a tie: each thread `lock xadd`s a cache line of its own either"
        + " way; ours also checks the index against the view.");
    WHY_PEER_FASTER.put("adaptive_limiter_call_bare", "a baseline, not a contest: `sync` is a plain Java call"
        + " with no promise at all; subtract each bare row from its limiter row.");
    WHY_PEER_FASTER.put("circuit_breaker_call_bare_call", "a baseline, not a contest: `sync` is a plain Java call"
        + " with no promise at all; subtract each bare row from its breaker row.");

    IMPLS.put(OURS, "**eventloop4j**");
    IMPLS.put(ACCEL, "**eventloop4j**, continuations");
    IMPLS.put("eventloop4jUntimed", "**eventloop4j**, `recordTiming(false)`");
    IMPLS.put("eventloop4jWatched", "**eventloop4j**, `onBlocked` detector on");
    IMPLS.put("nettyNio", "Netty NIO event loop");
    IMPLS.put("nettyDefault", "Netty DefaultEventLoop");
    IMPLS.put("jdkSingleThread", "JDK newSingleThreadExecutor");
    IMPLS.put("vertx", "Vert.x runOnContext");
    IMPLS.put("completableFuture", "CompletableFuture.thenApply");
    IMPLS.put("nettyHashedWheel", "Netty HashedWheelTimer");
    IMPLS.put("stpe", "ScheduledThreadPoolExecutor");
    IMPLS.put("javaDataloader", "java-dataloader (no cache)");
    IMPLS.put("vertxExecuteBlocking", "Vert.x executeBlocking (result on its event loop)");
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
      String workload = snake(cls) + (cut < 0 ? "" : "_" + snake(method.substring(0, cut))) + paramSuffix(result);
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

  /**
   * The workload's variant: {@code _<name><value>} for each JMH parameter other than {@code n} (the batch
   * size every benchmark has), e.g. {@code pool_throughput_threads2}, so that rows of different
   * configurations are never compared with each other.
   */
  private static String paramSuffix(Map<?, ?> result) {
    StringBuilder suffix = new StringBuilder();
    if (result.get("params") instanceof Map<?, ?> params) {
      params.forEach((name, value) -> {
        if (!"n".equals(name)) {
          suffix.append('_').append(name).append(value);
        }
      });
    }
    return suffix.toString();
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

    out.append(peerFaster(byWorkload));
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

  /**
   * The rows of this run where the fastest JVM peer beat ours, each with the reason recorded in
   * {@link #WHY_PEER_FASTER}; without one, a row whose peer mean lies within our range of iterations is called
   * a tie, and any other says that no reason is recorded, so a new loss cannot go unexplained.
   */
  static String peerFaster(Map<String, List<Row>> byWorkload) {
    StringBuilder out = new StringBuilder();
    byWorkload.forEach((workload, list) -> {
      Row ours = find(list, OURS);
      Row peer = list.stream().filter(r -> isPeer(r.impl())).min(Comparator.comparingDouble(Row::ns)).orElse(null);
      if (ours != null && peer != null && peer.ns() < ours.ns()) {
        out.append("- `").append(workload).append("` (").append(label(peer.impl())).append(", ")
            .append(ratio(peer, ours)).append("): ")
            .append(WHY_PEER_FASTER.getOrDefault(workload, unexplained(peer, ours))).append('\n');
      }
    });
    return out.isEmpty() ? "" : "\nWhere a JVM peer is faster in this run, and why:\n\n" + out;
  }

  /** What a loss without a recorded reason reads: a tie if the peer's mean is within our range. */
  static String unexplained(Row peer, Row ours) {
    return peer.ns() >= ours.lo()
        ? "a tie in this run: the peer's mean lies within the range of ours (" + fmt(ours.lo()) + " – "
            + fmt(ours.hi()) + ")."
        : "no reason recorded yet.";
  }

  private static Row find(List<Row> rows, String impl) {
    return rows.stream().filter(r -> r.impl().equals(impl)).findFirst().orElse(null);
  }

  /**
   * Whether {@code impl} is a peer: not Node, not ours, and not one of our own variants of the workload
   * (JMH methods named {@code our...} or {@code eventloop4j...}, e.g. StreamPipeline.ourGeneratorSource,
   * CircuitBreakerCall.breakerCall_eventloop4jCountWindow, and the accelerator's rows), which the summary
   * must not present as the fastest JVM peer.
   */
  static boolean isPeer(String impl) {
    return !impl.startsWith(OURS) && !impl.equals(NODE) && !impl.startsWith("our");
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
