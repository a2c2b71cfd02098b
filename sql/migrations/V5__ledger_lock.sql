-- Papertape schema, step 5: the ledger's locking read in one round trip.
--
-- Every ledger write locks its portfolio row first and then reads the positions; the positions must
-- be read AFTER the lock is granted (a request that waited for the lock must see what the request
-- before it committed). In one SQL statement that is impossible under READ COMMITTED: the whole
-- statement reads one snapshot, taken before the wait, so a joined read would return stale positions.
-- A VOLATILE PL/pgSQL function takes a fresh snapshot for each statement it runs, so this function
-- locks, then reads, in one call: one round trip less while the lock is held.

CREATE FUNCTION lock_portfolio(p_user_id bigint)
RETURNS TABLE (
  id bigint, user_id bigint, epoch integer, starting_cash numeric, cash numeric,
  realized_pnl numeric, commissions numeric, allow_short boolean, created_at timestamptz,
  reset_at timestamptz, pos_symbol text, pos_quantity bigint, pos_avg_cost numeric)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM 1 FROM portfolios p WHERE p.user_id = p_user_id FOR UPDATE;
  RETURN QUERY
    SELECT p.id, p.user_id, p.epoch, p.starting_cash, p.cash, p.realized_pnl, p.commissions,
           p.allow_short, p.created_at, p.reset_at, s.symbol, s.quantity, s.avg_cost
    FROM portfolios p LEFT JOIN positions s ON s.portfolio_id = p.id
    WHERE p.user_id = p_user_id
    ORDER BY s.symbol;
END
$$;
