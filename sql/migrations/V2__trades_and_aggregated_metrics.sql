-- Papertape schema, step 2: raw trades and windowed metrics, both hypertables.
-- Money and prices are exact: numeric(18,8) (see dev.papertape.model.Prices).
-- Writes from Flink are upserts on natural keys that include the time column, so a replay after a
-- failure never duplicates a row.

CREATE TABLE trades (
  ts           timestamptz   NOT NULL,
  symbol       text          NOT NULL,
  trade_id     text          NOT NULL,
  price        numeric(18,8) NOT NULL CHECK (price > 0),
  size         bigint        NOT NULL CHECK (size > 0),
  source       text          NOT NULL,
  ingested_at  timestamptz   NOT NULL DEFAULT now(),
  PRIMARY KEY (symbol, ts, trade_id)
);
-- One day per chunk: a simulated day of four symbols at 20 trades/s is ~7M rows (~1 GB), a size
-- PostgreSQL's memory keeps hot while it is written.
SELECT create_hypertable('trades', by_range('ts', INTERVAL '1 day'));
CREATE INDEX trades_symbol_ts_desc ON trades (symbol, ts DESC);

CREATE TABLE aggregated_metrics (
  window_start  timestamptz   NOT NULL,
  symbol        text          NOT NULL,
  "window"      text          NOT NULL CHECK ("window" IN ('1s', '1m', '5m', '1h', '1d')),
  window_end    timestamptz   NOT NULL,
  open          numeric(18,8) NOT NULL,
  high          numeric(18,8) NOT NULL,
  low           numeric(18,8) NOT NULL,
  close         numeric(18,8) NOT NULL,
  volume        bigint        NOT NULL CHECK (volume > 0),
  vwap          numeric(18,8) NOT NULL,
  trade_count   bigint        NOT NULL CHECK (trade_count > 0),
  price_range   numeric(18,8) NOT NULL CHECK (price_range >= 0),
  updated_at    timestamptz   NOT NULL DEFAULT now(),
  PRIMARY KEY (symbol, "window", window_start),
  CHECK (window_end > window_start),
  CHECK (low <= high)
);
-- Seven days per chunk: metrics are ~1/20 of the trade rows (1s windows dominate).
SELECT create_hypertable('aggregated_metrics', by_range('window_start', INTERVAL '7 days'));
CREATE INDEX aggregated_metrics_window_time ON aggregated_metrics ("window", window_start DESC);
