#!/usr/bin/env python3
"""Writes a synthetic lectern site of N pages, for benchmarking `lectern build`.

    python3 benches/generate.py --pages 1000 --out /tmp/site-1000 [--seed 1]

The shape follows the benchmark issue, so lectern's figures can be set beside Zola's
and Hugo's on the same kind of site:

* `site.toml` with `title` and `base_url = "https://example.org/bench/"`;
* 100 pages per section: `content/section-S/_index.md` + `page-1.md` … `page-100.md`;
* Zola-style `+++` TOML front matter (title, weight, date, description);
* about 2 KB (UTF-8 bytes) of Chinese prose per page, from a fixed pool of common Han
  characters and punctuation with a few English words mixed in;
* `## 第K節` / `### 第K之M節` headings, one footnote `[^1]`, one internal link
  `@/section-S/page-P.md#第2節` to a heading that exists on another page;
* a fenced ```rust block on every fifth page;
* with `--references K`: K references declared on the home page, each page citing one
  of them (`[^source-k]`), and a references page listing every citation.

Only the standard library; the output depends on --pages and --seed alone (no clock,
no hash randomisation), so two runs write identical bytes.
"""

import argparse
import os
import random
import shutil
import sys

PAGES_PER_SECTION = 100

# ~500 of the most common Han characters (traditional forms, like the memorial site).
# Only the count and the mix matter for timing: real CJK text, 3 bytes per char in UTF-8.
HAN = (
    "的一是不了人我在有他這中大來上國個到說們為子和你地出道也時年得就那要下以生會自著去之過家學對可"
    "她裡後小麼心多天而能好都然沒日於起還發成事只作當想看文無開手十用主行方又如前所本見經頭面公同三"
    "已老從動兩長知民樣現分將外但身些與高意進把法此實回二理美點月明其種聲全工己話兒者向情部正名定女"
    "問力機給等幾很業最間新什打便位因重被走電四第門相次東政海口使教西再平真聽世氣信北少關并內加化由"
    "卻代軍產入先山五太水萬市眼體別處總才場師書比住員九笑性通目華報立馬命張活難神數件安表原車白應路"
    "期叫死常提感金何更反合放做系計或司利受光王果親界及今京務制解各任至清物台象記邊共風戰乾接它許八"
    "特覺望直服毛林題建南度統色字請交愛讓認算論百吃義科怎元社術結六功指思非流每青管夫連遠資隊跟帶花"
    "快條院變聯言權往展該領傳近留紅治決周保達辦運武半候七必城父強步完革深區即求品士轉量空甚眾技輕程"
    "告江語英基派滿式李息寫呢識極令黃德收臉錢黨倒未持取設始版雙歷越史商千片容研像找友孩站廣改議形委"
    "早房音火際則首單據導影失拿網香似斯專石若兵弟誰校讀志飛觀爭究包組造落視濟喜離雖壞兌醫樂研究壓力"
)
PUNCT = "，，，，、、。。。；：！？"
ENGLISH = ["AI", "LLM", "Rust", "DeepMind", "GPU", "benchmark", "lectern", "Zola", "paper"]

RUST_SNIPPETS = [
    """fn fibonacci(n: u64) -> u64 {
    let (mut a, mut b) = (0, 1);
    for _ in 0..n {
        (a, b) = (b, a + b);
    }
    a
}""",
    """use std::collections::HashMap;

fn word_counts(text: &str) -> HashMap<&str, usize> {
    let mut counts = HashMap::new();
    for word in text.split_whitespace() {
        *counts.entry(word).or_insert(0) += 1;
    }
    counts
}""",
    """#[derive(Debug, Clone)]
struct Page {
    title: String,
    weight: i32,
}

impl Page {
    fn new(title: &str, weight: i32) -> Self {
        Page { title: title.to_string(), weight }
    }
}""",
]

# Headings per page: three `##`, each with one `###` under it. Every page has the same
# heading texts, so a link to `#第2節` on any other page names an anchor that exists
# (lectern's ids keep CJK text and drop nothing here).
SECTIONS_PER_PAGE = 3
BODY_BYTES = 2048


def sentence(rng: random.Random) -> str:
    """One sentence of 8–30 Han characters, sometimes with an English word inside."""
    n = rng.randint(8, 30)
    chars = []
    for i in range(n):
        chars.append(rng.choice(HAN))
        if i and i < n - 1 and rng.random() < 0.08:
            chars.append(rng.choice("，、"))
    text = "".join(chars)
    if rng.random() < 0.25:
        cut = rng.randint(1, len(text) - 1)
        text = f"{text[:cut]} {rng.choice(ENGLISH)} {text[cut:]}"
    return text + rng.choice("。。。！？；")


def paragraph(rng: random.Random, target_bytes: int) -> str:
    """Sentences until the paragraph reaches about `target_bytes` of UTF-8."""
    out, size = [], 0
    while size < target_bytes:
        s = sentence(rng)
        out.append(s)
        size += len(s.encode("utf-8"))
    return "".join(out)


def page_body(rng: random.Random, index: int, link_target: str, cite: str = "") -> str:
    """The Markdown body of global page `index` (1-based)."""
    # Share the ~2 KB of prose across the paragraphs; headings, the link, the footnote
    # and the code block come on top, as they would in a real article.
    paragraphs = SECTIONS_PER_PAGE * 2 + 1
    per_paragraph = BODY_BYTES // paragraphs
    parts = [paragraph(rng, per_paragraph) + "[^1]" + cite]
    for k in range(1, SECTIONS_PER_PAGE + 1):
        parts.append(f"## 第{k}節")
        text = paragraph(rng, per_paragraph)
        if k == 1:
            text += f"詳見[另一頁的第2節](@/{link_target}#第2節)。"
        parts.append(text)
        parts.append(f"### 第{k}之1節")
        parts.append(paragraph(rng, per_paragraph))
        if k == 2 and index % 5 == 0:
            parts.append("```rust\n" + RUST_SNIPPETS[index % len(RUST_SNIPPETS)] + "\n```")
    parts.append(f"[^1]: 註：{sentence(rng)}")
    return "\n\n".join(parts) + "\n"


def write(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def generate(pages: int, out: str, seed: int, references: int = 0) -> None:
    rng = random.Random(seed)
    sections = (pages + PAGES_PER_SECTION - 1) // PAGES_PER_SECTION
    write(
        os.path.join(out, "site.toml"),
        f'title = "Benchmark site ({pages} pages)"\n'
        'base_url = "https://example.org/bench/"\n'
        'description = "A synthetic site for timing lectern build."\n',
    )
    declared = "".join(
        f'\n[[references]]\nid = "source-{k}"\ntitle = "來源{k}"\nurl = "https://example.org/source/{k}"\n'
        for k in range(1, references + 1)
    )
    write(
        os.path.join(out, "content", "_index.md"),
        '+++\ntitle = "基準測試"\n' + declared + "+++\n\n" + paragraph(rng, 600) + "\n",
    )
    if references:
        write(
            os.path.join(out, "content", "references.md"),
            '+++\ntitle = "參考資料"\nweight = 100000\ntemplate = "references.html"\n+++\n',
        )

    def page_path(g: int) -> str:
        """Content path of global page g (0-based): section-S/page-P.md, both 1-based."""
        return f"section-{g // PAGES_PER_SECTION + 1}/page-{g % PAGES_PER_SECTION + 1}.md"

    for s in range(sections):
        write(
            os.path.join(out, "content", f"section-{s + 1}", "_index.md"),
            f'+++\ntitle = "第{s + 1}部分"\nweight = {s + 1}\n+++\n\n'
            + paragraph(rng, 300)
            + "\n",
        )
    for g in range(pages):
        # Link to another page (never itself); across sections when there are several.
        target = rng.randrange(pages - 1) if pages > 1 else 0
        if target >= g and pages > 1:
            target += 1
        local = g % PAGES_PER_SECTION + 1
        cite = f"[^source-{g % references + 1}]" if references else ""
        date = f"2024-{(g % 12) + 1:02d}-{(g % 28) + 1:02d}"
        front = (
            "+++\n"
            f'title = "第{g + 1}篇：{sentence(rng)[:8]}"\n'
            f'description = "{sentence(rng)[:20]}"\n'
            f"weight = {local}\n"
            f"date = {date}\n"
            "+++\n\n"
        )
        write(
            os.path.join(out, "content", page_path(g)),
            front + page_body(rng, g + 1, page_path(target), cite),
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, required=True, help="number of pages (not counting sections)")
    parser.add_argument("--out", required=True, help="folder to write (replaced if it exists)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--references", type=int, default=0, help="references to declare and cite (default 0)")
    args = parser.parse_args()
    if args.pages < 1:
        parser.error("--pages must be at least 1")
    # Start clean so a smaller run never leaves pages of a larger one behind.
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    generate(args.pages, args.out, args.seed, args.references)
    return 0


if __name__ == "__main__":
    sys.exit(main())
