package org.eventloop4j.stream;

import java.util.function.Consumer;
import org.eventloop4j.Promise;
import org.eventloop4j.Resolvers;
import org.jspecify.annotations.Nullable;

/** The loop of {@link AsyncIterable#forEach}: one {@code next()} per step, no chain of promises kept. */
final class ForEachStep {
  private ForEachStep() {}

  static <T> void step(AsyncIterator<T> it, Consumer<? super T> action, Resolvers<@Nullable Void> done) {
    Promise<IteratorResult<T>> next;
    try {
      next = it.next();
    } catch (Throwable t) {
      done.reject(t);
      return;
    }
    next.then(r -> {
      if (r.done()) {
        done.resolve(null);
      } else if (accept(it, action, r.value(), done)) {
        step(it, action, done);
      }
      return null;
    }, e -> {
      done.reject(e);
      return null;
    });
  }

  private static <T> boolean accept(AsyncIterator<T> it, Consumer<? super T> action, @Nullable T value,
      Resolvers<@Nullable Void> done) {
    try {
      action.accept(value);
      return true;
    } catch (Throwable t) {
      it.returnValue(null).then(r -> {
        done.reject(t);
        return null;
      }, e -> {
        done.reject(t);
        return null;
      });
      return false;
    }
  }
}
