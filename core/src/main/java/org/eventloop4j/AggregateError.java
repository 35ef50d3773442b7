package org.eventloop4j;

import java.util.List;

/**
 * The analogue of JavaScript's {@code AggregateError}: {@link Promise#any} rejects with it when every input
 * rejected. {@link #errors()} holds the reasons in input order; each is also attached as a suppressed
 * exception so that stack traces show them.
 */
public final class AggregateError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial") // the reasons are Throwables, which are Serializable
  private final List<Throwable> errors;

  /** Creates the error; {@code errors} is copied. */
  public AggregateError(List<? extends Throwable> errors, String message) {
    super(message);
    this.errors = List.copyOf(errors);
    this.errors.forEach(this::addSuppressed);
  }

  /** The reasons, in input order; immutable. */
  public List<Throwable> errors() {
    return errors;
  }
}
