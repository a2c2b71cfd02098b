"""./papertape chaos: three faults on the running local stack, each healed with no manual step.

  flink     SIGKILL of the Flink process (supervisord restarts it; it resumes from its checkpoint)
  kafka     the broker stopped for the outage, then started again
  postgres  the database stopped for the outage, then started again

For each: the time until everything works again (every part healthy and a trade made after the
fault stored), the trades in Kafka against the stored ones (missing, duplicate), every closed 1s and
1m window against the SQL recomputation from the stored trades (mismatched), and the HTTP status
codes the API gave during the fault. Exit status 0 only when every scenario passed.

Run by ops/lib/dev.sh (cmd_chaos) with Debian's python3 (psycopg2) and the settings in the
environment: PAPERTAPE_* plus CHAOS_SUPCTL_CONF (supervisord's configuration) and LOCAL_ADDRESS.
"""

import argparse
import collections
import io
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone

import psycopg2

ENV = os.environ
HOST = ENV["LOCAL_ADDRESS"]
API = f"http://{HOST}:{ENV['PAPERTAPE_API_PORT']}"
FLINK_HEALTH = f"http://{HOST}:{ENV['PAPERTAPE_FLINK_HEALTH_PORT']}/healthz"
FEED_HEALTH = f"http://{HOST}:{ENV['PAPERTAPE_FEED_PORT']}/healthz"
SUPCTL = ["supervisorctl", "-c", ENV["CHAOS_SUPCTL_CONF"]]
SCENARIOS = ("flink", "kafka", "postgres")
# trades this long before a fault are compared too (the ones in flight when it struck); with the
# fault itself the range is over 2 minutes, so it holds at least one whole 1m window
LEAD_S = 120


def say(text=""):
    print(text, flush=True)


def stamp(t):
    return datetime.fromtimestamp(t, timezone.utc).strftime("%H:%M:%S")


def supctl(*args):
    return subprocess.run(SUPCTL + list(args), capture_output=True, text=True, check=False)


def http_status(url, timeout=5):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            r.read()
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except (OSError, ValueError):
        return "no answer"


def sse_events(url, seconds=2.0):
    """Status and number of events read from an SSE route within a few seconds."""
    try:
        with urllib.request.urlopen(url, timeout=seconds + 1) as r:
            deadline, events = time.time() + seconds, 0
            while time.time() < deadline:
                try:
                    line = r.readline()
                except OSError:
                    break
                if not line:
                    break
                if line.startswith(b"data:"):
                    events += 1
            return r.status, events
    except urllib.error.HTTPError as e:
        return e.code, 0
    except (OSError, ValueError):
        return "no answer", 0


def tcp_ok(port):
    try:
        with socket.create_connection((HOST, int(port)), timeout=2):
            return True
    except OSError:
        return False


def failing_parts():
    """Names of the parts that are not healthy (empty: all are)."""
    failing = []
    if not tcp_ok(ENV["PAPERTAPE_DB_PORT"]):
        failing.append("postgres")
    if not tcp_ok(ENV["PAPERTAPE_KAFKA_PORT"]):
        failing.append("kafka")
    if http_status(API + "/healthz") != 200:
        failing.append("api")
    if http_status(FLINK_HEALTH) != 200:
        failing.append("flink")
    if http_status(FEED_HEALTH) != 200:
        failing.append("feed")
    return failing


def db():
    return psycopg2.connect(
        host=ENV["PAPERTAPE_DB_HOST"],
        port=ENV["PAPERTAPE_DB_PORT"],
        dbname=ENV["PAPERTAPE_DB_NAME"],
        user=ENV["PAPERTAPE_DB_USER"],
        password=ENV["PAPERTAPE_DB_PASSWORD"],
        connect_timeout=3,
    )


def query(sql, *args):
    with db() as conn, conn.cursor() as cur:
        cur.execute(sql, args)
        return cur.fetchall()


def newest_stored():
    try:
        newest = query("SELECT extract(epoch FROM max(ts))::float8 FROM trades")[0][0]
        return None if newest is None else float(newest)
    except psycopg2.Error:
        return None


class Poller(threading.Thread):
    """The API's answers while a fault lasts: one round of requests a second."""

    def __init__(self, symbol):
        super().__init__(daemon=True)
        self.routes = [
            "/symbols",
            "/metrics",
            f"/symbols/{symbol}/history?window=1m&limit=5",
            f"/symbols/{symbol}/price",
            "/healthz",
            "/actuator/health/liveness",
        ]
        self.sse = f"/stream/trades?symbols={symbol}"
        self.codes = collections.OrderedDict((r, collections.Counter()) for r in self.routes)
        self.codes[self.sse] = collections.Counter()
        self.slowest = collections.Counter()
        self.sse_events = 0
        self.stopping = threading.Event()

    def run(self):
        rounds = 0
        while not self.stopping.is_set():
            started = time.time()
            for route in self.routes:
                asked = time.time()
                self.codes[route][http_status(API + route)] += 1
                self.slowest[route] = max(self.slowest[route], time.time() - asked)
            if rounds % 5 == 0:
                status, events = sse_events(API + self.sse)
                self.codes[self.sse][status] += 1
                self.sse_events += events
            rounds += 1
            self.stopping.wait(max(0.0, 1.0 - (time.time() - started)))

    def report(self):
        lines = []
        for route, counter in self.codes.items():
            seen = ", ".join(f"{code}×{n}" for code, n in sorted(counter.items(), key=str))
            if route == self.sse:
                extra = f" ({self.sse_events} events)"
            else:
                extra = f" (slowest {self.slowest[route]:.1f} s)"
            lines.append(f"      {route:<44} {seen}{extra}")
        return lines

    def server_errors(self):
        """Answers that are neither success, a 503 problem, nor a 404 (an unseen symbol)."""
        bad = []
        for route, counter in self.codes.items():
            for code in counter:
                if code not in (200, 503, 404) and route != "/healthz":
                    bad.append(f"{route} {code}")
        return bad


def kafka_trades(since_s, until_s):
    """((symbol, ts, tradeId), partition, offset) of the valid trades on the topic with ts in
    [since, until): what the job read, in the order it read them."""
    out = subprocess.run(
        [
            "kcat", "-C", "-b", ENV["PAPERTAPE_KAFKA_BOOTSTRAP"], "-t", "trades",
            "-o", f"s@{int((since_s - 300) * 1000)}", "-e", "-J", "-q",
        ],
        capture_output=True, text=True, check=False, timeout=120,
    )
    keys = []
    for line in out.stdout.splitlines():
        try:
            record = json.loads(line)
            trade = json.loads(record["payload"])
            ts = datetime.fromisoformat(trade["ts"].replace("Z", "+00:00")).timestamp()
            key = iso_ms((trade["symbol"], trade["ts"], trade["tradeId"]))
        except (ValueError, KeyError, TypeError, AttributeError):
            continue  # not a trade: the job sends it to the dead-letter topic
        if since_s <= ts < until_s:
            keys.append((key, record["partition"], record["offset"]))
    return keys


def stored_trades(since_s, until_s):
    rows = query(
        "SELECT symbol, to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), trade_id"
        " FROM trades WHERE ts >= to_timestamp(%s) AND ts < to_timestamp(%s)",
        since_s, until_s,
    )
    return [tuple(r) for r in rows]


def iso_ms(key):
    """A trade's ts as stored (milliseconds, Z) whatever precision the record gave."""
    symbol, ts, trade_id = key
    t = datetime.fromisoformat(ts.replace("Z", "+00:00")).astimezone(timezone.utc)
    return symbol, t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z", trade_id


WINDOWS_SQL = """
WITH recomputed AS (
  -- open and close: the first and last trade by time; on equal times, in the order the job read
  -- them (the topic's), as the job defines them (MetricsAccumulator)
  SELECT t.symbol, time_bucket(%(interval)s::interval, t.ts) AS window_start,
         (array_agg(t.price ORDER BY t.ts, o.part, o.off))[1] AS open,
         max(t.price) AS high, min(t.price) AS low,
         (array_agg(t.price ORDER BY t.ts DESC, o.part DESC, o.off DESC))[1] AS close,
         sum(t.size) AS volume, round(sum(t.price * t.size) / sum(t.size), 8) AS vwap,
         count(*) AS trade_count
  FROM trades t LEFT JOIN chaos_order o USING (symbol, ts, trade_id)
  WHERE t.ts >= to_timestamp(%(since)s) AND t.ts < to_timestamp(%(until)s)
  GROUP BY 1, 2
), stored AS (
  SELECT symbol, window_start, open, high, low, close, volume, vwap, trade_count
  FROM aggregated_metrics
  WHERE "window" = %(window)s AND window_start >= to_timestamp(%(since)s)
    AND window_end <= to_timestamp(%(until)s)
)
SELECT symbol, to_char(window_start AT TIME ZONE 'UTC', 'HH24:MI:SS'),
       s.trade_count IS NOT NULL AND r.trade_count IS NOT NULL AS both,
       (s.open, s.high, s.low, s.close, s.volume, s.vwap, s.trade_count)
         IS DISTINCT FROM (r.open, r.high, r.low, r.close, r.volume, r.vwap, r.trade_count),
       concat_ws(' ', 'stored', s.trade_count, 'trades vol', s.volume, 'o', s.open, 'c', s.close,
                 'vwap', s.vwap),
       concat_ws(' ', 'recomputed', r.trade_count, 'trades vol', r.volume, 'o', r.open, 'c',
                 r.close, 'vwap', r.vwap)
FROM recomputed r FULL JOIN stored s USING (symbol, window_start)
WHERE (r.window_start IS NULL OR (r.window_start >= to_timestamp(%(since)s)
       AND r.window_start + %(interval)s::interval <= to_timestamp(%(until)s)))
ORDER BY 2, 1
"""


def compare_windows(since_s, until_s, kafka):
    """{window: (compared, [mismatches])} for the windows wholly inside [since, until)."""
    result = {}
    order = io.StringIO()
    for (symbol, ts, trade_id), part, off in kafka:
        order.write("\t".join(v.replace("\\", "\\\\") for v in (symbol, ts, trade_id)))
        order.write(f"\t{part}\t{off}\n")
    order.seek(0)
    with db() as conn, conn.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE chaos_order (symbol text, ts timestamptz, trade_id text, part int,"
            " off bigint) ON COMMIT DROP"
        )
        cur.copy_from(order, "chaos_order", columns=("symbol", "ts", "trade_id", "part", "off"))
        for window, interval in (("1s", "1 second"), ("1m", "1 minute")):
            step = 1 if window == "1s" else 60
            since = (int(since_s) // step + 1) * step
            until = int(until_s) // step * step
            cur.execute(
                WINDOWS_SQL,
                {"interval": interval, "since": since, "until": until, "window": window},
            )
            rows = cur.fetchall()
            compared = sum(1 for r in rows if r[2])
            mismatches = [f"{window} {r[0]} {r[1]}: {r[4]} / {r[5]}" for r in rows if r[3]]
            result[window] = (compared, mismatches)
    return result


def fault(name, outage_s):
    """Strikes; returns (what was done, when the fault ended)."""
    if name == "flink":
        pid = supctl("pid", "flink").stdout.strip()
        if not pid.isdigit() or pid == "0":
            raise SystemExit("chaos: flink is not running under supervisord")
        os.kill(int(pid), 9)
        return f"SIGKILL of the Flink process (pid {pid})", time.time()
    stopped = supctl("stop", name)
    if stopped.returncode != 0:
        raise SystemExit(f"chaos: could not stop {name}: {stopped.stdout}{stopped.stderr}")
    time.sleep(outage_s)
    started = supctl("start", name)
    if started.returncode != 0:
        say(f"   (supervisorctl start {name}: {started.stdout.strip()} {started.stderr.strip()})")
    return f"{name} stopped for {outage_s} s, then started", time.time()


def restarts(name):
    try:
        with open(os.path.join(os.path.dirname(ENV["CHAOS_SUPCTL_CONF"]), "state", name)) as f:
            n, _, reason = f.read().rstrip("\n").split("\t", 2)
            return int(n), reason
    except (OSError, ValueError):
        return 0, ""


def scenario(name, outage_s, timeout_s, symbol):
    say(f"── {name} " + "─" * 60)
    failing = failing_parts()
    if failing:
        say(f"   not started: parts not healthy: {', '.join(failing)} (./papertape status)")
        return False
    before_restarts = restarts(name)[0]
    begin = time.time()
    poller = Poller(symbol)
    poller.start()
    what, ended = fault(name, outage_s)
    say(f"   {stamp(begin)} {what}")
    # recovered: every part healthy and a trade made after the fault stored
    recovered = None
    deadline = ended + timeout_s
    while time.time() < deadline:
        newest = newest_stored()
        if not failing_parts() and newest is not None and newest > ended:
            recovered = time.time()
            break
        time.sleep(1)
    poller.stopping.set()
    poller.join()
    if recovered is None:
        say(f"   NOT RECOVERED within {timeout_s} s (still failing: {', '.join(failing_parts()) or '-'};"
            " see ./papertape status and logs)")
        return False
    say(f"   recovered in {recovered - ended:.1f} s after the fault ended"
        f" ({recovered - begin:.1f} s after it began)")
    n, reason = restarts(name)
    if name == "flink":
        say(f"   flink restarts recorded: {n - before_restarts} (last: {reason or '-'})")
    # the same range on both sides, once the job has caught up with it
    since, until = begin - LEAD_S, ended + 5
    # every trade of the range made and sent (a producer retries what it held during an outage)
    time.sleep(max(0.0, until + 10 - time.time()))
    deadline = time.time() + timeout_s
    while True:
        expected = kafka_trades(since, until)
        stored = stored_trades(since, until)
        if len(stored) >= len(expected) or time.time() > deadline:
            break
        time.sleep(2)
    want = collections.Counter(key for key, _, _ in expected)
    have = collections.Counter(stored)
    missing = sum((want - have).values())
    duplicate = sum(n - 1 for n in have.values() if n > 1)
    unexpected = sum((have - want).values())
    say(f"   trades {stamp(since)}–{stamp(until)}: in Kafka {sum(want.values())},"
        f" stored {sum(have.values())}, missing {missing}, duplicate {duplicate},"
        f" not in Kafka {unexpected}")
    # windows wholly inside the range, once their bars are final (allowed lateness passed)
    time.sleep(max(0.0, until + 15 - time.time()))
    windows = compare_windows(since, until, expected)
    mismatches = [m for _, ms in windows.values() for m in ms]
    mismatched = len(mismatches)
    say("   windows vs the SQL recomputation: "
        + ", ".join(f"{w} {c} compared" for w, (c, _) in windows.items())
        + f", mismatched {mismatched}")
    for m in mismatches[:8]:
        say(f"      {m}")
    say("   HTTP during the fault and the recovery:")
    for line in poller.report():
        say(line)
    errors = poller.server_errors()
    if errors:
        say(f"   unexpected answers: {', '.join(errors)}")
    passed = missing == 0 and duplicate == 0 and unexpected == 0 and mismatched == 0 and not errors
    passed = passed and sum(want.values()) > 0 and all(c > 0 for c, _ in windows.values())
    say(f"   {'PASS' if passed else 'FAIL'}")
    return passed


def main():
    p = argparse.ArgumentParser(prog="./papertape chaos")
    p.add_argument("scenarios", nargs="*", default=list(SCENARIOS))
    p.add_argument("--outage", type=int, default=30)
    p.add_argument("--timeout", type=int, default=180)
    a = p.parse_args()
    for s in a.scenarios:
        if s not in SCENARIOS:
            raise SystemExit(f"chaos: unknown scenario '{s}' (scenarios: {', '.join(SCENARIOS)})")
    symbols = ENV.get("PAPERTAPE_FEED_SYMBOLS", "AAPL").split(",")
    symbol = symbols[0].strip() or "AAPL"
    newest = newest_stored()
    if newest is None or time.time() - newest > 30:
        raise SystemExit("chaos: no trade stored in the last 30 s: the feed and the job must be"
                         " running (./papertape up; ./papertape status)")
    bound = len(a.scenarios) * (a.outage + 2 * a.timeout + 30)
    say(f"chaos: {', '.join(a.scenarios)} on the local stack (outage {a.outage} s, recovery timeout"
        f" {a.timeout} s; at most {bound // 60} min)")
    results = {}
    for s in a.scenarios:
        results[s] = scenario(s, a.outage, a.timeout, symbol)
        say()
    say("chaos: " + ", ".join(f"{s} {'PASS' if ok else 'FAIL'}" for s, ok in results.items()))
    sys.exit(0 if all(results.values()) else 1)


if __name__ == "__main__":
    main()
