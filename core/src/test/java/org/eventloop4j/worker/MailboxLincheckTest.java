package org.eventloop4j.worker;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * Model checks {@link Mailbox} with a stand-in for the loop: producers offer and post drains as told; one
 * thread plays the loop and runs a posted drain; in {@link Closing}, any thread may also close the loop,
 * after which posts are rejected. After each scenario the loop runs what is still posted, and {@link #check} demands that every
 * item was taken exactly once (by a drain, or dropped once the mailbox died), that at most one drain was
 * ever outstanding, and that nothing waits in a live mailbox without a drain posted. The operations
 * return nothing, so the linearizability check is trivial: the invariants are the specification.
 */
// Lincheck needs public test classes (this package is exported)
@SuppressWarnings("exports")
public class MailboxLincheckTest {
  private static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);

  public MailboxLincheckTest() {}

  @Test
  public void modelCheck() {
    new ModelCheckingOptions().iterations(20 * STRESS).invocationsPerIteration(100).check(Open.class);
  }

  @Test
  public void modelCheck_loopClosing() {
    new ModelCheckingOptions().iterations(15 * STRESS).invocationsPerIteration(100).check(Closing.class);
  }

  @Test
  public void stress() {
    new StressOptions().iterations(3 * STRESS).invocationsPerIteration(500).check(Closing.class);
  }

  /** A mailbox, its items and the loop's stand-in; the operations and the check. */
  public abstract static class Base {
    protected Base() {}

    private final Mailbox<Integer> mailbox = new Mailbox<>();
    private final AtomicInteger nextItem = new AtomicInteger();
    private final AtomicInteger posted = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    private final AtomicInteger violations = new AtomicInteger();
    volatile boolean closed;
    /** Taken by drains; only the loop's operations touch it. */
    private final List<Integer> drained = new ArrayList<>();


    @Operation
    public void offer() {
      act(mailbox.offer(nextItem.incrementAndGet()));
    }

    @Operation(nonParallelGroup = "loop")
    public void runLoop() {
      if (posted.get() > 0) {
        posted.decrementAndGet();
        long n = mailbox.beginDrain();
        for (long i = 0; i < n; i++) {
          drained.add(mailbox.take());
        }
        if (mailbox.endDrain()) {
          post();
        }
      }
    }

    private void act(int action) {
      if (action == Mailbox.POST) {
        post();
      } else if (action == Mailbox.DROP) {
        mailbox.dropAll(dropped::addAndGet);
      }
    }

    /** EventLoop.execute's stand-in: queues a drain unless the loop is closed. */
    private void post() {
      if (closed) {
        mailbox.die();
        mailbox.dropAll(dropped::addAndGet);
      } else if (posted.incrementAndGet() > 1) {
        violations.incrementAndGet();
      }
    }

    @Validate
    public void check() {
      while (posted.get() > 0) {
        runLoop();
      }
      int offered = nextItem.get();
      Set<Integer> unique = new HashSet<>(drained);
      if (unique.size() != drained.size()) {
        throw new AssertionError("an item was drained twice: " + drained);
      }
      if (drained.size() + dropped.get() != offered) {
        throw new AssertionError(offered + " offered, " + drained.size() + " drained, " + dropped.get() + " dropped; "
            + mailbox);
      }
      if (violations.get() > 0) {
        throw new AssertionError("two drains were posted at once");
      }
    }
  }

  /** Producers and the loop. */
  public static class Open extends Base {
    public Open() {}
  }

  /** The same with one more operation: the loop closes, and posts from then on are rejected. */
  public static class Closing extends Base {
    public Closing() {}

    @Operation
    public void closeLoop() {
      closed = true;
    }
  }
}
