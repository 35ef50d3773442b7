package org.eventloop4j.bench.sync;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import com.lmax.disruptor.util.DaemonThreadFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eventloop4j.EventLoop;
import org.eventloop4j.sync.AsyncQueue;
import org.jctools.queues.MpmcArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A bounded queue (capacity 1024) between threads: one producer, {@code consumers} consumers, {@value #N}
 * items per invocation; cost per item. Ours: producer and consumers on different started loops; the
 * producer offers while there is room and pushes (waiting) when full, each consumer takes what is ready
 * with {@code popMany(256)} until the queue is closed and drained. The peers use their own threads:
 * {@code ArrayBlockingQueue} put/take, JCTools {@code MpmcArrayQueue} offer/poll spinning while full or
 * empty, and the Disruptor (single producer, blocking wait strategy, preallocated events; with two
 * consumers each handler takes every other sequence, since Disruptor 4 has no work pool). The peers end
 * with one sentinel per consumer.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(QueueCrossThread.N)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class QueueCrossThread {
  static final int N = 1_000_000;
  private static final int CAPACITY = 1024;
  private static final Integer END = -1;

  @Param("1000000")
  public int n;

  @Param({"1", "2"})
  public int consumers;

  private EventLoop producerLoop;
  private final List<EventLoop> consumerLoops = new ArrayList<>();

  @Setup(Level.Trial)
  public void startLoops() {
    producerLoop = EventLoop.builder().name("bench-producer").build().start();
    for (int c = 0; c < consumers; c++) {
      consumerLoops.add(EventLoop.builder().name("bench-consumer-" + c).build().start());
    }
  }

  @TearDown(Level.Trial)
  public void closeLoops() {
    producerLoop.close();
    consumerLoops.forEach(EventLoop::close);
    consumerLoops.clear();
  }

  @Benchmark
  public long eventloop4j() throws InterruptedException {
    AsyncQueue<Integer> q = AsyncQueue.bounded(CAPACITY);
    CountDownLatch done = new CountDownLatch(consumers);
    AtomicLong sum = new AtomicLong();
    AtomicLong count = new AtomicLong();
    for (EventLoop loop : consumerLoops) {
      loop.execute(() -> new Drainer(q, sum, count, done).run());
    }
    producerLoop.execute(new QueueSameLoop.Offerer(q, n));
    await(done);
    return check(sum.get(), count.get());
  }

  /** popMany(256) until the queue is closed and drained; then adds its totals and counts down. */
  static final class Drainer implements Runnable {
    private final AsyncQueue<Integer> q;
    private final AtomicLong sum;
    private final AtomicLong count;
    private final CountDownLatch done;
    private long mySum;
    private long myCount;

    Drainer(AsyncQueue<Integer> q, AtomicLong sum, AtomicLong count, CountDownLatch done) {
      this.q = q;
      this.sum = sum;
      this.count = count;
      this.done = done;
    }

    @Override
    public void run() {
      q.popMany(256).thenAccept(items -> {
        if (items.isEmpty()) {
          sum.addAndGet(mySum);
          count.addAndGet(myCount);
          done.countDown();
          return;
        }
        for (int v : items) {
          mySum += v;
        }
        myCount += items.size();
        run();
      });
    }
  }

  @Benchmark
  public long arrayBlockingQueue() throws InterruptedException {
    ArrayBlockingQueue<Integer> q = new ArrayBlockingQueue<>(CAPACITY);
    return threads(() -> {
      for (int i = 0; i < n; i++) {
        q.put(i);
      }
      for (int c = 0; c < consumers; c++) {
        q.put(END);
      }
    }, (sum, count) -> {
      long s = 0;
      long k = 0;
      for (Integer v; !(v = q.take()).equals(END); k++) {
        s += v;
      }
      sum.addAndGet(s);
      count.addAndGet(k);
    });
  }

  @Benchmark
  public long jctoolsMpmcArrayQueue() throws InterruptedException {
    MpmcArrayQueue<Integer> q = new MpmcArrayQueue<>(CAPACITY);
    return threads(() -> {
      for (int i = 0; i < n; i++) {
        Integer v = i;
        while (!q.offer(v)) {
          Thread.onSpinWait();
        }
      }
      for (int c = 0; c < consumers; c++) {
        while (!q.offer(END)) {
          Thread.onSpinWait();
        }
      }
    }, (sum, count) -> {
      long s = 0;
      long k = 0;
      for (;;) {
        Integer v = q.poll();
        if (v == null) {
          Thread.onSpinWait();
        } else if (v.equals(END)) {
          break;
        } else {
          s += v;
          k++;
        }
      }
      sum.addAndGet(s);
      count.addAndGet(k);
    });
  }

  /** A preallocated Disruptor event. */
  static final class LongEvent {
    long value;
  }

  @Benchmark
  public long disruptor() throws InterruptedException {
    Disruptor<LongEvent> d = new Disruptor<>(LongEvent::new, CAPACITY, DaemonThreadFactory.INSTANCE,
        ProducerType.SINGLE, new BlockingWaitStrategy());
    CountDownLatch done = new CountDownLatch(consumers);
    AtomicLong sum = new AtomicLong();
    AtomicLong count = new AtomicLong();
    long last = n - 1L;
    @SuppressWarnings({"unchecked", "rawtypes"})
    EventHandler<LongEvent>[] handlers = new EventHandler[consumers];
    for (int c = 0; c < consumers; c++) {
      int id = c;
      long[] mine = new long[2];
      handlers[c] = (event, sequence, endOfBatch) -> {
        if (sequence % consumers == id) {
          mine[0] += event.value;
          mine[1]++;
        }
        if (sequence == last) {
          sum.addAndGet(mine[0]);
          count.addAndGet(mine[1]);
          done.countDown();
        }
      };
    }
    d.handleEventsWith(handlers);
    RingBuffer<LongEvent> ring = d.start();
    for (int i = 0; i < n; i++) {
      long seq = ring.next();
      ring.get(seq).value = i;
      ring.publish(seq);
    }
    await(done);
    d.shutdown();
    return check(sum.get(), count.get());
  }

  /** What a consumer thread runs. */
  interface ConsumerBody {
    void run(AtomicLong sum, AtomicLong count) throws InterruptedException;
  }

  /** What the producer thread runs. */
  interface ProducerBody {
    void run() throws InterruptedException;
  }

  private long threads(ProducerBody producer, ConsumerBody consumer) throws InterruptedException {
    AtomicLong sum = new AtomicLong();
    AtomicLong count = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < consumers; c++) {
      threads.add(Thread.ofPlatform().start(() -> {
        try {
          consumer.run(sum, count);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
    }
    threads.add(Thread.ofPlatform().start(() -> {
      try {
        producer.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }));
    for (Thread t : threads) {
      t.join();
    }
    return check(sum.get(), count.get());
  }

  private static void await(CountDownLatch done) throws InterruptedException {
    if (!done.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the consumers did not finish");
    }
  }

  private long check(long sum, long count) {
    if (count != n || sum != (long) n * (n - 1) / 2) {
      throw new IllegalStateException("lost items: " + count + " of " + n);
    }
    return sum;
  }
}
