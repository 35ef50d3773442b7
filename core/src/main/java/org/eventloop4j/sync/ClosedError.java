package org.eventloop4j.sync;

import org.jspecify.annotations.Nullable;

/**
 * The error of an operation on a closed primitive: an acquire or lock after (or waiting at) {@code close()},
 * a push to a closed {@link AsyncQueue}. A primitive closed with a reason of its own rejects with that
 * reason instead, unwrapped.
 */
public class ClosedError extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /** Creates the error with {@code message}. */
  public ClosedError(String message) {
    super(message);
  }

  /** Creates the error with {@code message} and the {@code cause} the primitive was closed with. */
  public ClosedError(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
