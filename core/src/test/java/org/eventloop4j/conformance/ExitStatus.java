package org.eventloop4j.conformance;

/**
 * Thrown by a port after the loop returned to stand for a non-zero exit status that is not an uncaught
 * error: {@code process.exit(n)}, which in Java is {@link org.eventloop4j.EventLoop#stop()} followed by
 * {@code return} (see {@link NodeProcess#exit(int)}).
 */
public final class ExitStatus extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int code;

  /** An exit with status {@code code}. */
  public ExitStatus(int code) {
    super("process exited with code " + code);
    this.code = code;
  }

  /** The exit status. */
  public int code() {
    return code;
  }
}
