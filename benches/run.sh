#!/usr/bin/env bash
# benches/run.sh: measures nianbao against the goals of issue 12 and against the
# Python peer (benches/peer), and prints the figures as a Markdown table.
#
#   bash benches/run.sh            # everything (about 20 minutes on 2 cores)
#   RUNS=30 SLOW_RUNS=10 RSS_RUNS=3 SAVES=20 bash benches/run.sh
#
# Steps: (a) builds nianbao and make-bench-project in release; (b) makes the 10-,
# 50- and 400-year projects (40 metrics, 12 sections, 7 charts) and a copy of the
# example; (c) sets up target/bench/venv with the peer's requirements; (d) times
# with hyperfine (--warmup 3, JSON in target/bench/*.json), measures peak RSS with
# /usr/bin/time -f %M (median of RSS_RUNS) and output size with du -sb; (e) prints
# the table (also saved as target/bench/table.md).
#
# Where: the projects and their outputs live in a work folder on tmpfs
# (/dev/shm/nianbao-bench; BENCH_WORK=DIR puts it in DIR/nianbao-bench), because nianbao flushes
# what it writes to the disk (one syncfs) and on a shared virtual disk that wait
# swamps the work and varies fourfold from one run to the next. The main figures
# therefore are nianbao's own work, writes included (a sync on tmpfs returns at once); the
# same builds onto the disk (target/bench/disk) are timed in the same hyperfine
# runs and shown in brackets, as are builds into an output folder that already
# holds the same bytes (nianbao then compares and writes nothing).
#
# Every timed build writes into an emptied output folder (hyperfine --prepare
# 'rm -rf OUT'), as a first build does. The script uses only the command line of
# `nianbao build` (--year, --all, --root, --out, -q) and `serve --port 0`, and
# never lists output files, so it runs unchanged before and after an
# optimisation and whatever files a build adds.
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$PWD
B=$REPO/target/bench
RUNS=${RUNS:-30}           # hyperfine runs of the quick builds (the example: twice as many)
SLOW_RUNS=${SLOW_RUNS:-10} # hyperfine runs of `build --all` (seconds each)
RSS_RUNS=${RSS_RUNS:-3}    # /usr/bin/time runs for peak RSS
SAVES=${SAVES:-20}         # saves timed by serve_latency.py
SHAPE=(--metrics 40 --sections 12 --charts 7)
LAST=2006                  # every synthetic project ends in 2006

need() { command -v "$1" >/dev/null || { echo "error: $1 is needed ($2)" >&2; exit 2; }; }
need hyperfine "apt-get install -y hyperfine"
need python3 "Python 3.11 or later"
[ -x /usr/bin/time ] || { echo "error: /usr/bin/time is needed (apt-get install -y time)" >&2; exit 2; }

# The work folder: on tmpfs when it has room for the 400-year output (3.7 GB
# today) beside the build's own memory; always a folder of its own, emptied here.
if [ -z "${BENCH_WORK:-}" ]; then
  BENCH_WORK=$B
  if [ -d /dev/shm ] && [ -w /dev/shm ] \
     && [ "$(df -Pk /dev/shm | awk 'NR == 2 {print $4}')" -gt $((10 * 1024 * 1024)) ]; then
    BENCH_WORK=/dev/shm
  fi
fi
W=$BENCH_WORK/nianbao-bench
D=$B/disk
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
log() { printf '\n== %s\n' "$*" >&2; }
# Before each measurement: flush what earlier steps wrote (gigabytes at 400 years),
# so that one step's writeback does not slow the next.
settle() { sync; sleep "${SETTLE:-5}"; }

# (a) release build
log "building nianbao and make-bench-project (release)"
cargo build --release --quiet --bin nianbao --example make-bench-project
NB=$REPO/target/release/nianbao
MAKE=$REPO/target/release/examples/make-bench-project

# (b) the projects, made afresh (serve_latency.py edits p50), and empty outputs
rm -rf "$W" "$D"
mkdir -p "$B" "$W" "$D"
for n in 10 50 400; do
  log "making the $n-year project in $W/p$n"
  "$MAKE" "$W/p$n" "$n" "${SHAPE[@]}"
done
cp -r "$W/p50" "$D/p50" # for serve on the disk
# The example project, copied so that nothing here writes into the repository.
mkdir -p "$W/example"
cp -r "$REPO/nianbao.toml" "$REPO/data" "$W/example/"
if [ -d "$REPO/templates" ]; then cp -r "$REPO/templates" "$W/example/"; fi

# (c) the peer's virtual environment (rebuilt when requirements.txt changes)
REQ=$REPO/benches/peer/requirements.txt
if ! cmp -s "$REQ" "$B/venv/requirements.txt" 2>/dev/null; then
  log "setting up target/bench/venv"
  rm -rf "$B/venv"
  python3 -m venv "$B/venv"
  "$B/venv/bin/pip" install --quiet --disable-pip-version-check -r "$REQ"
  cp "$REQ" "$B/venv/requirements.txt"
fi
PY=$B/venv/bin/python
PEER=$REPO/benches/peer/nianbao_peer.py

# (d) measurements. Fresh builds: `--prepare 'rm -rf OUT'`; "unchanged": `true`,
# the warm-up runs leave the output that the timed runs find unchanged.
settle
log "build --year $LAST at 10, 50 and 400 years (one hyperfine run)"
hyperfine -N --style basic --warmup 3 --runs "$RUNS" --export-json "$B/year-last.json" \
  --prepare "rm -rf $W/out-y10" -n "p10" "$NB -q --root $W/p10 build --year $LAST --out $W/out-y10" \
  --prepare "rm -rf $W/out-y50" -n "p50" "$NB -q --root $W/p50 build --year $LAST --out $W/out-y50" \
  --prepare "rm -rf $W/out-y400" -n "p400" "$NB -q --root $W/p400 build --year $LAST --out $W/out-y400" \
  --prepare true -n "p50 unchanged" "$NB -q --root $W/p50 build --year $LAST --out $W/keep-y50" \
  --prepare "rm -rf $D/out-y50" -n "p50 disk" "$NB -q --root $W/p50 build --year $LAST --out $D/out-y50" >&2

settle
log "build --year 2006 on the example"
hyperfine -N --style basic --warmup 3 --runs "$((RUNS * 2))" --export-json "$B/example.json" \
  --prepare "rm -rf $W/out-ex" -n "example" "$NB -q --root $W/example build --year 2006 --out $W/out-ex" \
  --prepare true -n "example unchanged" "$NB -q --root $W/example build --year 2006 --out $W/keep-ex" \
  --prepare "rm -rf $D/out-ex" -n "example disk" "$NB -q --root $W/example build --year 2006 --out $D/out-ex" >&2

settle
log "build --all at 50 years: nianbao and the Python peer (one hyperfine run)"
hyperfine -N --style basic --warmup 3 --runs "$SLOW_RUNS" --export-json "$B/all-vs-peer.json" \
  --prepare "rm -rf $W/out-all" -n "nianbao" "$NB -q --root $W/p50 build --all --out $W/out-all" \
  --prepare "rm -rf $W/out-peer" -n "peer" "$PY $PEER -q --root $W/p50 --all --out $W/out-peer" \
  --prepare true -n "nianbao unchanged" "$NB -q --root $W/p50 build --all --out $W/keep-all" \
  --prepare "rm -rf $D/out-all" -n "nianbao disk" "$NB -q --root $W/p50 build --all --out $D/out-all" \
  --prepare "rm -rf $D/out-peer" -n "peer disk" "$PY $PEER -q --root $W/p50 --all --out $D/out-peer" >&2

rss_and_size() { # years → "median_peak_kib bytes"
  local n=$1 out="$W/out-rss$1" kb=() bytes
  for _ in $(seq "$RSS_RUNS"); do
    rm -rf "$out"
    kb+=("$(/usr/bin/time -f %M "$NB" -q --root "$W/p$n" build --all --out "$out" 2>&1 >/dev/null | tail -n 1)")
  done
  bytes=$(du -sb "$out" | cut -f1)
  rm -rf "$out"
  echo "$(printf '%s\n' "${kb[@]}" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}') $bytes"
}
settle
log "peak RSS and output size of build --all at 10, 50 and 400 years ($RSS_RUNS runs each)"
read -r RSS10 SIZE10 < <(rss_and_size 10)
read -r RSS50 SIZE50 < <(rss_and_size 50)
read -r RSS400 SIZE400 < <(rss_and_size 400)

settle
log "serve: save → new metrics.json at 50 years ($SAVES saves), then the same on the disk"
python3 "$REPO/benches/serve_latency.py" --nianbao "$NB" --root "$W/p50" \
  --saves "$SAVES" --log "$B/serve.log" > "$B/serve.json"
rm -rf "$W/p50/output"
settle
python3 "$REPO/benches/serve_latency.py" --nianbao "$NB" --root "$D/p50" \
  --saves "$SAVES" --log "$B/serve-disk.log" > "$B/serve-disk.json"
rm -rf "$D/p50/output"

# (e) the table
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
# The code measured: the last commit that changed it, "+changes" when the work tree differs.
COMMIT=$(git -C "$REPO" log -1 --format=%h -- src Cargo.toml Cargo.lock 2>/dev/null || echo unknown)
git -C "$REPO" diff --quiet HEAD -- src Cargo.toml Cargo.lock 2>/dev/null || COMMIT="$COMMIT+changes"
export LOAD_START LOAD_END COMMIT W
python3 - "$B" "$RSS10" "$RSS50" "$RSS400" "$SIZE10" "$SIZE50" "$SIZE400" <<'PY' | tee "$B/table.md"
import json, os, sys
b = sys.argv[1]
rss10, rss50, rss400, size10, size50, size400 = map(int, sys.argv[2:])

def medians(name):
    return {r["command"]: r["median"] for r in json.load(open(f"{b}/{name}.json"))["results"]}

def ms(s):
    return f"{s * 1000:.1f} ms" if s < 10 else f"{s:.1f} s"

def met(ok):
    return "yes" if ok else "**no**"

def mb(n):
    return f"{n / 1e6:.1f} MB"

y = medians("year-last")
e = medians("example")
a = medians("all-vs-peer")
serve = json.load(open(f"{b}/serve.json"))
serve_disk = json.load(open(f"{b}/serve-disk.json"))
per10, per50, per400 = size10 / 10, size50 / 50, size400 / 400
ratio = a["peer"] / a["nianbao"]
ratio_disk = a["peer disk"] / a["nianbao disk"]

rows = [
    ("`build --year LAST` on the 50-year project", "≤ 10 ms",
     f"{ms(y['p50'])} (unchanged output {ms(y['p50 unchanged'])}; on disk {ms(y['p50 disk'])})",
     met(y["p50"] <= 0.010)),
    ("the same at 400 years ÷ at 10 years", "≤ 1.3×",
     f"{y['p400'] / y['p10']:.2f}× ({ms(y['p400'])} / {ms(y['p10'])})",
     met(y["p400"] / y["p10"] <= 1.3)),
    ("`build --all`, 50 years, against the Python peer", "≥ 25× faster",
     f"{ratio:.1f}× (nianbao {ms(a['nianbao'])}, peer {ms(a['peer'])}); "
     f"on disk {ratio_disk:.1f}× ({ms(a['nianbao disk'])}, {ms(a['peer disk'])}); "
     f"nianbao into unchanged output {ms(a['nianbao unchanged'])}",
     met(ratio >= 25)),
    ("`build --all` peak RSS, 400 years ÷ 50 years", "≤ 1.5×",
     f"{rss400 / rss50:.2f}× ({rss400 / 1024:.1f} MiB / {rss50 / 1024:.1f} MiB; 10 years {rss10 / 1024:.1f} MiB)",
     met(rss400 / rss50 <= 1.5)),
    ("output size with charts, 50 years", "linear in years",
     f"{mb(size50)}, {mb(per50)} a year; 10 years {mb(size10)}, {mb(per10)} a year; "
     f"400 years {mb(size400)}, {mb(per400)} a year; each year from 51 to 400 adds {mb((size400 - size50) / 350)}: "
     f"a year's output at 400 ÷ at 50 years {per400 / per50:.2f}×",
     # The first years of a project have charts of fewer years (a chart shows the
     # last chart_years up to its report's year), so bytes a year rise until the
     # window is full: compare 400 with 50 years, where nearly every window is.
     met(per400 / per50 <= 1.1)),
    ("`serve`: save to new output on disk, 50 years", "≤ 100 ms",
     f"{serve['median_ms']:.0f} ms (min {serve['min_ms']:.0f}, max {serve['max_ms']:.0f}, "
     f"{serve['saves']} saves; the server's build {serve['server_build_ms_median']:.0f} ms); "
     f"on disk {serve_disk['median_ms']:.0f} ms (build {serve_disk['server_build_ms_median']:.0f} ms); "
     f"a touch rebuilds: {'yes' if serve['touch_rebuilds'] else 'no'}, "
     f"a save of the same bytes rebuilds: {'yes' if serve['same_bytes_rebuilds'] else 'no'}",
     met(serve["median_ms"] <= 100)),
    ("`build --year 2006` on the example", "≤ 5 ms",
     f"{ms(e['example'])} (unchanged output {ms(e['example unchanged'])}; on disk {ms(e['example disk'])})",
     met(e["example"] <= 0.005)),
]
print("| measure | goal | today (median) | met |")
print("| --- | --- | --- | --- |")
for r in rows:
    print("| " + " | ".join(r) + " |")
print()
print(f"nianbao {os.environ['COMMIT']}; {os.cpu_count()} cores; load average "
      f"{os.environ['LOAD_START']} at the start, {os.environ['LOAD_END']} at the end. "
      f"Builds into emptied output folders in {os.environ['W']}; brackets: into an unchanged "
      "output folder, and onto the disk (target/bench/disk), in the same hyperfine run.")
PY
