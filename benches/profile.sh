#!/usr/bin/env bash
# Where `lectern build` spends its time, by stage: a sampling profile with perf.
#
#   bash benches/profile.sh [PAGES]     # default 10000
#
# Needs perf (`apt-get install -y linux-perf`). Hardware counters are often not there in
# a VM, so it samples the cpu-clock software event; call stacks are unwound with DWARF
# (the release profile keeps line tables, `debug = "line-tables-only"`, and .eh_frame).
# Writes $RESULTS/profile-PAGES.md (default target/bench/): the stage table from
# benches/stages.py and perf's own top symbols.
set -euo pipefail

PAGES="${1:-10000}"
FREQ=199 # Hz: ~2,000 samples over a 10 s build, with 16 KB stacks → ~40 MB of perf.data
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$REPO/target}"
RESULTS="${RESULTS:-$CARGO_TARGET_DIR/bench}"
LECTERN="$CARGO_TARGET_DIR/release/lectern"

command -v perf >/dev/null || { echo "missing perf: apt-get install -y linux-perf" >&2; exit 1; }
(cd "$REPO" && cargo build --release --locked --quiet)
mkdir -p "$RESULTS"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/lectern-profile.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

python3 "$REPO/benches/generate.py" --pages "$PAGES" --out "$WORK/site" --seed 1
# One build first: the profiled build then runs over an existing output folder (the
# usual rebuild, as in run.sh) with the content in the page cache.
"$LECTERN" --root "$WORK/site" build -o "$WORK/out"
perf record -q -e cpu-clock -F "$FREQ" --call-graph dwarf,16384 -o "$WORK/perf.data" \
  "$LECTERN" --root "$WORK/site" build -o "$WORK/out"

out="$RESULTS/profile-$PAGES.md"
{
  echo "## Profile: $PAGES pages ($(date -u +%Y-%m-%d), $(git -C "$REPO" rev-parse --short HEAD))"
  echo
  perf script -i "$WORK/perf.data" -F tid,time,ip,sym 2>/dev/null \
    | python3 "$REPO/benches/stages.py" --freq "$FREQ"
  echo
  echo "Top symbols (self time):"
  echo
  echo '```'
  perf report -i "$WORK/perf.data" --no-children --sort symbol --stdio -g none 2>/dev/null \
    | grep -v '^#' | grep -v '^$' | grep '%' | head -25 | cut -c1-150
  echo '```'
} >"$out"
cat "$out"
