package org.eventloop4j.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.eventloop4j.AbortController;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Timers;
import org.junit.jupiter.api.Test;

class ReadWriteMutexTest {
  private final EventLoop loop = EventLoop.builder().virtualTime().build();
  private final List<String> log = new ArrayList<>();

  private void track(Promise<?> p, String name) {
    p.then(v -> log.add(name), e -> log.add(name + " rejected: " + e.getMessage()));
  }

  @Test
  void readers_shareTheLock() {
    ReadWriteMutex rw = new ReadWriteMutex();
    loop.run(() -> {
      rw.readLock();
      rw.readLock();
      assertTrue(rw.tryReadLock());
      assertEquals(3, rw.readers());
      assertFalse(rw.tryWriteLock());
    });
  }

  @Test
  void writer_waiting_laterReadersQueueBehindIt() {
    ReadWriteMutex rw = new ReadWriteMutex();
    loop.run(() -> {
      rw.readLock();
      track(rw.writeLock(), "writer");
      track(rw.readLock(), "reader 2");
      track(rw.readLock(), "reader 3");
      track(rw.writeLock(), "writer 2");
      assertFalse(rw.tryReadLock());
      assertEquals(4, rw.waiting());
      loop.setTimeout(rw::readUnlock, 1);
      loop.setTimeout(() -> {
        assertTrue(rw.isWriteLocked());
        rw.writeUnlock();
        log.add("readers " + rw.readers());
      }, 2);
      loop.setTimeout(() -> {
        rw.readUnlock();
        rw.readUnlock();
      }, 3);
    });
    assertEquals(List.of("writer", "readers 2", "reader 2", "reader 3", "writer 2"), log);
  }

  @Test
  void unlock_wrongKind_throwsAndChangesNothing() {
    ReadWriteMutex rw = new ReadWriteMutex();
    assertThrows(IllegalStateException.class, rw::readUnlock);
    assertThrows(IllegalStateException.class, rw::writeUnlock);
    assertTrue(rw.tryWriteLock());
    assertEquals("readUnlock() but no read lock is held (the write lock is)",
        assertThrows(IllegalStateException.class, rw::readUnlock).getMessage());
    assertTrue(rw.isWriteLocked());
    rw.writeUnlock();
    assertTrue(rw.tryReadLock());
    assertEquals("writeUnlock() but the write lock is not held (1 read locks are)",
        assertThrows(IllegalStateException.class, rw::writeUnlock).getMessage());
    assertEquals(1, rw.readers());
  }

  @Test
  void writerAbort_letsTheReadersBehindItIn() {
    ReadWriteMutex rw = new ReadWriteMutex();
    AbortController c = new AbortController();
    loop.run(() -> {
      rw.readLock();
      track(rw.writeLock(c.signal()), "writer");
      track(rw.readLock(), "reader");
      c.abort(new IllegalStateException("no"));
    });
    assertEquals(List.of("writer rejected: no", "reader"), log);
  }

  @Test
  void execute_readsOverlapWritesExclude() {
    ReadWriteMutex rw = new ReadWriteMutex();
    loop.run(() -> {
      rw.executeRead(() -> step("r1", 10));
      rw.executeRead(() -> step("r2", 10));
      rw.executeWrite(() -> step("w", 5));
      rw.executeRead(() -> step("r3", 1));
    });
    assertEquals(List.of("r1 0", "r2 0", "w 10", "r3 15"), log);
  }

  private Promise<?> step(String name, long ms) {
    log.add(name + " " + loop.now());
    return Timers.sleep(ms);
  }

  @Test
  void close_rejectsWaitingAndLater() {
    ReadWriteMutex rw = new ReadWriteMutex();
    loop.run(() -> {
      rw.writeLock();
      track(rw.readLock(), "reader");
      rw.close();
      track(rw.writeLock(), "writer");
    });
    assertEquals(List.of("reader rejected: the read-write mutex is closed",
        "writer rejected: the read-write mutex is closed"), log);
  }

  @Test
  void tryForms_afterClose_throwClosedErrorCausedByTheReason() {
    ReadWriteMutex rw = new ReadWriteMutex();
    assertTrue(rw.tryReadLock());
    IllegalStateException reason = new IllegalStateException("shutting down");
    rw.close(reason);
    ClosedError read = assertThrows(ClosedError.class, rw::tryReadLock);
    assertEquals("the read-write mutex is closed", read.getMessage());
    assertEquals(reason, read.getCause());
    assertThrows(ClosedError.class, rw::tryWriteLock);
    assertEquals(1, rw.readers());
    rw.readUnlock(); // holders unlock as usual
    assertEquals(0, rw.readers());
  }
}
