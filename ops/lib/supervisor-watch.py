"""The watcher: supervisord's event listener for the parts of ./papertape up (ops/lib/supervise.sh).

supervisord restarts a part whose process exits; this adds what it lacks:

* a part that stays unhealthy (its live= check, from live.tsv) for longer than the grace period
  (PAPERTAPE_HEALTH_GRACE, and never before the part's start timeout) is restarted;
* a part supervisord gave up on (FATAL: it kept exiting during its start) is started again every
  60 s, so an outage of something it needs never leaves it down for good;
* every restart is recorded with its reason in state/NAME (restarts, epoch seconds, reason),
  which './papertape status' shows.

Run by supervisord with supervisor's own Python: python3 -I supervisor-watch.py SUP_DIR GRACE_S.
It speaks the event listener protocol on stdin/stdout; its log lines go to stderr (watch.log).
"""

import os
import re
import socket
import sys
import time
import urllib.error
import urllib.request

from supervisor import childutils

FATAL_RETRY_S = 60
CHECK_TIMEOUT_S = 3


def log(message, **fields):
    kv = " ".join(f"{k}={v!r}" for k, v in fields.items())
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    sys.stderr.write(f"{stamp} {message} {kv}\n")
    sys.stderr.flush()


class Watcher:
    def __init__(self, sup_dir, grace_s):
        self.sup_dir = sup_dir
        self.grace_s = grace_s
        self.rpc = childutils.getRPCInterface(os.environ)
        self.checks = {}  # name -> (check, start timeout s)
        self.unhealthy_since = {}  # name -> epoch s of the first failed check in a row
        self.exit_reason = {}  # name -> why its process last exited
        self.fatal_since = {}  # name -> epoch s it entered FATAL
        self.load_checks()

    def load_checks(self):
        with open(os.path.join(self.sup_dir, "live.tsv"), encoding="utf-8") as f:
            for line in f:
                fields = line.rstrip("\n").split("\t")
                if len(fields) >= 3 and fields[1]:
                    self.checks[fields[0]] = (fields[1], int(fields[2]))

    # --- the record 'status' shows -------------------------------------------------------------
    def record_restart(self, name, reason):
        path = os.path.join(self.sup_dir, "state", name)
        restarts = 0
        try:
            with open(path, encoding="utf-8") as f:
                restarts = int(f.read().split("\t", 1)[0] or 0)
        except (OSError, ValueError):
            pass
        reason = " ".join(reason.split())[:300]
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(f"{restarts + 1}\t{int(time.time())}\t{reason}\n")
        os.replace(tmp, path)
        log("restart", part=name, restarts=restarts + 1, reason=reason)

    def why_exited(self, name):
        """supervisord's own words for the last exit, e.g. 'terminated by SIGKILL; not expected'."""
        try:
            with open(os.path.join(self.sup_dir, "supervisord.log"), "rb") as f:
                f.seek(0, os.SEEK_END)
                f.seek(max(0, f.tell() - 65536))
                tail = f.read().decode("utf-8", "replace")
        except OSError:
            return "exited"
        found = re.findall(r"exited: " + re.escape(name) + r" \(([^)]*)\)", tail)
        return "exited (" + found[-1] + ")" if found else "exited"

    # --- events --------------------------------------------------------------------------------
    def on_state(self, event, headers):
        name = headers.get("processname")
        if name not in self.checks:
            return
        came_from = headers.get("from_state")
        if event == "PROCESS_STATE_EXITED" and headers.get("expected") == "0":
            self.exit_reason[name] = self.why_exited(name)
        elif event == "PROCESS_STATE_BACKOFF":
            self.exit_reason[name] = self.why_exited(name) + " during its start"
        elif event == "PROCESS_STATE_FATAL":
            self.fatal_since[name] = time.time()
            log(
                "gave up for now",
                part=name,
                reason=self.why_exited(name),
                retry_in_s=FATAL_RETRY_S,
            )
        elif event == "PROCESS_STATE_STARTING":
            self.unhealthy_since.pop(name, None)
            if came_from in ("EXITED", "BACKOFF"):
                self.record_restart(name, self.exit_reason.pop(name, "exited"))
        elif event == "PROCESS_STATE_STOPPED":
            self.fatal_since.pop(name, None)
            self.unhealthy_since.pop(name, None)

    def on_tick(self):
        now = time.time()
        for info in self.rpc.supervisor.getAllProcessInfo():
            name, state = info["name"], info["statename"]
            if name not in self.checks:
                continue
            if state == "FATAL":
                since = self.fatal_since.setdefault(name, now)
                if now - since >= FATAL_RETRY_S:
                    self.fatal_since.pop(name, None)
                    self.record_restart(
                        name,
                        f"{self.why_exited(name)}; it kept exiting during its start, retried"
                        f" after {FATAL_RETRY_S} s",
                    )
                    self.start(name)
                continue
            if state != "RUNNING":
                self.unhealthy_since.pop(name, None)
                continue
            check, start_timeout = self.checks[name]
            failure = self.failure(check)
            if failure is None:
                self.unhealthy_since.pop(name, None)
                continue
            since = self.unhealthy_since.setdefault(name, now)
            up_for = now - info["start"]
            if now - since >= self.grace_s and up_for >= start_timeout:
                self.unhealthy_since.pop(name, None)
                self.restart(
                    name, f"unhealthy for {int(now - since)} s: {check} {failure}"
                )

    def failure(self, check):
        """None when the check passes, else what failed."""
        try:
            if check.startswith("tcp:"):
                host, port = check[4:].rsplit(":", 1)
                with socket.create_connection((host, int(port)), timeout=CHECK_TIMEOUT_S):
                    return None
            with urllib.request.urlopen(check, timeout=CHECK_TIMEOUT_S) as r:
                return None if 200 <= r.status < 300 else f"answered {r.status}"
        except urllib.error.HTTPError as e:
            return f"answered {e.code}"
        except (OSError, ValueError) as e:
            return f"failed ({e.__class__.__name__}: {e})"

    def restart(self, name, reason):
        self.record_restart(name, reason)
        try:
            self.rpc.supervisor.stopProcess(name, True)
        except Exception as e:  # noqa: BLE001 - a fault of supervisord's (e.g. NOT_RUNNING)
            log("stop failed", part=name, error=str(e))
        self.start(name)

    def start(self, name):
        try:
            self.rpc.supervisor.startProcess(name, False)
        except Exception as e:  # noqa: BLE001
            log("start failed", part=name, error=str(e))


def main():
    sup_dir, grace_s = sys.argv[1], int(sys.argv[2])
    watcher = Watcher(sup_dir, grace_s)
    log("watching", parts=",".join(sorted(watcher.checks)), grace_s=grace_s)
    while True:
        headers, payload = childutils.listener.wait(sys.stdin, sys.stdout)
        event = headers.get("eventname", "")
        try:
            if event.startswith("PROCESS_STATE_"):
                watcher.on_state(event, childutils.get_headers(payload.split("\n", 1)[0]))
            elif event.startswith("TICK_"):
                watcher.on_tick()
        except Exception as e:  # noqa: BLE001 - one bad event must not stop the watching
            log("event failed", event=event, error=repr(e))
        childutils.listener.ok(sys.stdout)


if __name__ == "__main__":
    main()
