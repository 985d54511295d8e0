"""Page styles for invariance tests: an analysed or expected page (items with their blocks) set again
in another typographic style, and the comparison of analyses.

The renderings only re-cut lines: every block text is kept character for character, so the analysis
of each rendering must give the same items, metadata, roles, block texts and sentences.
"""

from __future__ import annotations

import unicodedata

from gaoxin_news.corpus import layout
from gaoxin_news.corpus.segment import sentence_spans

HALF, FULL = ",;:?!()", "，；：？！（）"
TO_FULL, TO_HALF = str.maketrans(HALF, FULL), str.maketrans(FULL, HALF)
FIELDS = ("kind", "title", "kicker", "column", "zone", "authors", "dateline", "photo_credit")
WIDTHS = (12, 17, 23, 31)
BODY = ("paragraph", "caption")


def flip_width(text: str) -> str:
    """The page with its punctuation in the other width (the width it holds more of, mapped)."""
    half = sum(text.count(c) for c in HALF)
    full = sum(text.count(c) for c in FULL)
    return text.translate(TO_FULL) if half >= full else text.translate(TO_HALF)


def analysed(text: str) -> list[dict]:
    """The page's items as plain data: metadata, and blocks with role, text and sentences."""
    items = layout.analyse(text)
    layout.check_accounting(text, items)
    return [
        {**{k: getattr(it, k) for k in FIELDS},
         "blocks": [{"role": b.role, "text": b.text,
                     "sentences": [b.text[s:e] for s, e in sentence_spans(b.text, b.role)]} for b in it.blocks]}
        for it in items
    ]


def _logical_lines(items: list[dict]) -> list[tuple[bool, str]]:
    """(is running text, text) of each line the page is set from: every block on a line of its own,
    a dateline with the paragraph it opens."""
    out: list[tuple[bool, str]] = []
    for it in items:
        blocks = it["blocks"]
        i = 0
        while i < len(blocks):
            b = blocks[i]
            if b["role"] == "dateline" and i + 1 < len(blocks) and blocks[i + 1]["role"] == "paragraph":
                sep = "" if b["text"][-1] in ")）" else " "
                out.append((True, b["text"] + sep + blocks[i + 1]["text"]))
                i += 2
                continue
            out.append((b["role"] in BODY, b["text"]))
            i += 1
    return out


def _wrap(text: str, width: int, indent: str) -> list[str]:
    """``text`` cut into lines of ``width`` characters (the first after ``indent``); as in print, a
    line neither starts nor ends with a space: such a cut moves one character back."""
    line = indent + text
    out = []
    i = 0
    while len(line) - i > width:
        cut = next(c for c in (i + width, i + width - 1, i + width + 1, i + width - 2)
                   if line[c] != " " and line[c - 1] != " ")
        out.append(line[i:cut])
        i = cut
    out.append(line[i:])
    return out


def render(items: list[dict], style: str, width: int | None = None) -> str:
    """The page set in ``style``: ``wrap-indent`` (running text hard-wrapped at ``width`` with a U+3000
    U+3000 first-line indent, no blank lines), ``wrap-blank`` (wrapped, no indent, a blank line between
    paragraphs), ``oneline`` (one paragraph per line) or ``oneline-blank`` (and blank lines between)."""
    lines: list[str] = []
    for body, text in _logical_lines(items):
        if style == "wrap-indent":
            lines += _wrap(text, width, "\u3000\u3000") if body else [text]
        elif style == "wrap-blank":
            lines += (_wrap(text, width, "") if body else [text]) + [""]
        elif style == "oneline":
            lines.append(text)
        elif style == "oneline-blank":
            lines += [text, ""]
        else:
            raise ValueError(style)
    return "\n".join(lines) + "\n"


STYLES = [("wrap-indent", w) for w in WIDTHS] + [("wrap-blank", w) for w in WIDTHS] + [
    ("oneline", None), ("oneline-blank", None)]


def width_free(items: list[dict]) -> list[dict]:
    """Items with every text in one width (NFKC), for comparing pages whose punctuation width differs."""
    def n(v):
        if isinstance(v, str):
            return unicodedata.normalize("NFKC", v)
        if isinstance(v, list):
            return [n(x) for x in v]
        if isinstance(v, dict):
            return {k: n(x) for k, x in v.items()}
        return v
    return n(items)


def differences(expected: list[dict], got: list[dict]) -> list[str]:
    """Every difference between two analyses, item by item and field by field."""
    out = []
    if len(expected) != len(got):
        out.append(f"{len(got)} items instead of {len(expected)}: "
                   f"{[(i['kind'], i['title']) for i in got]} vs {[(i['kind'], i['title']) for i in expected]}")
    for k, (e, g) in enumerate(zip(expected, got)):
        for f in FIELDS:
            if e.get(f) != g.get(f):
                out.append(f"item {k} ({e['kind']} {e['title']!r}): {f} {g.get(f)!r} instead of {e.get(f)!r}")
        eb = [(b["role"], b["text"]) for b in e["blocks"]]
        gb = [(b["role"], b["text"]) for b in g["blocks"]]
        if eb != gb:
            out.append(f"item {k} ({e['kind']} {e['title']!r}): blocks {gb} instead of {eb}")
        elif [b["sentences"] for b in e["blocks"]] != [b["sentences"] for b in g["blocks"]]:
            out.append(f"item {k} ({e['kind']} {e['title']!r}): sentences differ")
    return out


def boundaries(items: list[dict]) -> set[int]:
    """Sentence ends as offsets into the page's non-whitespace characters (so that two analyses
    that group blocks differently can still be compared)."""
    ends = set()
    pos = 0
    for it in items:
        for b in it["blocks"]:
            for s in b["sentences"]:
                pos += sum(1 for c in s if not c.isspace())
                ends.add(pos)
    return ends


def boundary_f1(expected: list[dict], got: list[dict]) -> float:
    e, g = boundaries(expected), boundaries(got)
    if not e and not g:
        return 1.0
    tp = len(e & g)
    p = tp / len(g) if g else 0.0
    r = tp / len(e) if e else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0
