#!/usr/bin/env bash
# Lighthouse (mobile preset: a mid-range phone on a slow 4G network) on a page of phone
# photos: COUNT (6) synthetic photos of 4032 x 3024 (every other one upright), a few MB
# each like a phone's, made by examples/bench_photos.rs, between paragraphs of Chinese
# text. Built with the release binary, served as static files, three runs; prints the
# median of each category's score, the page weight, LCP and layout shift, and what
# the image stage made of the photos. The figures go in BENCHMARKS.md; Lighthouse's
# reports are kept in target/bench/photos-lighthouse/ (run-N.json) to read why.
#
#   (cd benches/lighthouse && npm ci)   # once, as for benches/lighthouse.sh
#   bash benches/photos-site.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
PORT=${PORT:-8392}
COUNT=${COUNT:-6}
# Paragraphs after each photo: with 3, every photo but the last is within the distance
# at which a phone's browser fetches lazy images ahead of the screen.
PARAGRAPHS=${PARAGRAPHS:-3}
LH=benches/lighthouse/node_modules/.bin/lighthouse
[ -x "$LH" ] || { echo "run: (cd benches/lighthouse && npm ci)" >&2; exit 1; }
CHROME=${CHROME_PATH:-$(command -v chromium || command -v chromium-browser || command -v google-chrome)}
TARGET=${CARGO_TARGET_DIR:-target}
case "$TARGET" in /*) ;; *) TARGET="$PWD/$TARGET" ;; esac
work=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
cargo build --release --quiet
cargo build --release --quiet --example bench_photos

site="$work/site"
"$TARGET/release/examples/bench_photos" "$site/static/img" "$COUNT" >/dev/null
cat >"$site/site.toml" <<'EOF'
title = "相冊"
base_url = "https://example.org/"
description = "一頁手機拍的照片"
language = "zh-Hant"
EOF
paragraph="那一年的夏天很長，我們在院子裡談論未來，談論那些還沒有寫下的書。他總是說，慢慢來，時間會把該留下的留下。"
mkdir -p "$site/content"
printf '+++\ntitle = "相冊"\nweight = 0\n+++\n照片在[這裡](@/photos.md)。\n' >"$site/content/_index.md"
{
  printf '+++\ntitle = "照片"\nweight = 1\n+++\n'
  printf '%s\n\n' "$paragraph"
  for i in $(seq "$COUNT"); do
    printf '![第 %s 張照片](/img/photo-%s.jpg)\n\n' "$i" "$i"
    for _ in $(seq "$PARAGRAPHS"); do printf '%s\n\n' "$paragraph"; done
  done
} >"$site/content/photos.md"
(cd "$site" && "$TARGET/release/lectern" build -u "http://127.0.0.1:$PORT/" -o "$work/public" >/dev/null)

python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$work/public" >/dev/null 2>&1 &
server=$!
sleep 1
for run in $(seq "$RUNS"); do
  CHROME_PATH="$CHROME" "$LH" "http://127.0.0.1:$PORT/photos/" --quiet \
    --chrome-flags="--headless --no-sandbox --disable-gpu --no-first-run --user-data-dir=$work/chrome-$run" \
    --only-categories=performance,accessibility,best-practices,seo \
    --output=json --output-path="$work/run-$run.json" >/dev/null 2>&1
done
mkdir -p "$TARGET/bench/photos-lighthouse"
cp "$work"/run-*.json "$TARGET/bench/photos-lighthouse/"
printf 'photos: %s originals, %s bytes; published: %s files, %s bytes\n' \
  "$COUNT" "$(cat "$site"/static/img/*.jpg | wc -c)" \
  "$(ls "$work"/public/img/*.jpg | wc -l)" "$(cat "$work"/public/img/*.jpg | wc -c)"
node -e '
  const fs = require("fs");
  const [dir, runs] = process.argv.slice(1);
  const reports = [...Array(Number(runs)).keys()].map((i) => JSON.parse(fs.readFileSync(`${dir}/run-${i + 1}.json`)));
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const score = (c) => Math.round(100 * median(reports.map((r) => r.categories[c].score)));
  const audit = (id) => median(reports.map((r) => r.audits[id].numericValue));
  console.log("page           perf  a11y  best   seo");
  console.log(["/photos/".padEnd(14), ...["performance", "accessibility", "best-practices", "seo"].map((c) => String(score(c)).padStart(5))].join(" "));
  console.log(`performance of each run: ${reports.map((r) => Math.round(100 * r.categories.performance.score)).join(", ")}`);
  console.log(`median: weight ${Math.round(audit("total-byte-weight") / 1024)} KiB, FCP ${Math.round(audit("first-contentful-paint"))} ms, ` +
    `LCP ${Math.round(audit("largest-contentful-paint"))} ms, TBT ${Math.round(audit("total-blocking-time"))} ms, ` +
    `CLS ${audit("cumulative-layout-shift").toFixed(3)}, Speed Index ${Math.round(audit("speed-index"))} ms`);
  const first = reports[0];
  const lcp = first.audits["largest-contentful-paint-element"];
  const item = lcp && lcp.details && lcp.details.items && lcp.details.items[0];
  const node = item && (item.node || (item.items && item.items[0] && item.items[0].node));
  if (node) console.log(`LCP element (run 1): ${node.snippet}`);
  const requests = first.audits["network-requests"].details.items
    .filter((r) => r.resourceType === "Image")
    .map((r) => `${r.url.replace(/^.*\//, "")} ${Math.round(r.transferSize / 1024)} KiB`);
  console.log(`images fetched (run 1): ${requests.join(", ")}`);
  const failing = new Set();
  for (const r of reports) for (const a of Object.values(r.audits))
    if (a.score !== null && a.score < 0.9 && a.scoreDisplayMode !== "informative" && a.scoreDisplayMode !== "notApplicable") failing.add(a.id);
  if (failing.size) console.log("below 0.9: " + [...failing].join(", "));
' "$work" "$RUNS"
