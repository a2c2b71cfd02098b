-- Papertape schema, step 7: strategy instances and alert rules as the API records them, and the
-- paper orders that auto-executed signals placed.
--
-- The database is the record; the compacted Kafka topic `strategy-control` is what the signals job
-- reads. Every write of a row and its control event happen under the row's lock: the API writes the
-- row, publishes the event, waits for Kafka's acknowledgement and commits with control_pending =
-- false; when Kafka cannot be reached it commits with control_pending = true and the API
-- republishes the pending rows (every few seconds, and every active row at start), so the topic
-- converges on these tables.
--
-- Ids are global (they are Kafka keys and a signal's `source`): 1-64 characters A-Z a-z 0-9 . _ -,
-- starting with a letter or digit. A row is kept when deactivated/removed, so an id never changes
-- owner and the signals stored under it stay the owner's.

CREATE TABLE strategies (
  id               text          PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
  user_id          bigint        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  strategy         text          NOT NULL CHECK (length(strategy) BETWEEN 1 AND 64),
  -- canonical: every declared parameter, defaults filled in, values as text
  params           jsonb         NOT NULL CHECK (jsonb_typeof(params) = 'object'),
  -- upper case, sorted; empty = all symbols
  symbols          text[]        NOT NULL,
  auto_execute     boolean       NOT NULL DEFAULT false,
  sizing_mode      text          CHECK (sizing_mode IN ('quantity', 'notional', 'percentOfCash')),
  sizing_value     numeric(24,8) CHECK (sizing_value > 0),
  active           boolean       NOT NULL DEFAULT true,
  control_pending  boolean       NOT NULL DEFAULT true,
  created_at       timestamptz   NOT NULL DEFAULT now(),
  updated_at       timestamptz   NOT NULL DEFAULT now(),
  deactivated_at   timestamptz,
  CHECK ((sizing_mode IS NULL) = (sizing_value IS NULL)),
  CHECK (NOT auto_execute OR sizing_mode IS NOT NULL),
  CHECK (active = (deactivated_at IS NULL))
);
CREATE INDEX strategies_user ON strategies (user_id, created_at DESC);
CREATE INDEX strategies_pending ON strategies (id) WHERE control_pending;

CREATE TABLE alert_rules (
  id               text          PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
  user_id          bigint        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  symbol           text          NOT NULL,
  field            text          NOT NULL CHECK (field IN ('price', 'vwap', 'volume', 'changePct')),
  op               text          NOT NULL CHECK (op IN ('>', '<', 'crosses_above', 'crosses_below')),
  threshold        numeric(30,8) NOT NULL,
  "window"         text          NOT NULL,
  active           boolean       NOT NULL DEFAULT true,
  control_pending  boolean       NOT NULL DEFAULT true,
  created_at       timestamptz   NOT NULL DEFAULT now(),
  updated_at       timestamptz   NOT NULL DEFAULT now(),
  removed_at       timestamptz,
  CHECK (active = (removed_at IS NULL))
);
CREATE INDEX alert_rules_user ON alert_rules (user_id, created_at DESC);
CREATE INDEX alert_rules_pending ON alert_rules (id) WHERE control_pending;

-- What each auto-executed signal did: one row per signal (the first API instance to act on it
-- wins); order_id is the paper order it placed (null when refused or nothing to trade).
CREATE TABLE signal_orders (
  signal_id    text          PRIMARY KEY CHECK (length(signal_id) BETWEEN 1 AND 128),
  strategy_id  text          NOT NULL REFERENCES strategies (id) ON DELETE CASCADE,
  user_id      bigint        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  order_id     uuid          REFERENCES orders (id) ON DELETE SET NULL,
  outcome      text          NOT NULL CHECK (outcome IN ('filled', 'refused', 'skipped')),
  quantity     bigint        CHECK (quantity > 0),
  reason       text          CHECK (length(reason) <= 500),
  created_at   timestamptz   NOT NULL DEFAULT now()
);
CREATE INDEX signal_orders_strategy ON signal_orders (strategy_id, created_at DESC);
