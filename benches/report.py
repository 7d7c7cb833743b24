#!/usr/bin/env python3
"""Turns the files benches/run.sh leaves in its results folder into a Markdown table:
lectern's medians beside the issue's reference figures and targets.

    python3 benches/report.py target/bench

The reference figures (Zola 0.22, Hugo 0.111, mdBook 0.5) are the benchmark issue's,
measured on this machine class; they are quoted, not measured here.
"""

import json
import os
import re
import statistics
import sys

# The figures: (time in s, peak MB), None where the issue has none.
REFERENCE = {
    "memorial": {"Zola 0.22": (0.254, 123), "mdBook 0.5": (0.030, 12)},
    "memorial-clone": {"Zola 0.22": (0.254, 123), "mdBook 0.5": (0.030, 12)},
    "1000": {"Zola 0.22": (1.06, 141), "Hugo 0.111": (1.17, 154)},
    "10000": {"Zola 0.22": (13.2, 240), "Hugo 0.111": (17.0, 1085)},
    "1000-fresh": {"Zola 0.22": (1.06, 141), "Hugo 0.111": (1.17, 154)},
    "10000-fresh": {"Zola 0.22": (13.2, 240), "Hugo 0.111": (17.0, 1085)},
}
# The targets for lectern: (max s, max MB), None where there is none.
TARGET = {
    "memorial": (0.025, 20),
    "memorial-clone": (0.025, 20),
    "1000": (0.35, None),
    "10000": (3.3, 120),
    "1000-fresh": (0.35, None),
    "10000-fresh": (3.3, 120),
}
SERVE_TARGET_MS = {"memorial": 50, "1000": 300}
SERVE_LABEL = {"memorial": "memorial", "1000": "1,000 pages"}
LABEL = {
    "memorial": "memorial, cold process",
    "memorial-clone": "memorial, first build after a clone (whole import)",
    "100": "100 pages",
    "1000": "1,000 pages",
    "10000": "10,000 pages",
    "1000-fresh": "1,000 pages, into an empty folder",
    "10000-fresh": "10,000 pages, into an empty folder",
    "10000-refs": "10,000 pages, each citing one of 20 references (beyond the issue's content)",
}


def read(results, name):
    path = os.path.join(results, name)
    return open(path, encoding="utf-8").read() if os.path.exists(path) else None


def build_times(results, case):
    """Median, min and max wall time (s) of hyperfine's runs, and the number of runs."""
    text = read(results, f"build-{case}.json")
    if text is None:
        return None
    r = json.loads(text)["results"][0]
    times = r["times"]
    # user+system CPU (hyperfine gives their means): less sensitive than wall time to
    # other jobs on a shared machine, which delay the build but do not add to its CPU.
    cpu = r.get("user", 0) + r.get("system", 0)
    return statistics.median(times), min(times), max(times), len(times), cpu


def peak_mb(results, case):
    text = read(results, f"rss-{case}.txt")
    if not text:
        return None
    kb = [int(x) for x in text.split()]
    return statistics.median(kb) / 1024


def pages_built(results, case):
    text = read(results, f"pages-{case}.txt") or ""
    m = re.search(r"built (\d+) pages", text)
    return int(m.group(1)) if m else None


def mark(value, limit):
    if limit is None or value is None:
        return ""
    if value <= limit:
        return " ✅"
    over = (value / limit - 1) * 100
    return f" ❌ (+{over:.1f}%)" if over < 10 else f" ❌ (+{over:.0f}%)"


def fmt_s(s):
    return f"{s * 1000:.0f} ms" if s < 1 else f"{s:.2f} s"


def main():
    results = sys.argv[1] if len(sys.argv) > 1 else "target/bench"
    out = []
    out.append("| site | pages built | lectern: median (min–max, runs) | CPU user+sys (mean) | pages/s | lectern peak RSS | target | reference (issue) |")
    out.append("|---|---:|---|---:|---:|---:|---|---|")
    per_page = {}
    for case in ["memorial", "memorial-clone", "100", "1000", "10000", "10000-refs", "1000-fresh", "10000-fresh"]:
        t = build_times(results, case)
        if t is None:
            continue
        median, lo, hi, runs, cpu = t
        mb = peak_mb(results, case)
        pages = pages_built(results, case)
        if pages:
            per_page[case] = median / pages
        tmax, mbmax = TARGET.get(case, (None, None))
        target = []
        if tmax is not None:
            target.append(f"≤ {fmt_s(tmax)}")
        if mbmax is not None:
            target.append(f"≤ {mbmax} MB")
        ref = "; ".join(
            f"{name} {fmt_s(s)}, {m} MB" for name, (s, m) in REFERENCE.get(case, {}).items()
        ) or "—"
        out.append(
            f"| {LABEL[case]} | {pages or '?'} "
            f"| **{fmt_s(median)}**{mark(median, tmax)} ({fmt_s(lo)}–{fmt_s(hi)}, {runs}) "
            f"| {fmt_s(cpu)} "
            f"| {pages / median:,.0f} "
            f"| **{mb:.0f} MB**{mark(mb, mbmax)} "
            f"| {', '.join(target) or '—'} | {ref} |"
            if mb is not None and pages
            else f"| {LABEL[case]} | ? | {fmt_s(median)} | {fmt_s(cpu)} | | | | {ref} |"
        )

    cp = read(results, "cp-10000.json")
    if cp:
        times = json.loads(cp)["results"][0]["times"]
        mb = (read(results, "out-10000-mb.txt") or "?").strip()  # apparent size
        files = (read(results, "out-10000-files.txt") or "?").strip()
        out.append(
            f"| `cp -r` of the 10,000-page output ({mb} MB, {files} files): the I/O floor "
            f"| | {fmt_s(statistics.median(times))} ({fmt_s(min(times))}–{fmt_s(max(times))}, {len(times)}) | | | | — | issue: ~1.2 s for 170 MB |"
        )

    out.append("")
    out.append("| `lectern serve`: one edited page → `event: reload` | median (min–max, edits) | lectern's own \"ms after the change\" | target |")
    out.append("|---|---|---|---|")
    for case in ["memorial", "1000"]:
        text = read(results, f"serve-{case}.json")
        if not text:
            continue
        s = json.loads(text)
        target = SERVE_TARGET_MS[case]
        out.append(
            f"| {SERVE_LABEL[case]} | **{s['median_ms']:.0f} ms**{mark(s['median_ms'], target)} "
            f"({s['min_ms']:.0f}–{s['max_ms']:.0f}, {s['edits']}) "
            f"| {s['lectern_reported_median_ms']} ms | ≤ {target} ms |"
        )

    if "1000" in per_page and "10000" in per_page:
        ratio = per_page["10000"] / per_page["1000"]
        out.append("")
        out.append(
            f"Linearity: {per_page['1000'] * 1e6:.0f} µs/page at 1,000 pages, "
            f"{per_page['10000'] * 1e6:.0f} µs/page at 10,000 "
            f"(×{ratio:.2f}; 1.00 would be perfectly linear)."
        )
    print("\n".join(out))


if __name__ == "__main__":
    main()
