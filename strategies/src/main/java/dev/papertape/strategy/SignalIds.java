package dev.papertape.strategy;

import dev.papertape.model.MetricWindow;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * Deterministic signal ids: a name-based (version 3) UUID of {@code
 * papertape-signal/v1|<source>|<symbol>|<window>|<window end, epoch ms>|<BUY|SELL|ALERT>}. The same
 * instance, symbol, window and side give the same id on every run, so a replay can be deduplicated
 * (an upsert on the id) and an auto-trade is idempotent per signal id.
 */
public final class SignalIds {
  private SignalIds() {}

  /**
   * @param tag the side ({@code BUY}/{@code SELL}) of a strategy signal, {@code ALERT} for a rule
   */
  public static String of(
      String source, String symbol, MetricWindow window, Instant windowEnd, String tag) {
    String name =
        "papertape-signal/v1|"
            + source
            + "|"
            + symbol
            + "|"
            + window.label()
            + "|"
            + windowEnd.toEpochMilli()
            + "|"
            + tag;
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
