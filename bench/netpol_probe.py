#!/usr/bin/python3
"""Connection prober of bench/netpol_realization.sh, run inside a pod's network namespace
(`egret lab exec NS/POD -- python3 netpol_probe.py ...`).

It starts a new TCP connection to TARGET:PORT every --interval-ms, each with its own
--timeout-ms (shorter than TCP's first SYN retransmission, 1 s, so an attempt's outcome is that
of its one SYN), and records for each attempt its start time and its outcome: "connected" (the
handshake completed) or "blocked" (no handshake within the timeout; a refusal counts as blocked
too and is reported). Connections are closed with a reset, so no TIME_WAIT piles up.

Protocol with the caller, through files (no stdin is needed):
  1. once the last --settle attempts all had the outcome opposite to --want, it writes
     --ready-file;
  2. the caller takes its start time t0 (ms since the epoch), writes it into --go-file and
     applies the policy;
  3. the prober waits for the first attempt started at or after t0 with the outcome --want and
     for every attempt started before it, and prints one JSON line:
       {"latency_ms": start of that attempt - t0,
        "resolution_ms": its start - the start of the attempt before it (which had the
                         opposite outcome): the realization happened in between,
        "attempts": attempts started since t0, "refused": refusals seen}
Exit code 0 on a result, 1 on a timeout (--deadline-s after t0, or 30 s without getting ready),
2 on bad arguments.
"""

import argparse
import errno
import json
import selectors
import socket
import struct
import sys
import time


def now_ms():
    return time.time() * 1000.0


class Attempt:
    __slots__ = ("start", "sock", "outcome", "refused")

    def __init__(self, start, sock):
        self.start = start
        self.sock = sock
        self.outcome = None  # "connected" / "blocked"
        self.refused = False


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--target", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--want", choices=("connected", "blocked"), required=True)
    p.add_argument("--ready-file", required=True)
    p.add_argument("--go-file", required=True)
    p.add_argument("--interval-ms", type=float, default=10)
    p.add_argument("--timeout-ms", type=float, default=200)
    p.add_argument("--settle", type=int, default=3)
    p.add_argument("--deadline-s", type=float, default=60)
    a = p.parse_args()
    if not (1 <= a.interval_ms <= 1000 and 10 <= a.timeout_ms < 1000):
        p.error("--interval-ms must be 1-1000 and --timeout-ms 10-999")
    return a


class Prober:
    def __init__(self, args):
        self.args = args
        self.family = socket.AF_INET6 if ":" in args.target else socket.AF_INET
        self.sel = selectors.DefaultSelector()
        self.attempts = []  # in start order
        self.open = {}  # fd -> Attempt

    def launch(self):
        s = socket.socket(self.family, socket.SOCK_STREAM)
        s.setblocking(False)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        a = Attempt(now_ms(), s)
        self.attempts.append(a)
        rc = s.connect_ex((self.args.target, self.args.port))
        if rc in (0, errno.EINPROGRESS):
            self.open[s.fileno()] = a
            self.sel.register(s, selectors.EVENT_WRITE, a)
        else:
            self.finish(a, "blocked", refused=True)

    def finish(self, a, outcome, refused=False):
        a.outcome = outcome
        a.refused = refused
        fd = a.sock.fileno()
        if fd in self.open:
            del self.open[fd]
            self.sel.unregister(a.sock)
        a.sock.close()
        a.sock = None

    def poll(self, until):
        """Handles completions until `until` (ms); times out attempts."""
        while True:
            t = now_ms()
            wait = max(0.0, until - t) / 1000.0
            for key, _ in self.sel.select(timeout=wait):
                a = key.data
                err = a.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if err == 0:
                    self.finish(a, "connected")
                else:
                    self.finish(a, "blocked", refused=True)
            t = now_ms()
            for a in list(self.open.values()):
                if t - a.start >= self.args.timeout_ms:
                    self.finish(a, "blocked")
            if t >= until:
                return

    def step(self):
        self.launch()
        self.poll(self.attempts[-1].start + self.args.interval_ms)


def read_go(path):
    try:
        with open(path) as f:
            text = f.read().strip()
        return float(text) if text else None
    except (FileNotFoundError, ValueError):
        return None


def settled(attempts, unwanted, n):
    done = [a for a in attempts if a.outcome is not None]
    return len(done) >= n and all(a.outcome == unwanted for a in done[-n:])


def result(attempts, t0, want):
    """The JSON result, or None while undecided."""
    first = None
    for i, a in enumerate(attempts):
        if a.start < t0:
            continue
        if a.outcome is None:
            return None  # an earlier attempt may still decide
        if a.outcome == want:
            first = i
            break
    if first is None:
        return None
    a = attempts[first]
    after = [x for x in attempts if x.start >= t0]
    return {
        "latency_ms": round(a.start - t0, 1),
        "resolution_ms": round(a.start - attempts[first - 1].start, 1) if first > 0 else None,
        "attempts": len(after),
        "refused": sum(1 for x in attempts if x.refused),
    }


def trim(p, horizon):
    """Forgets decided attempts started before `horizon` (ms): only recent ones matter."""
    if len(p.attempts) > 1000:
        p.attempts = [a for a in p.attempts if a.start >= horizon or a.outcome is None]


def main():
    args = parse_args()
    unwanted = "blocked" if args.want == "connected" else "connected"
    p = Prober(args)
    start = now_ms()
    while not settled(p.attempts, unwanted, args.settle):
        if now_ms() - start > 30000:
            print(json.dumps({"error": f"not {unwanted} before the change"}))
            return 1
        p.step()
    with open(args.ready_file, "w") as f:
        f.write("ready\n")
    t0 = None
    while t0 is None:
        if now_ms() - start > 60000:
            print(json.dumps({"error": "no go file"}))
            return 1
        p.step()
        trim(p, now_ms() - 1000)
        t0 = read_go(args.go_file)
    while True:
        r = result(p.attempts, t0, args.want)
        if r is not None:
            print(json.dumps(r), flush=True)
            return 0
        if now_ms() - t0 > args.deadline_s * 1000:
            print(json.dumps({"error": f"not {args.want} {args.deadline_s:g} s after the change"}))
            return 1
        p.step()
        trim(p, t0 - 1000)


if __name__ == "__main__":
    sys.exit(main())
