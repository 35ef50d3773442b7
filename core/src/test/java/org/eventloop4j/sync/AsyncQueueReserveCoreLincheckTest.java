package org.eventloop4j.sync;

import static org.eventloop4j.sync.AsyncQueueCoreLincheckTest.FULL;
import static org.eventloop4j.sync.AsyncQueueCoreLincheckTest.NONE;
import static org.eventloop4j.sync.AsyncQueueCoreLincheckTest.NOW;
import static org.eventloop4j.sync.AsyncQueueCoreLincheckTest.REJECTED;
import static org.eventloop4j.sync.AsyncQueueCoreLincheckTest.STRESS;
import static org.eventloop4j.sync.AsyncQueueCoreLincheckTest.THREADS;
import static org.eventloop4j.sync.AsyncQueueCoreLincheckTest.WAITING;

import java.lang.reflect.Method;
import java.util.List;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Model checks {@link AsyncQueue}'s capacity reservation against {@link AsyncQueueCoreLincheckTest.Spec},
 * loop-free: reserve (through {@link AsyncQueue#reserveRoom}: a permit at once, waiting in the producers'
 * FIFO, or rejected once closed), tryReserve, a thread's send and release of its permit (once granted:
 * a waiting reserve's node moved to GRANTED), reserved(), with the shared {@link AsyncQueueOperations}
 * (push, pop, abort — of a waiting reserve too —, poll, size, close). Checks that a permit's room is
 * neither lost nor duplicated (release and send admit the next waiter; no fast path fills held room),
 * that reserves and pushes are served in one FIFO, and that an abort that lost to a grant leaves the
 * permit with its caller. Bounded with capacity 1 here; {@link Capacity2} lets permits and items share
 * the room; {@link DropOldest} checks a conflated queue, whose permits hold no room.
 */
@Param(name = "v", gen = IntGen.class, conf = "1:3")
@SuppressWarnings("exports") // Lincheck needs public test classes; this package is exported
public class AsyncQueueReserveCoreLincheckTest extends AsyncQueueOperations {
  /** Each thread's last permit: a Permit, or the Reserver it will come from once granted. */
  private final @Nullable Object[] held = new Object[THREADS];

  /** A bounded queue of capacity 1. */
  public AsyncQueueReserveCoreLincheckTest() {}

  @Override
  AsyncQueue.Builder<Integer> configure(AsyncQueue.Builder<Integer> b) {
    return b.capacity(1);
  }

  @Operation
  public int reserve(@Param(gen = ThreadIdGen.class) int thread) {
    Object r = queue.reserveRoom(true, null);
    if (r instanceof ClosedError) {
      return REJECTED;
    }
    held[thread] = r;
    if (r instanceof Reserver<?> w) {
      last[thread] = w;
      return WAITING;
    }
    return NOW;
  }

  @Operation
  public int tryReserve(@Param(gen = ThreadIdGen.class) int thread) {
    AsyncQueue.Permit<Integer> p;
    try {
      p = queue.tryReserve();
    } catch (ClosedError closed) {
      return REJECTED;
    }
    if (p == null) {
      return FULL;
    }
    held[thread] = p;
    return NOW;
  }

  /** The thread's permit if it was granted (taking it from {@link #held}), else null. */
  @SuppressWarnings("unchecked")
  private AsyncQueue.@Nullable Permit<Integer> take(int thread) {
    Object h = held[thread];
    AsyncQueue.Permit<Integer> p = h instanceof Reserver<?> w
        ? (w.status == WaitNode.GRANTED ? (AsyncQueue.Permit<Integer>) w.permit : null)
        : (AsyncQueue.Permit<Integer>) h;
    if (p != null) {
      held[thread] = null;
    }
    return p;
  }

  @Operation
  public int send(@Param(gen = ThreadIdGen.class) int thread, @Param(name = "v") int v) {
    AsyncQueue.Permit<Integer> p = take(thread);
    if (p == null) {
      return NONE;
    }
    try {
      p.send(v);
      return NOW;
    } catch (ClosedError closed) {
      return REJECTED;
    }
  }

  @Operation
  public boolean release(@Param(gen = ThreadIdGen.class) int thread) {
    AsyncQueue.Permit<Integer> p = take(thread);
    if (p == null) {
      return false;
    }
    p.release();
    return true;
  }

  @Operation
  public int reserved() {
    return queue.reserved();
  }

  @Test
  public void modelCheck() throws NoSuchMethodException {
    new ModelCheckingOptions().threads(2).actorsPerThread(3).actorsBefore(3).actorsAfter(2)
        .iterations(30 * STRESS).invocationsPerIteration(150).sequentialSpecification(specification())
        .addCustomScenario(releaseMeetsAWaitingPush()).check(getClass());
  }

  /**
   * A scenario the random ones rarely draw (a planted release that forgot the waiting producers passed 30 ×
   * 150 of them): thread 0 holds the only room's permit and releases it while thread 1 pushes; afterwards
   * the pushed item must be in the queue, whichever ran first.
   */
  private ExecutionScenario releaseMeetsAWaitingPush() throws NoSuchMethodException {
    Class<?> c = AsyncQueueReserveCoreLincheckTest.class;
    Actor reserve = actor(c.getMethod("reserve", int.class), 0);
    Actor release = actor(c.getMethod("release", int.class), 0);
    Actor push = actor(AsyncQueueOperations.class.getMethod("push", int.class, int.class), 1, 1);
    Actor poll = actor(AsyncQueueOperations.class.getMethod("poll"));
    return new ExecutionScenario(List.of(reserve), List.of(List.of(release), List.of(push)), List.of(poll), null);
  }

  private static Actor actor(Method m, Object... args) {
    return new Actor(m, List.of(args), false, false, false, false, false);
  }

  Class<?> specification() {
    return AsyncQueueCoreLincheckTest.Spec.class;
  }

  /** The same checks with capacity 2: permits and buffered items share the room. */
  public static class Capacity2 extends AsyncQueueReserveCoreLincheckTest {
    /** A bounded queue of capacity 2. */
    public Capacity2() {}

    @Override
    AsyncQueue.Builder<Integer> configure(AsyncQueue.Builder<Integer> b) {
      return b.capacity(2);
    }

    @Override
    Class<?> specification() {
      return AsyncQueueCoreLincheckTest.Capacity2Spec.class;
    }
  }

  /** The same checks on a conflated queue: a permit holds no room, its send drops the oldest item. */
  public static class DropOldest extends AsyncQueueReserveCoreLincheckTest {
    /** A conflated queue. */
    public DropOldest() {}

    @Override
    AsyncQueue.Builder<Integer> configure(AsyncQueue.Builder<Integer> b) {
      return b.capacity(1).overflow(AsyncQueue.Overflow.DROP_OLDEST);
    }

    @Override
    Class<?> specification() {
      return AsyncQueueCoreLincheckTest.DropOldestSpec.class;
    }
  }
}
