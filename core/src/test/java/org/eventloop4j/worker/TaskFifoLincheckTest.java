package org.eventloop4j.worker;

import java.util.ArrayDeque;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Model checks {@link TaskFifo} against a sequential FIFO: any thread offers, polls, peeks and asks whether
 * it is empty, as the submitting loops and the pool threads do. Catches an "empty" answer while an offer
 * that already swapped the tail (or a later, finished offer) has not been linked yet.
 */
// Lincheck needs public test classes (this package is exported)
@SuppressWarnings("exports")
public class TaskFifoLincheckTest {
  private static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);

  private final TaskFifo fifo = new TaskFifo();

  public TaskFifoLincheckTest() {}

  /** A link carrying a value (the pool's links are its tasks). */
  static final class Link extends TaskLink {
    final int value;

    Link(int value) {
      this.value = value;
    }
  }

  @Operation
  public void offer(int value) {
    fifo.offer(new Link(value));
  }

  @Operation
  public @Nullable Integer poll() {
    TaskLink l = fifo.poll();
    return l == null ? null : ((Link) l).value;
  }

  @Operation
  public @Nullable Integer peek() {
    TaskLink l = fifo.peek();
    return l == null ? null : ((Link) l).value;
  }

  @Operation
  public boolean isEmpty() {
    return fifo.isEmpty();
  }

  @Test
  public void modelCheck() {
    new ModelCheckingOptions().iterations(15 * STRESS).invocationsPerIteration(500).threads(3).actorsPerThread(3)
        .sequentialSpecification(Sequential.class).check(getClass());
  }

  @Test
  public void stress() {
    new StressOptions().iterations(10 * STRESS).invocationsPerIteration(1000).threads(3).actorsPerThread(3)
        .sequentialSpecification(Sequential.class).check(getClass());
  }

  /** The sequential specification. */
  public static final class Sequential {
    private final ArrayDeque<Integer> deque = new ArrayDeque<>();

    public Sequential() {}

    public void offer(int value) {
      deque.add(value);
    }

    public @Nullable Integer poll() {
      return deque.poll();
    }

    public @Nullable Integer peek() {
      return deque.peek();
    }

    public boolean isEmpty() {
      return deque.isEmpty();
    }
  }
}
