#!/usr/bin/env bash
# Lighthouse (mobile preset: a mid-range phone on a slow 4G network) on the memorial's
# home, a blog page, the references and the tributes page, three runs each; prints the
# median of each category's score (0-100). The figures go in BENCHMARKS.md.
#
#   (cd benches/lighthouse && npm ci)   # once: Lighthouse 12.8.2, the newest for Node 20
#   bash benches/lighthouse.sh
#
# The memorial is built for http://127.0.0.1:PORT/ into a temp folder and served there
# as GitHub Pages would serve it (static files; no live-reload script). A page of phone
# photos is measured by benches/photos-site.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
PORT=${PORT:-8391}
LH=benches/lighthouse/node_modules/.bin/lighthouse
[ -x "$LH" ] || { echo "run: (cd benches/lighthouse && npm ci)" >&2; exit 1; }
CHROME=${CHROME_PATH:-$(command -v chromium || command -v chromium-browser || command -v google-chrome)}
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
cargo build --release --quiet
./target/release/lectern build -u "http://127.0.0.1:$PORT/" -o "$work/public" >/dev/null
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$work/public" >/dev/null 2>&1 &
server=$!
sleep 1
printf '%-14s %5s %5s %5s %5s\n' page perf a11y best seo
for page in "" blog/money/ references/ tributes/; do
  for run in $(seq "$RUNS"); do
    CHROME_PATH="$CHROME" "$LH" "http://127.0.0.1:$PORT/$page" --quiet \
      --chrome-flags="--headless --no-sandbox --disable-gpu --no-first-run --user-data-dir=$work/chrome-$run" \
      --only-categories=performance,accessibility,best-practices,seo \
      --output=json --output-path="$work/run-$run.json" >/dev/null 2>&1
  done
  node -e '
    const fs = require("fs");
    const [dir, runs, page] = process.argv.slice(1);
    const reports = [...Array(Number(runs)).keys()].map((i) => JSON.parse(fs.readFileSync(`${dir}/run-${i + 1}.json`)));
    const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const score = (c) => Math.round(100 * median(reports.map((r) => r.categories[c].score)));
    const failing = new Set();
    for (const r of reports) for (const a of Object.values(r.audits))
      if (a.score !== null && a.score < 0.9 && a.scoreDisplayMode !== "informative" && a.scoreDisplayMode !== "notApplicable") failing.add(a.id);
    console.log([(page || "/").padEnd(14), ...["performance", "accessibility", "best-practices", "seo"].map((c) => String(score(c)).padStart(5))].join(" ")
      + (failing.size ? "   below 0.9: " + [...failing].join(", ") : ""));
  ' "$work" "$RUNS" "$page"
done
