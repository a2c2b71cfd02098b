package dev.papertape.feed.cli;

import dev.papertape.config.Durations;
import dev.papertape.feed.Speed;
import dev.papertape.model.InvalidRecordException;
import dev.papertape.model.Timestamps;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Command-line value converters with messages that say what is accepted. */
final class Converters {
  private Converters() {}

  /** {@code max}, {@code realtime}, {@code 10x}. */
  static final class SpeedConverter implements ITypeConverter<Speed> {
    @Override
    public Speed convert(String value) {
      try {
        return Speed.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code 30s}, {@code 1m}, {@code 1d}, {@code PT5M}. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return Durations.parsePositive(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** ISO-8601 with an offset: {@code 2026-01-05T14:30:00Z}. */
  static final class InstantConverter implements ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      try {
        return Timestamps.parse("--start", value);
      } catch (InvalidRecordException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
