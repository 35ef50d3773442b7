package org.eventloop4j.io;

import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/** Writes a whole buffer from file position 0, looping over short writes. */
final class WriteAll extends FileOperation<@Nullable Void> {
  private final ByteBuffer data;
  private long position;

  WriteAll(ByteBuffer data, BiConsumer<@Nullable Void, @Nullable Throwable> callback) {
    super(callback);
    this.data = data;
  }

  @Override
  void begin(AsynchronousFileChannel ch) {
    writeMore(ch);
  }

  @Override
  void transferred(AsynchronousFileChannel ch, int n) {
    position += n;
    writeMore(ch);
  }

  private void writeMore(AsynchronousFileChannel ch) {
    if (data.hasRemaining()) {
      ch.write(data, position, null, this);
    } else {
      finish(null, null);
    }
  }
}
