package org.eventloop4j.io;

import java.io.IOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import org.eventloop4j.EventLoop;
import org.jspecify.annotations.Nullable;

/**
 * One file operation in flight: a chain of {@link AsynchronousFileChannel} transfers whose outcome is posted
 * to the loop that started it.
 *
 * <p>Created and {@linkplain #start started} on a loop thread; the transfers complete on the JDK's channel
 * threads, one after another (each completion issues the next transfer, so the chain is sequential and the
 * executor hand-off orders every step after the previous one — no field needs to be volatile).
 *
 * @param <T> the result type
 */
abstract class FileOperation<T> implements CompletionHandler<Integer, @Nullable Void> {
  /*
   * Overview: the life of an operation is
   *
   *   constructor (loop thread: takes a KeepAlive) -> start: open + begin (loop thread)
   *     -> completed/failed ... (channel threads; each step issues the next transfer or calls finish)
   *     -> finish: close the channel, post the outcome with loop.execute
   *     -> complete (loop thread, poll phase): run the callback, then close the KeepAlive.
   *
   * Every path ends in finish exactly once — the `finished` flag turns a second call into a logged bug
   * instead of a second callback — and finish hands the KeepAlive to exactly one closer: complete() on the
   * loop, or deliver() itself when the loop was closed meanwhile and rejects the task. Errors are caught as
   * RuntimeException | Error too, not only IOException, because an exception escaping a completion handler
   * would end on a channel thread and leave the loop waiting forever. Tests: AsyncFilesTest.
   */
  private static final System.Logger LOG = System.getLogger(AsyncFiles.class.getName());

  private final EventLoop loop;
  private final EventLoop.KeepAlive keepAlive;
  private final BiConsumer<@Nullable T, @Nullable Throwable> callback;
  private @Nullable AsynchronousFileChannel channel;
  private boolean finished;

  /** Binds the operation to the current loop and keeps that loop alive until the callback ran. */
  FileOperation(BiConsumer<@Nullable T, @Nullable Throwable> callback) {
    this.loop = EventLoop.current();
    this.callback = callback;
    this.keepAlive = loop.keepAlive();
  }

  /** Opens {@code path} and starts the first transfer; on the loop thread. */
  final void start(Path path, OpenOption... options) {
    try {
      AsynchronousFileChannel ch = AsynchronousFileChannel.open(path, options);
      channel = ch;
      begin(ch);
    } catch (IOException | RuntimeException | Error e) {
      finish(null, e);
    }
  }

  /** Starts the first transfer on the open channel, or calls {@link #finish}. */
  abstract void begin(AsynchronousFileChannel ch) throws IOException;

  /** Handles a transfer of {@code n} bytes ({@code -1} at the end of the file): the next one, or finish. */
  abstract void transferred(AsynchronousFileChannel ch, int n) throws IOException;

  @Override
  public final void completed(Integer n, @Nullable Void unused) {
    try {
      AsynchronousFileChannel ch = channel;
      if (ch == null) {
        throw new IllegalStateException("transfer completed before the channel was open");
      }
      transferred(ch, n);
    } catch (IOException | RuntimeException | Error e) {
      finish(null, e);
    }
  }

  @Override
  public final void failed(Throwable error, @Nullable Void unused) {
    finish(null, error);
  }

  /**
   * Ends the operation with {@code value} or {@code error}: closes the channel (a failure to close is the
   * error if there was none, else suppressed by it) and posts the outcome to the loop.
   */
  final void finish(@Nullable T value, @Nullable Throwable error) {
    if (finished) {
      LOG.log(System.Logger.Level.ERROR, "file operation finished twice; ignoring the second outcome", error);
      return;
    }
    finished = true;
    Throwable failure = closeChannel(error);
    deliver(failure == null ? value : null, failure);
  }

  private @Nullable Throwable closeChannel(@Nullable Throwable error) {
    AsynchronousFileChannel ch = channel;
    if (ch == null) {
      return error;
    }
    try {
      ch.close();
    } catch (IOException e) {
      if (error == null) {
        return e;
      }
      error.addSuppressed(e);
    }
    return error;
  }

  private void deliver(@Nullable T value, @Nullable Throwable error) {
    try {
      loop.execute(() -> complete(value, error));
    } catch (RejectedExecutionException e) {
      keepAlive.close();
      if (error != null) {
        e.addSuppressed(error);
      }
      LOG.log(System.Logger.Level.WARNING,
          "file operation finished after its event loop closed; its outcome is dropped", e);
    }
  }

  /** On the loop, in a poll phase: an exception from the callback is the loop's uncaught exception. */
  private void complete(@Nullable T value, @Nullable Throwable error) {
    try {
      callback.accept(value, error);
    } finally {
      keepAlive.close();
    }
  }
}
