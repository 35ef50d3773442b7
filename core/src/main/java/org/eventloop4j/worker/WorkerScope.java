package org.eventloop4j.worker;

import static java.util.Objects.requireNonNull;

import java.util.function.Consumer;
import org.eventloop4j.EventLoop;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link Worker}'s script sees of its worker: the {@code parentPort}, {@code workerData} and
 * {@code threadId} of {@code worker_threads}, plus {@code process.exit}. Every method except
 * {@link #postMessage}, {@link #workerData()} and {@link #threadId()} is affine to the worker's loop.
 */
public final class WorkerScope {
  /* Overview: a thin facade over the worker end of the worker's channel; `exitCode` is written on the
   * worker's loop by exit() and read by the worker's thread after its loop ended (volatile). */
  private final EventLoop loop;
  private final MessagePort port;
  private final @Nullable Object workerData;
  private final int threadId;
  private volatile int exitCode = Worker.EXIT_OK;

  WorkerScope(EventLoop loop, MessagePort port, @Nullable Object workerData, int threadId) {
    this.loop = loop;
    this.port = port;
    this.workerData = workerData;
    this.threadId = threadId;
  }

  /**
   * Posts {@code message} to the parent ({@code parentPort.postMessage}); any thread. Passed by reference:
   * see {@link MessagePort}.
   *
   * @throws IllegalStateException once the worker's port is closed
   */
  public void postMessage(Object message) {
    port.postMessage(message);
  }

  /**
   * Receives the parent's messages ({@code parentPort.on('message', handler)}), as macrotasks of this
   * worker's loop. While the port is referenced, this keeps the worker running until it is terminated,
   * calls {@link #exit} or {@link #close()}, or unrefs {@link #parentPort()}.
   */
  public WorkerScope onMessage(Consumer<Object> handler) {
    port.onMessage(requireNonNull(handler, "handler"));
    return this;
  }

  /** The worker's end of its channel to the parent ({@code parentPort}). */
  public MessagePort parentPort() {
    return port;
  }

  /** The object given to {@link Worker.Builder#workerData} ({@code workerData}), passed by reference. */
  public @Nullable Object workerData() {
    return workerData;
  }

  /** The worker's id, the same as {@link Worker#threadId()}; 1 for the first worker of the process. */
  public int threadId() {
    return threadId;
  }

  /** The worker's own event loop. */
  public EventLoop loop() {
    return loop;
  }

  /**
   * Ends the worker with {@code code} ({@code process.exit(code)} inside a worker): the running callback
   * finishes, nothing queued runs, and the parent sees an exit with this code. Loop-affine.
   */
  public void exit(int code) {
    exitCode = code;
    loop.stop();
  }

  /** Closes the channel to the parent ({@code parentPort.close()}); the worker then ends once idle. */
  public void close() {
    port.close();
  }

  int exitCode() {
    return exitCode;
  }

  @Override
  public String toString() {
    return "WorkerScope[threadId " + threadId + " on " + loop.name() + "]";
  }
}
