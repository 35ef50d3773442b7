package org.eventloop4j.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eventloop4j.EventLoop;
import org.eventloop4j.internal.Bridge;
import org.eventloop4j.internal.MpscQueue;
import org.jspecify.annotations.Nullable;

/**
 * One loop's dispatcher of {@link MessagePort} messages: what libuv's async handles and Node's {@code
 * MessagePort::OnMessage} do together. Ports with messages are served in the order their handles were
 * made, each draining its queue, one message per poll-phase callback (each with its own nextTick and
 * microtask drain).
 */
final class PortHub implements Bridge.PortDispatcher {
  /*
   * Overview for maintainers.
   *
   * Node gives each MessagePort a uv_async handle of the loop it listens on. Posting queues the message in
   * the port and signals its handle; the loop's poll phase then walks *all* its async handles in the order
   * they were made and calls each signalled one, whose OnMessage emits messages until its queue is empty,
   * at most max(queue length at the start, 1000) (scenario 76, conformance R28). So a message posted by a
   * handler to its own port runs in the same drain; to a port later in the order, in the same walk; to a
   * port the walk already passed, in the next iteration's poll phase. A handler that throws ends its port's
   * drain: the rest waits for the next walk, and the walk goes on with the next port (scenario 77).
   *
   * Here: `signal(port)` (any thread, after the message is in port.inbox) sets the port's signalled flag
   * and, if it was clear, queues the port on `signalled` (MPSC). A walk is then scheduled once (`scheduled`):
   * from another thread with loop.execute (which wakes the loop and keeps it alive until the walk starts),
   * from the loop itself with runInNextPoll — the next poll phase, as a handle signalled on its own loop is
   * noticed at the next epoll — unless a walk is under way, which takes up every port signalled ahead of its
   * cursor and schedules the next walk at its end for those behind it.
   *
   * A walk is a chain of poll-phase callbacks, each the next step (continueInPoll queues the next before the
   * handler runs, so a throwing handler does not end the walk): emit the current port's next message; or
   * end its drain, take up what was signalled meanwhile into `ready` (a TreeMap by port order) and move to
   * the next ready port after the cursor (clearing its flag before reading its queue, as libuv clears `pending`
   * before the callback), or end. All of it but `signalled`, `scheduled` and the ports' flags is
   * loop-confined. Same-loop walks do not keep the loop alive: a referenced listening port does, as its
   * handle does in libuv (and a message to an unreferenced port is not delivered if the loop ends first,
   * as in Node).
   */
  private static final System.Logger LOG = System.getLogger(PortHub.class.getName());
  /** Node's MessagePort::OnMessage emits at least this many messages per call. */
  static final int DRAIN_LIMIT = 1000;

  private final EventLoop loop;
  private final MpscQueue<MessagePort> signalled = new MpscQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Runnable start = this::start;
  private final Runnable step = this::step;
  // Loop-confined:
  private final TreeMap<Long, MessagePort> ready = new TreeMap<>();
  private boolean walking;
  private long cursor;
  private @Nullable MessagePort current;
  private int left;

  private PortHub(EventLoop loop) {
    this.loop = loop;
  }

  /** The dispatcher of {@code loop}, made the first time; on that loop's thread. */
  static PortHub of(EventLoop loop) {
    return (PortHub) Bridge.loops().portHub(loop, PortHub::new);
  }

  /** Tells the loop that {@code port} has a message (or a close) in its inbox; any thread. */
  void signal(MessagePort port) {
    if (port.markSignalled()) {
      schedule(port, EventLoop.tryCurrent() == loop);
    } // else already queued: the walk that takes it up will read the new message too
  }

  /**
   * {@link #signal} for the messages a port received before it started listening, which it moves to its
   * inbox when it binds: they arrived earlier, perhaps from another thread, so the walk that serves them is
   * posted behind the tasks posted meanwhile (a worker's 'online' event precedes its messages).
   */
  void signalQueued(MessagePort port) {
    if (port.markSignalled()) {
      schedule(port, false);
    }
  }

  /** Queues {@code port}, just signalled, for a walk, and schedules one unless one is due already. */
  private void schedule(MessagePort port, boolean here) {
    signalled.offer(port);
    if (here && walking || !scheduled.compareAndSet(false, true)) {
      return;
    }
    if (here) {
      Bridge.loops().runInNextPoll(loop, start);
      return;
    }
    try {
      loop.execute(start);
    } catch (RejectedExecutionException e) {
      LOG.log(System.Logger.Level.DEBUG, "message dropped: event loop " + loop.name() + " of its port is closed", e);
    }
  }

  private void start() {
    scheduled.set(false);
    walking = true;
    cursor = Long.MIN_VALUE;
    current = null;
    step();
  }

  /** One callback of a walk: emits the next message, or ends the walk. */
  private void step() {
    for (;;) {
      MessagePort p = current;
      if (p != null) {
        Object message = left > 0 ? p.inbox().poll() : null;
        if (message != null) {
          left--;
          emit(p, message);
          return;
        }
        endDrain(p);
      }
      for (MessagePort q; (q = signalled.poll()) != null; ) {
        ready.put(q.order(), q);
      }
      Map.Entry<Long, MessagePort> next = ready.higherEntry(cursor);
      if (next == null) {
        endWalk();
        return;
      }
      ready.remove(next.getKey());
      cursor = next.getKey();
      p = next.getValue();
      p.clearSignalled();
      left = (int) Math.max(DRAIN_LIMIT, Math.min(Integer.MAX_VALUE, p.inbox().pending()));
      current = p;
    }
  }

  /** Emits one message as this callback; the walk goes on in the next one, also if the handler throws. */
  private void emit(MessagePort p, Object message) {
    Bridge.loops().continueInPoll(loop, step);
    try {
      p.dispatch(message);
    } catch (Throwable t) {
      left = 0; // as Node: the rest of this port's queue waits for the next walk
      throw t;
    }
  }

  /** The current port's drain is over: what is left (limit reached, or a handler threw) waits for a walk. */
  private void endDrain(MessagePort p) {
    current = null;
    p.drainEnded();
    if (!p.inbox().isEmpty() && p.markSignalled()) {
      signalled.offer(p);
    }
  }

  @Override
  public void nextPollCleared() {
    walking = false;
    List<MessagePort> stale = new ArrayList<>(ready.values());
    ready.clear();
    if (current != null) {
      stale.add(current);
      current = null;
    }
    for (MessagePort p; (p = signalled.poll()) != null; ) {
      stale.add(p);
    }
    scheduled.set(false);
    for (MessagePort p : stale) {
      p.clearSignalled();
      if (!p.inbox().isEmpty()) {
        signalQueued(p); // posted: it survives a stopped run; a closed loop refuses it, and the message is dropped
      }
    }
  }

  private void endWalk() {
    walking = false;
    if ((!ready.isEmpty() || !signalled.isEmpty()) && scheduled.compareAndSet(false, true)) {
      Bridge.loops().runInNextPoll(loop, start);
    }
  }
}
