#!/usr/bin/env bash
# benches/run.sh: measures nianbao against the goals of issue 12 and against the
# Python peer (benches/peer), and prints the figures as a Markdown table.
#
#   bash benches/run.sh            # everything (about 15 minutes on 2 cores)
#   RUNS=30 SLOW_RUNS=10 RSS_RUNS=3 SAVES=20 bash benches/run.sh
#
# Steps: (a) builds nianbao and make-bench-project in release; (b) makes the 10-,
# 50- and 400-year projects (40 metrics, 12 sections, 7 charts) in target/bench/;
# (c) sets up target/bench/venv with the peer's requirements; (d) times with
# hyperfine (--warmup 3, JSON in target/bench/*.json), measures peak RSS with
# /usr/bin/time -f %M (median of RSS_RUNS) and output size with du -sb; (e) prints
# the table (also saved as target/bench/table.md).
#
# Every timed build writes into an emptied output folder (hyperfine --prepare
# 'rm -rf OUT'), so each run writes every file, as a first build does; FRESH=0
# keeps the previous output instead (nianbao then leaves unchanged files alone).
# Three builds are also timed into an unchanged output folder, in the same
# hyperfine run as their fresh twin: that is nianbao without its writes (it
# compares each file and leaves it alone), shown in brackets in the table.
# It only uses the command line of `nianbao build` (--year, --all, --root, --out)
# and `serve --port 0`, and never lists output files, so it runs unchanged before
# and after an optimisation and whatever files a build adds.
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$PWD
B=$REPO/target/bench
RUNS=${RUNS:-30}          # hyperfine runs of the quick commands
SLOW_RUNS=${SLOW_RUNS:-10} # hyperfine runs of `build --all` (seconds each)
RSS_RUNS=${RSS_RUNS:-3}   # /usr/bin/time runs for peak RSS
SAVES=${SAVES:-20}        # saves timed by serve_latency.py
FRESH=${FRESH:-1}
export FRESH
SHAPE=(--metrics 40 --sections 12 --charts 7)
LAST=2006                 # every synthetic project ends in 2006

need() { command -v "$1" >/dev/null || { echo "error: $1 is needed ($2)" >&2; exit 2; }; }
need hyperfine "apt-get install -y hyperfine"
need python3 "Python 3.11 or later"
[ -x /usr/bin/time ] || { echo "error: /usr/bin/time is needed (apt-get install -y time)" >&2; exit 2; }

mkdir -p "$B"
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

# (b) synthetic projects, made afresh (serve_latency.py edits one of them)
for n in 10 50 400; do
  log "making the $n-year project in target/bench/p$n"
  rm -rf "$B/p$n"
  "$MAKE" "$B/p$n" "$n" "${SHAPE[@]}"
done
rm -rf "$B"/keep-* # "unchanged output" folders start empty; the warm-up fills them
# The example project, copied so that nothing here writes into the repository.
rm -rf "$B/example"
mkdir -p "$B/example"
cp -r "$REPO/nianbao.toml" "$REPO/data" "$B/example/"
[ -d "$REPO/templates" ] && cp -r "$REPO/templates" "$B/example/"

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

prep() { # the --prepare command for an output folder
  if [ "$FRESH" = 1 ]; then echo "rm -rf $1"; else echo "true"; fi
}

# (d) measurements
settle
log "build --year $LAST at 10, 50 and 400 years (one hyperfine run)"
hyperfine -N --style basic --warmup 3 --runs "$RUNS" \
  --export-json "$B/year-last.json" \
  --prepare "$(prep "$B/out-y10")" --prepare "$(prep "$B/out-y50")" --prepare "$(prep "$B/out-y400")" \
  -n "p10 --year $LAST" "$NB -q --root $B/p10 build --year $LAST --out $B/out-y10" \
  -n "p50 --year $LAST" "$NB -q --root $B/p50 build --year $LAST --out $B/out-y50" \
  -n "p400 --year $LAST" "$NB -q --root $B/p400 build --year $LAST --out $B/out-y400" \
  --prepare true \
  -n "p50 --year $LAST, unchanged output" "$NB -q --root $B/p50 build --year $LAST --out $B/keep-y50" >&2

settle
log "build --year 2006 on the example"
hyperfine -N --style basic --warmup 3 --runs "$((RUNS * 2))" \
  --export-json "$B/example.json" \
  --prepare "$(prep "$B/out-example")" \
  -n "example --year 2006" "$NB -q --root $B/example build --year 2006 --out $B/out-example" \
  --prepare true \
  -n "example --year 2006, unchanged output" "$NB -q --root $B/example build --year 2006 --out $B/keep-example" >&2

settle
log "build --all at 50 years: nianbao and the Python peer (one hyperfine run)"
hyperfine -N --style basic --warmup 3 --runs "$SLOW_RUNS" \
  --export-json "$B/all-vs-peer.json" \
  --prepare "$(prep "$B/out-all50")" --prepare "$(prep "$B/out-peer50")" \
  -n "nianbao --all" "$NB -q --root $B/p50 build --all --out $B/out-all50" \
  -n "peer --all" "$PY $PEER -q --root $B/p50 --all --out $B/out-peer50" \
  --prepare true \
  -n "nianbao --all, unchanged output" "$NB -q --root $B/p50 build --all --out $B/keep-all50" >&2

rss_and_size() { # years → "median_peak_kb bytes"
  local n=$1 out="$B/out-rss$1" kb=()
  for _ in $(seq "$RSS_RUNS"); do
    rm -rf "$out"
    kb+=("$(/usr/bin/time -f %M "$NB" -q --root "$B/p$n" build --all --out "$out" 2>&1 >/dev/null | tail -n 1)")
  done
  local bytes
  bytes=$(du -sb "$out" | cut -f1)
  [ "$n" = 400 ] && [ "${KEEP:-0}" != 1 ] && rm -rf "$out" # gigabytes
  echo "$(printf '%s\n' "${kb[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}') $bytes"
}
settle
log "peak RSS and output size of build --all at 10, 50 and 400 years ($RSS_RUNS runs each)"
read -r RSS10 SIZE10 < <(rss_and_size 10)
read -r RSS50 SIZE50 < <(rss_and_size 50)
read -r RSS400 SIZE400 < <(rss_and_size 400)

settle
log "serve: save → new metrics.json at 50 years ($SAVES saves)"
SERVE_JSON=$(python3 "$REPO/benches/serve_latency.py" --nianbao "$NB" --root "$B/p50" \
  --saves "$SAVES" --log "$B/serve.log")
echo "$SERVE_JSON" > "$B/serve.json"
rm -rf "$B/p50/output"

# (e) the table
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
COMMIT=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$REPO" diff --quiet HEAD -- src Cargo.toml Cargo.lock 2>/dev/null || COMMIT="$COMMIT+changes"
export LOAD_START LOAD_END COMMIT
python3 - "$B" "$RSS10" "$RSS50" "$RSS400" "$SIZE10" "$SIZE50" "$SIZE400" <<'PY' | tee "$B/table.md"
import json, sys
b = sys.argv[1]
rss10, rss50, rss400, size10, size50, size400 = map(int, sys.argv[2:])

def medians(name):
    return {r["command"]: r["median"] for r in json.load(open(f"{b}/{name}.json"))["results"]}

def ms(s):
    return f"{s * 1000:.1f} ms" if s < 10 else f"{s:.2f} s"

def verdict(ok):
    return "yes" if ok else "**no**"

y = medians("year-last")
y10, y50, y400 = y["p10 --year 2006"], y["p50 --year 2006"], y["p400 --year 2006"]
y50_keep = y["p50 --year 2006, unchanged output"]
e = medians("example")
ex, ex_keep = e["example --year 2006"], e["example --year 2006, unchanged output"]
a = medians("all-vs-peer")
nb_all, peer_all = a["nianbao --all"], a["peer --all"]
nb_all_keep = a["nianbao --all, unchanged output"]
serve = json.load(open(f"{b}/serve.json"))
per10, per50, per400 = size10 / 10, size50 / 50, size400 / 400

def mb(n):
    return f"{n / 1e6:.1f} MB"

rows = [
    ("`build --year LAST` on the 50-year project", "≤ 10 ms",
     f"{ms(y50)} (unchanged output: {ms(y50_keep)})", verdict(y50 <= 0.010)),
    ("the same at 400 years ÷ at 10 years", "≤ 1.3×",
     f"{y400 / y10:.2f}× ({ms(y400)} / {ms(y10)})", verdict(y400 / y10 <= 1.3)),
    ("`build --all`, 50 years, against the Python peer", "≥ 25× faster",
     f"{peer_all / nb_all:.2f}× (nianbao {ms(nb_all)}, peer {ms(peer_all)}; "
     f"nianbao into unchanged output {ms(nb_all_keep)})",
     verdict(peer_all / nb_all >= 25)),
    ("`build --all` peak RSS, 400 years ÷ 50 years", "≤ 1.5×",
     f"{rss400 / rss50:.2f}× ({rss400 / 1024:.0f} MiB / {rss50 / 1024:.0f} MiB; 10 years: {rss10 / 1024:.0f} MiB)",
     verdict(rss400 / rss50 <= 1.5)),
    ("output size with charts, 50 years", "linear in years",
     f"{mb(size50)} ({mb(per50)}/year); 10 years {mb(size10)} ({mb(per10)}/year); "
     f"400 years {mb(size400)} ({mb(per400)}/year); per year 400 ÷ 10: {per400 / per10:.2f}×",
     verdict(per400 / per10 <= 1.1)),
    ("`serve`: save to new output on disk, 50 years", "≤ 100 ms",
     f"{serve['median_ms']:.0f} ms (min {serve['min_ms']:.0f}, max {serve['max_ms']:.0f}, "
     f"{serve['saves']} saves; server's build {serve['server_build_ms_median']} ms); "
     f"touch rebuilds: {'yes' if serve['touch_rebuilds'] else 'no'}, "
     f"same-bytes save rebuilds: {'yes' if serve['same_bytes_rebuilds'] else 'no'}",
     verdict(serve["median_ms"] <= 100)),
    ("`build --year 2006` on the example", "≤ 5 ms",
     f"{ms(ex)} (unchanged output: {ms(ex_keep)})", verdict(ex <= 0.005)),
]
print("| measure | goal | today (median) | met |")
print("| --- | --- | --- | --- |")
for r in rows:
    print("| " + " | ".join(r) + " |")
import os
print()
print(f"nianbao {os.environ['COMMIT']}; {os.cpu_count()} cores; load average "
      f"{os.environ['LOAD_START']} at the start, {os.environ['LOAD_END']} at the end; "
      "hyperfine medians, every build into an emptied output folder"
      + ("" if os.environ.get("FRESH", "1") == "1" else " (FRESH=0: into the previous output)") + ".")
PY
