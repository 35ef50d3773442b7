package org.eventloop4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Keeps the benchmarks from rotting: every {@code @Benchmark} method of every class under
 * {@code org.eventloop4j.bench} (found on disk, so a new class is covered without being listed) runs once,
 * in process, with {@code n} shrunk where the class has that parameter.
 */
class BenchmarksSmokeTest {
  private static final String PACKAGE = MicrotaskChain.class.getPackageName();

  @Test
  void everyBenchmark_runsOnceWithSmallN_withoutError() throws RunnerException, IOException {
    // JMH's machine-wide lock keeps two measurements apart; this run measures nothing, so it must not fail
    // (or wait) because a benchmark runs elsewhere on the machine.
    System.setProperty("jmh.ignoreLock", "true");
    Options options = new OptionsBuilder()
        .include("^" + PACKAGE.replace(".", "\\.") + "\\.")
        .forks(0)
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementBatchSize(1)
        .mode(Mode.SingleShotTime)
        .param("n", "500")
        .shouldFailOnError(true)
        .shouldDoGC(false)
        .verbosity(VerboseMode.SILENT)
        .build();
    Collection<RunResult> results = new Runner(options).run();

    Set<String> ran = results.stream().map(r -> r.getParams().getBenchmark()).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(declaredBenchmarks(), ran);
  }

  /** {@code n}'s only value must be the ops per invocation, or the scores are not per element. */
  @Test
  void everyBenchmark_nDefault_equalsOperationsPerInvocation() throws IOException {
    for (Class<?> c : benchmarkClasses()) {
      Field n = nParam(c);
      if (n == null) {
        continue; // a fixed batch: nothing for the tests to shrink
      }
      List<String> values = Arrays.asList(n.getAnnotation(Param.class).value());
      for (Method m : benchmarkMethods(c)) {
        OperationsPerInvocation ops = m.isAnnotationPresent(OperationsPerInvocation.class)
            ? m.getAnnotation(OperationsPerInvocation.class) : c.getAnnotation(OperationsPerInvocation.class);
        assertNotNull(ops, c.getName() + "." + m.getName() + " has a parameter n but no @OperationsPerInvocation");
        assertEquals(List.of(String.valueOf(ops.value())), values, c.getName() + "." + m.getName());
      }
    }
  }

  private static Set<String> declaredBenchmarks() throws IOException {
    Set<String> names = new TreeSet<>();
    for (Class<?> c : benchmarkClasses()) {
      for (Method m : benchmarkMethods(c)) {
        names.add(c.getName() + "." + m.getName());
      }
    }
    return names;
  }

  /** The concrete classes with {@code @Benchmark} methods under {@link #PACKAGE}, from the class files. */
  private static List<Class<?>> benchmarkClasses() throws IOException {
    Path root;
    try {
      root = Path.of(MicrotaskChain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    List<Class<?>> classes = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root.resolve(PACKAGE.replace('.', '/')))) {
      for (Path f : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        String name = root.relativize(f).toString().replace(f.getFileSystem().getSeparator(), ".");
        name = name.substring(0, name.length() - ".class".length());
        if (name.contains(".jmh_generated.") || name.contains("$")) {
          continue;
        }
        Class<?> c = load(name);
        if (!Modifier.isAbstract(c.getModifiers()) && !benchmarkMethods(c).isEmpty()) {
          classes.add(c);
        }
      }
    }
    assertFalse(classes.isEmpty(), "no benchmark classes found under " + root);
    return classes;
  }

  private static List<Method> benchmarkMethods(Class<?> c) {
    return Arrays.stream(c.getMethods()).filter(m -> m.isAnnotationPresent(Benchmark.class)).toList();
  }

  private static Field nParam(Class<?> c) {
    try {
      Field n = c.getField("n");
      return n.isAnnotationPresent(Param.class) ? n : null;
    } catch (NoSuchFieldException e) {
      return null;
    }
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, BenchmarksSmokeTest.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }
}
