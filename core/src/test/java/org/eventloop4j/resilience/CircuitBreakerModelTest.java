package org.eventloop4j.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.Supplier;
import org.eventloop4j.Promise;
import org.eventloop4j.Timers;
import org.eventloop4j.resilience.CircuitBreaker.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Property test of the breaker's state machine: many seeded random configurations and operation
 * sequences (calls with random outcomes and durations, permits, clock jumps, operator transitions) run
 * against the real breaker on a virtual-time loop and against {@link Model}, a plain sequential
 * transcription of the documented rules. After every operation the state and the metrics must agree;
 * at the end, every call's settlement (value or error type, and time) and every transition. A failure
 * names its seed: rerun one with {@code -Dcb.seed=N}.
 */
@Timeout(60)
class CircuitBreakerModelTest {
  private static final int STRESS = Integer.getInteger("eventloop4j.stress", 1);
  private static final int RUNS = 500 * STRESS;
  private static final int OPS = 150;

  @Test
  void randomOperations_breakerMatchesSequentialModel() {
    Long only = Long.getLong("cb.seed");
    long base = 0x5EED_CB00L;
    for (int i = 0; i < (only != null ? 1 : RUNS); i++) {
      long seed = only != null ? only : base + i;
      try {
        new Run(seed).go();
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("seed " + seed + " (rerun with -Dcb.seed=" + seed + "): " + e.getMessage(), e);
      }
    }
  }

  // ------------------------------------------------------------------------------------------------

  static final int SUCCESS = 0;
  static final int FAILURE = 1;
  static final int IGNORED = 2;

  /** A random but valid configuration. */
  record Config(int rule, int threshold, int size, long windowMs, int buckets, int minCalls, double rate,
      long slowMs, double slowRate, int halfOpen, int successes, long maxWait, long reset, boolean backoff,
      long callTimeout) {
    static Config random(Random r) {
      int rule = r.nextInt(3);
      int size = 1 + r.nextInt(8);
      int buckets = 1 + r.nextInt(4);
      long windowMs = buckets * (50L + r.nextInt(400));
      int minCalls = rule == 1 ? 1 + r.nextInt(size) : 1 + r.nextInt(6);
      double[] rates = {10, 25, 50, 66.6, 100};
      boolean slow = rule != 0 && r.nextBoolean();
      int halfOpen = 1 + r.nextInt(3);
      return new Config(rule, 1 + r.nextInt(4), size, windowMs, buckets, minCalls, rates[r.nextInt(rates.length)],
          slow ? 20 + r.nextInt(200) : 0, rates[r.nextInt(rates.length)], halfOpen, 1 + r.nextInt(halfOpen),
          100 + r.nextInt(2000), 50 + r.nextInt(1000), r.nextBoolean(), r.nextInt(3) == 0 ? 50 + r.nextInt(250) : 0);
    }

    long openMillis(int opens) {
      return backoff ? (long) Math.min(4 * reset, reset * Math.pow(2, opens - 1)) : reset;
    }

    CircuitBreaker build(BreakerHarness h, List<String> transitions) {
      CircuitBreaker.Builder b = CircuitBreaker.builder().name("m").clock(h.loop)
          .halfOpenCalls(halfOpen).successThreshold(successes).maxWaitInHalfOpen(Duration.ofMillis(maxWait))
          .ignoreErrors(e -> e instanceof UnsupportedOperationException)
          .recordErrors(e -> !(e instanceof IllegalArgumentException))
          .recordResults("bad"::equals)
          .onStateTransition((from, to) -> transitions.add(from + "->" + to + " @" + h.now()));
      if (backoff) {
        b.resetTimeoutBackoff(Duration.ofMillis(reset), 2, Duration.ofMillis(4 * reset));
      } else {
        b.resetTimeout(Duration.ofMillis(reset));
      }
      if (callTimeout > 0) {
        b.callTimeout(Duration.ofMillis(callTimeout));
      }
      switch (rule) {
        case 0 -> b.failureThreshold(threshold);
        case 1 -> b.countWindow(size);
        default -> b.timeWindow(Duration.ofMillis(windowMs), buckets);
      }
      if (rule != 0) {
        b.minimumCalls(minCalls).failureRateThreshold(rate);
        if (slowMs > 0) {
          b.slowCallDuration(Duration.ofMillis(slowMs)).slowCallRateThreshold(slowRate);
        }
      }
      return b.build();
    }
  }

  /** The documented state machine, written as plainly as possible; single-threaded. */
  static final class Model {
    final Config c;
    final List<String> transitions = new ArrayList<>();
    State state = State.CLOSED;
    long since;
    long until = Long.MAX_VALUE;
    int opens;
    int epoch;
    int run;
    final ArrayDeque<boolean[]> counted = new ArrayDeque<>();
    final List<long[]> timed = new ArrayList<>();
    int permitsLeft;
    int successes;
    long rejected;

    Model(Config c) {
      this.c = c;
    }

    /** Returns the epoch the call is admitted in, or -1 if rejected. */
    int acquire(long now) {
      for (;;) {
        switch (state) {
          case CLOSED, DISABLED, METRICS_ONLY -> {
            return epoch;
          }
          case FORCED_OPEN -> {
            rejected++;
            return -1;
          }
          case OPEN -> {
            if (now < until) {
              rejected++;
              return -1;
            }
            enter(State.HALF_OPEN, now, opens, now);
          }
          case HALF_OPEN -> {
            int taken = c.halfOpen - permitsLeft;
            if (taken > successes && now >= until) {
              enter(State.OPEN, until, opens + 1, now);
            } else if (permitsLeft > 0) {
              permitsLeft--;
              return epoch;
            } else {
              rejected++;
              return -1;
            }
          }
        }
      }
    }

    void outcome(int callEpoch, int kind, long duration, long now) {
      if (callEpoch != epoch) {
        return;
      }
      boolean slow = c.slowMs > 0 && duration >= c.slowMs;
      switch (state) {
        case CLOSED, METRICS_ONLY -> {
          if (kind != IGNORED && record(kind == FAILURE, slow, now) && state == State.CLOSED) {
            enter(State.OPEN, now, 1, now);
          }
        }
        case HALF_OPEN -> {
          if (kind == IGNORED) {
            permitsLeft++;
          } else if (kind == FAILURE || slow) {
            enter(State.OPEN, now, opens + 1, now);
          } else if (++successes >= c.successes) {
            enter(State.CLOSED, now, 0, now);
          }
        }
        default -> {
        }
      }
    }

    boolean record(boolean failure, boolean slow, long now) {
      if (c.rule == 0) {
        run = failure ? run + 1 : 0;
        return run >= c.threshold;
      }
      if (c.rule == 1) {
        counted.addLast(new boolean[] {failure, slow});
        if (counted.size() > c.size) {
          counted.removeFirst();
        }
      } else {
        timed.add(new long[] {Math.floorDiv(now, c.windowMs / c.buckets), failure ? 1 : 0, slow ? 1 : 0});
      }
      int[] n = counts(now);
      return n[0] >= c.minCalls && n[0] > 0
          && (n[1] * 100.0 >= c.rate * n[0] || c.slowMs > 0 && n[2] * 100.0 >= c.slowRate * n[0]);
    }

    /** calls, failures, slow of the window at {@code now}. */
    int[] counts(long now) {
      int[] n = new int[3];
      if (c.rule == 1) {
        for (boolean[] o : counted) {
          n[0]++;
          n[1] += o[0] ? 1 : 0;
          n[2] += o[1] ? 1 : 0;
        }
      } else {
        long current = Math.floorDiv(now, c.windowMs / c.buckets);
        for (long[] o : timed) {
          if (o[0] > current - c.buckets) {
            n[0]++;
            n[1] += (int) o[1];
            n[2] += (int) o[2];
          }
        }
      }
      return n;
    }

    void transitionTo(State target, long now) {
      switch (target) {
        case OPEN -> enter(State.OPEN, now, opens + 1, now);
        case HALF_OPEN -> enter(State.HALF_OPEN, now, opens, now);
        default -> enter(target, now, 0, now);
      }
    }

    void enter(State s, long start, int newOpens, long now) {
      transitions.add(state + "->" + s + " @" + now);
      state = s;
      since = start;
      opens = newOpens;
      epoch++;
      run = 0;
      counted.clear();
      timed.clear();
      until = switch (s) {
        case OPEN -> start + c.openMillis(newOpens);
        case HALF_OPEN -> start + c.maxWait;
        default -> Long.MAX_VALUE;
      };
      permitsLeft = s == State.HALF_OPEN ? c.halfOpen : 0;
      successes = 0;
    }

    CircuitBreaker.Metrics metrics(long now) {
      long next = state == State.OPEN ? until : -1;
      if (state == State.CLOSED || state == State.METRICS_ONLY) {
        if (c.rule == 0) {
          return new CircuitBreaker.Metrics(state, since, -1, -1, run, run, 0, rejected, next);
        }
        int[] n = counts(now);
        return new CircuitBreaker.Metrics(state, since, rate(n[1], n[0]), rate(n[2], n[0]), n[0], n[1], n[2], rejected, next);
      }
      int buffered = state == State.HALF_OPEN ? successes : 0;
      return new CircuitBreaker.Metrics(state, since, -1, -1, buffered, 0, 0, rejected, next);
    }

    double rate(int part, int calls) {
      return calls >= c.minCalls && calls > 0 ? part * 100.0 / calls : -1;
    }
  }

  /** A call the model still waits for: it settles at {@code at} with {@code kind}. */
  record Pending(long at, long order, int epoch, int kind, long duration, String expected) {}

  /** One seeded run: the same operations against the breaker and the model. */
  static final class Run {
    final Random r;
    final BreakerHarness h = new BreakerHarness();
    final Config c;
    final Model model;
    final List<String> transitions = new ArrayList<>();
    final CircuitBreaker cb;
    final List<String> expectedLog = new ArrayList<>();
    final PriorityQueue<Pending> inFlight =
        new PriorityQueue<>(Comparator.comparingLong(Pending::at).thenComparingLong(Pending::order));
    long order;

    Run(long seed) {
      r = new Random(seed);
      c = Config.random(r);
      model = new Model(c);
      cb = c.build(h, transitions);
    }

    void go() {
      for (int op = 0; op < OPS; op++) {
        int dice = r.nextInt(100);
        if (dice < 45) {
          call(op);
        } else if (dice < 55) {
          permit();
        } else if (dice < 95) {
          advance();
        } else {
          operator();
        }
        check("after op " + op + " (" + c + ")");
      }
      advanceBy(100_000);
      assertEquals(expectedLog, h.log, "settlements");
      assertEquals(model.transitions, transitions, "transitions");
      assertEquals(List.of(), h.uncaught, "uncaught errors");
    }

    void check(String where) {
      assertEquals(model.metrics(h.now()), cb.metrics(), where);
    }

    void call(int op) {
      int outcome = r.nextInt(5);
      long duration = r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(300);
      String name = "c" + op;
      long now = h.now();
      int epoch = model.acquire(now);
      // Settlements at the same instant would race in the timer queue (Node orders equal expiries of
      // different durations by list, not by creation), so every pending call gets its own end time.
      for (int tries = 0; duration > 0 && endsWithAnother(now + endOf(duration)); tries++) {
        duration = tries < 50 ? 1 + r.nextInt(300) : 0;
      }
      boolean timesOut = c.callTimeout > 0 && duration > c.callTimeout;
      long end = endOf(duration);
      h.call(cb, name, callOf(outcome, duration));
      if (epoch < 0) {
        expectedLog.add(name + " CircuitOpenError @" + now);
        return;
      }
      int kind = timesOut ? FAILURE : kindOf(outcome);
      String result = timesOut ? "CallTimeoutError" : resultOf(outcome);
      Pending p = new Pending(now + end, order++, epoch, kind, end, name + " " + result);
      if (end == 0) {
        settle(p);
      } else {
        inFlight.add(p);
      }
    }

    long endOf(long duration) {
      return c.callTimeout > 0 && duration > c.callTimeout ? c.callTimeout : duration;
    }

    boolean endsWithAnother(long at) {
      return inFlight.stream().anyMatch(p -> p.at() == at);
    }

    void settle(Pending p) {
      model.outcome(p.epoch(), p.kind(), p.duration(), p.at());
      expectedLog.add(p.expected() + " @" + p.at());
    }

    void permit() {
      long now = h.now();
      int epoch = model.acquire(now);
      int outcome = r.nextInt(6);
      long duration = r.nextInt(300);
      h.on(() -> {
        CircuitBreaker.Permit permit = cb.tryAcquire();
        assertEquals(epoch < 0, permit == null, "permit granted");
        if (permit == null) {
          return;
        }
        switch (outcome) {
          case 0 -> permit.onSuccess(duration);
          case 1 -> permit.onError(duration, new IllegalStateException());
          case 2 -> permit.onError(duration, new UnsupportedOperationException());
          case 3 -> permit.onError(duration, new IllegalArgumentException());
          case 4 -> permit.onResult(duration, "bad");
          default -> permit.release();
        }
      });
      if (epoch >= 0) {
        int kind = switch (outcome) {
          case 0, 3 -> SUCCESS;
          case 1, 4 -> FAILURE;
          default -> IGNORED;
        };
        model.outcome(epoch, kind, duration, now);
      }
    }

    void advance() {
      long[] steps = {0, 1, 10, 50, 100, 250, c.reset, c.reset + 1, c.maxWait, c.windowMs / c.buckets};
      advanceBy(steps[r.nextInt(steps.length)]);
    }

    void advanceBy(long ms) {
      long target = h.now() + ms;
      while (!inFlight.isEmpty() && inFlight.peek().at() <= target) {
        settle(inFlight.poll());
      }
      h.advance(ms);
    }

    void operator() {
      State target = State.values()[r.nextInt(State.values().length)];
      model.transitionTo(target, h.now());
      h.on(() -> cb.transitionTo(target));
    }

    static Supplier<Promise<String>> callOf(int outcome, long duration) {
      Supplier<Promise<String>> value = switch (outcome) {
        case 0 -> () -> Promise.resolve("ok");
        case 1 -> () -> Promise.reject(new IllegalStateException());
        case 2 -> () -> Promise.reject(new UnsupportedOperationException());
        case 3 -> () -> Promise.reject(new IllegalArgumentException());
        default -> () -> Promise.resolve("bad");
      };
      if (duration == 0) {
        return value;
      }
      return () -> Timers.sleep(duration).thenCompose(v -> value.get());
    }

    static int kindOf(int outcome) {
      return switch (outcome) {
        case 0, 3 -> SUCCESS;
        case 1, 4 -> FAILURE;
        default -> IGNORED;
      };
    }

    static String resultOf(int outcome) {
      return switch (outcome) {
        case 0 -> "ok ok";
        case 1 -> "IllegalStateException";
        case 2 -> "UnsupportedOperationException";
        case 3 -> "IllegalArgumentException";
        default -> "ok bad";
      };
    }
  }
}
