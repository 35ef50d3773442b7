package org.eventloop4j;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code Promise.all}, {@code allSettled}, {@code race} and {@code any}, per ECMA-262: every input gets
 * one reaction, registered synchronously in input order, so the aggregate settles one hop after the
 * reaction that decides it — with settled inputs, its own reactions run at hop 2; with no input, {@code
 * all} and {@code any} settle at once.
 */
final class Combinators {
  /*
   * Overview: one Aggregate per call holds the result slots and the count of inputs still outstanding;
   * each input gets an ElementReaction carrying its index. Reactions run on the loop thread one at a time,
   * so the counter needs no atomics. The aggregate promise is settled through resolveWith/rejectWith,
   * whose isUnresolved() guard implements "the first decisive input wins" (later outcomes are ignored, as
   * the spec's alreadyCalled flags do). Inputs owned by another loop are chained through the same
   * foreign-reaction path as then().
   */
  private Combinators() {}

  private enum Kind { ALL, ALL_SETTLED, RACE, ANY }

  static <T> Promise<List<T>> all(Iterable<? extends Promise<? extends T>> promises) {
    return start(Kind.ALL, promises);
  }

  static <T> Promise<List<Promise.Settled<T>>> allSettled(Iterable<? extends Promise<? extends T>> promises) {
    return start(Kind.ALL_SETTLED, promises);
  }

  static <T> Promise<T> race(Iterable<? extends Promise<? extends T>> promises) {
    return start(Kind.RACE, promises);
  }

  static <T> Promise<T> any(Iterable<? extends Promise<? extends T>> promises) {
    return start(Kind.ANY, promises);
  }

  private static <R> Promise<R> start(Kind kind, Iterable<? extends Promise<?>> promises) {
    List<Promise<?>> inputs = copy(promises);
    Promise<R> result = new Promise<>(EventLoop.current());
    Aggregate aggregate = new Aggregate(kind, result, inputs.size());
    if (inputs.isEmpty()) {
      aggregate.settleEmpty();
    }
    for (int i = 0; i < inputs.size(); i++) {
      subscribe(inputs.get(i), new ElementReaction(aggregate, i), result.loop);
    }
    return result;
  }

  private static List<Promise<?>> copy(Iterable<? extends Promise<?>> promises) {
    requireNonNull(promises, "promises");
    List<Promise<?>> inputs = new ArrayList<>();
    for (Promise<?> p : promises) {
      inputs.add(requireNonNull(p, () -> "promises[" + inputs.size() + "] is null"));
    }
    return inputs;
  }

  private static void subscribe(Promise<?> input, Promise.Reaction reaction, EventLoop loop) {
    input.registerFrom(loop, reaction);
  }

  private static final class ElementReaction extends Promise.Reaction {
    private final Aggregate aggregate;
    private final int index;

    ElementReaction(Aggregate aggregate, int index) {
      this.aggregate = aggregate;
      this.index = index;
    }

    @Override
    public void run() {
      aggregate.onSettled(index, source);
    }
  }

  private static final class Aggregate {
    private final Kind kind;
    private final Promise<?> result;
    private final @Nullable Object[] slots;
    private int remaining;

    Aggregate(Kind kind, Promise<?> result, int size) {
      this.kind = kind;
      this.result = result;
      this.slots = new Object[size];
      this.remaining = size;
    }

    void settleEmpty() {
      switch (kind) {
        case ALL, ALL_SETTLED -> result.fulfill(List.of());
        case ANY -> result.rejectWith(new AggregateError(List.of(), "All promises were rejected"));
        case RACE -> { } // never settles, as race([]) in JavaScript
      }
    }

    void onSettled(int index, Promise<?> input) {
      if (!result.isUnresolved()) {
        return;
      }
      Object value = input.result();
      boolean fulfilled = input.isFulfilled();
      switch (kind) {
        case ALL -> {
          if (!fulfilled) {
            result.rejectWith((Throwable) requireNonNull(value));
          } else {
            collect(index, value);
          }
        }
        case ALL_SETTLED -> collect(index, fulfilled
            ? new Promise.Settled.Fulfilled<>(value)
            : new Promise.Settled.Rejected<>((Throwable) requireNonNull(value)));
        case RACE -> {
          if (fulfilled) {
            result.fulfill(value);
          } else {
            result.rejectWith((Throwable) requireNonNull(value));
          }
        }
        case ANY -> {
          if (fulfilled) {
            result.fulfill(value);
          } else {
            slots[index] = value;
            if (--remaining == 0) {
              result.rejectWith(new AggregateError(errors(), "All promises were rejected"));
            }
          }
        }
      }
    }

    private void collect(int index, @Nullable Object value) {
      slots[index] = value;
      if (--remaining == 0) {
        result.fulfill(Collections.unmodifiableList(Arrays.asList(slots)));
      }
    }

    private List<Throwable> errors() {
      List<Throwable> errors = new ArrayList<>(slots.length);
      for (Object o : slots) {
        errors.add((Throwable) requireNonNull(o));
      }
      return errors;
    }
  }
}
