/**
 * JMH benchmarks of eventloop4j next to its JVM peers. One class per workload; in each, the method
 * {@code eventloop4j} (or {@code <op>_eventloop4j}) is ours and every other method is a peer doing the
 * same work, so one run measures them side by side. Method names are {@code <implementation>} or
 * {@code <op>_<implementation>}; {@code report.Report} turns them into the rows of BENCHMARKS.md, and the
 * Node.js counterparts in {@code bench/node/} print the same workload names.
 *
 * <p>Every benchmark moves a fixed batch per invocation ({@code n}, a {@code @Param} whose only value is
 * the class's {@code @OperationsPerInvocation}) so scores are nanoseconds per element. The tests shrink
 * {@code n} to run each method once; a real run must never pass {@code -p n=…}, or the scores are no longer
 * per element.
 */
package org.eventloop4j.bench;
