#!/usr/bin/env bash
# Compares two lectern binaries on the same sites, each case's runs of both taken back to
# back by one hyperfine call, so that both meet the same machine load:
#
#   bash benches/compare.sh OLD_LECTERN NEW_LECTERN
#
# Cases: the memorial cold (no output folder), and the 1,000- and 10,000-page synthetic
# sites rebuilt over their own output and built into an empty folder. Each binary
# builds into an output folder of its own. Results (hyperfine JSON and a table of
# medians) go to $RESULTS (default target/bench-compare/). Needs hyperfine and python3.
set -euo pipefail

[ $# = 2 ] || { sed -n '2,10p' "$0"; exit 2; }
OLD="$(realpath "$1")"
NEW="$(realpath "$2")"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RESULTS="${RESULTS:-$REPO/target/bench-compare}"
RUNS_SMALL="${RUNS_SMALL:-10}"
RUNS_BIG="${RUNS_BIG:-3}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/lectern-compare.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
rm -rf "$RESULTS" && mkdir -p "$RESULTS"

echo "== memorial (cold) =="
for who in old new; do
  mkdir -p "$WORK/memorial-$who"
  cp -r "$REPO/site.toml" "$REPO/content" "$REPO/sources" "$WORK/memorial-$who/"
done
hyperfine --warmup 2 --runs "$RUNS_SMALL" --export-json "$RESULTS/memorial.json" --style basic \
  --prepare "rm -rf $WORK/memorial-old/public $WORK/memorial-new/public" \
  -n old "$OLD --root $WORK/memorial-old build" \
  -n new "$NEW --root $WORK/memorial-new build"

for n in 1000 10000; do
  runs="$RUNS_SMALL"; [ "$n" = 10000 ] && runs="$RUNS_BIG"
  python3 "$REPO/benches/generate.py" --pages "$n" --out "$WORK/site-$n" --seed 1 >/dev/null
  echo "== $n pages, rebuild =="
  hyperfine --warmup 1 --runs "$runs" --export-json "$RESULTS/rebuild-$n.json" --style basic \
    -n old "$OLD --root $WORK/site-$n build -o $WORK/out-$n-old" \
    -n new "$NEW --root $WORK/site-$n build -o $WORK/out-$n-new"
  echo "== $n pages, into an empty folder =="
  hyperfine --runs "$runs" --export-json "$RESULTS/fresh-$n.json" --style basic \
    --prepare "rm -rf $WORK/fresh-old $WORK/fresh-new" \
    -n old "$OLD --root $WORK/site-$n build -o $WORK/fresh-old" \
    -n new "$NEW --root $WORK/site-$n build -o $WORK/fresh-new"
  rm -rf "$WORK/fresh-old" "$WORK/fresh-new" "$WORK/out-$n-old" "$WORK/out-$n-new"
done

python3 - "$RESULTS" <<'PY' | tee "$RESULTS/results.md"
import json, pathlib, statistics, sys
results = pathlib.Path(sys.argv[1])
print("| case | old: median (min–max) | new: median (min–max) | new/old |")
print("|---|---|---|---:|")
def fmt(s):
    return f"{s * 1000:.0f} ms" if s < 1 else f"{s:.2f} s"
for name in ["memorial", "rebuild-1000", "fresh-1000", "rebuild-10000", "fresh-10000"]:
    data = json.loads((results / f"{name}.json").read_text())["results"]
    row = {r["command"]: r for r in data}
    med = {k: statistics.median(v["times"]) for k, v in row.items()}
    cells = [f"**{fmt(med[k])}** ({fmt(min(row[k]['times']))}–{fmt(max(row[k]['times']))})" for k in ("old", "new")]
    print(f"| {name} | {cells[0]} | {cells[1]} | {med['new'] / med['old']:.2f} |")
PY
