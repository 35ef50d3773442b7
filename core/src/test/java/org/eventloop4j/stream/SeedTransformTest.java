package org.eventloop4j.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eventloop4j.Async;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Timers;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The seed's "Async Iterators and Transform Streams" program (resource {@code seed_transform.js}) ported
 * line for line, on virtual time, against Node's output ({@code seed_transform.out}); then the same
 * pipeline written with AsyncStream.
 */
@Timeout(30)
class SeedTransformTest {
  private final List<String> console = new ArrayList<>();
  private final EventLoop loop = EventLoop.builder().virtualTime().build();

  /** {@code class AsyncDataSource}: a hand-written async iterator whose next() is an async function. */
  static final class AsyncDataSource implements AsyncIterator<Integer>, AsyncIterable<Integer> {
    private final int[] data;
    private int index;

    AsyncDataSource(int... data) {
      this.data = data;
    }

    @Override
    public Promise<IteratorResult<Integer>> next() {
      return Async.async(() -> {
        if (index >= data.length) {
          return IteratorResult.end();
        }
        // Simulate async operation
        Async.await(Timers.sleep(100));
        return IteratorResult.of(data[index++]);
      });
    }

    @Override
    public AsyncIterator<Integer> asyncIterator() {
      return this;
    }
  }

  /** {@code class AsyncTransform}: {@code async *process(source)} as an async generator. */
  static final class AsyncTransform<T, R> {
    private final Function<T, Promise<R>> transformFn;

    AsyncTransform(Function<T, Promise<R>> transformFn) {
      this.transformFn = transformFn;
    }

    AsyncGenerator<R> process(AsyncIterable<T> source) {
      return AsyncGenerator.of(y -> {
        for (T item : Async.forAwait(source)) {
          R transformed = Async.await(transformFn.apply(item));
          y.yield(transformed);
        }
      });
    }
  }

  private static Promise<Integer> doubleLater(int x) {
    return Async.async(() -> {
      Async.await(Timers.sleep(50));
      return x * 2;
    });
  }

  private List<String> nodeOutput() throws IOException {
    try (InputStream in = getClass().getResourceAsStream("seed_transform.out")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }

  private String elapsed(long a, long b) {
    return "elapsed: " + a + " " + b;
  }

  @Test
  void seedProgram_portedLineForLine_printsNodesOutput() throws IOException {
    loop.run(() -> Async.async(() -> {
      long t0 = loop.now();
      // processAsyncData()
      AsyncDataSource source = new AsyncDataSource(1, 2, 3, 4, 5);
      for (int item : Async.forAwait(source)) {
        console.add("Processing: " + item);
      }
      long t1 = loop.now();
      // runTransform()
      AsyncDataSource numbers = new AsyncDataSource(1, 2, 3, 4, 5);
      AsyncTransform<Integer, Integer> doubler = new AsyncTransform<>(SeedTransformTest::doubleLater);
      for (int result : Async.forAwait(doubler.process(numbers))) {
        console.add("Transformed: " + result);
      }
      console.add(elapsed(t1 - t0, loop.now() - t1));
      return null;
    }));
    assertEquals(withTimeline(nodeOutput()), console);
  }

  /** Node's output plus the timeline the port checks on virtual time: 5 × 100 ms, then 5 × (100 + 50) ms. */
  private List<String> withTimeline(List<String> node) {
    List<String> l = new ArrayList<>(node);
    l.add("elapsed: 500 750");
    return l;
  }

  @Test
  void seedProgram_withAsyncStream_pipeAndMapAsync_printTheSameAtTheSameTimes() throws IOException {
    loop.run(() -> {
      long t0 = loop.now();
      AsyncStream.from(new AsyncDataSource(1, 2, 3, 4, 5))
          .forEach(item -> console.add("Processing: " + item))
          .thenCompose(v -> {
            long t1 = loop.now();
            AsyncTransform<Integer, Integer> doubler = new AsyncTransform<>(SeedTransformTest::doubleLater);
            return AsyncStream.from(new AsyncDataSource(1, 2, 3, 4, 5))
                .pipe(doubler::process) // the seed's AsyncTransform as a user operator
                .forEach(result -> console.add("Transformed: " + result))
                .thenRun(() -> console.add(elapsed(t1 - t0, loop.now() - t1)));
          });
    });
    assertEquals(withTimeline(nodeOutput()), console);

    // mapAsync(fn, 1) is the built-in AsyncTransform: the same timeline (read 100 ms, then double 50 ms)
    List<String> times = new ArrayList<>();
    EventLoop l = EventLoop.builder().virtualTime().build();
    l.run(() -> AsyncStream.from(new AsyncDataSource(1, 2, 3, 4, 5)).mapAsync(SeedTransformTest::doubleLater, 1)
        .forEach(r -> times.add(r + "@" + l.now())));
    assertEquals(List.of("2@150", "4@300", "6@450", "8@600", "10@750"), times);
  }

  @Test
  void seedProgram_nodeStillPrintsTheStoredOutput() throws IOException, InterruptedException, URISyntaxException {
    Path js = Path.of(getClass().getResource("seed_transform.js").toURI());
    Process p;
    try {
      p = new ProcessBuilder("node", js.toString()).redirectErrorStream(true).start();
    } catch (IOException e) {
      Assumptions.abort("node is not on the PATH");
      return;
    }
    @Nullable String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    Assumptions.assumeTrue(p.waitFor(20, TimeUnit.SECONDS), "node did not finish");
    assertEquals(nodeOutput(), out.lines().toList());
  }
}
