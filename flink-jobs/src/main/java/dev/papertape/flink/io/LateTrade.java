package dev.papertape.flink.io;

import dev.papertape.model.MetricWindow;
import dev.papertape.model.Trade;

/**
 * A trade that arrived after its {@code window} had closed (watermark past window end plus allowed
 * lateness). It is still stored raw in {@code trades}, is published to {@code trades-late} and
 * counted, but no longer changes that window's metrics.
 */
public record LateTrade(MetricWindow window, Trade trade) {}
