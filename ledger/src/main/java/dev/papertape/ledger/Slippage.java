package dev.papertape.ledger;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * How far a fill's price is from the market trade that priced it, always against the trader: a buy
 * fills higher, a sell lower. The fill price is rounded half-up to 8 decimals and never falls below
 * {@link Money#MIN_PRICE}; the slippage of a fill is {@code |price − marketPrice|} after that
 * rounding, so the two columns of a fill row always agree.
 */
public sealed interface Slippage {
  /** The fill price for a {@code side} order against a trade at {@code market}. */
  BigDecimal fillPrice(Side side, BigDecimal market);

  /** No slippage: the fill price is the market price. */
  record None() implements Slippage {
    @Override
    public BigDecimal fillPrice(Side side, BigDecimal market) {
      return Money.price(market);
    }
  }

  /** {@code market × (1 ± bps / 10000)}. */
  record BasisPoints(BigDecimal bps) implements Slippage {
    public BasisPoints {
      Objects.requireNonNull(bps, "bps");
      if (bps.signum() < 0) {
        throw new IllegalArgumentException("slippage bps must not be negative, got " + bps);
      }
    }

    @Override
    public BigDecimal fillPrice(Side side, BigDecimal market) {
      BigDecimal move = market.multiply(bps).movePointLeft(4);
      return adjust(side, market, move);
    }
  }

  /** {@code market ± amount} per share. */
  record PerShare(BigDecimal amount) implements Slippage {
    public PerShare {
      Objects.requireNonNull(amount, "amount");
      if (amount.signum() < 0) {
        throw new IllegalArgumentException(
            "slippage per share must not be negative, got " + amount);
      }
    }

    @Override
    public BigDecimal fillPrice(Side side, BigDecimal market) {
      return adjust(side, market, amount);
    }
  }

  private static BigDecimal adjust(Side side, BigDecimal market, BigDecimal move) {
    BigDecimal p = Money.price(side == Side.BUY ? market.add(move) : market.subtract(move));
    return p.compareTo(Money.MIN_PRICE) < 0 ? Money.MIN_PRICE : p;
  }
}
