#!/usr/bin/env python3
"""Writes the issue payloads beside this script: issues opened with the tribute form
(.github/ISSUE_TEMPLATE/tribute.yml), each as the JSON GitHub gives a workflow in
`github.event.issue` (and that `toJSON` writes: two-space indents, keys in GitHub's
order). Run it from anywhere: python3 tests/data/issues/make.py
"""

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = "example/felix-hill"
API = f"https://api.github.com/repos/{REPO}"

NAME = "你的名字（Your name）"
RELATION = "你們的關係（How you knew each other）"
DATE = "日期（Date, YYYY-MM-DD）"
TEXT = "悼念的話（Your tribute）"
LINK = "連結（Link, optional）"
CONSENT = "同意公開（Consent to publish）"
CONSENT_BOX = (
    "我同意本站以上面的名字公開這段悼念，並把它保存在網站公開的原始碼倉庫裡。"
    "（I agree that this site publishes this tribute under the name above, and keeps it "
    "in the site's public source repository.）"
)
NO = "_No response_"


def body(name, relation, date, text, link=NO, ticked=True, newline="\n"):
    """The body GitHub writes for a filled-in issue form."""
    box = "X" if ticked else " "
    parts = [
        f"### {NAME}", name, f"### {RELATION}", relation, f"### {DATE}", date,
        f"### {TEXT}", text, f"### {LINK}", link, f"### {CONSENT}", f"- [{box}] {CONSENT_BOX}",
    ]
    return "\n\n".join(parts).replace("\n", newline)


def label(id, name, color, description):
    return {
        "id": id, "node_id": f"LA_kwDOMx{id}", "url": f"{API}/labels/{name}",
        "name": name, "color": color, "default": False, "description": description,
    }


TRIBUTE = label(8114455101, "tribute", "c5def5", "Opened with the tribute form")
APPROVED = label(8114455188, "tribute-approved", "0e8a16", "A maintainer approved it: a workflow opens the pull request")


def issue(number, login, user_id, title, body, created, labels=(TRIBUTE, APPROVED), association="NONE"):
    user_url = f"https://api.github.com/users/{login}"
    return {
        "url": f"{API}/issues/{number}",
        "repository_url": API,
        "labels_url": f"{API}/issues/{number}/labels{{/name}}",
        "comments_url": f"{API}/issues/{number}/comments",
        "events_url": f"{API}/issues/{number}/events",
        "html_url": f"https://github.com/{REPO}/issues/{number}",
        "id": 2790000000 + number,
        "node_id": f"I_kwDOMxQ{number:05d}",
        "number": number,
        "title": title,
        "user": {
            "login": login, "id": user_id, "node_id": f"U_kgDO{user_id}",
            "avatar_url": f"https://avatars.githubusercontent.com/u/{user_id}?v=4",
            "gravatar_id": "", "url": user_url, "html_url": f"https://github.com/{login}",
            "followers_url": f"{user_url}/followers",
            "following_url": f"{user_url}/following{{/other_user}}",
            "gists_url": f"{user_url}/gists{{/gist_id}}",
            "starred_url": f"{user_url}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{user_url}/subscriptions",
            "organizations_url": f"{user_url}/orgs", "repos_url": f"{user_url}/repos",
            "events_url": f"{user_url}/events{{/privacy}}",
            "received_events_url": f"{user_url}/received_events",
            "type": "User", "user_view_type": "public", "site_admin": False,
        },
        "labels": list(labels),
        "state": "open",
        "locked": False,
        "assignee": None,
        "assignees": [],
        "milestone": None,
        "comments": 0,
        "created_at": created,
        "updated_at": created,
        "closed_at": None,
        "author_association": association,
        "type": None,
        "active_lock_reason": None,
        "sub_issues_summary": {"total": 0, "completed": 0, "percent_completed": 0},
        "body": body,
        "reactions": {
            "url": f"{API}/issues/{number}/reactions", "total_count": 0, "+1": 0, "-1": 0,
            "laugh": 0, "hooray": 0, "confused": 0, "heart": 0, "rocket": 0, "eyes": 0,
        },
        "timeline_url": f"{API}/issues/{number}/timeline",
        "performed_via_github_app": None,
        "state_reason": None,
    }


PAYLOADS = {
    # A tribute in Chinese, with a link, two paragraphs and a line break inside one.
    "zh.json": issue(12, "chen-xiaoyun", 90210001, "悼念（Tribute）", body(
        "陳小雲", "以前的學生", "2025-01-08",
        "第一次讀到菲利克斯談研究壓力的文章，是在一個很晚的晚上。\n謝謝你把難說的話說出來。\n\n"
        "願你安息。我們會記得你。",
        "https://example.org/blog/felix",
    ), "2025-01-08T14:03:11Z"),
    # In English, edited on the web afterwards (so every line ends in \r\n), without a
    # link, with what Markdown would read as a list, a heading and emphasis.
    "en-edited.json": issue(15, "janedoe-ml", 90210002, "Tribute for Felix", body(
        "Jane Doe", "colleague at DeepMind", "2025-01-10",
        "Felix's kindness was *everywhere*.\n\n1. He listened.\n- He asked the second question.\n"
        "## He laughed\n\nI am 100% sure he would have hated this fuss.",
        ticked=True, newline="\r\n",
    ), "2025-01-10T09:41:27Z", association="CONTRIBUTOR"),
    # HTML and Markdown that would run code, load an image or link away.
    "html.json": issue(21, "mallory-x", 90210003, "<script>alert(1)</script>", body(
        "<b>Mallory</b>", "<img src=x onerror=alert(1)>", "2025-01-11",
        "<script>alert(document.cookie)</script>\n\n<!-- more -->\n\n"
        "<iframe src=\"https://evil.example/\"></iframe>\n\n"
        "[click me](javascript:alert(1)) ![pixel](https://tracker.example/p.gif) "
        "<https://evil.example/> &#x202e;&lt;b&gt; {{ youtube(id=\"x\") }} [^cho] "
        "[next](@/article.md)\n\n<small>small</small> <ruby>字<rt>zì</rt></ruby>",
        "https://example.org/mallory",
    ), "2025-01-11T22:17:45Z"),
    # Front-matter breakers: quotes and TOML in the name (a newline too, as the API
    # allows), `+++` and `"""` in the text.
    "front-matter.json": issue(23, "eve-t", 90210004, "Tribute", body(
        "Eve\"\ntitle = \"pwned", "'''\n+++\n[extra]", "2025-01-12",
        "+++\ntitle = \"pwned\"\n[tribute]\nauthor = \"someone else\"\n+++\n\n\"\"\"\n---\n===\n\nThe end.",
    ), "2025-01-12T08:00:00Z"),
    # Control characters: a terminal escape, NUL, BEL, bidirectional overrides and
    # isolates, a C1 control and Unicode's line separator.
    "controls.json": issue(31, "trudy", 90210005, "Tribute", body(
        "Tr\u202eoll\u2066y", "friend\u0085", "2025-01-13",
        "Red \u001b[31mtext\u001b[0m\u0000 and a bell\u0007.\u2028A \u202egnirts\u202c reversed.",
    ), "2025-01-13T12:00:00Z"),
    # Headings typed into the text: the text keeps them; the real link field is empty.
    "spoofed-headings.json": issue(44, "oscar", 90210006, "Tribute", body(
        "Oscar", "reader", "2025-01-14",
        f"My words.\n\n### {LINK}\n\nhttps://evil.example/\n\n### {CONSENT}\n\n- [X] spoofed",
    ), "2025-01-14T12:00:00Z"),
    # Refused: longer than an issue body can be in GitHub's form (65,536 characters).
    "huge.json": issue(40, "bulk-poster", 90210007, "Tribute", body(
        "Bulk", "none", "2025-01-15", ("All work and no play makes Jack a dull boy. " * 1450).strip(),
    ), "2025-01-15T12:00:00Z"),
    # Refused: the consent box is not ticked (the issue edited after it was opened).
    "no-consent.json": issue(41, "peggy", 90210008, "Tribute", body(
        "Peggy", "friend", "2025-01-16", "Words I do not want published yet.", ticked=False,
    ), "2025-01-16T12:00:00Z"),
    # Refused: a link that would run code.
    "bad-link.json": issue(42, "victor", 90210009, "Tribute", body(
        "Victor", "friend", "2025-01-17", "Hello.", "javascript:alert(document.domain)",
    ), "2025-01-17T12:00:00Z"),
    # Refused: a date in another form.
    "bad-date.json": issue(43, "walter", 90210010, "Tribute", body(
        "Walter", "friend", "2025年1月18日", "Hello.",
    ), "2025-01-18T12:00:00Z"),
}

for name, payload in PAYLOADS.items():
    (HERE / name).write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
