package org.eventloop4j.stream;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.eventloop4j.EventLoop;
import org.reactivestreams.tck.SubscriberWhiteboxVerification.SubscriberPuppet;
import org.reactivestreams.tck.SubscriberWhiteboxVerification.WhiteboxSubscriberProbe;
import org.reactivestreams.tck.flow.FlowSubscriberWhiteboxVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

/**
 * The TCK's whitebox subscriber rules for {@link AsyncStream#fromPublisher}: the stream's subscriber,
 * wrapped so that the probe sees each signal after it was delivered; the puppet drives the consumer (its
 * {@code next()} and {@code returnValue()}) on the loop. Run by {@link AsyncStreamTckTest}, not by surefire.
 */
@SuppressWarnings("exports") // test-only: TCK types in the public signature of a test class
public class WhiteboxTckVerification extends FlowSubscriberWhiteboxVerification<Integer> {
  private EventLoop loop;

  public WhiteboxTckVerification() {
    super(TckLoop.environment());
  }

  @BeforeClass
  public void startLoop() {
    loop = TckLoop.start("tck-whitebox");
  }

  @AfterClass
  public void closeLoop() {
    loop.close();
  }

  @Override
  @SuppressWarnings("unchecked")
  protected Flow.Subscriber<Integer> createFlowSubscriber(WhiteboxSubscriberProbe<Integer> probe) {
    CompletableFuture<Flow.Subscriber<? super Integer>> captured = new CompletableFuture<>();
    CompletableFuture<AsyncIterator<Integer>> iterator = new CompletableFuture<>();
    Flow.Publisher<Integer> capturing = captured::complete;
    loop.execute(() -> {
      AsyncIterator<Integer> it = AsyncStream.fromPublisher(capturing, 4).asyncIterator();
      iterator.complete(it);
      it.next().catchError(e -> null); // the first request subscribes; the TCK's onError is expected
    });
    Flow.Subscriber<Integer> inner;
    AsyncIterator<Integer> it;
    try {
      inner = (Flow.Subscriber<Integer>) captured.get(5, TimeUnit.SECONDS);
      it = iterator.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the stream did not subscribe", e);
    }
    return new Flow.Subscriber<>() {
      @Override
      public void onSubscribe(Flow.Subscription s) {
        inner.onSubscribe(s);
        probe.registerOnSubscribe(new SubscriberPuppet() {
          @Override
          public void triggerRequest(long elements) {
            loop.execute(() -> {
              for (long i = 0; i < elements; i++) {
                it.next().catchError(e -> null);
              }
            });
          }

          @Override
          public void signalCancel() {
            loop.execute(() -> it.returnValue(null));
          }
        });
      }

      @Override
      public void onNext(Integer item) {
        inner.onNext(item);
        probe.registerOnNext(requireNonNull(item));
      }

      @Override
      public void onError(Throwable throwable) {
        inner.onError(throwable);
        probe.registerOnError(throwable);
      }

      @Override
      public void onComplete() {
        inner.onComplete();
        probe.registerOnComplete();
      }
    };
  }

  @Override
  public Integer createElement(int element) {
    return element;
  }
}
