-- Papertape schema, step 3: retention.
-- The Apache-licensed TimescaleDB build has no add_retention_policy, so retention is a routine
-- called on a schedule (./papertape retention, cron, or pg_cron where installed); it drops whole
-- chunks with drop_chunks, which is instant and leaves no bloat.
--
--   SELECT * FROM papertape_apply_retention();                  -- defaults below
--   SELECT * FROM papertape_apply_retention(INTERVAL '7 days');  -- keep one week of raw trades

CREATE FUNCTION papertape_apply_retention(
    keep_trades     interval DEFAULT INTERVAL '30 days',
    keep_1s_metrics interval DEFAULT INTERVAL '7 days')
RETURNS TABLE (hypertable text, dropped_chunk text)
LANGUAGE plpgsql AS $$
BEGIN
  RETURN QUERY SELECT 'trades'::text, c::text FROM drop_chunks('trades', older_than => now() - keep_trades) AS c;
  -- aggregated_metrics chunks hold every window size; only whole chunks older than the longest
  -- kept horizon can go. 1s rows inside younger chunks are deleted row-wise.
  DELETE FROM aggregated_metrics WHERE "window" = '1s' AND window_start < now() - keep_1s_metrics;
END;
$$;
COMMENT ON FUNCTION papertape_apply_retention IS
  'Drops trades chunks older than keep_trades and 1s metrics older than keep_1s_metrics; call it on a schedule.';
