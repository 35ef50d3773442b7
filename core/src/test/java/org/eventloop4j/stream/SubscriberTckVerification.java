package org.eventloop4j.stream;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.eventloop4j.EventLoop;
import org.reactivestreams.tck.flow.FlowSubscriberBlackboxVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

/**
 * The TCK's subscriber rules for {@link AsyncStream#fromPublisher}: the subscriber under test is the one a
 * stream subscribes with when a consumer ({@code forEach} on a started loop) pulls it. Run by {@link
 * AsyncStreamTckTest}, not by surefire.
 */
@SuppressWarnings("exports") // test-only: TCK types in the public signature of a test class
public class SubscriberTckVerification extends FlowSubscriberBlackboxVerification<Integer> {
  private EventLoop loop;

  public SubscriberTckVerification() {
    super(TckLoop.environment());
  }

  @BeforeClass
  public void startLoop() {
    loop = TckLoop.start("tck-subscriber");
  }

  @AfterClass
  public void closeLoop() {
    loop.close();
  }

  @Override
  @SuppressWarnings("unchecked")
  public Flow.Subscriber<Integer> createFlowSubscriber() {
    CompletableFuture<Flow.Subscriber<? super Integer>> captured = new CompletableFuture<>();
    Flow.Publisher<Integer> capturing = captured::complete;
    loop.execute(() -> AsyncStream.fromPublisher(capturing, 4).forEach(v -> {}).catchError(e -> null));
    try {
      return (Flow.Subscriber<Integer>) captured.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the stream did not subscribe", e);
    }
  }

  @Override
  public Integer createElement(int element) {
    return element;
  }
}
