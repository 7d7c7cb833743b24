#!/usr/bin/env python3
"""Writes the photo benchmark's sites: the 100-page synthetic site of generate.py, with
or without a 12 MP photo on each of its first N pages.

    python3 benches/photos.py --photos 20 --out /tmp/photos-site [--seed 1]
    python3 benches/photos.py --photos 0 --out /tmp/no-photos-site   # the same pages, no photo

Each photo is a 4000 x 3000 JPEG (quality 92, as a phone saves it) made to compress like
a photograph: soft gradients at various angles, blurred shapes (things out of focus) and
sensor-like noise at full resolution, so that each file is a few MB, as a phone's is.
A page shows its photo with `![照片 K](/img/photo-K.jpg)` after its first paragraph.

Needs Pillow (`apt-get install -y python3-pil`, or `pip install pillow`). The pages
depend on --seed alone; the noise comes from Pillow's own generator, so two runs write
photos of the same kind and size, not the same bytes.
"""

import argparse
import os
import random
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate  # noqa: E402  (the page generator beside this script)

PAGES = 100
WIDTH, HEIGHT = 4000, 3000


def photo(rng: random.Random, path: str) -> None:
    from PIL import Image, ImageChops, ImageDraw, ImageFilter

    channels = [
        Image.linear_gradient("L").rotate(rng.uniform(0, 360)).resize((WIDTH, HEIGHT))
        for _ in range(3)
    ]
    base = Image.merge("RGB", channels)
    # Shapes drawn small and blurred, then scaled up: soft, like a background out of focus.
    small = Image.new("RGB", (WIDTH // 8, HEIGHT // 8))
    draw = ImageDraw.Draw(small)
    for _ in range(40):
        x, y = rng.randrange(WIDTH // 8), rng.randrange(HEIGHT // 8)
        r = rng.randrange(10, 120)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rng.randrange(256) for _ in range(3)))
    shapes = small.filter(ImageFilter.GaussianBlur(4)).resize((WIDTH, HEIGHT), Image.BICUBIC)
    picture = Image.blend(base, shapes, 0.5)
    # Fine detail at full resolution, as a sensor records it: what makes a photo's JPEG big.
    noise = Image.merge("RGB", [Image.effect_noise((WIDTH, HEIGHT), 10) for _ in range(3)])
    picture = ImageChops.add(picture, noise, 1.0, -128)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    picture.save(path, quality=92)


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
    rng = random.Random(args.seed)
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
        photo(rng, os.path.join(args.out, "static", "img", f"photo-{k}.jpg"))


if __name__ == "__main__":
    main()
