package org.eventloop4j.bench;

import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** {@link TimersBenchmark} with 10^6 timers per invocation (Node: {@code node/timers.js 1000000}). */
@State(Scope.Benchmark)
@OperationsPerInvocation(1_000_000)
public class Timers1e6 extends TimersBenchmark {
  @Param("1000000")
  public int n;
}
