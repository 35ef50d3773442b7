package org.eventloop4j.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testng.ITestListener;
import org.testng.ITestResult;
import org.testng.TestNG;

/**
 * Runs the Reactive Streams TCK (TestNG-based) through TestNG's own API: surefire runs the JUnit Platform,
 * which has no TestNG engine here. Prints every TCK test with its outcome, writes the list to {@code
 * <build dir>/tck-report.txt}, and fails on any TCK failure or uncaught error on the TCK's loops.
 */
@Timeout(120)
class AsyncStreamTckTest {
  /** Collects outcomes per verification class. */
  static final class Outcomes implements ITestListener {
    final Map<String, List<String>> lines = new TreeMap<>();
    int passed;
    int failed;
    int skipped;
    final List<String> failures = new ArrayList<>();

    private void add(ITestResult r, String status) {
      String cls = r.getTestClass().getRealClass().getName().replace("org.eventloop4j.stream.", "");
      String why = r.getThrowable() == null ? "" : " — " + oneLine(r.getThrowable().getMessage());
      lines.computeIfAbsent(cls, k -> new ArrayList<>()).add(status + " " + r.getMethod().getMethodName() + why);
    }

    private static String oneLine(String s) {
      String t = s == null ? "" : s.replace('\n', ' ');
      return t.length() > 160 ? t.substring(0, 160) + "…" : t;
    }

    @Override
    public void onTestSuccess(ITestResult r) {
      passed++;
      add(r, "PASS");
    }

    @Override
    public void onTestFailure(ITestResult r) {
      failed++;
      add(r, "FAIL");
      failures.add(r.getTestClass().getName() + "." + r.getMethod().getMethodName() + ": " + r.getThrowable());
    }

    @Override
    public void onTestSkipped(ITestResult r) {
      skipped++;
      add(r, "SKIP");
    }
  }

  /** The build folder in use (target, or -Deventloop4j.buildDir=…): the parent of test-classes. */
  private static Path buildDir() {
    try {
      return Path.of(AsyncStreamTckTest.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void reactiveStreamsTck_publisherAndSubscriberRules_pass() throws IOException {
    Outcomes outcomes = new Outcomes();
    TestNG testng = new TestNG(false);
    testng.setUseDefaultListeners(false);
    testng.setVerbose(0);
    testng.setTestClasses(new Class<?>[] {
        PublisherTckVerification.class, PublisherTckVerification.Async.class, SubscriberTckVerification.class,
        WhiteboxTckVerification.class});
    testng.addListener(outcomes);
    testng.run();

    StringBuilder report = new StringBuilder();
    report.append("Reactive Streams TCK 1.0.4 (flow): ").append(outcomes.passed).append(" passed, ")
        .append(outcomes.failed).append(" failed, ").append(outcomes.skipped).append(" skipped\n");
    outcomes.lines.forEach((cls, ls) -> {
      report.append("\n").append(cls).append("\n");
      ls.stream().sorted().forEach(l -> report.append("  ").append(l).append("\n"));
    });
    System.out.println(report);
    Files.writeString(buildDir().resolve("tck-report.txt"), report);

    assertEquals(List.of(), outcomes.failures);
    assertEquals(List.of(), List.copyOf(TckLoop.ERRORS), "uncaught errors on the TCK's loops");
    assertTrue(outcomes.passed > 60, "the TCK ran: " + outcomes.passed + " passed");
  }
}
