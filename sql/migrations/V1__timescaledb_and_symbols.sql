-- Papertape schema, step 1: the TimescaleDB extension and the tracked symbols.
-- The extension is trusted, so the database owner (not only a superuser) can create it.
CREATE EXTENSION IF NOT EXISTS timescaledb;

CREATE TABLE symbols (
  symbol      text PRIMARY KEY CHECK (symbol ~ '^[A-Z][A-Z0-9.\-]{0,14}$'),
  name        text NOT NULL,
  exchange    text NOT NULL DEFAULT 'SIM',
  currency    char(3) NOT NULL DEFAULT 'USD',
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now()
);

INSERT INTO symbols (symbol, name, exchange) VALUES
  ('AAPL',  'Apple Inc.',          'NASDAQ'),
  ('GOOGL', 'Alphabet Inc. Cl. A', 'NASDAQ'),
  ('MSFT',  'Microsoft Corp.',     'NASDAQ'),
  ('TSLA',  'Tesla Inc.',          'NASDAQ');
