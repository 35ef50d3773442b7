package org.eventloop4j.worker;

/**
 * {@code worker_threads}' {@code MessageChannel}: two entangled {@link MessagePort}s; what one posts, the
 * other receives. Hand either port to a {@link Worker} (in a message or as its {@code workerData}) to give it
 * a private line to another worker or to the parent. Thread-safe; see {@link MessagePort} for order and
 * lifetime.
 *
 * <pre>{@code
 * MessageChannel ch = new MessageChannel();
 * worker.postMessage(ch.port2());                 // the worker calls onMessage on it and answers there
 * ch.port1().onMessage(reply -> ...);
 * ch.port1().postMessage("ping");
 * }</pre>
 */
public final class MessageChannel {
  /* Overview: only creates and entangles the two ports; all state lives in MessagePort. */
  private final MessagePort port1 = new MessagePort();
  private final MessagePort port2 = new MessagePort();

  /** Two fresh, entangled, not yet started ports. */
  public MessageChannel() {
    MessagePort.entangle(port1, port2);
  }

  /** The first end. */
  public MessagePort port1() {
    return port1;
  }

  /** The second end. */
  public MessagePort port2() {
    return port2;
  }

  @Override
  public String toString() {
    return "MessageChannel[" + port1 + ", " + port2 + "]";
  }
}
