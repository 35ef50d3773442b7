package org.eventloop4j.bench.worker;

import java.util.concurrent.TimeUnit;
import org.eventloop4j.EventLoop;
import org.eventloop4j.worker.MessageChannel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Two {@code MessageChannel}s on one loop bouncing {@value #WINDOW} messages between them, each handler
 * posting every message it gets to the other channel, {@value #N} deliveries per invocation: the same-loop
 * path of a port (its dispatch walk, one poll-phase callback and drain per message, the ports served in
 * creation order). Node: {@code bench/node/port_messages.js}, the same program (its messages are also
 * structured-cloned; ours are passed by reference). No JVM peer has MessagePorts.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(PortMessages.N)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PortMessages {
  static final int N = 200_000;
  static final int WINDOW = 64;

  @Param("200000")
  public int n;

  @Benchmark
  public int eventloop4j() {
    int[] delivered = {0};
    EventLoop.create().run(() -> {
      MessageChannel a = new MessageChannel();
      MessageChannel b = new MessageChannel();
      a.port1().onMessage(m -> bounce(delivered, a, b, b, m));
      b.port1().onMessage(m -> bounce(delivered, a, b, a, m));
      for (int i = 0; i < Math.min(WINDOW, n); i++) {
        a.port2().postMessage(i);
      }
    });
    return Expect.equal(n, delivered[0], "deliveries");
  }

  /** One delivery: passes the message on to {@code to}, or closes both channels after the n-th. */
  private void bounce(int[] delivered, MessageChannel a, MessageChannel b, MessageChannel to, Object m) {
    int d = ++delivered[0];
    if (d == n) {
      a.port1().close();
      b.port1().close();
    } else if (d <= n - WINDOW) {
      to.port2().postMessage(m);
    }
  }
}
