package org.eventloop4j.worker;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.eventloop4j.EventLoop;
import org.eventloop4j.internal.Bridge;
import org.eventloop4j.internal.MpscQueue;
import org.jspecify.annotations.Nullable;

/**
 * One end of a {@link MessageChannel}, as in {@code worker_threads}: what one end posts, the other end's
 * handler receives, in order, as macrotasks of the loop that listens.
 *
 * <h2>Messages</h2>
 *
 * <p>Messages are passed <b>by reference</b>, not cloned as {@code postMessage} clones in JavaScript: the
 * receiver gets the very object that was posted, so both sides may touch it at once. Post immutable
 * values — records of immutable fields, {@code List.of(...)}, strings, boxed numbers — or hand an object
 * over and stop using it. A {@link org.eventloop4j.shared.SharedArrayBuffer} is meant to be shared; a
 * {@code MessagePort} may be posted too, and whoever calls {@link #onMessage} on it first owns it.
 *
 * <h2>Delivery and order</h2>
 *
 * <p>A port starts receiving when {@link #onMessage} is first called; that call binds it to the calling
 * loop for good. Messages posted before are queued and delivered then. Messages arrive as Node's {@code
 * 'message'} events do: in a poll phase of the receiving loop, each message its own callback followed by
 * its own nextTick and microtask drain. The loop serves the ports with messages in the order the ports were
 * made (a port first listened to on another loop than the one that made it counts as made there and then,
 * as a transferred port is in Node), each port all its queued messages back to back — also those its
 * handlers post to it meanwhile, up to 1000 or the queue's length when its turn began, whichever is more.
 * So messages posted by the main task or a timer run before the immediates it queued; one posted by a
 * handler runs in the same poll phase if its port is served later in that order (or is the handler's own),
 * else in the next iteration's; one posted by an immediate, in the next iteration's. Messages posted from
 * one thread arrive in the order posted; messages from several threads in one order consistent with each
 * thread's. A handler that throws ends its port's turn (the exception is the loop's uncaught exception);
 * its other messages wait for the next poll phase, and the other ports are served as usual.
 *
 * <h2>Lifetime</h2>
 *
 * <p>A started port keeps its loop alive while it is referenced (the default), as a port with a
 * {@code 'message'} listener does in Node; {@link #unref()} lets the loop end anyway — messages posted to it
 * from its own loop are then not delivered if the loop ends first, as in Node, while one posted from another
 * thread keeps the loop alive until it is — {@link #ref()} undoes that, and a later {@link #onMessage} call
 * does not. {@link #close()} closes both ends: the closing end
 * receives nothing more — except, when it closes inside its own handler, what reaches it before its turn
 * ends, as in Node — and the other end first receives every message the closing end had posted, then
 * closes. Closed ends release their loops. Each end's {@link #onClose} handler then runs in its loop's
 * close phase, after that iteration's immediates, as Node's {@code 'close'} does: the closing end's in the
 * iteration it closed in (the next one's when closed from another thread), its peer's once the close
 * reaches it as a message; the closing end's first.
 *
 * <p>A run ended by {@link EventLoop#stop()} in the middle of a port's turn keeps the messages not yet
 * dispatched for the loop's next run; a loop that closes drops them.
 *
 * <p>A started port holds its loop as a ref'd handle, not as an {@link EventLoop#keepAlive()}: on a
 * virtual clock the loop still jumps to its next timer while the port listens, so a virtual-time test with
 * a channel runs as fast as any other. Messages that other threads are about to send are not waited for
 * then: a {@link Worker} holds a keep-alive of its parent while it runs; other senders can take one.
 *
 * <h2>Threads and errors</h2>
 *
 * <p>{@link #postMessage} and {@link #close} may be called from any thread; {@link #onMessage}, {@link #ref}
 * and {@link #unref} on the loop the port is (or gets) bound to. An exception thrown by the handler is an
 * uncaught exception of the receiving loop. Posting on a closed port throws {@link IllegalStateException}
 * (Node drops the message silently); a message that reaches a port closed meanwhile, or whose loop has
 * ended, is dropped.
 */
public final class MessagePort {
  /*
   * Overview for maintainers.
   *
   * Binding. Until the first onMessage, `loop` is null and deliveries go to `pending` under `lock`. Binding
   * (on the receiving loop, under `lock`) posts every pending message to the loop first and only then
   * publishes `loop` (volatile). A sender that sees `loop` non-null posts directly; one that sees null
   * takes the lock and re-checks. So a direct post can never overtake a pending message: while the flush
   * runs, `loop` is still null and senders queue behind the lock.
   *
   * Delivery. A bound port's messages go to `inbox` (MPSC; its consumer is the bound loop) and the loop's
   * PortHub is signalled; the hub serves the ports in `order` (a global sequence taken at creation, or again
   * at binding on another loop than the creating one), draining each (see PortHub's overview: Node's
   * uv_async handles).
   *
   * Closing. close() marks this end closed at once (dispatch drops what is still in flight to it) and
   * delivers the CLOSE sentinel to the peer like a message, so the peer closes only after dispatching
   * everything this end posted before. `keepAlive` (the ref on the bound loop) is guarded by `lock` since
   * close() may run on any thread.
   *
   * `handler` is written under the lock on the bound loop's thread and read on that thread by dispatch,
   * which the hub runs there.
   *
   * Closing inside the handler (Node keeps running the port's current drain until its close callback): the
   * port is marked `closing` (posting refused); the real close happens when the hub ends the port's drain
   * (drainEnded), after every message that reached it meanwhile. The 'close' event (closeHandler on closeLoop) is
   * emitted by closeHere into that loop's close-callback queue (Bridge.loops()), directly on the loop's
   * thread, else through a posted task.
   *
   * Tests: MessagePortTest (order, pending before start, ref/unref, close semantics, bad input),
   * WorkerTest (ports handed to workers).
   */
  private static final System.Logger LOG = System.getLogger(MessagePort.class.getName());
  private static final Object CLOSE = new Object();
  private static final AtomicLong ORDERS = new AtomicLong();

  private final Object lock = new Object();
  private @Nullable MessagePort peer;
  private volatile @Nullable EventLoop loop;
  private @Nullable Consumer<Object> handler;
  private @Nullable ArrayDeque<Object> pending = new ArrayDeque<>();
  /** Messages for the bound loop, in order; PortHub takes them there. */
  private final MpscQueue<Object> inbox = new MpscQueue<>();
  /** Whether the port waits for its loop's PortHub to serve it (set by signal, cleared when served). */
  private final AtomicBoolean signalled = new AtomicBoolean();
  /** The loop current when the port was made, if any: binding on another loop renews `order`. */
  private @Nullable EventLoop creator = EventLoop.tryCurrent();
  /** The place of this port in its loop's serving order (written before `loop` is published). */
  private long order = ORDERS.incrementAndGet();
  private @Nullable PortHub hub;
  private EventLoop.@Nullable KeepAlive keepAlive;
  private boolean referenced = true;
  private volatile boolean closed;
  /** Closing inside its own handler: no more posting; the rest of its turn still runs (see drainEnded). */
  private volatile boolean closing;
  /** Loop-confined: whether the handler is running (then close() waits for the turn's end, see drainEnded). */
  private boolean dispatching;
  private @Nullable Runnable closeHandler;
  private @Nullable EventLoop closeLoop;

  MessagePort() {}

  /** Links two fresh ports; called once by {@link MessageChannel}. */
  static void entangle(MessagePort a, MessagePort b) {
    a.peer = b;
    b.peer = a;
  }

  // ------------------------------------------------------------------------------------------------
  // Sending

  /**
   * Posts {@code message} to the other end; any thread, never blocks. The object itself is delivered (see
   * the class documentation).
   *
   * @throws NullPointerException if {@code message} is null
   * @throws IllegalStateException if this port is closed
   */
  public void postMessage(Object message) {
    requireNonNull(message, "message");
    if (closed || closing) {
      throw new IllegalStateException("postMessage on a closed MessagePort");
    }
    requireNonNull(peer, "peer").deliver(message);
  }

  /** Delivers {@code message} (or CLOSE) to this port's loop, or queues it until the port starts. */
  void deliver(Object message) {
    EventLoop l = loop;
    if (l == null) {
      synchronized (lock) {
        l = loop;
        if (l == null) {
          if (pending != null) {
            pending.add(message);
          }
          return;
        }
      }
    }
    inbox.offer(message);
    requireNonNull(hub, "hub").signal(this);
  }

  MpscQueue<Object> inbox() {
    return inbox;
  }

  long order() {
    return order;
  }

  /** Sets the signalled flag; true if it was clear (then the caller queues the port on its hub). */
  boolean markSignalled() {
    return !signalled.get() && signalled.compareAndSet(false, true);
  }

  void clearSignalled() {
    signalled.set(false);
  }

  /** On the bound loop, called by the hub: one message, one poll-phase callback. */
  void dispatch(Object message) {
    if (message == CLOSE) {
      closeHere();
      return;
    }
    Consumer<Object> h = handler;
    if (!closed && h != null) {
      dispatching = true;
      try {
        h.accept(message);
      } finally {
        dispatching = false;
      }
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Receiving

  /**
   * Sets the handler that receives this port's messages and starts the port on the calling loop (Node's
   * {@code port.on('message', handler)}); a later call replaces the handler. Loop-affine.
   *
   * @throws IllegalStateException off a loop, or on a loop other than the one the port is bound to
   */
  public MessagePort onMessage(Consumer<Object> handler) {
    requireNonNull(handler, "handler");
    EventLoop current = EventLoop.current();
    synchronized (lock) {
      checkBinding(current, "onMessage");
      this.handler = handler;
      if (loop == null) {
        bind(current);
      }
    }
    return this;
  }

  /** Under the lock, on {@code current}: move what was pending to the inbox, then publish the loop. */
  private void bind(EventLoop current) {
    if (referenced && !closed) {
      keepAlive = Bridge.loops().handle(current);
    }
    if (creator != current) {
      order = ORDERS.incrementAndGet(); // as a port transferred to a worker, made anew where it is received
    }
    PortHub h = PortHub.of(current);
    hub = h;
    ArrayDeque<Object> queued = pending;
    pending = null;
    if (queued != null && !queued.isEmpty()) {
      for (Object m : queued) {
        inbox.offer(m);
      }
      h.signalQueued(this);
    }
    loop = current;
  }

  /**
   * Counts the port as made now, on the calling loop (a Worker's own end, before its script runs, as Node
   * makes a worker's parentPort): its place in that loop's order of ports is taken here, not at binding.
   */
  void madeHere() {
    EventLoop current = EventLoop.current();
    synchronized (lock) {
      if (loop == null) {
        creator = current;
        order = ORDERS.incrementAndGet();
      }
    }
  }

  /** Called by the hub when it ends this port's drain: a close asked for by its own handler happens now. */
  void drainEnded() {
    if (closing && !closed) {
      closeNow();
    }
  }

  /**
   * Whether messages for this port have not been dispatched yet (loop-confined): {@link Worker} holds its
   * exit event back until every message the worker posted is in.
   */
  boolean flushing() {
    return !closed && !inbox.isEmpty();
  }

  /** Under the lock: fails unless the port is unbound or bound (by onMessage or onClose) to {@code current}. */
  private void checkBinding(EventLoop current, String what) {
    EventLoop bound = loop != null ? loop : closeLoop;
    if (bound != null && bound != current) {
      throw new IllegalStateException("this MessagePort is bound to event loop " + bound.name() + "; " + what
          + " was called on loop " + current.name() + " (a port is owned by the first loop that listens)");
    }
  }

  /** Lets a started port keep its loop alive again (the default). Loop-affine; returns this. */
  public MessagePort ref() {
    checkLoop("ref");
    synchronized (lock) {
      referenced = true;
      EventLoop l = loop;
      if (l != null && keepAlive == null && !closed) {
        keepAlive = Bridge.loops().handle(l);
      }
    }
    return this;
  }

  /** Lets the loop end while this port still listens; it still receives while the loop runs. Returns this. */
  public MessagePort unref() {
    checkLoop("unref");
    EventLoop.KeepAlive k;
    synchronized (lock) {
      referenced = false;
      k = keepAlive;
      keepAlive = null;
    }
    if (k != null) {
      k.close();
    }
    return this;
  }

  /**
   * Whether the port keeps its loop alive now: started, referenced and not closed. A port that has not
   * started yet does not ({@code hasRef()} is false for a fresh port in Node too).
   */
  public boolean hasRef() {
    synchronized (lock) {
      return keepAlive != null;
    }
  }

  private void checkLoop(String what) {
    EventLoop l = loop;
    if (l != null && EventLoop.tryCurrent() != l) {
      throw new IllegalStateException(what + "() on a MessagePort bound to event loop " + l.name()
          + " must be called on that loop");
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Closing

  /**
   * Closes both ends of the channel; any thread, idempotent. This end stops receiving now — or, when called
   * by its own handler, once its turn ends (what reached it meanwhile included) — and the other end
   * receives what this end posted before, then closes. Posting on this end throws from now on.
   */
  public void close() {
    EventLoop l = loop;
    if (l != null && EventLoop.tryCurrent() == l && dispatching) {
      closing = true; // the hub closes the port when its drain ends (drainEnded)
      return;
    }
    closeNow();
  }

  private void closeNow() {
    if (closeHere()) {
      requireNonNull(peer, "peer").deliver(CLOSE);
    }
  }

  /**
   * Runs {@code handler} once this end is closed, by either end ({@code port.on('close', handler)}), on the
   * calling loop; a later call replaces it. The handler runs in the close phase (see the class documentation).
   * Loop-affine: a port that is started must be on the calling loop, and {@link #onMessage} must then be
   * called on it too. A handler set on a port already closed does not run.
   *
   * @throws IllegalStateException off a loop, or on a loop other than the one the port is bound to
   */
  public MessagePort onClose(Runnable handler) {
    requireNonNull(handler, "handler");
    EventLoop current = EventLoop.current();
    synchronized (lock) {
      checkBinding(current, "onClose");
      closeHandler = handler;
      closeLoop = current;
    }
    return this;
  }

  /** Closes this end once it has dispatched everything delivered before (the peer end is gone). */
  void closeFromPeer() {
    deliver(CLOSE);
  }

  /** Closes this end only: drops what is in flight to it and releases its loop. True if it was open. */
  boolean closeHere() {
    EventLoop.KeepAlive k;
    Runnable onClose;
    EventLoop onCloseLoop;
    synchronized (lock) {
      if (closed) {
        return false;
      }
      closed = true;
      pending = null;
      k = keepAlive;
      keepAlive = null;
      onClose = closeHandler;
      onCloseLoop = closeLoop;
      closeHandler = null;
    }
    if (onClose != null && onCloseLoop != null) {
      emitClose(onCloseLoop, onClose);
    }
    if (k != null) {
      k.close();
    }
    return true;
  }

  /** The 'close' event, in the close phase of the handler's loop (see the class documentation). */
  private static void emitClose(EventLoop l, Runnable onClose) {
    if (EventLoop.tryCurrent() == l) {
      Bridge.loops().queueCloseCallback(l, onClose);
      return;
    }
    try {
      l.execute(() -> Bridge.loops().queueCloseCallback(l, onClose));
    } catch (RejectedExecutionException e) {
      LOG.log(System.Logger.Level.DEBUG, "'close' handler of a MessagePort dropped: event loop " + l.name()
          + " is closed", e);
    }
  }

  /** Whether this end is closed, or closing (see {@link #close()}). */
  public boolean isClosed() {
    return closed || closing;
  }

  @Override
  public String toString() {
    EventLoop l = loop;
    return "MessagePort[" + (closed ? "closed" : l == null ? "not started" : "on " + l.name()) + "]";
  }
}
