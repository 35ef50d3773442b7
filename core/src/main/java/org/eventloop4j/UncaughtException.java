package org.eventloop4j;

/**
 * Thrown by {@link EventLoop#run(Runnable)} when an uncaught error that is a checked exception ended the
 * loop; {@link #getCause()} is that exception, unchanged. Unchecked errors are thrown as they are.
 */
public final class UncaughtException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UncaughtException(Throwable cause) {
    super(cause.toString(), cause);
  }
}
