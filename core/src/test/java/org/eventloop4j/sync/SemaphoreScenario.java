package org.eventloop4j.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.eventloop4j.AbortController;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Resolvers;
import org.jspecify.annotations.Nullable;

/**
 * One sequence of semaphore operations for {@link SemaphorePropertyTest}: the operations, and a run that
 * applies each to a real {@link Semaphore} (as a task of its own on a virtual-time loop, run until idle)
 * and to a sequential model (served by priority, strictly FIFO within one), then checks the properties and
 * the model's agreement.
 *
 * @param permits the semaphore's initial permit count
 * @param ops the operations, in order
 */
record SemaphoreScenario(int permits, List<SemaphoreScenario.Op> ops) {
  /** An operation; {@link #simpler()} lists smaller variants for shrinking. */
  sealed interface Op {
    List<Op> simpler();
  }

  /**
   * {@code acquire(n)}, or {@code acquire(n, signal)}; with a priority other than 0, {@code
   * acquireWithPriority(n, priority)} or {@code acquireWithPriority(n, priority, signal)}.
   */
  record Acquire(int n, boolean signal, int priority) implements Op {
    @Override
    public List<Op> simpler() {
      List<Op> out = new ArrayList<>();
      if (priority != 0) {
        out.add(new Acquire(n, signal, 0));
      }
      if (signal) {
        out.add(new Acquire(n, false, priority));
      }
      if (n > 1) {
        out.add(new Acquire(n - 1, signal, priority));
      }
      return out;
    }

    @Override
    public String toString() {
      return (priority != 0 ? "acquireWithPriority(" + n + ", " + priority : "acquire(" + n)
          + (signal ? ", signal)" : ")");
    }
  }

  /**
   * {@code execute(n, task)} ({@code executeWithPriority} for a priority other than 0): a task that throws at
   * once, or one whose promise a later release settles.
   */
  record Execute(int n, boolean signal, boolean throwsAtOnce, int priority) implements Op {
    @Override
    public List<Op> simpler() {
      List<Op> out = new ArrayList<>(List.of(new Acquire(n, signal, priority)));
      if (priority != 0) {
        out.add(new Execute(n, signal, throwsAtOnce, 0));
      }
      if (signal) {
        out.add(new Execute(n, false, throwsAtOnce, priority));
      }
      if (n > 1) {
        out.add(new Execute(n - 1, signal, throwsAtOnce, priority));
      }
      return out;
    }

    @Override
    public String toString() {
      return (priority != 0 ? "executeWithPriority(" + n + ", " + priority : "execute(" + n)
          + (signal ? ", signal" : "") + (throwsAtOnce ? ", task throws)" : ", task waits)");
    }
  }

  /** {@code tryAcquire(n)}. */
  record TryAcquire(int n) implements Op {
    @Override
    public List<Op> simpler() {
      return n > 1 ? List.of(new TryAcquire(n - 1)) : List.of();
    }

    @Override
    public String toString() {
      return "tryAcquire(" + n + ")";
    }
  }

  /** Gives back what a holder holds (picked by index): {@code release(n)}, or settles an execute's task. */
  record Release(int pick, boolean taskFails) implements Op {
    @Override
    public List<Op> simpler() {
      List<Op> out = new ArrayList<>();
      if (taskFails) {
        out.add(new Release(pick, false));
      }
      if (pick > 0) {
        out.add(new Release(0, taskFails));
      }
      return out;
    }
  }

  /** {@code release(held + 1)}: must throw and change nothing. */
  record OverRelease() implements Op {
    @Override
    public List<Op> simpler() {
      return List.of();
    }
  }

  /** Aborts the signal of an acquire or execute (picked by index), waiting or not. */
  record Abort(int pick) implements Op {
    @Override
    public List<Op> simpler() {
      return pick > 0 ? List.of(new Abort(0)) : List.of();
    }
  }

  /** {@code setPermits(permits)}. */
  record Resize(int permits) implements Op {
    @Override
    public List<Op> simpler() {
      return permits > 1 ? List.of(new Resize(permits - 1)) : List.of();
    }
  }

  /** {@code close()}, or {@code close(reason)}. */
  record Close(boolean reason) implements Op {
    @Override
    public List<Op> simpler() {
      return reason ? List.of(new Close(false)) : List.of();
    }
  }

  /** Runs the scenario: null if every step kept the properties and agreed with the model, else why not. */
  @Nullable Failure check(Map<String, Integer> coverage) {
    return new Run(this, coverage).all();
  }

  /**
   * How a run failed.
   *
   * @param step the index of the failing step (ops.size() and beyond: the closing releases)
   * @param message what was wrong
   * @param trace each step done, with what it did
   */
  record Failure(int step, String message, List<String> trace) {}

  /** An acquire, execute or successful try: what the semaphore did with it, and what the model did. */
  private static final class Ticket {
    final int id;
    final String label;
    final int n;
    final int priority;
    final @Nullable Execute execute;
    final @Nullable AbortController controller;
    boolean aborted;
    boolean started;
    @Nullable Resolvers<String> task;
    String real = "waiting";
    String model = "waiting";

    Ticket(int id, Op op, int n, int priority, boolean signal, @Nullable Execute execute) {
      this.id = id;
      this.label = "#" + id + " " + op;
      this.n = n;
      this.priority = priority;
      this.execute = execute;
      this.controller = signal ? new AbortController() : null;
    }
  }

  /** One run: the real semaphore and the model side by side. */
  private static final class Run {
    private static final String HELD = "held";
    private static final String WAITING = "waiting";
    private static final String RELEASED = "released";
    private static final String REFUSED = "refused";

    private final SemaphoreScenario scenario;
    private final Map<String, Integer> coverage;
    private final EventLoop loop = EventLoop.builder().virtualTime().build();
    private final IllegalStateException abortReason = new IllegalStateException("aborted");
    private final IllegalStateException closeReason = new IllegalStateException("closed with a reason");
    private final IllegalStateException taskFailure = new IllegalStateException("the task failed");
    private final Semaphore sem;
    private final List<Ticket> tickets = new ArrayList<>();
    private final List<Integer> realGrants = new ArrayList<>();
    private final List<Integer> modelGrants = new ArrayList<>();
    /** The model's waiters: by priority, descending, FIFO within one. */
    private final List<Ticket> queue = new ArrayList<>();
    private final List<String> trace = new ArrayList<>();
    private int capacity;
    private int modelHeld;
    private boolean closed;
    private boolean closedWithReason;

    Run(SemaphoreScenario scenario, Map<String, Integer> coverage) {
      this.scenario = scenario;
      this.coverage = coverage;
      this.capacity = scenario.permits();
      this.sem = onLoop(() -> new Semaphore(scenario.permits())); // its home loop: the fast paths run
    }

    @Nullable Failure all() {
      List<Op> ops = scenario.ops();
      for (int i = 0; i < ops.size(); i++) {
        Failure f = step(i, ops.get(i));
        if (f != null) {
          return f;
        }
      }
      return finish(ops.size());
    }

    /** Applies {@code op} to both sides, traces it, and checks the outcome. */
    private @Nullable Failure step(int i, Op op) {
      int grantsBefore = realGrants.size();
      String[] outcome;
      try {
        outcome = apply(op);
      } catch (RuntimeException e) {
        trace.add(String.format("%3d  %s -> threw %s", i, op, e));
        return new Failure(i, "the step threw " + e, List.copyOf(trace));
      }
      String granted = realGrants.size() > grantsBefore
          ? "; granted " + realGrants.subList(grantsBefore, realGrants.size()) : "";
      trace.add(String.format("%3d  %-44s -> %s%s", i, outcome[0], outcome[1], granted));
      String wrong = !outcome[1].equals(outcome[2]) ? "the call answered " + outcome[1] + ", the model " + outcome[2]
          : verify();
      return wrong == null ? null : new Failure(i, wrong, List.copyOf(trace));
    }

    // ------------------------------------------------------------------------------------------------
    // The operations: each answers {description, real outcome, model outcome}

    private String[] apply(Op op) {
      return switch (op) {
        case Acquire a -> enter(new Ticket(tickets.size(), a, a.n(), a.priority(), a.signal(), null));
        case Execute e -> enter(new Ticket(tickets.size(), e, e.n(), e.priority(), e.signal(), e));
        case TryAcquire t -> tryAcquire(t);
        case Release r -> release(r);
        case OverRelease o -> overRelease();
        case Abort a -> abort(a);
        case Resize r -> resize(r.permits());
        case Close c -> close(c.reason());
      };
    }

    private String[] enter(Ticket t) {
      tickets.add(t);
      String real = onLoop(() -> call(t));
      String model = modelEnter(t);
      return new String[] {t.label, real.equals("called") ? t.real : real, model.equals("called") ? t.model : model};
    }

    private String call(Ticket t) {
      Promise<?> p;
      try {
        p = t.execute == null ? acquire(t) : execute(t);
      } catch (IllegalArgumentException badWeight) {
        t.real = REFUSED;
        return "threw IllegalArgumentException";
      }
      p.then(v -> settled(t, v, null), e -> settled(t, null, e));
      return "called";
    }

    private Promise<?> acquire(Ticket t) {
      if (t.priority != 0) {
        return t.controller == null ? sem.acquireWithPriority(t.n, t.priority)
            : sem.acquireWithPriority(t.n, t.priority, t.controller.signal());
      }
      return t.controller == null ? sem.acquire(t.n) : sem.acquire(t.n, t.controller.signal());
    }

    private Promise<?> execute(Ticket t) {
      Callable<Promise<String>> task = () -> {
        granted(t);
        if (t.execute != null && t.execute.throwsAtOnce()) {
          throw taskFailure;
        }
        Resolvers<String> r = Promise.withResolvers();
        t.task = r;
        return r.promise();
      };
      if (t.priority != 0) {
        return t.controller == null ? sem.executeWithPriority(t.n, t.priority, task)
            : sem.executeWithPriority(t.n, t.priority, t.controller.signal(), task);
      }
      return t.controller == null ? sem.execute(t.n, task) : sem.execute(t.n, t.controller.signal(), task);
    }

    /** The real outcome of an acquire or execute, as its promise reports it (one microtask on). */
    private @Nullable Void settled(Ticket t, @Nullable Object value, @Nullable Throwable error) {
      if (t.execute == null) {
        if (error == null) {
          granted(t);
        } else {
          t.real = rejection(error);
        }
      } else if (t.started) {
        boolean expected = error == null ? ("done " + t.id).equals(value) : error == taskFailure;
        t.real = expected ? RELEASED : "released with " + (error == null ? value : error);
      } else {
        t.real = error == null ? "fulfilled without running its task" : rejection(error);
      }
      return null;
    }

    private void granted(Ticket t) {
      t.started = true;
      t.real = HELD;
      realGrants.add(t.id);
    }

    private String rejection(Throwable e) {
      if (e == abortReason) {
        return "rejected: aborted";
      }
      if (e == closeReason) {
        return "rejected: closed with the reason";
      }
      if (e instanceof ClosedError) {
        return "rejected: closed";
      }
      String m = e.getMessage();
      return e instanceof IllegalStateException && m != null && m.contains("can never be granted")
          ? "rejected: too heavy" : "rejected: unexpected " + e;
    }

    private String[] tryAcquire(TryAcquire op) {
      String real = onLoop(() -> {
        try {
          return sem.tryAcquire(op.n()) ? "took" : "busy";
        } catch (IllegalArgumentException e) {
          return "threw IllegalArgumentException";
        } catch (ClosedError e) {
          return "threw ClosedError" + (e.getCause() == closeReason ? " caused by the reason"
              : e.getCause() == null ? "" : " caused by " + e.getCause());
        }
      });
      String model = modelTry(op.n());
      if (!real.equals("took") && !model.equals("took")) {
        return new String[] {op.toString(), real, model};
      }
      Ticket t = new Ticket(tickets.size(), op, op.n(), 0, false, null);
      t.real = real.equals("took") ? HELD : real;
      t.model = model.equals("took") ? HELD : model;
      tickets.add(t);
      return new String[] {t.label, real, model};
    }

    private String[] release(Release op) {
      List<Ticket> holders = tickets.stream().filter(t -> t.model.equals(HELD)).toList();
      if (holders.isEmpty()) {
        return new String[] {"release: nothing is held", "nothing", "nothing"};
      }
      Ticket t = holders.get(op.pick() % holders.size());
      String real = onLoop(() -> giveBack(t, op.taskFails()));
      t.model = RELEASED;
      modelHeld -= t.n;
      drain();
      String what = t.execute == null ? "release(" + t.n + ")" : op.taskFails() ? "fail the task" : "finish the task";
      return new String[] {what + " of " + t.label, real, RELEASED};
    }

    private String giveBack(Ticket t, boolean taskFails) {
      if (t.execute == null) {
        try {
          sem.release(t.n);
        } catch (IllegalStateException e) {
          return "threw " + e;
        }
        t.real = RELEASED;
      } else if (t.task == null) {
        return "its task is not running";
      } else if (taskFails) {
        t.task.reject(taskFailure);
      } else {
        t.task.resolve("done " + t.id);
      }
      return RELEASED;
    }

    private String[] overRelease() {
      int held = realHeld();
      String real = onLoop(() -> {
        try {
          sem.release(held + 1);
          return "released";
        } catch (IllegalStateException e) {
          return "threw IllegalStateException";
        }
      });
      count("over-release refused");
      return new String[] {"release(" + (held + 1) + "), " + held + " held", real, "threw IllegalStateException"};
    }

    private String[] abort(Abort op) {
      List<Ticket> signalled = tickets.stream()
          .filter(t -> t.controller != null && !t.aborted && !t.model.equals(REFUSED)).toList();
      if (signalled.isEmpty()) {
        return new String[] {"abort: no signal to abort", "nothing", "nothing"};
      }
      Ticket t = signalled.get(op.pick() % signalled.size());
      AbortController controller = t.controller;
      t.aborted = true;
      onLoop(() -> {
        controller.abort(abortReason);
        return null;
      });
      if (t.model.equals(WAITING)) {
        queue.remove(t);
        t.model = "rejected: aborted";
        count("abort of a waiter");
        drain();
      } else {
        count("abort too late: " + t.model);
      }
      return new String[] {"abort " + t.label, "done", "done"};
    }

    private String[] resize(int permits) {
      onLoop(() -> {
        sem.setPermits(permits);
        return null;
      });
      capacity = permits;
      queue.removeIf(t -> {
        boolean heavy = t.n > permits;
        if (heavy) {
          t.model = "rejected: too heavy";
          count("waiter rejected by a shrink");
        }
        return heavy;
      });
      drain();
      return new String[] {"setPermits(" + permits + ")", "done", "done"};
    }

    private String[] close(boolean withReason) {
      onLoop(() -> {
        if (withReason) {
          sem.close(closeReason);
        } else {
          sem.close();
        }
        return null;
      });
      if (!closed) {
        closed = true;
        closedWithReason = withReason;
        queue.forEach(t -> t.model = closedStatus());
        if (!queue.isEmpty()) {
          count("waiters rejected by close");
        }
        queue.clear();
      }
      return new String[] {withReason ? "close(reason)" : "close()", "done", "done"};
    }

    // ------------------------------------------------------------------------------------------------
    // The model: a sequential weighted semaphore, served by priority and strictly FIFO within one

    private String modelEnter(Ticket t) {
      if (t.n < 1 || t.n > capacity) {
        t.model = REFUSED;
        count("bad weight refused");
        return "threw IllegalArgumentException";
      }
      if (closed) {
        t.model = closedStatus();
        count("acquire after close");
      } else if (headBelow(t.priority) && modelHeld + t.n <= capacity) {
        if (!queue.isEmpty()) {
          count("granted at once past a lower priority");
        }
        grant(t);
      } else {
        queueByPriority(t);
      }
      return "called";
    }

    /** Whether an arrival of {@code priority} would be the head of the queue (nobody waits as high). */
    private boolean headBelow(int priority) {
      return queue.isEmpty() || queue.getFirst().priority < priority;
    }

    /** Queues {@code t} behind every waiter of its priority or higher. */
    private void queueByPriority(Ticket t) {
      int at = queue.size();
      while (at > 0 && queue.get(at - 1).priority < t.priority) {
        at--;
      }
      queue.add(at, t);
      count(at < queue.size() - 1 ? "queued ahead of a lower priority" : "queued");
    }

    private String modelTry(int n) {
      if (n < 1 || n > capacity) {
        count("bad try weight refused");
        return "threw IllegalArgumentException";
      }
      if (closed) {
        count("try after close");
        return "threw ClosedError" + (closedWithReason ? " caused by the reason" : "");
      }
      if (!headBelow(0) || modelHeld + n > capacity) {
        count(queue.isEmpty() ? "try busy" : "try behind a waiter");
        return "busy";
      }
      if (!queue.isEmpty()) {
        count("try past a lower priority");
      }
      modelHeld += n;
      return "took";
    }

    private void drain() {
      while (!queue.isEmpty() && modelHeld + queue.getFirst().n <= capacity) {
        count("granted after waiting");
        grant(queue.removeFirst());
      }
    }

    /** A grant; a task that throws at once gives its permits back at once (the order is unaffected). */
    private void grant(Ticket t) {
      modelGrants.add(t.id);
      if (t.execute != null && t.execute.throwsAtOnce()) {
        t.model = RELEASED;
        count("execute whose task threw");
        return;
      }
      modelHeld += t.n;
      t.model = HELD;
    }

    private String closedStatus() {
      return closedWithReason ? "rejected: closed with the reason" : "rejected: closed";
    }

    // ------------------------------------------------------------------------------------------------
    // The checks

    /** After a step: the model agrees, and the two properties hold on what the semaphore did. */
    private @Nullable String verify() {
      for (Ticket t : tickets) {
        if (!t.real.equals(t.model)) {
          return t.label + " is " + t.real + ", the model says " + t.model;
        }
      }
      if (!realGrants.equals(modelGrants)) {
        return "granted in the order " + realGrants + ", the model in " + modelGrants;
      }
      String overtaken = overtaken();
      return overtaken != null ? overtaken : conserved();
    }

    /**
     * Property 1, model-free: no call is overtaken by a later one of its priority or lower — neither
     * granted after it, nor granted while it still waits.
     */
    private @Nullable String overtaken() {
      for (int i = 0; i < realGrants.size(); i++) {
        Ticket first = tickets.get(realGrants.get(i));
        for (int j = i + 1; j < realGrants.size(); j++) {
          Ticket then = tickets.get(realGrants.get(j));
          if (then.id < first.id && first.priority <= then.priority) {
            return then.label + " was overtaken by the later " + first.label;
          }
        }
        for (Ticket t : tickets) {
          if (t.real.equals(WAITING) && t.id < first.id && first.priority <= t.priority) {
            return t.label + " still waits, but the later " + first.label + " was granted";
          }
        }
      }
      return null;
    }

    /** Property 2, model-free: free = count - held (at least 0); waiting = the pending calls. */
    private @Nullable String conserved() {
      int held = realHeld();
      int expectedFree = Math.max(0, capacity - held);
      if (sem.available() != expectedFree) {
        return "available() is " + sem.available() + ", but " + capacity + " permits with " + held
            + " held leave " + expectedFree;
      }
      long waiting = tickets.stream().filter(t -> t.real.equals(WAITING)).count();
      return sem.waiting() == waiting ? null : "waiting() is " + sem.waiting() + ", but " + waiting + " calls wait";
    }

    private int realHeld() {
      return tickets.stream().filter(t -> t.real.equals(HELD)).mapToInt(t -> t.n).sum();
    }

    /** Releases every holder (granting whoever still waits), then: every permit free, onIdle at once. */
    private @Nullable Failure finish(int from) {
      int step = from;
      while (tickets.stream().anyMatch(t -> t.model.equals(HELD))) {
        Failure f = step(step++, new Release(0, false));
        if (f != null) {
          return f;
        }
      }
      Promise.State idle = onLoop(() -> sem.onIdle().state());
      if (sem.available() != capacity || sem.waiting() != 0 || idle != Promise.State.FULFILLED) {
        return new Failure(step, "all released, yet available() " + sem.available() + " of " + capacity
            + ", waiting() " + sem.waiting() + ", onIdle() " + idle, List.copyOf(trace));
      }
      return null;
    }

    private void count(String event) {
      coverage.merge(event, 1, Integer::sum);
    }

    /** Runs {@code op} as a task of the loop, then the loop until idle (every settlement delivered). */
    private <T> T onLoop(Supplier<T> op) {
      List<T> out = new ArrayList<>(1);
      loop.execute(() -> out.add(op.get()));
      loop.runUntilIdle();
      return out.getFirst();
    }
  }
}
