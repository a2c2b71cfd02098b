package dev.papertape.ledger;

import java.math.BigDecimal;

/**
 * One fill as the ledger records it (a row of {@code paper_trades}): the execution, and what it did
 * to the portfolio. {@link Ledger#replay} rebuilds a portfolio from these rows alone.
 *
 * @param realizedPnl the P&amp;L the fill realised (commission excluded), cents
 * @param positionAfter the signed quantity of {@code symbol} after the fill
 * @param cashAfter the cash after the fill, cents
 */
public record Fill(
    String symbol,
    Side side,
    long quantity,
    BigDecimal marketPrice,
    BigDecimal slippage,
    BigDecimal price,
    BigDecimal gross,
    BigDecimal commission,
    BigDecimal cashDelta,
    BigDecimal realizedPnl,
    long positionAfter,
    BigDecimal cashAfter) {}
