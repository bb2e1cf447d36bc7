#!/usr/bin/env python3
"""How long `nianbao serve` takes from a save to the new output on disk.

    python3 benches/serve_latency.py --nianbao target/release/nianbao --root PROJECT [--saves 20]

Starts `nianbao --root PROJECT serve --port 0`, waits for the first build
(`GET /__nianbao/status` shows "generation" >= 1), then saves the last year's
figures.toml N times as an editor does (the whole file written to a temporary
file beside it, then renamed over it), alternating one figure between two values,
and times each save until the last year's output/<year>/metrics.json holds the
new value (polled every 2 ms). Then it checks whether a save that changes nothing
starts a rebuild: a touch (mtime only) and a rewrite of the same bytes, each
watched for 2 s on the status generation. Finally it stops the server with SIGINT.

Prints a human summary on stderr and one JSON object on stdout:
{"median_ms", "min_ms", "max_ms", "saves", "server_build_ms_median",
 "touch_rebuilds", "same_bytes_rebuilds", "exit_code"}.
Standard library only. The project's output/ is rewritten by serve; the figure
is put back as it was at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

POLL = 0.002  # seconds between two looks at metrics.json
METRIC = "population"  # metrics.json entry that follows the figure below
FIGURE = re.compile(r"^(\[population\]\s*\ntotal\s*=\s*)(\d+)", re.MULTILINE)


def status(base: str) -> dict:
    with urllib.request.urlopen(base + "__nianbao/status", timeout=5) as r:
        return json.load(r)


def generation(base: str) -> int:
    return int(status(base).get("generation", 0))


def save_atomically(path: Path, text: str) -> None:
    """What an editor does: a new file beside the old one, renamed over it."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".swp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def metric_value(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))["metrics"][METRIC]["value"]
    except (OSError, ValueError, KeyError):
        return None


def wait_for(pred, timeout: float, step: float = POLL) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(step)
    return pred()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--nianbao", default="target/release/nianbao")
    ap.add_argument("--root", required=True, type=Path)
    ap.add_argument("--saves", type=int, default=20)
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for one rebuild")
    ap.add_argument("--log", type=Path, help="where the server's stderr goes (default: a temp file)")
    args = ap.parse_args()

    root = args.root.resolve()
    years = sorted(p.name for p in (root / "data").iterdir() if re.fullmatch(r"\d{4}", p.name))
    year = years[-1]
    figures = root / "data" / year / "figures.toml"
    metrics_json = root / "output" / year / "metrics.json"
    original = figures.read_text(encoding="utf-8")
    m = FIGURE.search(original)
    if not m:
        print(f"error: {figures} has no [population] total", file=sys.stderr)
        return 2
    base_value = int(m.group(2))

    def with_value(v: int) -> str:
        return FIGURE.sub(lambda mm: f"{mm.group(1)}{v}", original, count=1)

    log_path = args.log or Path(tempfile.mkstemp(prefix="nianbao-serve-", suffix=".log")[1])
    log = open(log_path, "w", encoding="utf-8")
    server = subprocess.Popen(
        [args.nianbao, "--root", str(root), "serve", "--port", "0"],
        stdout=subprocess.PIPE, stderr=log, text=True,
    )
    result: dict = {}
    try:
        # "serving ./output at http://127.0.0.1:PORT/ (Ctrl-C to stop)"
        base = None
        found = threading.Event()

        def read_stdout():
            nonlocal base
            for line in server.stdout:
                hit = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
                if hit and base is None:
                    base = hit.group(1)
                    found.set()

        threading.Thread(target=read_stdout, daemon=True).start()
        if not found.wait(args.timeout):
            print("error: serve printed no address", file=sys.stderr)
            return 1

        def gen_or_zero():
            try:
                return generation(base)
            except OSError:
                return 0

        if not wait_for(lambda: gen_or_zero() >= 1, args.timeout, 0.02):
            print("error: the first build did not finish", file=sys.stderr)
            return 1
        # A quiet moment: the first build's own writes are not a save.
        time.sleep(0.5)

        latencies = []
        for i in range(args.saves):
            new = base_value + 1 if i % 2 == 0 else base_value
            gen_before = gen_or_zero()
            text = with_value(new)
            start = time.monotonic()
            save_atomically(figures, text)
            ok = wait_for(lambda: metric_value(metrics_json) == str(new), args.timeout)
            elapsed = time.monotonic() - start
            if not ok:
                print(f"error: save {i + 1}: metrics.json never showed {new}", file=sys.stderr)
                return 1
            latencies.append(elapsed * 1000)
            # Let the build finish publishing before the next save.
            wait_for(lambda: gen_or_zero() > gen_before, args.timeout, 0.01)
            time.sleep(0.3)

        # Saves that change nothing: does a rebuild happen?
        if figures.read_text(encoding="utf-8") != original:
            g = gen_or_zero()
            save_atomically(figures, original)
            wait_for(lambda: gen_or_zero() > g, args.timeout, 0.01)
        time.sleep(1.0)  # let everything settle
        g0 = gen_or_zero()
        os.utime(figures)  # touch: the modification time only
        touch = wait_for(lambda: gen_or_zero() > g0, 2.0, 0.01)
        time.sleep(0.5)
        g1 = gen_or_zero()
        save_atomically(figures, original)  # the same bytes, saved again
        same = wait_for(lambda: gen_or_zero() > g1, 2.0, 0.01)

        builds = [int(x) for x in re.findall(r"in (\d+) ms", log_path.read_text(encoding="utf-8"))]
        result = {
            "median_ms": round(statistics.median(latencies), 1),
            "min_ms": round(min(latencies), 1),
            "max_ms": round(max(latencies), 1),
            "saves": len(latencies),
            "server_build_ms_median": statistics.median(builds[1:]) if len(builds) > 1 else None,
            "first_build_ms": builds[0] if builds else None,
            "touch_rebuilds": touch,
            "same_bytes_rebuilds": same,
        }
    finally:
        if figures.read_text(encoding="utf-8") != original:
            save_atomically(figures, original)
        server.send_signal(signal.SIGINT)
        try:
            code = server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            code = server.wait()
        log.close()
    result["exit_code"] = code
    print(
        f"serve: save → new metrics.json: median {result['median_ms']} ms "
        f"(min {result['min_ms']}, max {result['max_ms']}, {result['saves']} saves); "
        f"server's own build time median {result['server_build_ms_median']} ms; "
        f"touch rebuilds: {result['touch_rebuilds']}; same-bytes save rebuilds: "
        f"{result['same_bytes_rebuilds']}; exit {code}; log {log_path}",
        file=sys.stderr,
    )
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
