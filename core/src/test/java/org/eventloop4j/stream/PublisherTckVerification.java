package org.eventloop4j.stream;

import java.util.concurrent.Flow;
import java.util.stream.LongStream;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.reactivestreams.tck.flow.FlowPublisherVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

/**
 * The TCK's publisher rules for {@link AsyncStream#toPublisher(EventLoop)} over a synchronous pipeline
 * (polled in place). Run by {@link AsyncStreamTckTest}, not by surefire.
 */
@SuppressWarnings("exports") // test-only: TCK types in the public signature of a test class
public class PublisherTckVerification extends FlowPublisherVerification<Long> {
  EventLoop loop;

  public PublisherTckVerification() {
    super(TckLoop.environment(), 300);
  }

  @BeforeClass
  public void startLoop() {
    loop = TckLoop.start("tck-publisher");
  }

  @AfterClass
  public void closeLoop() {
    loop.close();
  }

  /** {@code 0 .. elements-1}, re-iterable: one iteration per subscription. */
  static AsyncStream<Long> longs(long elements) {
    return AsyncStream.from((Iterable<Long>) () -> LongStream.range(0, elements).iterator());
  }

  @Override
  public Flow.Publisher<Long> createFlowPublisher(long elements) {
    return longs(elements).map(x -> x).toPublisher(loop);
  }

  /** A stream whose source cannot be opened: onSubscribe, then onError, without any request. */
  @Override
  public Flow.Publisher<Long> createFailedFlowPublisher() {
    AsyncIterable<Long> unopenable = () -> {
      throw new IllegalStateException("the source cannot be opened");
    };
    return AsyncStream.from(unopenable).toPublisher(loop);
  }

  /**
   * The same rules over an asynchronous pipeline ({@code mapAsync}, stepped with one reaction per element).
   */
  public static class Async extends PublisherTckVerification {
    public Async() {}

    @Override
    public Flow.Publisher<Long> createFlowPublisher(long elements) {
      return longs(elements).mapAsync(x -> Promise.resolve(x), 4).toPublisher(loop);
    }
  }
}
