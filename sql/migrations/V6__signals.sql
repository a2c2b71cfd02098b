-- Papertape schema, step 6: signals of the strategies and alerts of the alert rules, written by the
-- signals job (the same records as the price-alerts topic, see dev.papertape.model.Signal).
-- A signal's id is deterministic (a name-based UUID of instance, symbol, window and side, see
-- dev.papertape.strategy.SignalIds), so the job's insert ON CONFLICT (id, ts) DO NOTHING stores
-- each signal once however often a replay after a failure re-emits it. TimescaleDB requires the
-- time column in every unique constraint of a hypertable, hence the key (id, ts); id leads it, so
-- a look-up by id alone (an auto-trade's idempotency check) uses the key's index.

CREATE TABLE signals (
  ts          timestamptz   NOT NULL,
  id          text          NOT NULL CHECK (length(id) BETWEEN 1 AND 128),
  kind        text          NOT NULL CHECK (kind IN ('SIGNAL', 'ALERT')),
  symbol      text          NOT NULL,
  source      text          NOT NULL CHECK (length(source) BETWEEN 1 AND 64),
  side        text          CHECK (side IN ('BUY', 'SELL')),
  price       numeric(18,8) NOT NULL CHECK (price > 0),
  reason      text          CHECK (length(reason) <= 500),
  stored_at   timestamptz   NOT NULL DEFAULT now(),
  PRIMARY KEY (id, ts),
  -- a strategy signal has a side, an alert has none
  CHECK ((kind = 'SIGNAL') = (side IS NOT NULL))
);
-- Signals are sparse (a few per symbol and strategy per day): 30 days per chunk.
SELECT create_hypertable('signals', by_range('ts', INTERVAL '30 days'));
-- GET /strategies/{id}/signals?from=&to= (source = the strategy or rule id), newest first
CREATE INDEX signals_source_ts ON signals (source, ts DESC);
-- the signals of a symbol, newest first
CREATE INDEX signals_symbol_ts ON signals (symbol, ts DESC);
