#!/usr/bin/env python3
"""Writes tests/data/commonmark-spec.json: the CommonMark spec's examples, as the
pulldown-cmark crate lectern builds with ships them (tests/suite/spec.rs in its
source), with each example's section of the spec.

Run from the repository (it asks cargo where the crate's source is):

    python3 tests/data/commonmark-spec.py

Only the pulldown-cmark version in Cargo.lock is read; the examples are checked to be
the 652 of spec 0.31.2, whose section headings are listed below.
"""

import json
import pathlib
import re
import subprocess

# Spec 0.31.2: the number of the first example of each section, and its heading.
SECTIONS = [
    (1, "Tabs"),
    (12, "Backslash escapes"),
    (25, "Entity and numeric character references"),
    (42, "Precedence"),
    (43, "Thematic breaks"),
    (62, "ATX headings"),
    (80, "Setext headings"),
    (107, "Indented code blocks"),
    (119, "Fenced code blocks"),
    (148, "HTML blocks"),
    (192, "Link reference definitions"),
    (219, "Paragraphs"),
    (227, "Blank lines"),
    (228, "Block quotes"),
    (253, "List items"),
    (301, "Lists"),
    (327, "Inlines"),
    (328, "Code spans"),
    (350, "Emphasis and strong emphasis"),
    (482, "Links"),
    (572, "Images"),
    (594, "Autolinks"),
    (613, "Raw HTML"),
    (633, "Hard line breaks"),
    (648, "Soft line breaks"),
    (650, "Textual content"),
]
EXAMPLES = 652

TEST = re.compile(
    r'fn spec_test_(\d+)\(\) \{\s*'
    r'let original = r(#*)"(.*?)"\2;\s*'
    r'let expected = r(#*)"(.*?)"\4;',
    re.S,
)


def crate_source():
    metadata = json.loads(
        subprocess.check_output(["cargo", "metadata", "--format-version", "1", "--locked"])
    )
    for package in metadata["packages"]:
        if package["name"] == "pulldown-cmark":
            return package["version"], pathlib.Path(package["manifest_path"]).parent
    raise SystemExit("pulldown-cmark is not a dependency")


def section(number):
    return [name for first, name in SECTIONS if first <= number][-1]


def main():
    version, source = crate_source()
    text = (source / "tests" / "suite" / "spec.rs").read_text(encoding="utf-8")
    examples = [
        {
            "example": int(number),
            "section": section(int(number)),
            "markdown": markdown,
            "html": html,
        }
        for number, _, markdown, _, html in TEST.findall(text)
    ]
    numbers = [e["example"] for e in examples]
    if numbers != list(range(1, EXAMPLES + 1)):
        raise SystemExit(f"expected examples 1 to {EXAMPLES}, found {len(numbers)}")
    out = pathlib.Path(__file__).with_name("commonmark-spec.json")
    document = {
        "source": f"CommonMark spec 0.31.2 examples, as pulldown-cmark {version} ships them",
        "licence": "CC-BY-SA 4.0 (the spec, by John MacFarlane); see README.md here",
        "examples": examples,
    }
    out.write_text(
        json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"wrote {len(examples)} examples to {out}")


if __name__ == "__main__":
    main()
