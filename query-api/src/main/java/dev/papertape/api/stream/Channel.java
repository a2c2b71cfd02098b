package dev.papertape.api.stream;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The live channels: each is fed by one Kafka topic. */
public enum Channel {
  TRADES("trades"),
  METRICS("metrics"),
  SIGNALS("signals");

  private final String label;

  Channel(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** Parses a channel name; the message lists the accepted ones. */
  public static Channel parse(String v) {
    for (Channel c : values()) {
      if (c.label.equals(v == null ? "" : v.trim().toLowerCase(Locale.ROOT))) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "'"
            + v
            + "' is not a channel; accepted: "
            + Arrays.stream(values()).map(Channel::label).collect(Collectors.joining(", ")));
  }
}
