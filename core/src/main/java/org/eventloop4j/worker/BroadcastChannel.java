package org.eventloop4j.worker;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.eventloop4j.EventLoop;
import org.jspecify.annotations.Nullable;

/**
 * One-to-many messaging between loops and threads, as {@code worker_threads.BroadcastChannel}: what one
 * channel posts, every other open channel of the same name receives — on any loop of the process, a
 * {@link Worker}'s included — and the sender itself does not.
 *
 * <pre>{@code
 * BroadcastChannel config = new BroadcastChannel("config");   // on each loop that wants the news
 * config.onMessage(m -> reload((Config) m));
 * ...
 * new BroadcastChannel("config").postMessage(newConfig);      // from any of them
 * }</pre>
 *
 * <h2>Delivery and order</h2>
 *
 * <p>Each channel receives as a {@link MessagePort} does, on the loop that made it: its messages are
 * poll-phase callbacks of that loop, each with its own nextTick and microtask drain, the loop's ports and
 * channels served in the order they were made, each its whole queue (see {@link MessagePort}). A message
 * reaches the channels open when it is posted, not those made later; a channel with no handler when a
 * message is dispatched drops it, as Node emits a {@code 'message'} event nobody listens to. Messages from
 * one thread arrive at each channel in the order posted. They are passed <b>by reference</b>, not cloned:
 * every receiver gets the same object, so post immutable values.
 *
 * <h2>Lifetime, threads and errors</h2>
 *
 * <p>A channel is made on a loop (its constructor is loop-affine) and keeps that loop alive from then on,
 * listening or not, as in Node, until {@link #close()} or {@link #unref()}. {@link #postMessage} and {@link
 * #close} work on any thread; {@link #onMessage}, {@link #ref} and {@link #unref} on the channel's loop. A
 * handler's exception is an uncaught exception of its loop. Posting on a closed channel throws {@link
 * IllegalStateException} ("BroadcastChannel is closed.", Node's InvalidStateError); messages still in
 * flight to a channel that closes are dropped.
 */
public final class BroadcastChannel {
  /*
   * Overview for maintainers. A channel is a receiving MessagePort without a peer, started (bound, ref'd)
   * by the constructor with a handler that forwards to `handler` (null: drop), so it takes its place in the
   * loop's order of ports then and is served by the loop's PortHub like any port. `GROUPS` maps a name to
   * its open channels in the order they were made (copy-on-write: posts iterate it from any thread, joins
   * and leaves are rare); a post delivers to every member but the sender. A member removed while a post
   * iterates may still get that message; its port, closed, drops it. The group's entry goes away with its
   * last member. Tests: BroadcastChannelTest, scenario 81.
   */
  private static final ConcurrentHashMap<String, List<BroadcastChannel>> GROUPS = new ConcurrentHashMap<>();

  private final String name;
  private final MessagePort port = new MessagePort();
  /** The port's handler for good: forwards to {@code handler}, if set. */
  private final Consumer<Object> forward = this::dispatch;
  private volatile @Nullable Consumer<Object> handler;
  private volatile boolean closed;

  /**
   * Joins the channel group {@code name} on the calling loop.
   *
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalStateException off a loop
   */
  public BroadcastChannel(String name) {
    this.name = requireNonNull(name, "name");
    port.onMessage(forward); // binds to the current loop (or throws off a loop) and refs it
    GROUPS.compute(name, (k, members) -> {
      List<BroadcastChannel> list = members != null ? members : new CopyOnWriteArrayList<>();
      list.add(this);
      return list;
    });
  }

  private void dispatch(Object message) {
    Consumer<Object> h = handler;
    if (h != null && !closed) {
      h.accept(message);
    }
  }

  /** The group's name. */
  public String name() {
    return name;
  }

  /**
   * Posts {@code message} to every other open channel named {@link #name()}; any thread, never blocks.
   *
   * @throws NullPointerException if {@code message} is null
   * @throws IllegalStateException if this channel is closed
   */
  public void postMessage(Object message) {
    requireNonNull(message, "message");
    if (closed) {
      throw new IllegalStateException("BroadcastChannel is closed.");
    }
    List<BroadcastChannel> members = GROUPS.get(name);
    if (members == null) {
      return;
    }
    for (BroadcastChannel c : members) {
      if (c != this) {
        c.port.deliver(message);
      }
    }
  }

  /**
   * Sets the handler of the messages this channel receives (Node's {@code onmessage}); a later call
   * replaces it. Loop-affine.
   *
   * @throws IllegalStateException off the channel's loop
   */
  public BroadcastChannel onMessage(Consumer<Object> handler) {
    requireNonNull(handler, "handler");
    port.onMessage(forward); // checks the loop; the port's handler stays the same
    this.handler = handler;
    return this;
  }

  /** Lets the loop end while this channel is open. Loop-affine; returns this. */
  public BroadcastChannel unref() {
    port.unref();
    return this;
  }

  /** Makes this channel keep its loop alive again (the default). Loop-affine; returns this. */
  public BroadcastChannel ref() {
    port.ref();
    return this;
  }

  /** Whether this channel keeps its loop alive now: open and referenced. */
  public boolean hasRef() {
    return port.hasRef();
  }

  /** Leaves the group: receives nothing more and releases its loop; posting throws. Any thread, idempotent. */
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    GROUPS.computeIfPresent(name, (k, members) -> {
      members.remove(this);
      return members.isEmpty() ? null : members;
    });
    port.closeHere();
  }

  /** How many channels named {@code name} are open (tests: a group leaves no entry behind). */
  static int members(String name) {
    List<BroadcastChannel> members = GROUPS.get(name);
    return members == null ? 0 : members.size();
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }

  @Override
  public String toString() {
    return "BroadcastChannel[" + name + (closed ? ", closed" : "") + "]";
  }
}
