package dev.papertape.feed.replay;

import java.nio.file.Path;

/**
 * An input file that cannot be replayed: it cannot be read, or a row is bad. The message names the
 * file, the line (1-based, counting the header and blank lines, as an editor shows it) and the
 * reason.
 */
public class InvalidInputFileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final int line;
  private final String reason;

  /**
   * @param line 1-based line number, or 0 when the problem is the file as a whole
   */
  public InvalidInputFileException(Path file, int line, String reason, Throwable cause) {
    super(message(file, line, reason), cause);
    this.file = file;
    this.line = line;
    this.reason = reason;
  }

  public InvalidInputFileException(Path file, int line, String reason) {
    this(file, line, reason, null);
  }

  private static String message(Path file, int line, String reason) {
    return line > 0
        ? "bad row in " + file + " at line " + line + ": " + reason
        : "cannot replay " + file + ": " + reason;
  }

  public Path file() {
    return file;
  }

  /** 1-based line number, or 0 for the file as a whole. */
  public int line() {
    return line;
  }

  public String reason() {
    return reason;
  }
}
