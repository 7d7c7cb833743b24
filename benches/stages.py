#!/usr/bin/env python3
"""Sorts the samples of a `perf record --call-graph dwarf` profile of `lectern build`
into the build's stages, so the profile answers "where does the time go": load, the
importer, Markdown (+ highlighting), the anchor check, templates (context building vs
Tera itself), writing files, feeds, and the rest.

    perf script -i perf.data -F tid,time,ip,sym | python3 benches/stages.py --freq 199

Each sample is one stack, innermost frame first. The stage is decided by the innermost
frame that matches one of RULES (so Tera's escape filter counts as "escape_html", not
as the page render around it). CPU time per stage is samples / frequency, summed over
threads; the wall span is from the stage's first sample to its last (the stages run one
after the other in `lectern::build::build`, each in parallel over the pages).
"""

import argparse
import collections
import re
import sys

# (regex on a frame's symbol, stage, detail). Order does not matter: the innermost
# matching frame wins. Patterns name functions in src/ so the report points at code.
RULES = [
    (r"lectern::output::holds_exactly", "write", "holds_exactly: comparing a page with the file it would replace (src/output/mod.rs)"),
    (r"lectern::output::Staging::write\b", "write", "Staging::write (src/output/mod.rs): mkdir + write per page"),
    (r"lectern::render::relative::", "templates", "relative_urls: page-relative links (src/render/relative.rs)"),
    (r"lectern::output::search::tokens|lectern::output::search::doc_tokens|lectern::output::search::settle", "search", "tokenising each page's text (src/output/search.rs)"),
    (r"lectern::output::search::", "search", "merging postings and writing the index and its shards (src/output/search.rs)"),
    (r"lectern::render::nav::", "templates", "marking the current page in the shared navigation (src/render/nav.rs)"),
    (r"lectern::output::swap::|lectern::output::Staging::commit", "write", "Staging::commit → carry_over_and_swap (src/output/swap.rs)"),
    (r"lectern::output::Staging::create", "write", "Staging::create (src/output/mod.rs)"),
    (r"lectern::build::write_site_files|lectern::build::feed\b|lectern::output::feeds::", "feeds", "write_site_files: atom feed, sitemap, robots (src/build.rs)"),
    (r"lectern::render::escape_html", "templates", "escape_html, Tera's escaper (src/render/mod.rs)"),
    (r"lectern::render::context::nav_children|lectern::render::context::navigation", "templates", "navigation(): building the nav tree (src/render/context.rs)"),
    (r"tera::context::Context.*insert|lectern::[a-z_:]*::_::<impl serde", "templates", "Context::insert: serialising page/nav/prev/next to Tera values (render_document)"),
    (r"<tera::context::Context as core::clone::Clone>::clone|tera::context::Context.*clone", "templates", "base.clone(): copying the shared context per page (render_document)"),
    (r"lectern::render::page_references|lectern::render::context::page_references|lectern::render::context::link\b|lectern::render::context::url_of", "templates", "page context helpers (src/render/context.rs)"),
    (r"tera::", "templates", "Tera: rendering the templates"),
    (r"lectern::render::render_document|lectern::render::render_site|lectern::render::base_context|lectern::render::PageWriter", "templates", "render_document/PageWriter, other (src/render/mod.rs)"),
    (r"lectern::render::Renderer::load", "startup", "Renderer::load: parsing the theme's templates"),
    (r"lectern::markdown::highlight::", "markdown", "syntect highlighting (src/markdown/highlight.rs)"),
    (r"lectern::markdown::|lectern::build::render_markdown|pulldown_cmark::", "markdown", "pulldown-cmark + lectern's HTML writer (src/markdown/)"),
    (r"lectern::markdown::anchors::check_anchors", "anchors", "check_anchors (src/markdown/anchors.rs)"),
    (r"lectern::content::", "load", "load_site: read files, front matter, assemble (src/content/)"),
    (r"lectern::import::|lectern::build::import_article", "import", "importer (src/import/)"),
    (r"lectern::config::", "startup", "Settings::load (src/config.rs)"),
    (r"core::ptr::drop_in_place<.*lectern::", "drop", "dropping the site and rendered pages at exit"),
]
# Anchored at the start of the symbol (after an optional `<` of a trait impl), so a type
# named inside another function's generics (`drop_in_place<Vec<lectern::markdown::…>>`)
# does not count as that module's code.
COMPILED = [
    (re.compile("^<?(?:" + p.replace("^<?", "").replace("^", "") + ")"), stage, detail)
    for p, stage, detail in RULES
]
STAGE_ORDER = ["startup", "import", "load", "markdown", "anchors", "templates", "search", "write", "feeds", "drop", "other"]


def classify(frames):
    for sym in frames:
        for rx, stage, detail in COMPILED:
            if rx.search(sym):
                return stage, detail
    if any("lectern::" in f for f in frames):
        return "other", "lectern, not matched (main, allocator around stages)"
    if any("rayon_core::" in f for f in frames):
        return "other", "rayon worker idle/spinning between stages"
    return "other", "process start/exit, kernel, unmatched"


def samples(lines):
    """Yields (time_s, [symbols innermost first]) per sample of `perf script` output."""
    header_rx = re.compile(r"^\s*\d+\s+([\d.]+):")
    t, frames = None, []
    for line in lines:
        if not line.strip():
            if t is not None:
                yield t, frames
            t, frames = None, []
            continue
        if t is None:
            m = header_rx.match(line)
            if m:
                t = float(m.group(1))
            continue
        parts = line.strip().split(None, 1)
        sym = parts[1] if len(parts) > 1 else parts[0]
        frames.append(sym.removesuffix(" (inlined)"))
    if t is not None:
        yield t, frames


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--freq", type=float, required=True, help="perf record -F value")
    args = ap.parse_args()
    by_stage = collections.Counter()
    by_detail = collections.Counter()
    span = {}
    total = 0
    t0 = None
    for t, frames in samples(sys.stdin):
        total += 1
        t0 = t if t0 is None else min(t0, t)
        stage, detail = classify(frames)
        by_stage[stage] += 1
        by_detail[(stage, detail)] += 1
        lo, hi = span.get(stage, (t, t))
        span[stage] = (min(lo, t), max(hi, t))
    if not total:
        print("no samples", file=sys.stderr)
        return 1
    cpu = total / args.freq
    print(f"{total} samples at {args.freq:.0f} Hz = {cpu:.2f} s of CPU over all threads\n")
    print("| stage | CPU s | share | first–last sample (s after start) |")
    print("|---|---:|---:|---|")
    for stage in STAGE_ORDER:
        n = by_stage.get(stage, 0)
        if not n:
            continue
        lo, hi = span[stage]
        print(f"| {stage} | {n / args.freq:.2f} | {100 * n / total:.1f}% | {lo - t0:.2f}–{hi - t0:.2f} |")
    print("\n| stage | detail | CPU s | share |")
    print("|---|---|---:|---:|")
    for (stage, detail), n in sorted(by_detail.items(), key=lambda kv: -kv[1]):
        if 100 * n / total < 0.5:
            continue
        print(f"| {stage} | {detail} | {n / args.freq:.2f} | {100 * n / total:.1f}% |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
