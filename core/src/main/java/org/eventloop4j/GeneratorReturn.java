package org.eventloop4j;

import org.jspecify.annotations.Nullable;

/**
 * Carries a {@code returnValue(v)} request from the {@code yield} it resumed out through the generator
 * body, so that its {@code finally} blocks run. An {@link Error}, so that {@code catch (Exception e)} never
 * swallows it, as no JavaScript {@code catch} sees a return completion.
 */
final class GeneratorReturn extends Error {
  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial") // never serialized: it lives only inside a generator body
  final @Nullable Object value;

  GeneratorReturn(@Nullable Object value) {
    super("the generator's returnValue() was called at this yield", null, false, false);
    this.value = value;
  }
}
