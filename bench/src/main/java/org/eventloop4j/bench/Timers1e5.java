package org.eventloop4j.bench;

import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** {@link TimersBenchmark} with 10^5 timers per invocation (Node: {@code node/timers.js 100000}). */
@State(Scope.Benchmark)
@OperationsPerInvocation(100_000)
public class Timers1e5 extends TimersBenchmark {
  @Param("100000")
  public int n;
}
