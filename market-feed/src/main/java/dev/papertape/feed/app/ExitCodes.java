package dev.papertape.feed.app;

import dev.papertape.config.Settings;
import dev.papertape.feed.kafka.KafkaUnavailableException;
import dev.papertape.feed.replay.InvalidInputFileException;

/** The process exit codes of the market feed. */
public final class ExitCodes {
  /** Finished normally (or stopped by SIGTERM). */
  public static final int OK = 0;

  /** An unexpected failure (a bug): see the log. */
  public static final int SOFTWARE = 1;

  /** Bad command line or bad settings. */
  public static final int USAGE = 2;

  /** An input file cannot be read or has a bad row. */
  public static final int BAD_INPUT = 3;

  /** Kafka cannot be reached, or it refused the trades. */
  public static final int KAFKA_UNAVAILABLE = 4;

  private ExitCodes() {}

  /** The exit code for a failure. */
  public static int of(Throwable e) {
    if (e instanceof Settings.InvalidSettingException) {
      return USAGE;
    }
    if (e instanceof InvalidInputFileException) {
      return BAD_INPUT;
    }
    if (e instanceof KafkaUnavailableException) {
      return KAFKA_UNAVAILABLE;
    }
    return SOFTWARE;
  }
}
