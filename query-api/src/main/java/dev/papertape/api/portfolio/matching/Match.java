package dev.papertape.api.portfolio.matching;

/**
 * What one market trade does to one resting order.
 *
 * @param triggers the trade reaches the order's stop now (a STOP or STOP_LIMIT not triggered
 *     before)
 * @param quantity shares to fill at this trade, at most the trade's size; 0 when the trade only
 *     triggers a STOP_LIMIT whose limit it does not reach
 * @param withSlippage a market-like fill (a triggered STOP): the fill model's slippage applies; a
 *     limit fill is at the trade's price, which is at or better than the limit, without slippage
 */
public record Match(boolean triggers, long quantity, boolean withSlippage) {}
