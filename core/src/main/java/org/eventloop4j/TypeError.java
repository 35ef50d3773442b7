package org.eventloop4j;

/**
 * The analogue of JavaScript's {@code TypeError} for the errors ECMAScript defines as such, for example
 * resolving a promise with itself ("Chaining cycle detected for promise").
 */
public class TypeError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the error with {@code message}. */
  public TypeError(String message) {
    super(message);
  }
}
