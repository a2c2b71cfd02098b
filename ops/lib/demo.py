"""./papertape demo: the roadmap's scenario on the running local stack, narrated step by step.

Four symbols stream; a user gets a fresh paper portfolio and makes a few trades at market; the
vwap-deviation strategy is activated on TSLA with autoExecute; the feed is switched to its `demo`
scenario (TSLA dips 6 % below its path and recovers, DipScenario in market-feed); the strategy's BUY
arrives on /stream/signals, is stored in `signals`, and is traded once for the user (a replay of
the signal trades nothing); the portfolio shows its P&L. The normal feed is put back at the end,
also on Ctrl-C or a failure. Every step says what it did and what it saw; the exit status is 0 only
if every step happened, so the run doubles as the end-to-end check of the strategy path.

Run by ops/lib/demo.sh (cmd_demo) with Debian's python3 (psycopg2) and the settings in the
environment: PAPERTAPE_* plus LOCAL_ADDRESS, CHAOS_SUPCTL_CONF (supervisord's configuration),
DEMO_FEED_LAUNCHER and DEMO_FEED_LOG (the feed part's launcher and log; demo.sh wrote the launchers
DEMO_FEED_LAUNCHER.demo-scenario and .demo-normal next to it, both continuing from
DEMO_START_PRICES), DEMO_USER and DEMO_API_KEY (the user the demo trades for and a key of theirs,
revoked by demo.sh afterwards).
"""

import argparse
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import OrderedDict
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import chaos  # noqa: E402  (shared helpers: say, stamp, supctl, http_status, failing_parts, query)
from chaos import API, ENV, FEED_HEALTH, failing_parts, http_status, query, say, supctl  # noqa: E402

KEY = ENV.get("DEMO_API_KEY", "")
USER = ENV.get("DEMO_USER", "demo")
LAUNCHER = ENV["DEMO_FEED_LAUNCHER"]
# present while the feed runs the demo scenario (demo.sh puts the normal feed back if it remains)
SWITCHED = LAUNCHER + ".demo-switched"
FEED_LOG = ENV["DEMO_FEED_LOG"]
SIGNALS_TOPIC = ENV.get("PAPERTAPE_SIGNALS_TOPIC", "price-alerts")
SYMBOL = "TSLA"
# the instance the demo activates; DipScenarioTest (market-feed) proves these fire once on the dip
PARAMS = OrderedDict([("window", "1s"), ("lookback", 30), ("thresholdPct", 3.5)])
QUANTITY = 10
STARTING_CASH = 100000
MANUAL_TRADES = [("AAPL", 10), ("MSFT", 5), ("GOOGL", 20)]
PCT = Decimal("0.0001")
CENT = Decimal("0.01")


class Failed(Exception):
    """A step did not happen: the message says what was expected, what was seen, what to do."""


class Deadline:
    def __init__(self, seconds):
        self.end = time.time() + seconds
        self.seconds = seconds

    def left(self, at_most=None):
        left = max(0.0, self.end - time.time())
        return left if at_most is None else min(left, at_most)

    def check(self, what):
        if time.time() >= self.end:
            raise Failed(f"the demo's --timeout of {self.seconds} s ran out while {what}")


# ------------------------------------------------------------------------------------------------
# HTTP and streams
# ------------------------------------------------------------------------------------------------
def api(method, path, body=None, auth=True, headers=None, timeout=10):
    """(status, JSON or text) of one API request; never raises for an HTTP error status."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(API + path, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if auth:
        req.add_header("X-Api-Key", KEY)
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            status, raw = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, raw = e.code, e.read()
    except OSError as e:
        raise Failed(f"{method} {path}: no answer from the API at {API} ({e})") from e
    text = raw.decode("utf-8", "replace")
    try:
        return status, json.loads(text, parse_float=Decimal) if text else None
    except ValueError:
        return status, text


def problem(answer):
    """A problem detail (or any answer) in one line."""
    status, body = answer
    if isinstance(body, dict):
        return f"{status} {body.get('type', '')}: {body.get('detail', body)}"
    return f"{status} {str(body)[:300]}"


class Stream(threading.Thread):
    """The events of one SSE route, as (event, id, data as JSON, data as sent) on a queue;
    reconnects (with Last-Event-ID) until stopped."""

    def __init__(self, path):
        super().__init__(daemon=True)
        self.path = path
        self.events = queue.Queue()
        self.stopping = threading.Event()
        self.last_id = None
        self.connected = threading.Event()
        self.error = None

    def run(self):
        while not self.stopping.is_set():
            req = urllib.request.Request(API + self.path)
            if self.last_id:
                req.add_header("Last-Event-ID", self.last_id)
            try:
                with urllib.request.urlopen(req, timeout=30) as r:
                    self.connected.set()
                    event, eid, data = None, None, []
                    while not self.stopping.is_set():
                        line = r.readline()
                        if not line:
                            break
                        line = line.decode("utf-8", "replace").rstrip("\r\n")
                        if line == "":
                            if data:
                                try:
                                    raw = "\n".join(data)
                                    parsed = json.loads(raw, parse_float=Decimal)
                                    self.events.put((event, eid, parsed, raw))
                                except ValueError:
                                    pass
                                if eid:
                                    self.last_id = eid
                            event, eid, data = None, None, []
                        elif line.startswith("event:"):
                            event = line[6:].strip()
                        elif line.startswith("id:"):
                            eid = line[3:].strip()
                        elif line.startswith("data:"):
                            data.append(line[5:].lstrip())
            except (OSError, ValueError) as e:
                self.error = str(e)
            self.stopping.wait(1)

    def get(self, timeout):
        try:
            return self.events.get(timeout=max(0.01, timeout))
        except queue.Empty:
            return None

    def stop(self):
        self.stopping.set()


def wait_until(deadline, seconds, what, probe, every=0.5):
    """probe() until it returns something truthy, at most `seconds` (and the demo's deadline)."""
    end = time.time() + deadline.left(seconds)
    while True:
        value = probe()
        if value:
            return value
        if time.time() >= end:
            deadline.check(what)
            raise Failed(f"{what}: nothing after {seconds} s")
        time.sleep(every)


def money(v):
    return f"{Decimal(str(v)).quantize(CENT, ROUND_HALF_UP):,}"


def num(v):
    """A price as written (trailing zeros dropped, at least the cents): 189.898988, 249.63."""
    if v is None:
        return "-"
    d = Decimal(str(v)).normalize()
    return f"{d.quantize(CENT) if d.as_tuple().exponent > -2 else d:f}"


def hms(iso):
    return iso[11:19] if isinstance(iso, str) and len(iso) >= 19 else str(iso)


def parse_ts(iso):
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def prometheus_counter(name, **labels):
    """The sum of a counter's samples with these labels on /actuator/prometheus (None: not there)."""
    status, body = api("GET", "/actuator/prometheus", auth=False)
    if status != 200 or not isinstance(body, str):
        return None
    total = None
    for line in body.splitlines():
        if not line.startswith(name):
            continue
        if all(f'{k}="{v}"' in line for k, v in labels.items()):
            try:
                total = (total or 0) + float(line.rsplit(" ", 1)[1])
            except ValueError:
                continue
    return total


# ------------------------------------------------------------------------------------------------
# the feed part: switched to the scenario through supervisord, put back at the end
# ------------------------------------------------------------------------------------------------
def feed_symbols():
    return [s.strip().upper() for s in
            ENV.get("PAPERTAPE_FEED_SYMBOLS", "AAPL,GOOGL,MSFT,TSLA").split(",") if s.strip()]


def install_launcher(source):
    """The feed part's launcher replaced by `source`, one of those demo.sh prepared."""
    tmp = LAUNCHER + ".demo-tmp"
    with open(source) as f, open(tmp, "w") as g:
        g.write(f.read())
    os.chmod(tmp, 0o700)
    os.replace(tmp, LAUNCHER)


def restart_feed(deadline, why):
    """Restarts the feed part through supervisord; waits until it is healthy."""
    started = time.time()
    done = supctl("restart", "feed")
    if done.returncode != 0 or "ERROR" in done.stdout:
        raise Failed(f"supervisorctl restart feed ({why}): {done.stdout.strip()} {done.stderr.strip()}"
                     " (./papertape logs feed)")
    wait_until(deadline, 60, f"the feed healthy again after its restart ({why}; ./papertape logs feed)",
               lambda: http_status(FEED_HEALTH) == 200)
    pid = supctl("pid", "feed").stdout.strip()
    return pid, time.time() - started


def switch_feed_to_scenario(deadline):
    with open(SWITCHED, "w") as f:
        f.write(f"{os.getpid()}\n")
    install_launcher(LAUNCHER + ".demo-scenario")
    log_from = os.path.getsize(FEED_LOG) if os.path.exists(FEED_LOG) else 0
    pid, took = restart_feed(deadline, "to the demo scenario")
    return pid, took, log_from


def restore_feed(deadline):
    """The normal feed back; None when the feed was not switched."""
    if not os.path.exists(SWITCHED):
        return None
    install_launcher(LAUNCHER + ".demo-normal")
    restored = restart_feed(deadline, "back to the normal feed")
    os.remove(SWITCHED)
    return restored


def scenario_line(log_from, deadline):
    """The feed's log line announcing the dip: (when it starts as epoch seconds, its text)."""

    def find():
        try:
            with open(FEED_LOG, errors="replace") as f:
                f.seek(log_from)
                for line in f:
                    try:
                        message = json.loads(line).get("message", "")
                    except ValueError:
                        message = line
                    m = re.search(r"scenario demo: (.*); the dip starts at about (\S+)", message)
                    if m:
                        return parse_ts(m.group(2)), m.group(1)
        except OSError:
            return None
        return None

    return wait_until(deadline, 20, f"the feed announcing its demo scenario in {FEED_LOG}", find)


# ------------------------------------------------------------------------------------------------
# the steps
# ------------------------------------------------------------------------------------------------
STEPS = 10


def step(n, title):
    say()
    say(f"[{n}/{STEPS}] {title}")


def saw(text):
    say(f"      {text}")


def symbols_streaming(deadline):
    step(1, "Four symbols stream live prices (GET /symbols, /stream/trades)")
    wanted = feed_symbols()
    if SYMBOL not in wanted:
        raise Failed(f"the feed does not simulate {SYMBOL} (PAPERTAPE_FEED_SYMBOLS={','.join(wanted)});"
                     f" the demo's scenario needs it")
    trades = Stream("/stream/trades?symbols=" + ",".join(wanted))
    trades.start()
    seen, last = {s: 0 for s in wanted}, {}
    end = time.time() + deadline.left(4)
    while time.time() < end:
        e = trades.get(end - time.time())
        if e and e[0] == "trades" and e[2].get("symbol") in seen:
            seen[e[2]["symbol"]] += 1
            last[e[2]["symbol"]] = e[2]["price"]
    trades.stop()
    for s in wanted:
        saw(f"{s:<6} {seen[s]:>3} trades in 4 s, last {last.get(s, '-')}")
    silent = [s for s in wanted if not seen[s]]
    if silent:
        raise Failed(f"no trade of {', '.join(silent)} on /stream/trades within 4 s: is the feed"
                     " producing? (./papertape status, ./papertape logs feed)")
    return wanted


def fresh_portfolio():
    step(2, f"User '{USER}' with a fresh paper portfolio (POST /portfolio/init, /portfolio/reset)")
    answer = api("POST", "/portfolio/init", {"startingCash": STARTING_CASH})
    if answer[0] == 201:
        saw(f"created: cash {money(answer[1]['cash'])} {answer[1]['currency']}")
        return answer[1]
    if answer[0] != 200:
        raise Failed(f"POST /portfolio/init: {problem(answer)}")
    answer = api("POST", "/portfolio/reset", {"startingCash": STARTING_CASH})
    if answer[0] != 200:
        raise Failed(f"POST /portfolio/reset: {problem(answer)}")
    p = answer[1]
    saw(f"existing portfolio reset: epoch {p['epoch']} (earlier orders and fills are kept in their"
        f" epochs), cash {money(p['cash'])} {p['currency']}, no positions")
    return p


def manual_trades(run, symbols):
    step(3, "A few paper trades at market (POST /portfolio/trade)")
    for symbol, qty in MANUAL_TRADES:
        if symbol not in symbols:
            continue
        answer = api("POST", "/portfolio/trade",
                     {"symbol": symbol, "side": "BUY", "quantity": qty, "type": "MARKET"},
                     headers={"Idempotency-Key": f"{run}-{symbol}"})
        if answer[0] not in (200, 201) or answer[1].get("status") != "FILLED":
            raise Failed(f"BUY {qty} {symbol} at market: {problem(answer)}")
        fill = answer[1]["fills"][0]
        saw(f"BUY {qty:>3} {symbol:<5} filled at {num(fill['price'])} (market {num(fill['marketPrice'])}"
            f" + slippage {num(fill['slippage'])}), commission {money(fill['commission'])},"
            f" cash after {money(fill['cashAfter'])}")


def activate(strategy_id):
    step(4, f"Activate vwap-deviation on {SYMBOL} with autoExecute (POST /strategies)")
    body = {"id": strategy_id, "strategy": "vwap-deviation", "params": PARAMS,
            "symbols": [SYMBOL], "autoExecute": True,
            "sizing": {"mode": "quantity", "value": QUANTITY}}
    answer = api("POST", "/strategies", body)
    if answer[0] == 503:
        saw(f"Kafka did not acknowledge in time; stored and published by the API itself:"
            f" {problem(answer)}")
    elif answer[0] not in (200, 201):
        raise Failed(f"POST /strategies: {problem(answer)}")
    saw(f"instance {strategy_id}: window {PARAMS['window']}, lookback {PARAMS['lookback']},"
        f" thresholdPct {PARAMS['thresholdPct']}: BUY when a 1s close falls more than"
        f" {PARAMS['thresholdPct']} % below the VWAP of the last {PARAMS['lookback']} windows")
    saw(f"autoExecute: each signal places a MARKET order for {USER}, {QUANTITY} shares"
        f" (Idempotency-Key signal-<signal id>)")
    saw(f"it warms up on the next {PARAMS['lookback']} one-second windows of {SYMBOL}")


class Rolling:
    """TSLA's rolling VWAP over the last N 1s windows, as the strategy computes it (for narration)."""

    def __init__(self, n):
        self.n = n
        self.windows = OrderedDict()

    def add(self, m):
        self.windows[m["windowStart"]] = (Decimal(str(m["vwap"])), Decimal(m["volume"]))
        while len(self.windows) > self.n:
            self.windows.popitem(last=False)

    def deviation(self, close):
        last = list(self.windows.values())[-self.n:]
        volume = sum(v for _, v in last)
        if not volume:
            return None, None
        vwap = sum(p * v for p, v in last) / volume
        return vwap, (Decimal(str(close)) - vwap) / vwap * 100


def the_dip(deadline, strategy_id, signals, metrics):
    step(5, "Switch the feed to its demo scenario (supervisorctl restart feed)")
    status, hist = api("GET", f"/symbols/{SYMBOL}/history?window=1s&limit={PARAMS['lookback']}",
                       auth=False)
    rolling = Rolling(PARAMS["lookback"])
    if status == 200 and isinstance(hist, dict):
        for bar in reversed(hist.get("bars", [])):
            rolling.add(bar)
    pid, took, log_from = switch_feed_to_scenario(deadline)
    saw(f"feed restarted with PAPERTAPE_FEED_SCENARIO=demo in {took:.1f} s (pid {pid}), continuing"
        f" from the last prices ({ENV.get('DEMO_START_PRICES', '-')})")
    dip_at, what = scenario_line(log_from, deadline)
    saw(f"the feed says: {what}")
    saw(f"{SYMBOL} starts to dip at about {chaos.stamp(dip_at)} UTC, in {dip_at - time.time():.0f} s")

    step(6, f"{SYMBOL} dips below its rolling VWAP (1s windows on /stream/metrics)")
    saw(f"{'window':<9} {'close':>10} {'rolling VWAP':>14} {'deviation':>10}")
    shown = 0
    buy = None
    end = dip_at + 40
    while buy is None:
        deadline.check(f"waiting for the BUY of {strategy_id}")
        if time.time() > end:
            raise Failed(f"no BUY from {strategy_id} on /stream/signals within 40 s after the dip"
                         f" began at {chaos.stamp(dip_at)} (./papertape logs flink; kcat -C -t"
                         f" {SIGNALS_TOPIC} -o -5 -e; ./papertape psql -c \"select * from signals"
                         f" order by ts desc limit 5\")")
        e = metrics.get(0.2)
        if e and e[0] == "metrics" and e[2].get("window") == "1s" and e[2].get("symbol") == SYMBOL:
            m = e[2]
            rolling.add(m)
            vwap, dev = rolling.deviation(m["close"])
            near = -4 < parse_ts(m["windowStart"]) - dip_at < 12
            if dev is not None and (near or shown % 5 == 0):
                flag = "  <- below the band" if dev < -Decimal(str(PARAMS["thresholdPct"])) else ""
                saw(f"{hms(m['windowStart']):<9} {num(m['close']):>10} {vwap.quantize(PCT):>14}"
                    f" {dev.quantize(PCT):>9}%{flag}")
            shown += 1
        while True:
            s = signals.get(0)
            if s is None:
                break
            if s[0] == "signals" and s[2].get("source") == strategy_id:
                if s[2].get("side") == "BUY":
                    buy = s
                    break
                saw(f"(a {s[2].get('side')} from {strategy_id}: {s[2].get('reason')})")
    return buy, dip_at


def the_signal(deadline, buy, strategy_id):
    step(7, "The BUY signal: on /stream/signals (from price-alerts) and in the signals table")
    saw(f"event {buy['id']} at {hms(buy['ts'])}: {buy['side']} {buy['symbol']} at {buy['price']}")
    saw(f"reason: {buy['reason']}")
    row = wait_until(deadline, 15, f"the signal {buy['id']} in the signals table", lambda: query(
        "SELECT to_char(ts AT TIME ZONE 'UTC', 'HH24:MI:SS'), source, side, price::text,"
        " to_char(stored_at AT TIME ZONE 'UTC', 'HH24:MI:SS.MS') FROM signals WHERE id = %s",
        buy["id"]))
    ts, source, side, price, stored = row[0]
    if (source, side) != (strategy_id, "BUY"):
        raise Failed(f"the signals row of {buy['id']} is {source} {side}, not {strategy_id} BUY")
    saw(f"signals row: ts {ts}, source {source}, side {side}, price {num(price)}, stored at {stored}")


def the_auto_trade(deadline, buy):
    step(8, "The auto-trade: one MARKET order for the signal, filled in the portfolio")
    row = wait_until(deadline, 20, f"the auto-trade of {buy['id']} (table signal_orders)", lambda: query(
        "SELECT outcome, order_id::text, quantity, reason FROM signal_orders WHERE signal_id = %s",
        buy["id"]))
    outcome, order_id, qty, reason = row[0]
    if outcome != "filled":
        raise Failed(f"the signal was not traded: signal_orders says {outcome} ({reason});"
                     " see ./papertape logs api")
    answer = api("GET", f"/portfolio/orders/{order_id}")
    if answer[0] != 200:
        raise Failed(f"GET /portfolio/orders/{order_id}: {problem(answer)}")
    order = answer[1]
    fills = order.get("fills") or []
    if order["status"] != "FILLED" or len(fills) != 1:
        raise Failed(f"order {order_id} is {order['status']} with {len(fills)} fills, expected one fill")
    f = fills[0]
    saw(f"order {order_id}: {order['side']} {order['quantity']} {order['symbol']} {order['type']},"
        f" Idempotency-Key {order['idempotencyKey']}")
    saw(f"filled at {num(f['price'])} (market {num(f['marketPrice'])} + slippage {num(f['slippage'])}),"
        f" cash after {money(f['cashAfter'])}, position {f['positionAfter']}")
    counts(buy["id"], order_id, "once")
    return order


def counts(signal_id, order_id, label):
    n_rows, n_orders, n_fills = query(
        "SELECT (SELECT count(*) FROM signal_orders WHERE signal_id = %s),"
        " (SELECT count(*) FROM orders WHERE idempotency_key = %s),"
        " (SELECT count(*) FROM paper_trades WHERE order_id = %s::uuid)",
        signal_id, "signal-" + signal_id, order_id)[0]
    if (n_rows, n_orders, n_fills) != (1, 1, 1):
        raise Failed(f"expected exactly one signal_orders row, one order and one fill for signal"
                     f" {signal_id}; found {n_rows}, {n_orders}, {n_fills}")
    saw(f"traded {label}: 1 signal_orders row, 1 order with Idempotency-Key signal-{signal_id[:8]}…,"
        " 1 fill")


def the_replay(deadline, buy, raw, order, signals):
    step(9, f"Replay the signal on {SIGNALS_TOPIC}: it must not trade again")
    before = prometheus_counter("papertape_autoexecute_signals_total", outcome="duplicate") or 0
    payload = raw
    done = subprocess.run(["kcat", "-P", "-b", ENV["PAPERTAPE_KAFKA_BOOTSTRAP"], "-t", SIGNALS_TOPIC,
                           "-k", buy["symbol"]], input=payload, capture_output=True, text=True,
                          check=False, timeout=30)
    if done.returncode != 0:
        raise Failed(f"kcat could not produce the replay to {SIGNALS_TOPIC}: {done.stderr.strip()}")
    saw(f"produced the same signal again (id {buy['id']}) to {SIGNALS_TOPIC} with kcat")

    def seen_again():
        e = signals.get(0.2)
        return e is not None and e[0] == "signals" and e[2].get("id") == buy["id"]

    wait_until(deadline, 15, "the replayed signal on /stream/signals", seen_again, every=0)
    saw("the API received it again (/stream/signals shows it a second time)")
    after = wait_until(deadline, 15, "the auto-executor counting the replay as a duplicate",
                       lambda: (lambda v: v if v is not None and v > before else None)(
                           prometheus_counter("papertape_autoexecute_signals_total",
                                              outcome="duplicate")))
    saw(f"papertape_autoexecute_signals_total{{outcome=\"duplicate\"}}: {before:.0f} -> {after:.0f}")
    counts(buy["id"], order["id"], "still once")


def pnl(deadline, dip_at):
    step(10, "The portfolio and its P&L (GET /portfolio)")
    wait = dip_at + 12 - time.time()
    if wait > 0:
        saw(f"waiting {wait:.0f} s for {SYMBOL} to recover from the dip ...")
        time.sleep(deadline.left(wait))
    answer = api("GET", "/portfolio")
    if answer[0] != 200:
        raise Failed(f"GET /portfolio: {problem(answer)}")
    p = answer[1]
    saw(f"{'symbol':<6} {'qty':>5} {'avg cost':>12} {'last':>10} {'value':>12} {'unrealised':>11}")
    for pos in p["positions"]:
        saw(f"{pos['symbol']:<6} {pos['quantity']:>5} {num(pos['avgCost']):>12} {num(pos['lastPrice']):>10}"
            f" {money(pos['marketValue']):>12} {money(pos['unrealisedPnl']):>11}")
    saw(f"cash {money(p['cash'])} + positions {money(p['positionsValue'])} = total"
        f" {money(p['totalValue'])} {p['currency']} (started with {money(p['startingCash'])})")
    saw(f"P&L: unrealised {money(p['unrealisedPnl'])}, realised {money(p['realisedPnl'])},"
        f" commissions {money(p['commissions'])}")
    tsla = next((pos for pos in p["positions"] if pos["symbol"] == SYMBOL), None)
    if tsla is None:
        raise Failed(f"no {SYMBOL} position in the portfolio after the auto-trade")
    saw(f"{SYMBOL} bought in the dip at {num(tsla['avgCost'])}, now {num(tsla['lastPrice'])}:"
        f" {money(tsla['unrealisedPnl'])} unrealised")


def next_steps(strategy_id):
    say()
    say("Where to look next:")
    rows = [
        (f"./papertape psql -c \"select ts, symbol, source, side, price, reason from signals"
         f" where source = '{strategy_id}'\"", "the signal, in SQL"),
        (f"./papertape psql -c \"select * from signal_orders where strategy_id = '{strategy_id}'\"",
         "what it did"),
        (f"curl -s -u {USER}:PASSWORD {API}/strategies/{strategy_id}/signals", "its signals (API)"),
        (f"curl -s -u {USER}:PASSWORD {API}/portfolio", "the portfolio"),
        (f"curl -N '{API}/stream/signals?symbols={SYMBOL}'", "signals live (SSE)"),
        (f"websocat ws://{API.split('://', 1)[1]}/ws/stream <<< "
         "'{\"op\":\"subscribe\",\"channel\":\"signals\"}'", "… or on the WebSocket"),
        (f"kcat -b {ENV['PAPERTAPE_KAFKA_BOOTSTRAP']} -C -t {SIGNALS_TOPIC} -o -5 -e", "the topic"),
    ]
    for cmd, what in rows:
        say(f"  {cmd}")
        say(f"      # {what}")
    say(f"  (an API key instead of the password: ./papertape user key {USER})")


# ------------------------------------------------------------------------------------------------
def interrupted(signum, _frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main():
    p = argparse.ArgumentParser(prog="./papertape demo")
    p.add_argument("--timeout", type=int, default=300,
                   help="give up after this many seconds (default 300)")
    a = p.parse_args()
    if a.timeout < 60:
        raise SystemExit("demo: --timeout must be at least 60 (seconds)")
    signal.signal(signal.SIGTERM, interrupted)
    deadline = Deadline(a.timeout)
    began = time.time()
    run = f"demo-{int(began)}"
    strategy_id = f"demo-vwap-tsla-{int(began)}"
    say(f"demo: the roadmap's scenario on the local stack, for user '{USER}' (at most {a.timeout} s)")
    failing = failing_parts()
    if failing:
        say(f"✗ not every part is healthy: {', '.join(failing)} (./papertape status; start: ./papertape up)")
        return 1
    streams = []
    activated = False
    rc = 1
    try:
        symbols = symbols_streaming(deadline)
        fresh_portfolio()
        manual_trades(run, symbols)
        signals = Stream(f"/stream/signals?symbols={SYMBOL}")
        metrics = Stream(f"/stream/metrics?symbols={SYMBOL}")
        streams = [signals, metrics]
        for s in streams:
            s.start()
        for s in streams:
            if not s.connected.wait(deadline.left(10)):
                raise Failed(f"could not open {s.path} ({s.error})")
        activate(strategy_id)
        activated = True
        event, dip_at = the_dip(deadline, strategy_id, signals, metrics)
        buy, raw = event[2], event[3]
        the_signal(deadline, buy, strategy_id)
        order = the_auto_trade(deadline, buy)
        the_replay(deadline, buy, raw, order, signals)
        pnl(deadline, dip_at)
        rc = 0
    except Failed as e:
        say()
        say(f"✗ {e}")
    except KeyboardInterrupt:
        say()
        say("✗ interrupted")
        rc = 130
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for s in streams:
            s.stop()
        say()
        say("Cleaning up")
        try:
            restored = restore_feed(Deadline(90))
            if restored:
                saw(f"the normal feed is back (pid {restored[0]}, {restored[1]:.1f} s), continuing"
                    " from the prices the demo started with")
        except (Failed, OSError) as e:
            rc = rc or 1
            say(f"✗ could not put the normal feed back: {e}; do it with: ./papertape down &&"
                " ./papertape up")
        if activated:
            answer = api("DELETE", f"/strategies/{strategy_id}")
            if answer[0] == 200:
                saw(f"strategy {strategy_id} deactivated (kept, with its signals and orders)")
            else:
                saw(f"could not deactivate {strategy_id}: {problem(answer)}")
    if rc == 0:
        next_steps(strategy_id)
        say()
        say(f"✓ demo: every step happened ({time.time() - began:.0f} s)")
    return rc


if __name__ == "__main__":
    sys.exit(main())
