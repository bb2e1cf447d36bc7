#!/usr/bin/env python3
"""Checks that a report survived Markdown -> DOCX -> Markdown through pandoc.

Usage: docx_intact.py ORIGINAL.md ROUNDTRIP.md

ROUNDTRIP.md is pandoc's own DOCX reader's view of the DOCX made from
ORIGINAL.md (`pandoc x.docx -t gfm --wrap=none`). Every heading must come back
at its level with its text, every numbered list item must come back as one, and
every row of every table (the indicator table first) must come back with the
same cells. Exits 1 and says what is missing otherwise.
"""

import re
import sys


def norm(text):
    # pandoc escapes some punctuation on the way back and may change emphasis
    # markers; compare the words.
    text = text.replace("\\", "").replace("**", "").replace("*", "").replace("_", "")
    return re.sub(r"\s+", " ", text).strip()


def headings(md):
    out = []
    for line in md.splitlines():
        m = re.match(r"^(#{1,6})\s+(.*)$", line)
        if m:
            out.append((len(m.group(1)), norm(m.group(2))))
    return out


def list_items(md):
    return [norm(m.group(1)) for m in re.finditer(r"^\d+\.\s+(.*)$", md, re.M)]


def table_rows(md):
    rows = []
    for line in md.splitlines():
        line = line.strip()
        if not line.startswith("|") or re.match(r"^\|[\s:|-]+\|$", line):
            continue
        cells = re.split(r"(?<!\\)\|", line.strip("|"))
        rows.append(tuple(norm(c) for c in cells))
    return rows


def main():
    original = open(sys.argv[1], encoding="utf-8").read()
    back = open(sys.argv[2], encoding="utf-8").read()
    problems = []
    h_orig, h_back = headings(original), headings(back)
    if h_orig != h_back:
        missing = [h for h in h_orig if h not in h_back]
        problems.append(f"headings differ: {len(h_orig)} written, {len(h_back)} read back; missing {missing[:5]}")
    items_back = list_items(back)
    for item in list_items(original):
        # A list item may be wrapped or re-spaced; its first words must start an item.
        head = item[:30]
        if not any(b.startswith(head) for b in items_back):
            problems.append(f"list item lost: {item[:60]}")
    rows_back = set(table_rows(back))
    rows_orig = table_rows(original)
    if not rows_orig:
        problems.append("the report has no table (expected the indicator table)")
    for row in rows_orig:
        if row not in rows_back:
            problems.append(f"table row lost: {' | '.join(row)}")
    if problems:
        print(f"{sys.argv[1]}: the DOCX lost structure:", file=sys.stderr)
        for p in problems[:20]:
            print(f"  {p}", file=sys.stderr)
        return 1
    print(f"{sys.argv[1]}: {len(h_orig)} headings, {len(list_items(original))} list items, {len(rows_orig)} table rows intact")
    return 0


if __name__ == "__main__":
    sys.exit(main())
