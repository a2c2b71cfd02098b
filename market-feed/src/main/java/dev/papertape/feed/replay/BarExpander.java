package dev.papertape.feed.replay;

import dev.papertape.model.Trade;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Expands an OHLCV bar into ticks, by a fixed rule so a replay is repeatable:
 *
 * <ol>
 *   <li><b>Prices</b>: four ticks, open → the extreme nearer to the open (high on a tie) → the
 *       other extreme → close.
 *   <li><b>Times</b>: tick {@code k} (0-3) at {@code start + k × length / 4} (whole milliseconds),
 *       so all ticks lie inside the bar's interval {@code [start, start + length)}.
 *   <li><b>Sizes</b>: the volume split evenly, {@code volume / 4} each, the remainder added to the
 *       close; a tick of size 0 is left out (a bar with volume 1-3 becomes one close tick with all
 *       its volume, a bar with volume 0 becomes no tick), so the sizes always sum to the volume.
 *   <li><b>Ids</b>: {@code <file-stem>-<line>-<k>} with {@code k} 1-4, source {@value #SOURCE}.
 * </ol>
 */
public final class BarExpander {
  /** Trade source name of ticks expanded from bars. */
  public static final String SOURCE = "csv-bars";

  private static final int TICKS = 4;

  private final long lengthMillis;
  private final String idPrefix;

  /**
   * @param length the bar length
   * @param fileStem the bars file name without extension (the trade id prefix)
   */
  public BarExpander(Duration length, String fileStem) {
    if (length == null || length.isNegative() || length.isZero()) {
      throw new IllegalArgumentException("bar length must be greater than 0, got " + length);
    }
    this.lengthMillis = length.toMillis();
    this.idPrefix = fileStem + "-";
  }

  /** How many ticks a bar of {@code volume} becomes. */
  public static int tickCount(long volume) {
    if (volume >= TICKS) {
      return TICKS;
    }
    return volume > 0 ? 1 : 0;
  }

  /** The bar's ticks in time order. */
  public List<Trade> expand(Bar bar) {
    boolean highFirst =
        bar.high().subtract(bar.open()).compareTo(bar.open().subtract(bar.low())) <= 0;
    BigDecimal[] prices = {
      bar.open(),
      highFirst ? bar.high() : bar.low(),
      highFirst ? bar.low() : bar.high(),
      bar.close()
    };
    long each = bar.volume() / TICKS;
    long last = each + bar.volume() % TICKS;
    List<Trade> ticks = new ArrayList<>(TICKS);
    long startMillis = bar.start().toEpochMilli();
    for (int k = 0; k < TICKS; k++) {
      long size = k == TICKS - 1 ? last : each;
      if (size > 0) {
        ticks.add(
            new Trade(
                bar.symbol(),
                prices[k],
                size,
                Instant.ofEpochMilli(startMillis + k * lengthMillis / TICKS),
                idPrefix + bar.line() + "-" + (k + 1),
                SOURCE));
      }
    }
    return ticks;
  }
}
