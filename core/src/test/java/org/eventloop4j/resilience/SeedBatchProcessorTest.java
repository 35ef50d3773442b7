package org.eventloop4j.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eventloop4j.EventLoop;
import org.eventloop4j.Promise;
import org.eventloop4j.Timers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The seed's {@code batchProcessingExample()} ported to promise callbacks on a virtual clock: eight items
 * 300 ms apart into a processor of batch size 3 and timeout 2 s whose batch takes 500 ms, then a flush.
 * Unlike the seed, {@code add} returns each item's own result, so the loop does not wait on it.
 */
@Timeout(10)
class SeedBatchProcessorTest {
  private final EventLoop loop = EventLoop.builder().virtualTime().build();
  private final List<String> trace = new ArrayList<>();
  private final List<List<Integer>> batches = new ArrayList<>();

  private void log(String line) {
    trace.add(loop.now() + " " + line);
  }

  private Promise<List<String>> process(List<Integer> batch) {
    List<Integer> copy = List.copyOf(batch);
    batches.add(copy);
    log("Processing batch: " + copy);
    return Timers.sleep(500).then(v -> {
      log("Batch processed: " + copy);
      return copy.stream().map(i -> "done " + i).toList();
    });
  }

  private void addFrom(BatchProcessor<Integer, String> processor, int i) {
    if (i == 8) {
      processor.flush().thenRun(() -> log("Batch processing completed"));
      return;
    }
    processor.add(i).thenAccept(r -> log("item " + i + ": " + r));
    Timers.sleep(300).thenRun(() -> addFrom(processor, i + 1));
  }

  @Test
  void seedProgram_eightItemsBatchSizeThree_batchesAreZeroToTwoThreeToFiveSixSeven() {
    loop.run(() -> {
      BatchProcessor<Integer, String> processor = BatchProcessor.builder(this::process)
          .batchSize(3).batchTimeout(Duration.ofMillis(2000)).build();
      addFrom(processor, 0);
    });
    assertEquals(List.of(List.of(0, 1, 2), List.of(3, 4, 5), List.of(6, 7)), batches);
    assertEquals(List.of(
        "600 Processing batch: [0, 1, 2]",
        "1100 Batch processed: [0, 1, 2]",
        "1100 item 0: done 0",
        "1100 item 1: done 1",
        "1100 item 2: done 2",
        "1500 Processing batch: [3, 4, 5]",
        "2000 Batch processed: [3, 4, 5]",
        "2000 item 3: done 3",
        "2000 item 4: done 4",
        "2000 item 5: done 5",
        "2400 Processing batch: [6, 7]",
        "2900 Batch processed: [6, 7]",
        "2900 item 6: done 6",
        "2900 item 7: done 7",
        "2900 Batch processing completed"), trace);
  }

  @Test
  void seedProgram_withoutFlush_lastBatchGoesOutByTimeoutTwoSecondsAfterItsFirstItem() {
    loop.run(() -> {
      BatchProcessor<Integer, String> processor = BatchProcessor.builder(this::process)
          .batchSize(3).batchTimeout(Duration.ofMillis(2000)).build();
      for (int i = 0; i < 8; i++) {
        int item = i;
        loop.setTimeout(() -> processor.add(item), 300L * i + 1);
      }
    });
    assertEquals(List.of(List.of(0, 1, 2), List.of(3, 4, 5), List.of(6, 7)), batches);
    assertEquals("3801 Processing batch: [6, 7]", trace.get(4));
  }
}
