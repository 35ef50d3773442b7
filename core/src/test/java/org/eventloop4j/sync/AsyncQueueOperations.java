package org.eventloop4j.sync;

import static org.eventloop4j.sync.AsyncQueueCoreLincheckTest.NOW;
import static org.eventloop4j.sync.AsyncQueueCoreLincheckTest.POP_DONE;
import static org.eventloop4j.sync.AsyncQueueCoreLincheckTest.POP_REJECTED;
import static org.eventloop4j.sync.AsyncQueueCoreLincheckTest.POP_WAITING;
import static org.eventloop4j.sync.AsyncQueueCoreLincheckTest.REJECTED;
import static org.eventloop4j.sync.AsyncQueueCoreLincheckTest.THREADS;
import static org.eventloop4j.sync.AsyncQueueCoreLincheckTest.WAITING;

import org.eventloop4j.stream.IteratorResult;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.jspecify.annotations.Nullable;

/**
 * The loop-free operations of an {@link AsyncQueue} that {@link AsyncQueueCoreLincheckTest} and {@link
 * AsyncQueueReserveCoreLincheckTest} share, checked against {@link AsyncQueueCoreLincheckTest.Spec}: push
 * through {@link AsyncQueue#place}, pop through {@link AsyncQueue#claim}, the abort of a thread's last
 * waiting call, poll, size and close. Waiters are settled by a {@link RecordingSettler}; the queue's kind
 * comes from {@link #configure}.
 */
@Param(name = "v", gen = IntGen.class, conf = "1:3")
// Lincheck needs public test classes (this package is exported); the queue's kind is fixed per subclass
@SuppressWarnings({"exports", "this-escape"})
public abstract class AsyncQueueOperations {
  // The hook takes what cancel() discards, which the specification does not observe; without one the queue
  // would log each loss at WARNING, and the model checker would trace into java.util.logging.
  final AsyncQueue<Integer> queue = configure(AsyncQueue.<Integer>builder()).settler(new RecordingSettler())
      .onUndelivered(discarded -> {}).build();
  private final Taker.Shape<Integer, IteratorResult<Integer>> single = Taker.single();
  /** Each thread's last call that waited: a Putter, Taker or Reserver. */
  final QueueNode<?>[] last = new QueueNode<?>[THREADS];

  AsyncQueueOperations() {}

  /** The queue under test (called during construction). */
  abstract AsyncQueue.Builder<Integer> configure(AsyncQueue.Builder<Integer> b);

  @Operation
  public int push(@Param(gen = ThreadIdGen.class) int thread, @Param(name = "v") int v) {
    Object r = queue.place(v, true, null);
    if (r instanceof Putter<?> p) {
      last[thread] = p;
      return WAITING;
    }
    return r instanceof ClosedError ? REJECTED : NOW;
  }

  @Operation
  public int pop(@Param(gen = ThreadIdGen.class) int thread) {
    Object r = queue.claim(1, single, null);
    if (r instanceof Taker<?, ?> t) {
      last[thread] = t;
      return POP_WAITING;
    }
    if (r instanceof Throwable) {
      return POP_REJECTED;
    }
    IteratorResult<?> got = (IteratorResult<?>) r;
    return got.done() ? POP_DONE : (Integer) got.value();
  }

  /** Aborts the thread's last waiting call (once): true if the abort took it, before it was served. */
  @Operation
  @SuppressWarnings("unchecked")
  public boolean abort(@Param(gen = ThreadIdGen.class) int thread) {
    QueueNode<?> node = last[thread];
    last[thread] = null;
    if (node == null) {
      return false;
    }
    IllegalStateException reason = new IllegalStateException("aborted");
    if (node instanceof Putter<?> p) {
      queue.abort((Putter<Integer>) p, reason);
    } else if (node instanceof Reserver<?> r) {
      queue.abort((Reserver<Integer>) r, reason);
    } else {
      queue.abort((Taker<Integer, ?>) node, reason);
    }
    return RecordingSettler.of(node).reason == reason;
  }

  @Operation
  public @Nullable Integer poll() {
    return queue.poll();
  }

  @Operation
  public int size() {
    return queue.size();
  }

  @Operation
  public void close() {
    queue.close();
  }
}
