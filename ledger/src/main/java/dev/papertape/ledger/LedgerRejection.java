package dev.papertape.ledger;

/** A fill the rules refuse; nothing of it is applied. */
public class LedgerRejection extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a fill is refused. */
  public enum Reason {
    /** The fill would take cash below zero (buying more than cash allows, commission included). */
    INSUFFICIENT_CASH,
    /** Selling more than is held while short selling is off. */
    INSUFFICIENT_POSITION,
    /** A short sale would take the short exposure at cost beyond the starting cash. */
    SHORT_LIMIT
  }

  private final Reason reason;

  public LedgerRejection(Reason reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
