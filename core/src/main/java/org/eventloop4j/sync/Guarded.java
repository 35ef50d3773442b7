package org.eventloop4j.sync;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.Callable;
import org.eventloop4j.Promise;
import org.jspecify.annotations.Nullable;

/** The {@code execute} forms: runs a task while holding something, and lets go once its promise settles. */
final class Guarded {
  private Guarded() {}

  /**
   * Calls {@code task} (the caller already holds); runs {@code release} once the task's promise settles, or
   * at once if the task throws or returns null. The result settles like the task's promise, after the
   * release.
   */
  static <T> Promise<T> run(Callable<? extends Promise<? extends T>> task, Runnable release) {
    Promise<? extends T> running;
    try {
      running = requireNonNull(task.call(), "the task returned null instead of a promise");
    } catch (Throwable t) {
      release.run();
      return Promise.reject(t);
    }
    return running.then(v -> passOn(v, release), e -> {
      release.run();
      throw Guarded.<RuntimeException>sneaky(e);
    });
  }

  private static <T> @Nullable T passOn(@Nullable T value, Runnable release) {
    release.run();
    return value;
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E sneaky(Throwable t) throws E {
    throw (E) t;
  }
}
