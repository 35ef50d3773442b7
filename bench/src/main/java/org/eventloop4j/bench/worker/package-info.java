/**
 * Benchmarks of {@code org.eventloop4j.worker} and {@code org.eventloop4j.shared} next to the JDK's
 * executors and atomics, with Node.js counterparts in {@code bench/node} that print the same row names
 * ({@code worker_pool.js}: pool_roundtrip, pool_throughput, cpu_split; {@code worker_messages.js}:
 * worker_roundtrip, worker_throughput; {@code atomics_add.js}: atomics_add_single and
 * atomics_add_pair_same/_adjacent/_padded):
 *
 * <ul>
 *   <li>{@link org.eventloop4j.bench.worker.PoolRoundtrip}: one trivial task in flight, submitted from a
 *       loop (ours) or a plain thread ({@code ThreadPoolExecutor} + {@code CompletableFuture}, the common
 *       {@code ForkJoinPool});
 *   <li>{@link org.eventloop4j.bench.worker.PoolThroughput}: 256 trivial tasks in flight;
 *   <li>{@link org.eventloop4j.bench.worker.WorkerRoundtrip} and
 *       {@link org.eventloop4j.bench.worker.WorkerThroughput}: {@code Worker} postMessage echo, 1 and 256 in
 *       flight (Node rows 5a and 5c);
 *   <li>{@link org.eventloop4j.bench.worker.CpuSplit}: the seed's CPU job on one thread vs two pool threads;
 *   <li>{@link org.eventloop4j.bench.worker.AtomicsAdd} and {@link org.eventloop4j.bench.worker.AtomicsAddPair}:
 *       {@code Atomics.add} from one thread, and from two threads on the same slot, on the same cache line
 *       and 128 bytes apart (one row each; pair scores are total throughput in ops/µs: ns per op =
 *       1000 / score).
 * </ul>
 */
package org.eventloop4j.bench.worker;
