package dev.papertape.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * JSON codec of {@link WindowMetrics}, the {@code aggregated-metrics} contract: {@code
 * {"symbol","window":"1m","windowStart","windowEnd","open","high","low","close","volume","vwap","tradeCount","priceRange"}}.
 */
public final class WindowMetricsCodec implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final Set<String> FIELDS =
      new LinkedHashSet<>(
          List.of(
              "symbol",
              "window",
              "windowStart",
              "windowEnd",
              "open",
              "high",
              "low",
              "close",
              "volume",
              "vwap",
              "tradeCount",
              "priceRange"));

  private final UnknownFields unknownFields;

  public WindowMetricsCodec(UnknownFields unknownFields) {
    this.unknownFields = unknownFields;
  }

  public WindowMetricsCodec() {
    this(UnknownFields.REJECT);
  }

  public byte[] encode(WindowMetrics m) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("symbol", m.symbol());
    o.put("window", m.window().label());
    o.put("windowStart", Timestamps.format(m.windowStart()));
    o.put("windowEnd", Timestamps.format(m.windowEnd()));
    o.put("open", m.open());
    o.put("high", m.high());
    o.put("low", m.low());
    o.put("close", m.close());
    o.put("volume", m.volume());
    o.put("vwap", m.vwap());
    o.put("tradeCount", m.tradeCount());
    o.put("priceRange", m.priceRange());
    return Json.bytes(o);
  }

  /**
   * Decodes one record. Total: any bytes give a {@link WindowMetrics} or an {@link
   * InvalidRecordException} with a short message, never another exception.
   */
  public WindowMetrics decode(byte[] json) {
    return Json.total(() -> read(json));
  }

  private WindowMetrics read(byte[] json) {
    ObjectNode o = Json.readObject(json);
    Json.checkFields(o, FIELDS, unknownFields);
    return new WindowMetrics(
        Json.text(o, "symbol"),
        MetricWindow.parse(Json.text(o, "window")),
        Json.instant(o, "windowStart"),
        Json.instant(o, "windowEnd"),
        Json.decimal(o, "open"),
        Json.decimal(o, "high"),
        Json.decimal(o, "low"),
        Json.decimal(o, "close"),
        Json.wholeNumber(o, "volume"),
        Json.decimal(o, "vwap"),
        Json.wholeNumber(o, "tradeCount"),
        Json.decimal(o, "priceRange"));
  }
}
