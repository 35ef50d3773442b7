package org.eventloop4j.shared;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eventloop4j.AbortController;
import org.eventloop4j.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SharedMutex} and {@link SharedCondition}: the lock's states and errors, mutual exclusion between
 * threads (a plain counter incremented under the lock ends exact), timed and async locking, abort, the
 * condition's hand-off of a bounded buffer between threads, its timeouts and interrupts, and two JVMs
 * locking the same element of a mapped file.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SharedMutexTest {
  private static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);

  private final SharedArrayBuffer buffer = new SharedArrayBuffer(16);
  private final Int32Array cells = new Int32Array(buffer);
  private final SharedMutex mutex = new SharedMutex(cells, 0);
  private final SharedCondition condition = new SharedCondition(cells, 1);
  private final List<Thread> threads = new ArrayList<>();
  private final List<String> log = new ArrayList<>();

  @AfterEach
  void noThreadOutlivesTheTest() throws InterruptedException {
    for (Thread t : threads) {
      t.join(20_000);
      assertFalse(t.isAlive(), t.getName() + " outlived the test");
    }
  }

  private Thread start(String name, ThrowingRunnable body) {
    Thread t = Thread.ofPlatform().name(name).start(() -> {
      try {
        body.run();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    threads.add(t);
    return t;
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  /** Spins (no sleep) until {@code n} waiters are listed on element {@code index}. */
  private void awaitWaiters(int index, int n) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (buffer.waiters.count((long) index * 4) != n) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("expected " + n + " waiters, have " + buffer.waiters.count((long) index * 4));
      }
      Thread.yield();
    }
  }

  // ------------------------------------------------------------------------------------------------
  // The lock

  @Test
  void tryLock_unlock_isLocked_followTheElement() {
    assertFalse(mutex.isLocked());
    assertTrue(mutex.tryLock());
    assertEquals(1, Atomics.load(cells, 0));
    assertTrue(mutex.isLocked());
    assertFalse(mutex.tryLock(), "not reentrant");
    assertFalse(new SharedMutex(cells, 0).tryLock(), "another object over the same element is the same lock");
    mutex.unlock();
    assertEquals(0, Atomics.load(cells, 0));
    assertEquals("SharedMutex[unlocked, element 0]", mutex.toString());
  }

  @Test
  void unlock_ofAnUnlockedMutex_throwsAndChangesNothing() {
    IllegalStateException e = assertThrows(IllegalStateException.class, mutex::unlock);
    assertEquals("SharedMutex.unlock: the mutex is not locked (element 0 holds 0)", e.getMessage());
    assertEquals(0, Atomics.load(cells, 0));
    assertTrue(mutex.tryLock(), "still usable");
    mutex.unlock();
    Atomics.store(cells, 0, 9); // something else wrote the element meanwhile
    assertThrows(IllegalStateException.class, mutex::unlock);
    assertEquals(9, Atomics.load(cells, 0), "foreign data is put back");
  }

  @Test
  void construction_refusesForeignDataAndBadIndices() {
    Atomics.store(cells, 2, 7);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SharedMutex(cells, 2));
    assertEquals("SharedMutex: element 2 of Int32Array holds 7, not a mutex state "
        + "(0 unlocked, 1 locked, 2 locked with waiters)", e.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> new SharedMutex(cells, 4));
    assertThrows(IndexOutOfBoundsException.class, () -> new SharedCondition(cells, -1));
    assertThrows(NullPointerException.class, () -> new SharedMutex(null, 0));
  }

  @Test
  void blockingForms_areRefusedOnALoopThread() {
    EventLoop loop = EventLoop.builder().virtualTime().build();
    AtomicReference<Throwable> lock = new AtomicReference<>();
    AtomicReference<Throwable> await = new AtomicReference<>();
    loop.run(() -> {
      lock.set(assertThrows(IllegalStateException.class, mutex::lock));
      assertTrue(mutex.tryLock(), "tryLock works on a loop");
      await.set(assertThrows(IllegalStateException.class, () -> condition.await(mutex)));
      mutex.unlock();
    });
    assertTrue(lock.get().getMessage().startsWith("SharedMutex.lock called on event loop thread"),
        lock.get().getMessage());
    assertTrue(await.get().getMessage().startsWith("SharedCondition.await called on event loop thread"),
        await.get().getMessage());
  }

  @Test
  void threads_incrementingAPlainCounterUnderTheLock_endExact() throws Exception {
    int n = 4;
    int rounds = 20_000 * STRESS;
    CyclicBarrier go = new CyclicBarrier(n);
    for (int t = 0; t < n; t++) {
      start("locker-" + t, () -> {
        go.await();
        for (int i = 0; i < rounds; i++) {
          mutex.lock();
          try {
            cells.set(2, cells.get(2) + 1); // plain read and write: only the lock makes this exact
          } finally {
            mutex.unlock();
          }
        }
      });
    }
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(n * rounds, Atomics.load(cells, 2));
    assertFalse(mutex.isLocked());
  }

  @Test
  void tryLockWithTimeout_givesUpWhileHeld_andTakesItWhenReleased() throws Exception {
    assertTrue(mutex.tryLock());
    AtomicReference<Boolean> timedOut = new AtomicReference<>();
    Thread t = start("timed", () -> timedOut.set(mutex.tryLock(20)));
    t.join();
    assertFalse(timedOut.get(), "held throughout: false");
    AtomicReference<Boolean> taken = new AtomicReference<>();
    Thread u = start("patient", () -> taken.set(mutex.tryLock(60_000)));
    awaitWaiters(0, 1);
    mutex.unlock();
    u.join();
    assertTrue(taken.get());
    assertTrue(mutex.isLocked(), "the waiter holds it now");
    assertFalse(mutex.tryLock(0));
  }

  @Test
  void lock_interrupted_throwsWithoutTheLock() throws Exception {
    assertTrue(mutex.tryLock());
    AtomicReference<String> seen = new AtomicReference<>();
    Thread t = Thread.ofPlatform().start(() -> {
      try {
        mutex.lock();
        seen.set("locked");
      } catch (InterruptedException e) {
        seen.set("interrupted");
      }
    });
    awaitWaiters(0, 1);
    t.interrupt();
    t.join();
    assertEquals("interrupted", seen.get());
    mutex.unlock();
    assertFalse(mutex.isLocked(), "the interrupted waiter did not take it");
  }

  @Test
  void lockAsync_freeLock_resolvesAtOnce_heldLock_resolvesWhenAThreadUnlocks() {
    EventLoop loop = EventLoop.create();
    loop.run(() -> {
      mutex.lockAsync().thenAccept(v -> {
        log.add("first holds it");
        start("holder", () -> {
          awaitWaiters(0, 1); // the loop's second lockAsync is waiting
          log.add("thread unlocks");
          mutex.unlock();
        });
      });
      mutex.lockAsync().thenAccept(v -> {
        log.add("second holds it, locked=" + mutex.isLocked());
        mutex.unlock();
      });
    });
    assertEquals(List.of("first holds it", "thread unlocks", "second holds it, locked=true"), log);
    assertFalse(mutex.isLocked());
  }

  @Test
  void lockAsync_onTheVirtualClock_resolvesWhenATimerUnlocks() {
    EventLoop loop = EventLoop.builder().virtualTime().build();
    loop.run(() -> {
      assertTrue(mutex.tryLock());
      mutex.lockAsync().thenAccept(v -> log.add("locked at " + loop.now()));
      loop.setTimeout(mutex::unlock, 25);
    });
    assertEquals(List.of("locked at 25"), log);
  }

  @Test
  void lockAsync_aborted_rejectsWithTheReason_andTheLockStaysUsable() {
    EventLoop loop = EventLoop.builder().virtualTime().build();
    AbortController c = new AbortController();
    RuntimeException reason = new RuntimeException("gave up");
    AtomicReference<Throwable> seen = new AtomicReference<>();
    loop.run(() -> {
      assertTrue(mutex.tryLock());
      mutex.lockAsync(c.signal()).catchError(e -> {
        seen.set(e);
        log.add("rejected at " + loop.now() + ", still locked=" + mutex.isLocked());
        return null;
      });
      loop.setTimeout(() -> c.abort(reason), 10);
      loop.setTimeout(() -> {
        mutex.unlock();
        log.add("unlocked at " + loop.now() + ", free=" + mutex.tryLock());
      }, 20);
    });
    assertSame(reason, seen.get());
    assertEquals(List.of("rejected at 10, still locked=true", "unlocked at 20, free=true"), log);
    assertEquals(0, buffer.waiters.count(0));
  }

  @Test
  void lockAsync_offALoop_andAlreadyAbortedSignals_areClear() {
    assertThrows(IllegalStateException.class, mutex::lockAsync);
    EventLoop loop = EventLoop.builder().virtualTime().build();
    RuntimeException reason = new RuntimeException("before");
    AtomicReference<Throwable> seen = new AtomicReference<>();
    loop.run(() -> mutex.lockAsync(org.eventloop4j.AbortSignal.abort(reason)).catchError(e -> {
      seen.set(e);
      return null;
    }));
    assertSame(reason, seen.get());
    assertFalse(mutex.isLocked(), "an aborted request never takes the lock");
  }

  // ------------------------------------------------------------------------------------------------
  // The condition

  @Test
  void condition_handsABoundedBufferBetweenThreads_nothingLostOrDuplicated() throws Exception {
    int items = 5_000 * STRESS;
    int capacity = 4;
    ArrayDeque<Integer> queue = new ArrayDeque<>(); // guarded by the mutex
    SharedCondition notFull = new SharedCondition(cells, 3);
    List<Integer> taken = new ArrayList<>();
    start("producer", () -> {
      for (int i = 0; i < items; i++) {
        mutex.lock();
        try {
          while (queue.size() == capacity) {
            notFull.await(mutex);
          }
          queue.add(i);
          condition.signal();
        } finally {
          mutex.unlock();
        }
      }
    });
    start("consumer", () -> {
      for (int i = 0; i < items; i++) {
        mutex.lock();
        try {
          while (queue.isEmpty()) {
            condition.await(mutex);
          }
          taken.add(queue.poll());
          notFull.signal();
        } finally {
          mutex.unlock();
        }
      }
    });
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(items, taken.size());
    for (int i = 0; i < items; i++) {
      assertEquals(i, taken.get(i));
    }
  }

  @Test
  void signal_wakesInFifoOrder_andCounts_signalAllWakesTheRest() throws Exception {
    List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 3; i++) {
      int id = i;
      start("waiter-" + id, () -> {
        mutex.lock();
        try {
          condition.await(mutex);
          order.add("w" + id);
        } finally {
          mutex.unlock();
        }
      });
      awaitWaiters(1, i + 1); // each is listed before the next starts: FIFO order is the start order
    }
    assertEquals(1, condition.signal());
    waitFor(() -> order.size() == 1);
    assertEquals(2, condition.signalAll());
    assertEquals(0, condition.signal(), "nobody left");
    for (Thread t : threads) {
      t.join();
    }
    assertEquals("w0", order.getFirst());
    assertEquals(3, order.size());
    assertThrows(IllegalArgumentException.class, () -> condition.signal(-1));
  }

  @Test
  void await_withTimeout_returnsFalseHoldingTheMutex() throws Exception {
    AtomicReference<String> seen = new AtomicReference<>();
    start("timed", () -> {
      mutex.lock();
      boolean signalled = condition.await(mutex, 15);
      seen.set(signalled + " locked=" + mutex.isLocked());
      mutex.unlock();
    }).join();
    assertEquals("false locked=true", seen.get());
  }

  @Test
  void await_withAnUnlockedMutex_throwsAndWaitsForNothing() throws Exception {
    AtomicReference<Throwable> seen = new AtomicReference<>();
    start("careless", () -> seen.set(assertThrows(IllegalStateException.class, () -> condition.await(mutex))))
        .join();
    assertEquals("SharedMutex.unlock: the mutex is not locked (element 0 holds 0)", seen.get().getMessage());
    assertEquals(0, buffer.waiters.count(4));
  }

  @Test
  void await_interrupted_throwsHoldingTheMutexAgain() throws Exception {
    AtomicReference<String> seen = new AtomicReference<>();
    Thread t = start("interrupted", () -> {
      mutex.lock();
      try {
        condition.await(mutex);
        seen.set("signalled");
      } catch (InterruptedException e) {
        seen.set("interrupted, locked=" + mutex.isLocked());
      } finally {
        mutex.unlock();
      }
    });
    awaitWaiters(1, 1);
    t.interrupt();
    t.join();
    assertEquals("interrupted, locked=true", seen.get());
    assertFalse(mutex.isLocked());
  }

  @Test
  void awaitAsync_onALoop_resumesHoldingTheMutexAfterAThreadSignals() {
    EventLoop loop = EventLoop.create();
    loop.run(() -> {
      assertTrue(mutex.tryLock());
      condition.awaitAsync(mutex).thenAccept(v -> {
        log.add("resumed, locked=" + mutex.isLocked());
        mutex.unlock();
      });
      log.add("released while waiting: " + !mutex.isLocked());
      EventLoop.KeepAlive alive = loop.keepAlive(); // until the signalling thread has run
      start("signaller", () -> {
        awaitWaiters(1, 1);
        mutex.lock();
        log.add("signal woke " + condition.signal());
        mutex.unlock();
        alive.close();
      });
    });
    assertEquals(List.of("released while waiting: true", "signal woke 1", "resumed, locked=true"), log);
  }

  @Test
  void awaitAsync_withTimeout_onTheVirtualClock_reportsWhetherASignalCame() {
    EventLoop loop = EventLoop.builder().virtualTime().build();
    loop.run(() -> {
      assertTrue(mutex.tryLock());
      condition.awaitAsync(mutex, 30).thenAccept(signalled -> {
        log.add("first: " + signalled + " at " + loop.now() + ", locked=" + mutex.isLocked());
        condition.awaitAsync(mutex, 1_000).thenAccept(again -> {
          log.add("second: " + again + " at " + loop.now() + ", locked=" + mutex.isLocked());
          mutex.unlock();
        });
        loop.setTimeout(() -> log.add("signal woke " + condition.signal()), 10);
      });
    });
    assertEquals(List.of("first: false at 30, locked=true", "signal woke 1", "second: true at 40, locked=true"), log);
    assertFalse(mutex.isLocked());
  }

  @Test
  void awaitAsync_withAnUnlockedMutex_rejects() {
    EventLoop loop = EventLoop.builder().virtualTime().build();
    AtomicReference<Throwable> seen = new AtomicReference<>();
    loop.run(() -> condition.awaitAsync(mutex).catchError(e -> {
      seen.set(e);
      return null;
    }));
    assertTrue(seen.get() instanceof IllegalStateException, String.valueOf(seen.get()));
  }

  private static void waitFor(java.util.function.BooleanSupplier done) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("condition not reached");
      }
      Thread.yield();
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Two processes

  private static final int CHILD_ROUNDS = 3_000;

  @Test
  void twoJvms_lockingTheSameMappedElement_keepAPlainCounterExact(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("mutex.bin");
    Int32Array a = new Int32Array(SharedArrayBuffer.mapFile(file, 16));
    SharedMutex shared = new SharedMutex(a, 0);
    Process child = childJvm(file);
    while (Atomics.load(a, 2) == 0 && child.isAlive()) {
      Thread.onSpinWait(); // the child has mapped the file and is about to lock
    }
    for (int i = 0; i < CHILD_ROUNDS; i++) {
      incrementUnderLock(shared, a);
    }
    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child finished");
    assertEquals(0, child.exitValue(), out);
    assertEquals(2 * CHILD_ROUNDS, a.get(1), "plain increments under the lock from two processes");
    assertFalse(shared.isLocked());
    assertTrue(Files.size(file) >= 16);
  }

  private static void incrementUnderLock(SharedMutex m, Int32Array a) throws InterruptedException {
    m.lock();
    try {
      a.set(1, a.get(1) + 1);
    } finally {
      m.unlock();
    }
  }

  private static Process childJvm(Path file) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = List.of(java, "-cp", System.getProperty("java.class.path"),
        SharedMutexTest.class.getName(), file.toString());
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  /** The child JVM: maps the file, raises the "started" flag, increments under the lock. */
  public static void main(String[] args) throws Exception {
    Int32Array a = new Int32Array(SharedArrayBuffer.mapFile(Path.of(args[0]), 16));
    SharedMutex shared = new SharedMutex(a, 0);
    Atomics.store(a, 2, 1);
    for (int i = 0; i < CHILD_ROUNDS; i++) {
      incrementUnderLock(shared, a);
    }
  }
}
