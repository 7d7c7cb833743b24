#!/usr/bin/env bash
# Compares two lectern binaries on the same sites, their runs interleaved (old, new,
# new, old, …) so that both meet the same machine and disk state:
#
#   bash benches/compare.sh OLD_LECTERN NEW_LECTERN
#
# Cases: the memorial cold (no output folder), and the 1,000- and 10,000-page synthetic
# sites rebuilt over their own output and built into an empty folder. Each binary
# builds into an output folder of its own. Interleaving matters on a slow disk: a run of
# fresh builds back to back leaves more and more writeback behind, so whichever binary
# went second looked up to twice as slow. Results (every time, and a table of medians)
# go to $RESULTS (default target/bench-compare/). ONLY=REGEX runs only the cases whose
# name matches (e.g. ONLY='1,000 pages, into'). Needs python3.
set -euo pipefail

[ $# = 2 ] || { sed -n '2,12p' "$0"; exit 2; }
OLD="$(realpath "$1")"
NEW="$(realpath "$2")"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RESULTS="${RESULTS:-$REPO/target/bench-compare}"
RUNS_SMALL="${RUNS_SMALL:-10}"
RUNS_BIG="${RUNS_BIG:-4}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/lectern-compare.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
rm -rf "$RESULTS" && mkdir -p "$RESULTS"

for who in old new; do
  mkdir -p "$WORK/memorial-$who"
  cp -r "$REPO/site.toml" "$REPO/content" "$REPO/sources" "$WORK/memorial-$who/"
done
for n in 1000 10000; do
  python3 "$REPO/benches/generate.py" --pages "$n" --out "$WORK/site-$n" --seed 1 >/dev/null
done

python3 - "$OLD" "$NEW" "$WORK" "$RESULTS" "$RUNS_SMALL" "$RUNS_BIG" "${ONLY:-}" <<'PY' | tee "$RESULTS/results.md"
import json, pathlib, re, shutil, statistics, subprocess, sys, time
old, new, work, results, small, big, only = sys.argv[1:8]
work, results = pathlib.Path(work), pathlib.Path(results)
small, big = int(small), int(big)
binaries = {"old": old, "new": new}

def build(who, root, out=None):
    args = [binaries[who], "--root", str(root), "build"] + (["-o", str(out)] if out else [])
    started = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started

def case(name, runs, run):
    """`run(who)` times one build; old and new alternate, each order half the time."""
    times = {"old": [], "new": []}
    for who in ("old", "new"):
        run(who)  # warm-up, and the output folder a rebuild builds over
    for i in range(runs):
        for who in (("old", "new") if i % 2 == 0 else ("new", "old")):
            times[who].append(run(who))
    (results / f"{name}.json").write_text(json.dumps(times))
    return times

def fresh(root, tag):
    def run(who):
        out = work / f"{tag}-fresh-{who}"
        shutil.rmtree(out, ignore_errors=True)
        return build(who, root, out)
    return run

cases = [
    ("memorial, cold", small, lambda who: (shutil.rmtree(work / f"memorial-{who}" / "public", ignore_errors=True), build(who, work / f"memorial-{who}"))[1]),
]
for n in (1000, 10000):
    runs = small if n == 1000 else big
    site = work / f"site-{n}"
    cases.append((f"{n:,} pages, rebuild", runs, lambda who, site=site, n=n: build(who, site, work / f"out-{n}-{who}")))
    cases.append((f"{n:,} pages, into an empty folder", runs, fresh(site, n)))

def fmt(s):
    return f"{s * 1000:.0f} ms" if s < 1 else f"{s:.2f} s"

print("| case | old: median (min–max) | new: median (min–max) | new/old |")
print("|---|---|---|---:|")
for name, runs, run in cases:
    if only and not re.search(only, name):
        continue
    times = case(name.replace(" ", "-").replace(",", ""), runs, run)
    med = {k: statistics.median(v) for k, v in times.items()}
    cells = [f"**{fmt(med[k])}** ({fmt(min(times[k]))}–{fmt(max(times[k]))}, {runs})" for k in ("old", "new")]
    print(f"| {name} | {cells[0]} | {cells[1]} | {med['new'] / med['old']:.2f} |", flush=True)
PY
