-- Papertape schema, step 4: users and the paper portfolio ledger.
--
-- Money: cash, amounts and P&L are numeric(20,2), exact to the cent (USD); prices are
-- numeric(18,8) like trades.price; quantities are whole shares (bigint). Every fill is one row of
-- paper_trades written in the same transaction as the cash movement, the position and the order it
-- changes, so the fill log alone reproduces cash and positions (a replay is a test).
-- Constraints make impossible states impossible; the application checks first, to answer 422 with
-- a reason, and the constraints are the last line.

-- bcrypt for `./papertape user add` (crypt(..., gen_salt('bf'))) and SHA-256 of API keys (digest):
-- pgcrypto is a trusted extension, so the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE TABLE users (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name           text        NOT NULL UNIQUE CHECK (name ~ '^[a-z][a-z0-9._-]{0,63}$'),
  -- bcrypt ($2a$/$2b$/$2y$), as Spring Security's BCryptPasswordEncoder reads it
  password_hash  text        NOT NULL CHECK (password_hash ~ '^\$2[aby]?\$[0-9]{2}\$'),
  enabled        boolean     NOT NULL DEFAULT true,
  created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id       bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- the first characters of the key, to tell keys apart in lists; the key itself is never stored
  prefix        text        NOT NULL CHECK (length(prefix) BETWEEN 4 AND 16),
  -- hex SHA-256 of the whole key: a key is random (256 bits), so a plain hash is enough to look it up
  key_hash      text        NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
  label         text        NOT NULL DEFAULT '' CHECK (length(label) <= 100),
  created_at    timestamptz NOT NULL DEFAULT now(),
  revoked_at    timestamptz
);
CREATE INDEX api_keys_user ON api_keys (user_id);

-- One portfolio per user (the roadmap's /portfolio is "the user's portfolio").
CREATE TABLE portfolios (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id        bigint        NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
  currency       text          NOT NULL DEFAULT 'USD' CHECK (currency = 'USD'),
  starting_cash  numeric(20,2) NOT NULL CHECK (starting_cash > 0),
  cash           numeric(20,2) NOT NULL,
  realized_pnl   numeric(20,2) NOT NULL DEFAULT 0,
  commissions    numeric(20,2) NOT NULL DEFAULT 0 CHECK (commissions >= 0),
  allow_short    boolean       NOT NULL DEFAULT false,
  -- a reset starts a new epoch: the fills and orders of older epochs stay for the record
  epoch          integer       NOT NULL DEFAULT 1 CHECK (epoch >= 1),
  created_at     timestamptz   NOT NULL DEFAULT now(),
  reset_at       timestamptz   NOT NULL DEFAULT now(),
  CHECK (cash >= 0 OR allow_short)
);

CREATE TABLE positions (
  portfolio_id  bigint        NOT NULL REFERENCES portfolios (id) ON DELETE CASCADE,
  symbol        text          NOT NULL,
  -- negative: short (only when the portfolio allows it); a closed position has no row
  quantity      bigint        NOT NULL CHECK (quantity <> 0),
  -- the average price of the open quantity, commissions excluded
  avg_cost      numeric(18,8) NOT NULL CHECK (avg_cost > 0),
  opened_at     timestamptz   NOT NULL DEFAULT now(),
  updated_at    timestamptz   NOT NULL DEFAULT now(),
  PRIMARY KEY (portfolio_id, symbol)
);

CREATE TABLE orders (
  id               uuid          PRIMARY KEY,
  portfolio_id     bigint        NOT NULL REFERENCES portfolios (id) ON DELETE CASCADE,
  epoch            integer       NOT NULL,
  -- the Idempotency-Key of the request, and a hash of its body: a repeated key with the same body
  -- returns this order; with another body it is refused (422)
  idempotency_key  text          CHECK (length(idempotency_key) BETWEEN 1 AND 128),
  request_hash     text          NOT NULL,
  symbol           text          NOT NULL,
  side             text          NOT NULL CHECK (side IN ('BUY', 'SELL')),
  type             text          NOT NULL CHECK (type IN ('MARKET', 'LIMIT', 'STOP', 'STOP_LIMIT')),
  time_in_force    text          NOT NULL CHECK (time_in_force IN ('DAY', 'GTC', 'IOC', 'FOK')),
  quantity         bigint        NOT NULL CHECK (quantity > 0),
  limit_price      numeric(18,8) CHECK (limit_price > 0),
  stop_price       numeric(18,8) CHECK (stop_price > 0),
  status           text          NOT NULL CHECK (status IN
                     ('ACCEPTED', 'PARTIALLY_FILLED', 'FILLED', 'CANCELED', 'REJECTED', 'EXPIRED')),
  filled_quantity  bigint        NOT NULL DEFAULT 0 CHECK (filled_quantity BETWEEN 0 AND quantity),
  -- a stop (or stop-limit) order becomes a market (limit) order once a trade reaches its stop
  triggered_at     timestamptz,
  reason           text          CHECK (length(reason) <= 500),
  created_at       timestamptz   NOT NULL DEFAULT now(),
  updated_at       timestamptz   NOT NULL DEFAULT now(),
  -- DAY orders expire at the end of the UTC day they were placed
  expires_at       timestamptz,
  UNIQUE (portfolio_id, idempotency_key),
  CHECK ((type IN ('LIMIT', 'STOP_LIMIT')) = (limit_price IS NOT NULL)),
  CHECK ((type IN ('STOP', 'STOP_LIMIT')) = (stop_price IS NOT NULL)),
  CHECK (status <> 'FILLED' OR filled_quantity = quantity),
  CHECK (status <> 'PARTIALLY_FILLED' OR filled_quantity BETWEEN 1 AND quantity - 1)
);
CREATE INDEX orders_portfolio_created ON orders (portfolio_id, created_at DESC);
-- the resting orders a trade of a symbol may fill
CREATE INDEX orders_resting ON orders (symbol, created_at)
  WHERE status IN ('ACCEPTED', 'PARTIALLY_FILLED');

-- The fills: one row per execution, with everything that priced it.
CREATE TABLE paper_trades (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  order_id         uuid          NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  portfolio_id     bigint        NOT NULL REFERENCES portfolios (id) ON DELETE CASCADE,
  epoch            integer       NOT NULL,
  symbol           text          NOT NULL,
  side             text          NOT NULL CHECK (side IN ('BUY', 'SELL')),
  quantity         bigint        NOT NULL CHECK (quantity > 0),
  -- the market trade that priced (and, for a resting order, triggered) the fill
  market_trade_ts  timestamptz   NOT NULL,
  market_trade_id  text          NOT NULL,
  market_price     numeric(18,8) NOT NULL CHECK (market_price > 0),
  -- price = market_price adjusted by slippage (worse for the trader), rounded to 8 decimals
  slippage         numeric(18,8) NOT NULL CHECK (slippage >= 0),
  price            numeric(18,8) NOT NULL CHECK (price > 0),
  -- gross = quantity * price rounded half-up to the cent; cash_delta = -(gross + commission) for a
  -- buy, gross - commission for a sell
  gross            numeric(20,2) NOT NULL CHECK (gross >= 0),
  commission       numeric(20,2) NOT NULL CHECK (commission >= 0),
  cash_delta       numeric(20,2) NOT NULL,
  realized_pnl     numeric(20,2) NOT NULL DEFAULT 0,
  position_after   bigint        NOT NULL,
  cash_after       numeric(20,2) NOT NULL,
  filled_at        timestamptz   NOT NULL DEFAULT now(),
  -- a market trade fills an order at most once, however many API instances see it
  UNIQUE (order_id, market_trade_ts, market_trade_id)
);
CREATE INDEX paper_trades_portfolio ON paper_trades (portfolio_id, filled_at DESC);

-- Every change of cash: the initial deposit, a reset, and each fill (ref_fill).
CREATE TABLE cash_movements (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  portfolio_id  bigint        NOT NULL REFERENCES portfolios (id) ON DELETE CASCADE,
  epoch         integer       NOT NULL,
  kind          text          NOT NULL CHECK (kind IN ('DEPOSIT', 'FILL')),
  amount        numeric(20,2) NOT NULL,
  fill_id       bigint        UNIQUE REFERENCES paper_trades (id) ON DELETE CASCADE,
  at            timestamptz   NOT NULL DEFAULT now(),
  CHECK ((kind = 'FILL') = (fill_id IS NOT NULL))
);
CREATE INDEX cash_movements_portfolio ON cash_movements (portfolio_id, epoch);

-- Valuations over time, one per portfolio and interval (the primary key makes a second API
-- instance's write of the same interval a no-op). Written by the API's SnapshotWriter every
-- PAPERTAPE_SNAPSHOT_INTERVAL: ts is the start of the interval (now floored to a multiple of the
-- interval since the Unix epoch); positions_value = Σ round(quantity × latest price, 2) (half-up,
-- at average cost when the symbol has no price at all); the epoch the values belong to.
CREATE TABLE portfolio_snapshots (
  ts               timestamptz   NOT NULL,
  portfolio_id     bigint        NOT NULL REFERENCES portfolios (id) ON DELETE CASCADE,
  epoch            integer       NOT NULL CHECK (epoch >= 1),
  cash             numeric(20,2) NOT NULL,
  positions_value  numeric(20,2) NOT NULL,
  total_value      numeric(20,2) NOT NULL,
  -- open positions at the time (the exposure statistic counts snapshots with at least one)
  open_positions   integer       NOT NULL DEFAULT 0 CHECK (open_positions >= 0),
  PRIMARY KEY (portfolio_id, ts),
  CHECK (total_value = cash + positions_value)
);
SELECT create_hypertable('portfolio_snapshots', by_range('ts', INTERVAL '7 days'));
