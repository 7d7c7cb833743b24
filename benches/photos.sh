#!/usr/bin/env bash
# The photo benchmark (issue 20): the 100-page synthetic site with a 12 MP photo
# (4032 x 3024 or upright, a few MB, from examples/bench_photos.rs) on each of 20 pages,
# built by the release binary
#   - cold: no image cache, no output (every photo decoded, resized, encoded);
#   - warm: the cache full and the output there (the usual rebuild, and serve's);
#   - and the same pages without the photos, warm, which the warm rebuild is held to
#     (target: no more than 10 % slower).
# Each with its wall time (hyperfine) and peak RSS (GNU time).
#
#   bash benches/photos.sh           # ~5 minutes on 2 idle cores (2 of them making photos)
#   PHOTOS=5 bash benches/photos.sh  # fewer photos, for a quick look
#
# Needs: cargo, hyperfine, GNU time, Python 3 (`apt-get install -y hyperfine time`). Results go to $RESULTS (default target/bench/photos/): hyperfine's
# JSON and results.md, which is also printed. Everything is built in a temporary folder.
set -euo pipefail

case "${1:-}" in
  -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
  "") ;;
  *) echo "unknown argument: $1 (try --help)" >&2; exit 2 ;;
esac

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$REPO/target}"
RESULTS="${RESULTS:-$CARGO_TARGET_DIR/bench/photos}"
LECTERN="$CARGO_TARGET_DIR/release/lectern"
PHOTOS="${PHOTOS:-20}"
COLD_RUNS="${COLD_RUNS:-3}"
WARM_RUNS="${WARM_RUNS:-10}"

need() { command -v "$1" >/dev/null || { echo "missing $1: $2" >&2; exit 1; }; }
need cargo "install Rust"
need hyperfine "apt-get install -y hyperfine"
[ -x /usr/bin/time ] || { echo "missing GNU time: apt-get install -y time" >&2; exit 1; }
need python3 "apt-get install -y python3"
PYTHON=python3

echo "== building lectern (release) =="
(cd "$REPO" && cargo build --release --locked --quiet && cargo build --release --locked --quiet --example bench_photos)

WORK="$(mktemp -d "${TMPDIR:-/tmp}/lectern-photos.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
rm -rf "$RESULTS" && mkdir -p "$RESULTS"

echo "== making the sites ($PHOTOS photos of 12 MP) =="
"$PYTHON" "$REPO/benches/photos.py" --photos "$PHOTOS" --out "$WORK/photos"
"$CARGO_TARGET_DIR/release/examples/bench_photos" "$WORK/photos/static/img" "$PHOTOS" >/dev/null
"$PYTHON" "$REPO/benches/photos.py" --photos 0 --out "$WORK/plain"
SOURCE_MB=$(du -sm "$WORK/photos/static/img" | cut -f1)

# Peak RSS in MB of one build of the site in $1, after running $2 (a preparation).
peak_rss() {
  (cd "$1" && eval "$2" && /usr/bin/time -v "$LECTERN" build 2>&1 >/dev/null) \
    | awk '/Maximum resident set size/ { printf "%.0f\n", $6 / 1024 }'
}

COLD_PREP="rm -rf .lectern/images public"
echo "== cold: $COLD_RUNS builds, cache and output removed before each =="
(cd "$WORK/photos" && hyperfine --runs "$COLD_RUNS" --prepare "$COLD_PREP" \
  --export-json "$RESULTS/cold.json" "$LECTERN build")
COLD_RSS=$(peak_rss "$WORK/photos" "$COLD_PREP")

echo "== warm: $WARM_RUNS rebuilds with the cache full and the output there =="
(cd "$WORK/photos" && hyperfine --warmup 1 --runs "$WARM_RUNS" \
  --export-json "$RESULTS/warm.json" "$LECTERN build")
WARM_RSS=$(peak_rss "$WORK/photos" true)
(cd "$WORK/photos" && LECTERN_TIMINGS=1 "$LECTERN" build >"$RESULTS/warm-stages.txt" 2>&1)

echo "== the same pages without photos: $WARM_RUNS rebuilds =="
(cd "$WORK/plain" && hyperfine --warmup 1 --runs "$WARM_RUNS" \
  --export-json "$RESULTS/plain.json" "$LECTERN build")
PLAIN_RSS=$(peak_rss "$WORK/plain" true)

OUTPUT_MB=$(du -sm "$WORK/photos/public/img" | cut -f1)
WEBP_KB=$(du -ck "$WORK/photos/public/img/"*.webp | tail -1 | cut -f1)
JPEG_KB=$(du -ck "$WORK/photos/public/img/"*-*.jpg | tail -1 | cut -f1)

"$PYTHON" - "$RESULTS" "$PHOTOS" "$SOURCE_MB" "$OUTPUT_MB" "$WEBP_KB" "$JPEG_KB" \
  "$COLD_RSS" "$WARM_RSS" "$PLAIN_RSS" <<'PY' | tee "$RESULTS/results.md"
import json, sys
results, photos, source_mb, output_mb, webp_kb, jpeg_kb, cold_rss, warm_rss, plain_rss = sys.argv[1:]
def times(name):
    r = json.load(open(f"{results}/{name}.json"))["results"][0]
    return r["mean"], r["stddev"] or 0.0, min(r["times"])
cold, warm, plain = times("cold"), times("warm"), times("plain")
print(f"{photos} photos of 4032 x 3024 (every other upright), {source_mb} MB of JPEG; published: {output_mb} MB "
      f"(WebP {int(webp_kb) // 1024} MB, JPEG {int(jpeg_kb) // 1024} MB)\n")
print("| Case | Wall time (mean ± σ) | Fastest | Peak RSS |")
print("|---|---:|---:|---:|")
for label, t, rss in [("cold (no cache, no output)", cold, cold_rss),
                      ("warm rebuild (cache full)", warm, warm_rss),
                      ("same pages, no photos", plain, plain_rss)]:
    print(f"| {label} | {t[0] * 1000:,.0f} ± {t[1] * 1000:,.0f} ms | {t[2] * 1000:,.0f} ms | {rss} MB |")
ratio = warm[0] / plain[0]
print(f"\nwarm / no photos: {ratio:.2f} (target ≤ 1.10: {'met' if ratio <= 1.10 else 'MISSED'})")
PY
