#!/usr/bin/env python3
"""Writes the photo benchmark's sites: the 100-page synthetic site of generate.py, with
or without a photo on each of its first N pages.

    python3 benches/photos.py --photos 20 --out /tmp/photos-site [--seed 1]
    python3 benches/photos.py --photos 0 --out /tmp/no-photos-site   # the same pages, no photo

A page shows its photo with `![照片 K](/img/photo-K.jpg)` after its first paragraph; the
photos themselves (12 MP phone-like JPEGs) are written by `examples/bench_photos.rs`
into `static/img/` (benches/photos.sh runs both).
"""

import argparse
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate  # noqa: E402  (the page generator beside this script)

PAGES = 100
WIDTH, HEIGHT = 4000, 3000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, required=True, help="how many pages show a photo")
    parser.add_argument("--out", required=True, help="the site folder to write (replaced)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not 0 <= args.photos <= PAGES:
        sys.exit(f"--photos must be 0 to {PAGES}")
    # Start clean so a run never leaves photos of an earlier one behind.
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    generate.generate(PAGES, args.out, args.seed)
    for k in range(1, args.photos + 1):
        page = os.path.join(args.out, "content", "section-1", f"page-{k}.md")
        with open(page, encoding="utf-8") as f:
            text = f.read()
        # After the front matter and the first paragraph: a photo inside the article.
        front_end = text.index("+++", 3) + 3
        first_break = text.index("\n\n", front_end + 1)
        text = f"{text[:first_break]}\n\n![照片 {k}](/img/photo-{k}.jpg){text[first_break:]}"
        with open(page, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)


if __name__ == "__main__":
    main()
