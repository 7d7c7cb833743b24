#!/usr/bin/env bash
# The benchmark harness: times `lectern build` as whole processes on synthetic sites of
# 100, 1,000 and 10,000 pages and on the memorial site, with peak memory, the I/O floor
# (copying the 10,000-page output) and `lectern serve`'s rebuild-to-reload latency.
#
#   bash benches/run.sh            # everything (~8 minutes on 2 idle cores; longer when busy)
#   bash benches/run.sh --smoke    # the 100-page case once: for CI, checks the harness runs
#
# Needs: cargo, python3, hyperfine and GNU time (`apt-get install -y hyperfine time`).
# Results go to $RESULTS (default target/bench/): the raw hyperfine JSON, the RSS
# samples, and results.md, the table that is also printed at the end.
# Nothing touches the network but loopback (the serve measurement), and nothing in the
# repository is written except under target/: every site is built in a temporary folder.
set -euo pipefail

SMOKE=0
for arg in "$@"; do
  case "$arg" in
    --smoke) SMOKE=1 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$REPO/target}"
RESULTS="${RESULTS:-$CARGO_TARGET_DIR/bench}"
LECTERN="$CARGO_TARGET_DIR/release/lectern"
# Runs per case: fewer for the big site, whose single build takes seconds.
RUNS_SMALL="${RUNS_SMALL:-10}"
RUNS_BIG="${RUNS_BIG:-5}"
RSS_SAMPLES=3

need() { command -v "$1" >/dev/null || { echo "missing $1: $2" >&2; exit 1; }; }
need cargo "install Rust"
need python3 "apt-get install -y python3"
if [ "$SMOKE" = 0 ]; then
  need hyperfine "apt-get install -y hyperfine"
  [ -x /usr/bin/time ] || { echo "missing GNU time: apt-get install -y time" >&2; exit 1; }
fi

echo "== building lectern (release) =="
(cd "$REPO" && cargo build --release --locked --quiet)

WORK="$(mktemp -d "${TMPDIR:-/tmp}/lectern-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
rm -rf "$RESULTS" && mkdir -p "$RESULTS"

# Generates the N-page site once; every timed build reads the same files.
generate() {
  python3 "$REPO/benches/generate.py" --pages "$1" --out "$WORK/site-$1" --seed 1
}

# Peak RSS in kB of one build, RSS_SAMPLES times (report.py takes the median).
# GNU time's "Maximum resident set size" is the peak of the process (lectern is one
# process; rayon's threads share its memory).
peak_rss() { # case, then the command
  local case="$1"; shift
  for _ in $(seq "$RSS_SAMPLES"); do
    /usr/bin/time -v "$@" 2>&1 >/dev/null \
      | awk -F': ' '/Maximum resident set size/ {print $2}' >>"$RESULTS/rss-$case.txt"
  done
}

# Times `lectern build` on one site: a warm-up build first (it also fills the page cache
# and leaves an output folder, so every timed run is the usual rebuild over an existing
# public/), then hyperfine's runs; each run is a whole new process.
bench_build() { # case, runs, site folder, [hyperfine options…]
  local case="$1" runs="$2" site="$3"; shift 3
  local cmd="$LECTERN --root $site build -o $WORK/out-$case"
  $cmd | tee "$RESULTS/pages-$case.txt"
  hyperfine --warmup 1 --runs "$runs" --export-json "$RESULTS/build-$case.json" \
    --style basic "$@" "$cmd"
  peak_rss "$case" $cmd
}

if [ "$SMOKE" = 1 ]; then
  # One build of the 100-page site: proves the generator's output builds (every internal
  # link and anchor resolves) and the harness runs. No timing is asserted.
  echo "== smoke: 100 pages, one build =="
  generate 100
  start=$(date +%s%N)
  "$LECTERN" --root "$WORK/site-100" build -o "$WORK/out-100" | tee "$RESULTS/pages-100.txt"
  end=$(date +%s%N)
  echo "smoke: 100-page build took $(((end - start) / 1000000)) ms (one run, not a benchmark)"
  grep -q "^built 1.. pages" "$RESULTS/pages-100.txt"
  exit 0
fi

# --- the memorial, cold -------------------------------------------------------------
# A copy of the repository's site files, so the repository's own public/ is never
# touched. "Cold" = a new process, and (via --prepare) no earlier output folder: the
# first build someone runs after a clone. The build includes the importer's pass over
# sources/felix-hill.txt, as `cargo run --release -- build` does.
echo "== memorial (cold) =="
mkdir -p "$WORK/memorial"
cp -r "$REPO/site.toml" "$REPO/content" "$REPO/sources" "$WORK/memorial/"
"$LECTERN" --root "$WORK/memorial" build | tee "$RESULTS/pages-memorial.txt"
hyperfine --warmup 1 --runs "$RUNS_SMALL" --export-json "$RESULTS/build-memorial.json" \
  --style basic --prepare "rm -rf $WORK/memorial/public" \
  "$LECTERN --root $WORK/memorial build"
for _ in $(seq "$RSS_SAMPLES"); do
  rm -rf "$WORK/memorial/public"
  /usr/bin/time -v "$LECTERN" --root "$WORK/memorial" build 2>&1 >/dev/null \
    | awk -F': ' '/Maximum resident set size/ {print $2}' >>"$RESULTS/rss-memorial.txt"
done
# The builds above find the import stamp the first one left (content/.lectern-import.json)
# and skip an import that would change nothing; the first build after a clone has no
# stamp and runs the whole import.
echo "== memorial, first build after a clone (no import stamp) =="
cp "$RESULTS/pages-memorial.txt" "$RESULTS/pages-memorial-clone.txt"
hyperfine --warmup 1 --runs "$RUNS_SMALL" --export-json "$RESULTS/build-memorial-clone.json" \
  --style basic --prepare "rm -rf $WORK/memorial/public $WORK/memorial/content/.lectern-import.json" \
  "$LECTERN --root $WORK/memorial build"
for _ in $(seq "$RSS_SAMPLES"); do
  rm -rf "$WORK/memorial/public" "$WORK/memorial/content/.lectern-import.json"
  /usr/bin/time -v "$LECTERN" --root "$WORK/memorial" build 2>&1 >/dev/null \
    | awk -F': ' '/Maximum resident set size/ {print $2}' >>"$RESULTS/rss-memorial-clone.txt"
done

# The Simplified edition's cost: the same memorial with its [[editions]] table removed,
# against the memorial with it (the issue allows both editions 1.5× one edition's time).
echo "== memorial: one edition against two =="
mkdir -p "$WORK/memorial-one"
cp -r "$REPO/site.toml" "$REPO/content" "$REPO/sources" "$WORK/memorial-one/"
python3 - "$WORK/memorial-one/site.toml" <<'PY'
import re, sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
open(path, "w", encoding="utf-8").write(re.sub(r"\[\[editions\]\]\n(?:[^\[\n][^\n]*\n)*", "", text))
PY
hyperfine -N --warmup 2 --runs 20 --export-json "$RESULTS/editions.json" --style basic \
  "$LECTERN --root $WORK/memorial-one build" "$LECTERN --root $WORK/memorial build"

# --- synthetic sites -----------------------------------------------------------------
for n in 100 1000 10000; do
  echo "== $n pages =="
  generate "$n"
  runs="$RUNS_SMALL"; [ "$n" = 10000 ] && runs="$RUNS_BIG"
  bench_build "$n" "$runs" "$WORK/site-$n"
done

# Beyond the issue's content: every page also cites one of 20 references declared on
# the home page, and a references page lists all 10,000 citations.
echo "== 10000 pages, each citing a reference =="
python3 "$REPO/benches/generate.py" --pages 10000 --references 20 --out "$WORK/site-10000-refs" --seed 1
bench_build "10000-refs" "$RUNS_BIG" "$WORK/site-10000-refs"
rm -rf "$WORK/site-10000-refs" "$WORK/out-10000-refs"

# --- into an empty output folder ---------------------------------------------------------
# The same builds with no earlier output: every page is written. (Over an output folder
# lectern owns, a rebuild leaves a page whose bytes are unchanged alone.)
for n in 1000 10000; do
  echo "== $n pages, into an empty folder =="
  runs="$RUNS_SMALL"; [ "$n" = 10000 ] && runs="$RUNS_BIG"
  cp "$RESULTS/pages-$n.txt" "$RESULTS/pages-$n-fresh.txt"
  hyperfine --runs "$runs" --export-json "$RESULTS/build-$n-fresh.json" --style basic \
    --prepare "rm -rf $WORK/fresh" "$LECTERN --root $WORK/site-$n build -o $WORK/fresh"
  for _ in $(seq "$RSS_SAMPLES"); do
    rm -rf "$WORK/fresh"
    /usr/bin/time -v "$LECTERN" --root "$WORK/site-$n" build -o "$WORK/fresh" 2>&1 >/dev/null \
      | awk -F': ' '/Maximum resident set size/ {print $2}' >>"$RESULTS/rss-$n-fresh.txt"
  done
done
rm -rf "$WORK/fresh"

# --- the I/O floor ---------------------------------------------------------------------
# Copying the 10,000-page output tree: what writing those bytes costs on this disk with
# no work at all. lectern cannot beat it.
echo "== cp -r of the 10,000-page output =="
du -sm --apparent-size "$WORK/out-10000" | cut -f1 >"$RESULTS/out-10000-mb.txt"
find "$WORK/out-10000" -type f | wc -l >"$RESULTS/out-10000-files.txt"
hyperfine --warmup 1 --runs "$RUNS_BIG" --export-json "$RESULTS/cp-10000.json" --style basic \
  --prepare "rm -rf $WORK/cp-copy" "cp -r $WORK/out-10000 $WORK/cp-copy"
rm -rf "$WORK/cp-copy"

# --- incremental serve -------------------------------------------------------------------
# Copies again, because the script appends lines to a page. On the memorial every
# content file is the importer's (a [generated] table), and it refuses to build over a
# hand edit; so the copy's references.md loses its [generated] table first, which is
# what lectern's own help tells a writer to do to keep a file as their own.
echo "== serve: one edited page → reload event =="
cp -r "$WORK/memorial" "$WORK/serve-memorial" && rm -rf "$WORK/serve-memorial/public"
sed -i '/^\[generated\]$/,/^hash = /d' "$WORK/serve-memorial/content/references.md"
python3 "$REPO/benches/serve_latency.py" --lectern "$LECTERN" --root "$WORK/serve-memorial" \
  --page content/references.md --edits 10 | tee "$RESULTS/serve-memorial.json"
cp -r "$WORK/site-1000" "$WORK/serve-1000"
python3 "$REPO/benches/serve_latency.py" --lectern "$LECTERN" --root "$WORK/serve-1000" \
  --page content/section-1/page-1.md --edits 10 | tee "$RESULTS/serve-1000.json"
ls -l "$WORK/out-10000/atom.xml" | awk '{print $5}' >"$RESULTS/atom-10000-bytes.txt"

# --- the table -----------------------------------------------------------------------------
python3 "$REPO/benches/report.py" "$RESULTS" | tee "$RESULTS/results.md"
