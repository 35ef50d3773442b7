package org.eventloop4j;

import org.jspecify.annotations.Nullable;

/**
 * The analogue of the DOM's {@code DOMException} named {@code "AbortError"}: the default reason of
 * {@link AbortController#abort()} and {@link AbortSignal#abort()}, whose message is
 * {@value #DEFAULT_MESSAGE}.
 *
 * <p>{@link AbortSignal#throwIfAborted()} also throws one, with the reason as its {@linkplain #getCause()
 * cause}, when the reason is a checked exception (which a method without a {@code throws} clause cannot
 * throw as it is).
 */
public class AbortError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The message of the default abort reason, as in browsers and Node.js. */
  public static final String DEFAULT_MESSAGE = "This operation was aborted";

  /** Creates the error with the {@linkplain #DEFAULT_MESSAGE default message}. */
  public AbortError() {
    this(DEFAULT_MESSAGE);
  }

  /** Creates the error with {@code message}. */
  public AbortError(String message) {
    super(message);
  }

  /** Creates the error with {@code message} and {@code cause}. */
  public AbortError(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
