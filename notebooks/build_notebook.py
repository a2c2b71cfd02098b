#!/usr/bin/env python3
"""Generates notebooks/market-analytics.ipynb (stored without outputs).

The notebook's source lives here so that it can be reviewed as plain Python; edit this file, then
regenerate:

    /usr/bin/python3 notebooks/build_notebook.py

and run the notebook (libpq env vars PGHOST PGPORT PGDATABASE PGUSER PGPASSWORD select the database):

    PYDEVD_DISABLE_FILE_VALIDATION=1 /usr/bin/jupyter nbconvert --to notebook --execute \\
        notebooks/market-analytics.ipynb --output-dir /tmp --output market-analytics.out \\
        --ExecutePreprocessor.timeout=120
"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent
OUT = HERE / "market-analytics.ipynb"

cells = []


def md(text):
    cells.append(new_markdown_cell(text.strip("\n")))


def code(text):
    cells.append(new_code_cell(text.strip("\n")))


# ---------------------------------------------------------------------------------------------
md(r"""
# Papertape — market analytics

SQL analytics over the TimescaleDB tables the pipeline writes: raw `trades` (from Kafka, via Flink)
and the windowed `aggregated_metrics` (OHLC, volume, VWAP per symbol and window). Every number below
comes from a SQL query shown in its cell; values are always passed as query parameters (`%s`), never
formatted into the SQL text.

**Connection**: the libpq environment variables `PGHOST PGPORT PGDATABASE PGUSER PGPASSWORD`
(for the local stack: `127.0.0.1 5432 papertape papertape papertape`).

**Parameters** (environment variables, all optional):

| variable | meaning | default |
|---|---|---|
| `PAPERTAPE_NB_SYMBOLS` | comma-separated symbols for the overview | all active symbols in `symbols` |
| `PAPERTAPE_NB_SYMBOL` | the symbol of the single-symbol sections (2–6) | the first of the symbols with trades in the range |
| `PAPERTAPE_NB_FROM`, `PAPERTAPE_NB_TO` | time range `[from, to)`, ISO-8601 (no zone = UTC) | the 24 h ending at the newest trade of the symbols (not `now()`, so replayed history works) |
| `PAPERTAPE_NB_WINDOW` | candle window: `1s`, `1m`, `5m`, `1h`, `1d` | `1m` |
| `PAPERTAPE_NB_EXPORT` | path of a JSON summary (candles stored and recomputed, mismatches) | none: no export |
| `PAPERTAPE_NB_PLOTS` | directory for the PNG plots | `plots/` next to the notebook (git-ignored) |

Run it headless:

```
PYDEVD_DISABLE_FILE_VALIDATION=1 PGHOST=127.0.0.1 PGDATABASE=papertape PGUSER=papertape PGPASSWORD=papertape \
  /usr/bin/jupyter nbconvert --to notebook --execute notebooks/market-analytics.ipynb \
  --output-dir /tmp --output market-analytics.out --ExecutePreprocessor.timeout=120
```

On an empty database every section prints *no data* and skips its plot.
""")

code(r"""
import json
import os
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless: plots are written to PNG files and displayed from there
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
import psycopg2
from IPython.display import Image, display

pd.set_option("display.max_rows", 60)
pd.set_option("display.width", 160)

# libpq reads PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD (and ~/.pgpass) itself.
conn = psycopg2.connect(application_name="papertape-notebook")
conn.set_session(readonly=True, autocommit=True)
with conn.cursor() as cur:
    cur.execute("SET TIME ZONE 'UTC'")  # timestamps come back in UTC; time_bucket is UTC anyway
    cur.execute("SELECT current_database(), current_user, "
                "(SELECT extversion FROM pg_extension WHERE extname = 'timescaledb')")
    db, user, tsdb = cur.fetchone()
print(f"connected: database {db} as {user}, TimescaleDB {tsdb}")


def query(sql, params=None):
    # Runs a parameterised query; returns a DataFrame (numeric columns stay exact Decimals).
    with conn.cursor() as cur:
        cur.execute(sql, params)
        cols = [d.name for d in cur.description]
        return pd.DataFrame(cur.fetchall(), columns=cols)


def scalar(sql, params=None):
    with conn.cursor() as cur:
        cur.execute(sql, params)
        row = cur.fetchone()
        return row[0] if row else None


def iso_ms(ts):
    # ISO-8601 UTC with milliseconds, e.g. 2026-01-05T14:30:00.000Z.
    t = pd.Timestamp(ts).tz_convert("UTC")
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def dec_str(d):
    # Plain decimal string with trailing zeros stripped: Decimal('250.50000000') -> '250.5'.
    return format(Decimal(d).normalize(), "f")


def floats(series):
    return series.astype(float)
""")

# ---------------------------------------------------------------------------------------------
md(r"""
## Parameters

Resolved from the environment (see the table above). The default range ends at the newest trade of
the selected symbols, so a database filled by a replay of historical data is analysed where its data
is. `to` is exclusive; the default is 1 ms after the newest trade, so that trade is included.
""")

code(r"""
WINDOWS = {
    "1s": timedelta(seconds=1),
    "1m": timedelta(minutes=1),
    "5m": timedelta(minutes=5),
    "1h": timedelta(hours=1),
    "1d": timedelta(days=1),
}


def env(name):
    v = os.environ.get(name, "").strip()
    return v or None


def parse_time(name, text):
    try:
        t = datetime.fromisoformat(text)
    except ValueError as e:
        raise ValueError(f"{name}={text!r} is not an ISO-8601 timestamp: {e}") from None
    return t.replace(tzinfo=timezone.utc) if t.tzinfo is None else t.astimezone(timezone.utc)


WINDOW = (env("PAPERTAPE_NB_WINDOW") or "1m").lower()
if WINDOW not in WINDOWS:
    raise ValueError(f"PAPERTAPE_NB_WINDOW={WINDOW!r}: accepted {', '.join(WINDOWS)}")
WIDTH = WINDOWS[WINDOW]  # psycopg2 sends a timedelta as an SQL interval

if env("PAPERTAPE_NB_SYMBOLS"):
    SYMBOLS = [s.strip().upper() for s in env("PAPERTAPE_NB_SYMBOLS").split(",") if s.strip()]
else:
    SYMBOLS = list(query("SELECT symbol FROM symbols WHERE active ORDER BY symbol")["symbol"])

# Newest trade of the symbols: one index probe per symbol (trades_symbol_ts_desc), cheap on big tables.
NEWEST_TRADE_SQL = '''
SELECT max(newest.ts)
FROM unnest(%(symbols)s::text[]) AS s(symbol)
CROSS JOIN LATERAL (
  SELECT ts FROM trades WHERE trades.symbol = s.symbol ORDER BY ts DESC LIMIT 1
) AS newest
'''
newest = scalar(NEWEST_TRADE_SQL, {"symbols": SYMBOLS})
if newest is None:  # no trades (e.g. only metrics left after retention): the newest metric window
    newest = scalar('SELECT max(window_end) - interval \'1 millisecond\' FROM aggregated_metrics '
                    'WHERE symbol = ANY(%(symbols)s::text[])', {"symbols": SYMBOLS})
if newest is None:
    newest = datetime.now(timezone.utc)
newest = pd.Timestamp(newest).tz_convert("UTC").floor("ms").to_pydatetime()

TO = parse_time("PAPERTAPE_NB_TO", env("PAPERTAPE_NB_TO")) if env("PAPERTAPE_NB_TO") \
    else newest + timedelta(milliseconds=1)
FROM = parse_time("PAPERTAPE_NB_FROM", env("PAPERTAPE_NB_FROM")) if env("PAPERTAPE_NB_FROM") \
    else TO - timedelta(hours=24)
if FROM >= TO:
    raise ValueError(f"empty range: from {FROM.isoformat()} is not before to {TO.isoformat()}")

FIRST_SYMBOL_WITH_TRADES_SQL = '''
SELECT s.symbol
FROM unnest(%(symbols)s::text[]) WITH ORDINALITY AS s(symbol, ord)
WHERE EXISTS (SELECT 1 FROM trades t
              WHERE t.symbol = s.symbol AND t.ts >= %(from)s AND t.ts < %(to)s)
ORDER BY s.ord
LIMIT 1
'''
if env("PAPERTAPE_NB_SYMBOL"):
    SYMBOL = env("PAPERTAPE_NB_SYMBOL").upper()
else:
    SYMBOL = scalar(FIRST_SYMBOL_WITH_TRADES_SQL, {"symbols": SYMBOLS, "from": FROM, "to": TO}) \
        or (SYMBOLS[0] if SYMBOLS else None)

EXPORT = env("PAPERTAPE_NB_EXPORT")
PLOTS = Path(env("PAPERTAPE_NB_PLOTS") or Path.cwd() / "plots")  # nbconvert runs in the notebook's dir
PLOTS.mkdir(parents=True, exist_ok=True)
MAX_PLOT_CANDLES = 360  # the candle plot shows the newest candles only; the tables hold all of them

# The parameters every single-symbol query takes.
P = {"symbol": SYMBOL, "window": WINDOW, "width": WIDTH, "from": FROM, "to": TO}

print(f"symbols : {', '.join(SYMBOLS) or '(none)'}")
print(f"symbol  : {SYMBOL or '(none)'}")
print(f"window  : {WINDOW} ({WIDTH})")
print(f"range   : [{iso_ms(FROM)}, {iso_ms(TO)})")
print(f"plots   : {PLOTS}")
print(f"export  : {EXPORT or '(none)'}")


def save_plot(fig, name):
    path = PLOTS / f"{name}-{SYMBOL}-{WINDOW}.png"
    fig.savefig(path, dpi=100, bbox_inches="tight")
    plt.close(fig)
    display(Image(filename=str(path)))
    print(f"plot: {path}")


def time_axis(ax):
    loc = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(loc)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(loc, tz=timezone.utc))
""")

# ---------------------------------------------------------------------------------------------
md(r"""
## 1. Data overview

Per symbol: the trades in the range (count, volume, first and last, the `source`s that wrote them),
and the whole span of `trades` kept in the database (one index probe each way per symbol, so this is
cheap even on a large table). Then the `aggregated_metrics` rows in the range per symbol and window.
`approximate_row_count` reads TimescaleDB's statistics instead of counting the whole hypertable.
""")

code(r"""
OVERVIEW_TRADES_SQL = '''
SELECT s.symbol,
       r.trades, r.volume, r.first_in_range, r.last_in_range, r.sources,
       oldest.ts AS oldest_kept, newest.ts AS newest_kept
FROM unnest(%(symbols)s::text[]) AS s(symbol)
CROSS JOIN LATERAL (
  SELECT count(*) AS trades, coalesce(sum(size), 0)::bigint AS volume,
         min(ts) AS first_in_range, max(ts) AS last_in_range,
         string_agg(DISTINCT source, ', ' ORDER BY source) AS sources
  FROM trades
  WHERE trades.symbol = s.symbol AND ts >= %(from)s AND ts < %(to)s
) AS r
LEFT JOIN LATERAL (SELECT ts FROM trades WHERE trades.symbol = s.symbol ORDER BY ts ASC LIMIT 1) AS oldest ON true
LEFT JOIN LATERAL (SELECT ts FROM trades WHERE trades.symbol = s.symbol ORDER BY ts DESC LIMIT 1) AS newest ON true
ORDER BY s.symbol
'''

OVERVIEW_METRICS_SQL = '''
SELECT symbol, "window", count(*) AS rows, min(window_start) AS first_start, max(window_start) AS last_start
FROM aggregated_metrics
WHERE symbol = ANY(%(symbols)s::text[]) AND window_start >= %(from)s AND window_start < %(to)s
GROUP BY symbol, "window"
ORDER BY symbol, "window"
'''

approx = query("SELECT approximate_row_count('trades') AS trades, "
               "approximate_row_count('aggregated_metrics') AS aggregated_metrics")
print("approximate rows in the whole database:", approx.iloc[0].to_dict())

ov_params = {"symbols": SYMBOLS, "from": FROM, "to": TO}
overview = query(OVERVIEW_TRADES_SQL, ov_params)
metric_rows = query(OVERVIEW_METRICS_SQL, ov_params)

if overview.empty or (overview["trades"].sum() == 0 and metric_rows.empty):
    print(f"no data: no trades or metrics for {', '.join(SYMBOLS) or '(no symbols)'} "
          f"in [{iso_ms(FROM)}, {iso_ms(TO)})")
else:
    display(overview)
    if metric_rows.empty:
        print("no aggregated_metrics rows in the range")
    else:
        counts = metric_rows.pivot(index="symbol", columns="window", values="rows").fillna(0).astype(int)
        counts = counts[[w for w in WINDOWS if w in counts.columns]]
        print("aggregated_metrics rows in the range, per symbol and window:")
        display(counts)
""")

# ---------------------------------------------------------------------------------------------
md(r"""
## 2. Candles from raw trades

OHLC candles recomputed from `trades` with `time_bucket` for the chosen symbol and window — the same
definitions the Flink job uses: `open = first(price, ts)` (price of the earliest trade), `close =
last(price, ts)`, `high/low = max/min(price)`, `volume = sum(size)`, `vwap = round(Σ price·size / Σ
size, 8)` (half-up, like `Prices.round`), `trade_count = count(*)`.

A candle belongs to the range when its *window start* is in `[from, to)` — the same rule as for
`aggregated_metrics` below — so the trade filter is widened to whole buckets: from the bucket containing
`from` to the end of the bucket containing `to`. `time_bucket` of a constant is folded by the planner,
so chunk exclusion still applies.

The plot draws each candle as a vertical high–low line and an open–close bar (green when close ≥ open),
with the candle's VWAP as a line and the volume below.
""")

code(r"""
CANDLES_SQL = '''
SELECT window_start, window_start + %(width)s AS window_end,
       open, high, low, close, volume, vwap, trade_count, high - low AS price_range
FROM (
  SELECT time_bucket(%(width)s, ts) AS window_start,
         first(price, ts) AS open,
         max(price) AS high,
         min(price) AS low,
         last(price, ts) AS close,
         sum(size)::bigint AS volume,
         round(sum(price * size) / sum(size), 8) AS vwap,
         count(*) AS trade_count
  FROM trades
  WHERE symbol = %(symbol)s
    AND ts >= time_bucket(%(width)s, %(from)s::timestamptz)
    AND ts <  time_bucket(%(width)s, %(to)s::timestamptz) + %(width)s
  GROUP BY 1
) AS c
WHERE window_start >= %(from)s AND window_start < %(to)s
ORDER BY window_start
'''

candles = query(CANDLES_SQL, P)
if candles.empty:
    print(f"no data: no trades of {SYMBOL or '(no symbol)'} in [{iso_ms(FROM)}, {iso_ms(TO)})")
else:
    print(f"{len(candles)} {WINDOW} candles of {SYMBOL}; trades {candles['trade_count'].sum()}, "
          f"volume {candles['volume'].sum()}")
    display(candles.tail(15))
""")

code(r"""
def plot_candles(c):
    c = c.tail(MAX_PLOT_CANDLES)
    x = mdates.date2num(pd.to_datetime(c["window_start"], utc=True) + WIDTH / 2)  # candle centre
    width_days = WIDTH.total_seconds() / 86400 * 0.7
    o, h, l, cl = (floats(c[k]) for k in ("open", "high", "low", "close"))
    up = cl >= o
    colors = ["tab:green" if u else "tab:red" for u in up]
    fig, (ax, axv) = plt.subplots(2, 1, figsize=(13, 7), sharex=True,
                                  gridspec_kw={"height_ratios": [3, 1]})
    ax.vlines(x, l, h, colors=colors, linewidth=0.8)
    body = (cl - o).abs()
    body = body.where(body > 0, (h - l).max() * 0.002 or 1e-8)  # a doji still shows a tick
    ax.bar(x, body, width_days, bottom=pd.concat([o, cl], axis=1).min(axis=1), color=colors)
    ax.plot(x, floats(c["vwap"]), color="tab:blue", linewidth=1, label="VWAP (per candle)")
    ax.set_title(f"{SYMBOL} {WINDOW} candles from trades ({len(c)} newest shown)")
    ax.set_ylabel("price")
    ax.legend(loc="upper left")
    ax.grid(alpha=0.3)
    axv.bar(x, c["volume"].astype(float), width_days, color=colors)
    axv.set_ylabel("volume")
    axv.grid(alpha=0.3)
    time_axis(axv)
    save_plot(fig, "candles")


if candles.empty:
    print("no data: candle plot skipped")
else:
    plot_candles(candles)
""")

# ---------------------------------------------------------------------------------------------
md(r"""
## 3. VWAP vs price

From the pipeline's `aggregated_metrics` for the chosen window: each window's close against its VWAP,
and the deviation in basis points, `(close − vwap) / vwap · 10 000`. A positive deviation means the
window closed above its volume-weighted average price (buyers paid up late in the window); the
distribution of the deviation is a rough measure of intra-window drift.
""")

code(r"""
VWAP_SQL = '''
SELECT window_start, close, vwap,
       round((close - vwap) / vwap * 10000, 2) AS deviation_bps,
       volume, trade_count
FROM aggregated_metrics
WHERE symbol = %(symbol)s AND "window" = %(window)s
  AND window_start >= %(from)s AND window_start < %(to)s
ORDER BY window_start
'''

vwap = query(VWAP_SQL, P)
if vwap.empty:
    print(f"no data: no {WINDOW} aggregated_metrics of {SYMBOL or '(no symbol)'} in [{iso_ms(FROM)}, {iso_ms(TO)})")
else:
    dev = floats(vwap["deviation_bps"])
    print(f"{len(vwap)} windows; deviation bps: mean {dev.mean():.2f}, mean |dev| {dev.abs().mean():.2f}, "
          f"std {dev.std():.2f}, min {dev.min():.2f}, max {dev.max():.2f}; "
          f"closed above VWAP in {(dev > 0).mean():.0%} of windows")
    display(vwap.tail(10))

    fig, (ax, axd) = plt.subplots(2, 1, figsize=(13, 6), sharex=True,
                                  gridspec_kw={"height_ratios": [2, 1]})
    t = pd.to_datetime(vwap["window_start"], utc=True)
    ax.plot(t, floats(vwap["close"]), label="close", linewidth=1)
    ax.plot(t, floats(vwap["vwap"]), label="VWAP", linewidth=1)
    ax.set_title(f"{SYMBOL} {WINDOW}: close vs VWAP (aggregated_metrics)")
    ax.set_ylabel("price")
    ax.legend(loc="upper left")
    ax.grid(alpha=0.3)
    axd.fill_between(t, dev, 0, where=dev >= 0, color="tab:green", step="mid", alpha=0.6)
    axd.fill_between(t, dev, 0, where=dev < 0, color="tab:red", step="mid", alpha=0.6)
    axd.axhline(0, color="black", linewidth=0.5)
    axd.set_ylabel("close − VWAP (bps)")
    axd.grid(alpha=0.3)
    time_axis(axd)
    save_plot(fig, "vwap-deviation")
""")

# ---------------------------------------------------------------------------------------------
md(r"""
## 4. Volume profile

Traded volume by price level over the range: the price span `[min, max]` of the symbol's trades is cut
into `PROFILE_BINS` equal levels with `width_bucket` (the maximum price, which `width_bucket` puts in
bucket `n + 1`, is folded into the top level; a range with a single price is one level). The level with
the most volume is the *point of control* (POC); the *value area* is the contiguous block of levels
around it holding 70 % of the volume (grown from the POC one level at a time, always towards the busier
neighbour). Levels without trades are absent from the table. The range's VWAP is drawn for reference.
""")

code(r"""
PROFILE_BINS = 40

PROFILE_SQL = '''
WITH t AS (
  SELECT price, size FROM trades
  WHERE symbol = %(symbol)s AND ts >= %(from)s AND ts < %(to)s
), b AS (
  SELECT min(price) AS lo, max(price) AS hi, round(sum(price * size) / sum(size), 8) AS range_vwap FROM t
)
SELECT l.level,
       round(b.lo + (b.hi - b.lo) * (l.level - 1) / %(bins)s, 8) AS price_low,
       round(b.lo + (b.hi - b.lo) * l.level / %(bins)s, 8) AS price_high,
       sum(t.size)::bigint AS volume,
       count(*) AS trades,
       round(100.0 * sum(t.size) / sum(sum(t.size)) OVER (), 2) AS volume_pct,
       b.range_vwap
FROM t CROSS JOIN b
CROSS JOIN LATERAL (
  SELECT CASE WHEN b.hi = b.lo THEN 1
              ELSE least(width_bucket(t.price, b.lo, b.hi, %(bins)s), %(bins)s) END AS level
) AS l
GROUP BY l.level, b.lo, b.hi, b.range_vwap
ORDER BY l.level
'''

profile = query(PROFILE_SQL, {**P, "bins": PROFILE_BINS})
if profile.empty:
    print(f"no data: no trades of {SYMBOL or '(no symbol)'} in [{iso_ms(FROM)}, {iso_ms(TO)}); volume profile skipped")
else:
    poc_i = int(profile["volume"].idxmax())  # row position: profile is ordered by level, index 0..n-1
    poc = profile.loc[poc_i]
    # Value area: grow a contiguous block from the POC, always adding the busier neighbouring level.
    vols, total = list(profile["volume"]), profile["volume"].sum()
    lo_i = hi_i = poc_i
    while sum(vols[lo_i:hi_i + 1]) < 0.70 * total:
        below = vols[lo_i - 1] if lo_i > 0 else -1
        above = vols[hi_i + 1] if hi_i + 1 < len(vols) else -1
        if above >= below:
            hi_i += 1
        else:
            lo_i -= 1
    value_area = profile.iloc[lo_i:hi_i + 1]
    print(f"POC: {poc['price_low']} – {poc['price_high']} ({poc['volume_pct']} % of volume); "
          f"value area (70 %): {value_area['price_low'].min()} – {value_area['price_high'].max()} "
          f"in {len(value_area)} of {len(profile)} levels; range VWAP {profile['range_vwap'].iloc[0]}")
    display(profile.drop(columns="range_vwap"))

    lo, hi = floats(profile["price_low"]), floats(profile["price_high"])
    mid, height = (lo + hi) / 2, (hi - lo)
    height = height.where(height > 0, max(float(profile["price_low"].iloc[0]) * 1e-4, 1e-8))
    in_va = profile["level"].isin(value_area["level"])
    colors = ["tab:orange" if lv == poc["level"] else ("tab:blue" if va else "lightsteelblue")
              for lv, va in zip(profile["level"], in_va)]
    fig, ax = plt.subplots(figsize=(9, 7))
    ax.barh(mid, profile["volume"].astype(float), height=height * 0.9, color=colors)
    ax.axhline(float(profile["range_vwap"].iloc[0]), color="black", linestyle="--", linewidth=1,
               label="VWAP of the range")
    ax.set_title(f"{SYMBOL} volume profile, {iso_ms(FROM)} – {iso_ms(TO)}\n"
                 "orange: POC, blue: value area (70 %)")
    ax.set_xlabel("volume")
    ax.set_ylabel("price")
    ax.legend(loc="lower right")
    ax.grid(alpha=0.3, axis="x")
    save_plot(fig, "volume-profile")
""")

# ---------------------------------------------------------------------------------------------
md(r"""
## 5. Intraday volatility

Realised volatility per hour from 1-minute log returns, all in SQL: 1-minute closes from `trades`
(`last(price, ts)` per `time_bucket('1 minute')`, independent of the chosen window), the log return
`ln(close / lag(close) OVER (ORDER BY minute))`, kept only when the previous minute is exactly one
minute earlier (a gap of minutes without trades would otherwise be counted as one minute), then per
`time_bucket('1 hour')` the sample standard deviation of the returns.

**Annualisation**: returns are assumed independent, so variance scales with time and
σ_year = σ_1m · √(minutes per year). `MINUTES_PER_YEAR` is 252 trading days × 390 minutes (a US
equity session, 6.5 h) = 98 280, so the factor is ≈ 313.5. For a market that trades around the clock
(e.g. the 24/7 simulator) use 365 × 1440 = 525 600 (factor ≈ 725); the hourly σ_1m column does not
depend on that choice. Hours with fewer than 2 returns have no standard deviation.
""")

code(r"""
MINUTES_PER_YEAR = 252 * 390

VOLATILITY_SQL = '''
WITH m AS (
  SELECT time_bucket('1 minute', ts) AS minute, last(price, ts) AS close
  FROM trades
  WHERE symbol = %(symbol)s AND ts >= %(from)s AND ts < %(to)s
  GROUP BY 1
), r AS (
  SELECT minute,
         lag(minute) OVER w AS prev_minute,
         ln(close / lag(close) OVER w) AS log_return
  FROM m
  WINDOW w AS (ORDER BY minute)
)
SELECT time_bucket('1 hour', minute) AS hour,
       count(*) AS returns,
       round(stddev_samp(log_return) * 10000, 4) AS stddev_1m_bps,
       round(stddev_samp(log_return) * sqrt(%(minutes_per_year)s::numeric) * 100, 2) AS annualised_vol_pct,
       round(sum(log_return) * 10000, 2) AS hour_return_bps
FROM r
WHERE prev_minute = minute - interval '1 minute'
GROUP BY 1
ORDER BY 1
'''

vol = query(VOLATILITY_SQL, {**P, "minutes_per_year": MINUTES_PER_YEAR})
if vol.empty:
    print(f"no data: no consecutive 1-minute closes of {SYMBOL or '(no symbol)'} in [{iso_ms(FROM)}, {iso_ms(TO)})")
else:
    display(vol)
    v = vol.dropna(subset=["annualised_vol_pct"])
    if v.empty:
        print("no data: no hour has 2 or more returns; plot skipped")
    else:
        fig, ax = plt.subplots(figsize=(12, 4.5))
        t = pd.to_datetime(v["hour"], utc=True) + pd.Timedelta(minutes=30)
        ax.bar(t, floats(v["annualised_vol_pct"]), width=0.8 / 24, color="tab:purple")
        ax.set_title(f"{SYMBOL}: hourly realised volatility of 1-minute log returns, annualised "
                     f"(√{MINUTES_PER_YEAR} min/year)")
        ax.set_ylabel("annualised volatility (%)")
        ax.grid(alpha=0.3, axis="y")
        time_axis(ax)
        save_plot(fig, "volatility")
""")

# ---------------------------------------------------------------------------------------------
md(r"""
## 6. Cross-check: stored metrics vs recomputation

The pipeline's `aggregated_metrics` rows for the chosen symbol and window, full-joined on
`window_start` with the recomputation from `trades` (section 2's query). A row mismatches when it is
missing on either side or any of `window_end, open, high, low, close, volume, vwap, trade_count,
price_range` differs (`IS DISTINCT FROM`; numerics compare by value, so `250.5 = 250.50000000`).

Expect **0**, except for:
* windows containing **late trades** — trades later than the job's allowed lateness are written to
  `trades` but dropped from the window (they go to the `trades-late` topic), so the stored volume /
  count is smaller;
* the **newest window(s)** while the pipeline is live: not yet closed by the watermark, so missing in
  `aggregated_metrics`;
* windows past **retention** on one side (`papertape_apply_retention` keeps 30 days of trades and
  7 days of 1 s metrics);
* trades with **equal timestamps** at a window's edge: Flink keeps the first *arrived* as open and the
  last arrived as close; `first/last(price, ts)` may pick the other one.
""")

code(r"""
STORED_SQL = '''
SELECT window_start, window_end, open, high, low, close, volume, vwap, trade_count, price_range
FROM aggregated_metrics
WHERE symbol = %(symbol)s AND "window" = %(window)s
  AND window_start >= %(from)s AND window_start < %(to)s
ORDER BY window_start
'''

# The recomputation is section 2's CANDLES_SQL, embedded as a CTE (SQL text only; values are parameters).
CROSSCHECK_SQL = '''
WITH stored AS (''' + STORED_SQL + '''),
recomputed AS (''' + CANDLES_SQL + ''')
SELECT coalesce(s.window_start, r.window_start) AS window_start,
       CASE WHEN s.window_start IS NULL THEN 'missing in aggregated_metrics'
            WHEN r.window_start IS NULL THEN 'no trades in trades'
            ELSE 'values differ' END AS issue,
       s.open AS stored_open, r.open AS trades_open,
       s.high AS stored_high, r.high AS trades_high,
       s.low AS stored_low, r.low AS trades_low,
       s.close AS stored_close, r.close AS trades_close,
       s.volume AS stored_volume, r.volume AS trades_volume,
       s.vwap AS stored_vwap, r.vwap AS trades_vwap,
       s.trade_count AS stored_count, r.trade_count AS trades_count,
       s.window_end AS stored_end, r.window_end AS trades_end,
       s.price_range AS stored_range, r.price_range AS trades_range
FROM stored s
FULL JOIN recomputed r ON r.window_start = s.window_start
WHERE s.window_start IS NULL OR r.window_start IS NULL
   OR (s.window_end, s.open, s.high, s.low, s.close, s.volume, s.vwap, s.trade_count, s.price_range)
      IS DISTINCT FROM
      (r.window_end, r.open, r.high, r.low, r.close, r.volume, r.vwap, r.trade_count, r.price_range)
ORDER BY 1
'''

stored = query(STORED_SQL, P)
mismatch_rows = query(CROSSCHECK_SQL, P)
MISMATCHES = len(mismatch_rows)

if stored.empty and candles.empty:
    print(f"no data: neither {WINDOW} aggregated_metrics nor trades of {SYMBOL or '(no symbol)'} in the range; 0 mismatches")
else:
    print(f"{len(stored)} stored {WINDOW} windows, {len(candles)} recomputed from trades: "
          f"{MISMATCHES} mismatching")
    if MISMATCHES:
        FIELDS = ["open", "high", "low", "close", "volume", "vwap", "count", "end", "range"]

        def differing(row):
            if row["issue"] != "values differ":
                return ""
            return ", ".join(f for f in FIELDS if row[f"stored_{f}"] != row[f"trades_{f}"])

        mismatch_rows.insert(2, "fields", mismatch_rows.apply(differing, axis=1))
        display(mismatch_rows.groupby("issue").size().rename("windows").to_frame())
        display(mismatch_rows.head(50))
""")

# ---------------------------------------------------------------------------------------------
md(r"""
## Export

When `PAPERTAPE_NB_EXPORT` is set, a JSON summary is written there: the stored candles
(`aggregated_metrics`, window start in `[from, to)`, oldest first), the same candles recomputed from
`trades`, and the mismatch count of section 6. Times are ISO-8601 UTC with milliseconds; prices are
plain decimal strings with trailing zeros stripped (exact, never floats); volume and trade count are
integers.
""")

code(r"""
def candle_json(df):
    return [
        {
            "windowStart": iso_ms(r.window_start),
            "open": dec_str(r.open),
            "high": dec_str(r.high),
            "low": dec_str(r.low),
            "close": dec_str(r.close),
            "volume": int(r.volume),
            "vwap": dec_str(r.vwap),
            "tradeCount": int(r.trade_count),
        }
        for r in df.itertuples(index=False)
    ]


if EXPORT:
    summary = {
        "symbol": SYMBOL,
        "window": WINDOW,
        "from": iso_ms(FROM),
        "to": iso_ms(TO),
        "candles": candle_json(stored),
        "recomputedCandles": candle_json(candles),
        "mismatches": int(MISMATCHES),
    }
    out = Path(EXPORT)
    if out.parent != Path(""):
        out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(summary, indent=2) + "\n")
    print(f"exported {len(summary['candles'])} stored and {len(summary['recomputedCandles'])} "
          f"recomputed candles, {MISMATCHES} mismatches to {out.resolve()}")
else:
    print("PAPERTAPE_NB_EXPORT not set: nothing exported")

conn.close()
""")

# Stable cell ids (nbformat would draw random ones), so regenerating gives an identical file.
for i, cell in enumerate(cells):
    cell["id"] = f"cell-{i:02d}"
nb = new_notebook(cells=cells)
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
nb.metadata["language_info"] = {"name": "python"}
nbformat.validate(nb)
nbformat.write(nb, str(OUT))
print(f"wrote {OUT.relative_to(Path.cwd()) if OUT.is_relative_to(Path.cwd()) else OUT} ({len(cells)} cells)")
