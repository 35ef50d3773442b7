package org.eventloop4j.sync;

/** {@link RateCoreLincheckTest} for the sliding window: at most 2 permits within any 10 ms. */
@SuppressWarnings("exports") // Lincheck needs public test classes; this package is exported
public class RateCoreSlidingLincheckTest extends RateCoreLincheckTest {
  /** Lincheck makes one instance per scenario. */
  public RateCoreSlidingLincheckTest() {}

  @Override
  Class<? extends RateModel> spec() {
    return SlidingSpec.class;
  }

  /** The sequential specification with a sliding window. */
  public static class SlidingSpec extends FixedSpec {
    /** 2 permits within any 10 ms. */
    public SlidingSpec() {
      super(true);
    }
  }
}
