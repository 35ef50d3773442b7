package org.eventloop4j.internal;

import java.util.ArrayDeque;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Model checks {@link MpscQueue} against a sequential FIFO: many offering threads, one polling thread. */
public class MpscQueueLincheckTest {
  private static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);

  private final MpscQueue<Integer> queue = new MpscQueue<>(1, 2); // chunks of 1, then 2: most operations cross one

  @Operation
  public void offer(int value) {
    queue.offer(value);
  }

  @Operation(nonParallelGroup = "consumer")
  public @Nullable Integer poll() {
    return queue.poll();
  }

  @Operation(nonParallelGroup = "consumer")
  public boolean isEmpty() {
    return queue.isEmpty();
  }

  @Test
  public void modelCheck() {
    new ModelCheckingOptions().iterations(10 * STRESS).invocationsPerIteration(500).sequentialSpecification(Sequential.class).check(getClass());
  }

  @Test
  public void stress() {
    new StressOptions().iterations(5 * STRESS).invocationsPerIteration(1000).sequentialSpecification(Sequential.class).check(getClass());
  }

  /** The sequential specification. */
  public static final class Sequential {
    private final ArrayDeque<Integer> deque = new ArrayDeque<>();

    public void offer(int value) {
      deque.add(value);
    }

    public @Nullable Integer poll() {
      return deque.poll();
    }

    public boolean isEmpty() {
      return deque.isEmpty();
    }
  }
}
