package org.eventloop4j.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The regression test of the hang of SyncStressTest's queue test: a waiting put or take of {@link
 * QueueBuffer} must give its carrier up, or the virtual thread it waits for may never run again. Each case
 * runs in a child JVM whose virtual threads have exactly one carrier (a scheduler setting that exists only
 * per JVM), which makes the interleaving deterministic: two virtual threads wait in the buffer (started by
 * a virtual thread, so they sit in the carrier's local queue), and the one thread that can end their wait
 * is started afterwards from a platform thread (so it sits in the scheduler's shared queue). With waits
 * that only spin and yield, the two waiters re-ran each other for ever and the child never finished; with
 * parking waits it finishes at once.
 */
class RingStarvationTest {
  /** Generous: the child needs milliseconds; only a hang gets anywhere near it. */
  private static final long TIMEOUT_S = 60;

  @Test
  void take_oneCarrierAndTheProducerStartedLast_bothTakesFinish() throws Exception {
    runChild("take");
  }

  @Test
  void put_oneCarrierAndTheConsumerStartedLast_bothPutsFinish() throws Exception {
    runChild("put");
  }

  @Test
  void linkedTake_oneCarrierAndTheProducerStartedLast_bothTakesFinish() throws Exception {
    runChild("linked");
  }

  private static void runChild(String kind) throws Exception {
    Process child = new ProcessBuilder(command(kind)).redirectErrorStream(true).start();
    boolean exited = child.waitFor(TIMEOUT_S, TimeUnit.SECONDS);
    if (!exited) {
      child.destroyForcibly().waitFor();
    }
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertEquals("finished", exited ? out : "hung: " + out, "child output");
  }

  @Test
  void allKinds_defaultSchedulerInThisJvm_finish() throws InterruptedException {
    // The same program under the default scheduler (a smoke test of the child itself).
    assertTrue(Child.run("take", TIMEOUT_S) && Child.run("put", TIMEOUT_S) && Child.run("linked", TIMEOUT_S));
  }

  private static java.util.List<String> command(String kind) throws URISyntaxException {
    String classpath = location(QueueBuffer.class) + File.pathSeparator + location(Child.class);
    return java.util.List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djdk.virtualThreadScheduler.parallelism=1", "-Djdk.virtualThreadScheduler.maxPoolSize=1",
        "-cp", classpath, Child.class.getName(), kind, Long.toString(TIMEOUT_S / 2));
  }

  private static String location(Class<?> c) throws URISyntaxException {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  /** The child JVM's program: prints "finished" (exit 0) or "starved" (exit 1). */
  static final class Child {
    private Child() {}

    public static void main(String[] args) throws InterruptedException {
      boolean ok = run(args[0], Long.parseLong(args[1]));
      System.out.println(ok ? "finished" : "starved");
      System.out.flush();
      System.exit(ok ? 0 : 1);
    }

    /**
     * {@code take}: two takes wait for their puts; {@code put}: two puts into a full ring wait for the takes
     * of the previous lap; {@code linked}: two takes of the linked buffer wait for their puts.
     */
    static boolean run(String kind, long timeoutSeconds) throws InterruptedException {
      QueueBuffer<Integer> buffer = kind.equals("linked") ? QueueBuffer.unbounded() : QueueBuffer.bounded(8);
      boolean takersWait = !kind.equals("put");
      if (!takersWait) {
        for (int i = 0; i < 8; i++) {
          buffer.put(i, i);
        }
      }
      CountDownLatch started = new CountDownLatch(2);
      CountDownLatch done = new CountDownLatch(2);
      Thread.ofVirtual().start(() -> {
        for (int i = 0; i < 2; i++) {
          int index = i;
          Thread.ofVirtual().start(() -> {
            started.countDown();
            if (takersWait) {
              buffer.take(index);
            } else {
              buffer.put(8 + index, 8 + index);
            }
            done.countDown();
          });
        }
      });
      started.await();
      Thread.ofVirtual().start(() -> {
        for (int i = 0; i < 2; i++) {
          if (takersWait) {
            buffer.put(i, i);
          } else {
            buffer.take(i);
          }
        }
      });
      return done.await(timeoutSeconds, TimeUnit.SECONDS);
    }
  }
}
