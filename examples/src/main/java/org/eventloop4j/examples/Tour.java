package org.eventloop4j.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.jspecify.annotations.Nullable;

/**
 * The examples tour: every program of the seed document ported to eventloop4j, run in the seed's order (or
 * the ones named on the command line), each with a header, its output and a one-line verdict against the
 * output of its JavaScript version ({@code js/<name>.js} beside it) as Node.js printed it.
 *
 * <pre>
 * ./mvnw -q -Ptour -pl examples -am verify -DskipTests -Dtour.args="--virtual-time --compare queueDemo"
 * </pre>
 *
 * <p>Options: {@code --virtual-time} runs every example on a virtual-time loop, so that timers fire at once,
 * in order (the circuit breaker's six-second wait takes no time; CPU work on threads still takes its real
 * time); {@code --compare} runs each JavaScript version under the {@code node} on the {@code PATH} at the same
 * time as the Java port and prints both outputs side by side, judged against each other; without it the
 * verdict is against Node's output recorded in {@code node/<name>.out}. Lines starting with {@code //} are
 * the tour's notes (why the output is what it is, timings, the seed's bugs that eventloop4j fixes) and are
 * not compared. Exit status 1 if any example disagrees.
 */
public final class Tour {
  /*
   * Overview: examples() is the registry (name → program + matcher), in the seed's order. Each program runs
   * as the main task of a fresh loop (run(...) blocks until the loop is idle), logging through an Output.
   * The verdict normalizes both sides (Matcher.normalize) and asks the example's matcher. Under --compare the
   * node process starts before the Java port runs, so both take their real time together.
   */
  private static final Duration NODE_TIMEOUT = Duration.ofMinutes(2);
  private static final int COLUMN = 46;

  private Tour() {}

  /** An example's program: runs on the loop as its main task, logs through {@code out}, may return a promise. */
  @FunctionalInterface
  interface Program {
    @Nullable Promise<?> start(Output out) throws Exception;
  }

  /**
   * One example of the tour.
   *
   * @param name the seed's function name, also the name of its {@code .js} file and recording
   * @param section the seed's section it comes from
   * @param program the Java port
   * @param matcher how its output is judged against Node's
   * @param cpuBound whether it times CPU work (under --compare its node runs afterwards, not alongside)
   */
  record Example(String name, String section, Program program, Matcher matcher, boolean cpuBound) {
    Example(String name, String section, Program program, Matcher matcher) {
      this(name, section, program, matcher, false);
    }
  }

  /** The command-line options. */
  record Options(boolean virtualTime, boolean compare) {
    /** A new loop for one example: virtual time or the real clock. */
    EventLoop newLoop() {
      return virtualTime ? EventLoop.builder().virtualTime().build() : EventLoop.create();
    }
  }

  /** Every example, in the seed's order. */
  static Map<String, Example> examples() {
    Map<String, Example> all = new LinkedHashMap<>();
    for (Example e : List.of(
        new Example("eventLoopExample", "The Event Loop Architecture", EventLoopExamples::eventLoopExample,
            Matcher.exact()),
        new Example("queueDemo", "Task Queues", EventLoopExamples::queueDemo, Matcher.lastTwoInEitherOrder()),
        new Example("asyncGenerator", "Async Generators", AsyncIterationExamples::consumeAsyncGenerator,
            Matcher.exact()),
        new Example("safeAsyncGenerator", "Async Generators", AsyncIterationExamples::consumeSafeAsyncGenerator,
            Matcher.exact()),
        new Example("processAsyncData", "Async Iterators and Transform Streams",
            AsyncIterationExamples::processAsyncData, Matcher.exact()),
        new Example("runTransform", "Async Iterators and Transform Streams", AsyncIterationExamples::runTransform,
            Matcher.exact()),
        new Example("parallelProcessingExample", "Web Workers for CPU-Intensive Tasks",
            ParallelExamples::parallelProcessingExample, Matcher.exact(), true),
        new Example("sharedMemoryExample", "SharedArrayBuffer and Atomics", ParallelExamples::sharedMemoryExample,
            Matcher.exact(), true),
        new Example("semaphoreExample", "Semaphore and Mutex Implementation", SyncExamples::semaphoreExample,
            Matcher.exact()),
        new Example("mutexExample", "Semaphore and Mutex Implementation", SyncExamples::mutexExample,
            Matcher.exact()),
        new Example("producerConsumerExample", "Producer-Consumer Pattern", SyncExamples::producerConsumerExample,
            Matcher.invariants("every item produced once and consumed once, both consumers finished",
                SyncExamples::producerConsumerProblems)),
        new Example("circuitBreakerExample", "Circuit Breaker Pattern", ResilienceExamples::circuitBreakerExample,
            Matcher.exact()),
        new Example("batchProcessingExample", "Batch Processing", ResilienceExamples::batchProcessingExample,
            Matcher.exact()))) {
      all.put(e.name(), e);
    }
    return all;
  }

  /** Runs the tour; exits with status 1 if any example disagrees with Node. */
  public static void main(String[] args) throws InterruptedException {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    int failed = run(args, out);
    out.flush();
    if (failed != 0) {
      System.exit(1);
    }
  }

  /** Runs the tour with {@code args}, printing to {@code out}; returns the number of examples that disagree. */
  static int run(String[] args, PrintStream out) throws InterruptedException {
    boolean virtualTime = false;
    boolean compare = false;
    List<String> names = new ArrayList<>();
    for (String a : args) {
      switch (a.strip()) {
        case "--virtual-time" -> virtualTime = true;
        case "--compare" -> compare = true;
        case "" -> { }
        default -> names.add(a.strip());
      }
    }
    Map<String, Example> all = examples();
    List<Example> chosen = new ArrayList<>();
    for (String name : names.isEmpty() ? List.copyOf(all.keySet()) : names) {
      Example e = all.get(name);
      if (e == null) {
        out.println("unknown example '" + name + "'; the examples are " + all.keySet()
            + "; options: --virtual-time, --compare");
        return 1;
      }
      chosen.add(e);
    }
    return new Session(new Options(virtualTime, compare), out).runAll(chosen);
  }

  /** Runs {@code example}'s program on {@code loop} and returns what it logged; rethrows what it failed with. */
  static Output runExample(Example example, EventLoop loop, Output out) {
    loop.run(() -> {
      Promise<?> done;
      try {
        done = example.program().start(out);
      } catch (Exception e) {
        throw new IllegalStateException(example.name() + " failed", e);
      }
      if (done != null) {
        done.catchError(e -> {
          throw new IllegalStateException(example.name() + " failed", e);
        });
      }
    });
    out.finish();
    return out;
  }

  /** Node's output for {@code name} as recorded ({@code node/<name>.out} on the classpath), normalized. */
  static List<String> recorded(String name) {
    return Matcher.normalize(resourceLines("/node/" + name + ".out"));
  }

  /** The Node version the recordings were made with. */
  static String recordedNodeVersion() {
    return resourceLines("/node/VERSION").getFirst().strip();
  }

  private static List<String> resourceLines(String path) {
    try (InputStream in = Tour.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("no " + path + " on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One run of the tour. */
  private static final class Session {
    private final Options options;
    private final PrintStream out;
    private final @Nullable NodeJs node;
    private final Map<String, Verdict> verdicts = new LinkedHashMap<>();
    private final Map<String, NodeJs.Run> nodeRuns = new LinkedHashMap<>();

    Session(Options options, PrintStream out) {
      this.options = options;
      this.out = out;
      this.node = options.compare() ? NodeJs.find().orElse(null) : null;
    }

    int runAll(List<Example> examples) throws InterruptedException {
      Output.wrap(intro()).forEach(out::println);
      out.println();
      if (node != null) {
        examples.stream().filter(e -> !e.cpuBound()).forEach(e -> nodeRuns.put(e.name(), node.start(e.name())));
      }
      for (Example e : examples) {
        verdicts.put(e.name(), runOne(e));
        out.println();
      }
      return summary();
    }

    private String intro() {
      String clock = options.virtualTime() ? "on virtual time (timers fire at once, in order)" : "on the real clock";
      String against = node != null ? "against " + node.version() + " running the JavaScript versions now"
          : "against Node.js's recorded output (" + recordedNodeVersion() + ")"
              + (options.compare() ? "; --compare: no node on the PATH" : "");
      return "eventloop4j examples tour: " + examples().size() + " programs of the seed, " + clock + ", judged "
          + against + ". Lines starting with // are the tour's notes, not compared.";
    }

    private Verdict runOne(Example e) throws InterruptedException {
      out.println("== " + e.name() + " ==  (seed: " + e.section() + ")");
      Output output = node != null ? Output.quiet() : new Output(out);
      try {
        runExample(e, options.newLoop(), output);
      } catch (RuntimeException failure) {
        NodeJs.Run started = nodeRuns.remove(e.name());
        if (started != null) {
          started.cancel();
          output.lines().forEach(line -> out.println("  " + line));
        }
        Verdict v = Verdict.mismatch("the Java port failed: " + failure + causes(failure));
        out.println("  ✘ " + v.text());
        return v;
      }
      Verdict v = node != null ? compareLive(e, output, nodeRuns.computeIfAbsent(e.name(), node::start))
          : e.matcher().judge(Matcher.normalize(output.lines()), recorded(e.name()));
      out.println((v.ok() ? "  ✔ " : "  ✘ ") + v.text());
      return v;
    }

    private Verdict compareLive(Example e, Output output, NodeJs.Run run) throws InterruptedException {
      List<String> nodeLines;
      try {
        nodeLines = run.await(NODE_TIMEOUT);
      } catch (IllegalStateException failure) {
        return Verdict.mismatch(failure.getMessage());
      }
      sideBySide(output.lines(), nodeLines);
      output.notes().forEach(n -> Output.wrap(n).forEach(line -> out.println("  // " + line)));
      Verdict v = e.matcher().judge(Matcher.normalize(output.lines()), Matcher.normalize(nodeLines));
      return new Verdict(v.ok(), v.label(), v.label() + ": " + v.text());
    }

    /** Both outputs in two columns, stack frames left out; ≠ marks the rows that differ. */
    private void sideBySide(List<String> java, List<String> node) {
      List<String> left = withoutStackFrames(java);
      List<String> right = withoutStackFrames(node);
      out.println("  " + pad("eventloop4j (Java)") + "   │ Node.js");
      for (int i = 0; i < Math.max(left.size(), right.size()); i++) {
        String l = i < left.size() ? left.get(i) : "";
        String r = i < right.size() ? right.get(i) : "";
        boolean same = Matcher.normalize(List.of(l)).equals(Matcher.normalize(List.of(r)));
        out.println("  " + pad(l) + (same ? "   │ " : " ≠ │ ") + r);
      }
      if (left.size() < java.size() || right.size() < node.size() || !Matcher.normalize(left).equals(left)) {
        out.println("  (stack frames left out; Date.now() values are not compared)");
      }
    }

    private static List<String> withoutStackFrames(List<String> lines) {
      return lines.stream().filter(l -> !Matcher.STACK_FRAME.matcher(l).matches()).toList();
    }

    private static String pad(String s) {
      return s.length() > COLUMN ? s.substring(0, COLUMN - 1) + "…" : s + " ".repeat(COLUMN - s.length());
    }

    private static String causes(Throwable t) {
      StringBuilder sb = new StringBuilder();
      for (Throwable c = t.getCause(); c != null; c = c.getCause()) {
        sb.append(" ← ").append(c);
      }
      return sb.toString();
    }

    private int summary() {
      long failed = verdicts.values().stream().filter(v -> !v.ok()).count();
      out.println("Verdicts" + (node != null ? " against node running now:" : " against Node's recorded output:"));
      verdicts.forEach((name, v) -> out.println("  " + (v.ok() ? "✔ " : "✘ ") + pad(name).substring(0, 28)
          + v.label()));
      out.println(failed == 0
          ? "All " + verdicts.size() + " examples behave as in Node.js."
          : failed + " of " + verdicts.size() + " examples differ from Node.js: " + verdicts.entrySet().stream()
              .filter(en -> !en.getValue().ok()).map(Map.Entry::getKey).toList());
      return (int) failed;
    }
  }
}
