package org.eventloop4j.bench;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eventloop4j.EventLoop;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The single-threaded executors that the benchmarks compare with, one JMH {@link State} each, so a
 * benchmark method starts only the peer it measures. Every peer is used through its public API with
 * default settings.
 */
public final class Peers {
  private Peers() {}

  /** {@code Executors.newSingleThreadExecutor()}: a {@code LinkedBlockingQueue} and one worker thread. */
  @State(Scope.Benchmark)
  public static class JdkSingleThread {
    public ExecutorService executor;

    @Setup(Level.Trial)
    public void setUp() {
      executor = Executors.newSingleThreadExecutor();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
      executor.shutdown();
      if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the single-thread executor did not stop");
      }
    }
  }

  /** A Netty 4.2 NIO event loop: {@code MultiThreadIoEventLoopGroup(1, NioIoHandler)}, its one loop. */
  @State(Scope.Benchmark)
  public static class NettyNio {
    MultiThreadIoEventLoopGroup group;
    public io.netty.channel.EventLoop loop;

    @Setup(Level.Trial)
    public void setUp() {
      group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
      loop = group.next();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  /** Netty's {@code DefaultEventLoop}: a task-only loop on a {@code LinkedBlockingQueue}. */
  @State(Scope.Benchmark)
  public static class NettyDefault {
    public DefaultEventLoop loop;

    @Setup(Level.Trial)
    public void setUp() {
      loop = new DefaultEventLoop();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      loop.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  /** Vert.x 5 with default options, and one event-loop context of it. */
  @State(Scope.Benchmark)
  public static class VertxContext {
    Vertx vertx;
    public Context context;

    @Setup(Level.Trial)
    public void setUp() {
      vertx = Vertx.vertx();
      context = vertx.getOrCreateContext();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }

  /** Ours, on its own thread: {@code EventLoop.create().start()}, closed after the trial. */
  @State(Scope.Benchmark)
  public static class StartedLoop {
    public EventLoop loop;

    @Setup(Level.Trial)
    public void setUp() {
      loop = EventLoop.create().start();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      loop.close();
    }
  }

  /** A task that re-submits itself to {@code executor} until it has run {@code n} times. */
  static final class ExecutorChain implements Runnable {
    private final Executor executor;
    private final CountDownLatch done = new CountDownLatch(1);
    private int left;

    ExecutorChain(Executor executor, int n) {
      this.executor = executor;
      this.left = n;
    }

    /** Starts the chain, waits for its end and returns the steps left (0). */
    static int run(Executor executor, int n) throws InterruptedException {
      ExecutorChain chain = new ExecutorChain(executor, n);
      executor.execute(chain);
      chain.done.await();
      return Checks.zero(chain.left);
    }

    @Override
    public void run() {
      if (--left > 0) {
        executor.execute(this);
      } else {
        done.countDown();
      }
    }
  }

  /** The same chain on a Vert.x context, through {@code runOnContext}. */
  static final class VertxChain implements Handler<Void> {
    private final Context context;
    private final CountDownLatch done = new CountDownLatch(1);
    private int left;

    VertxChain(Context context, int n) {
      this.context = context;
      this.left = n;
    }

    static int run(Context context, int n) throws InterruptedException {
      VertxChain chain = new VertxChain(context, n);
      context.runOnContext(chain);
      chain.done.await();
      return Checks.zero(chain.left);
    }

    @Override
    public void handle(Void ignored) {
      if (--left > 0) {
        context.runOnContext(this);
      } else {
        done.countDown();
      }
    }
  }
}
