"""Sentence segmentation of blocks. Characters are never changed: sentences tile each block exactly."""

from __future__ import annotations

import re

from gaoxin_news.corpus.layout import CLOSERS, HEADING_ROLES

#: Characters that end a sentence, in full and half width. A run of ``…`` (or ``⋯``) ends one too.
TERMINATORS = "。！？!?"
ELLIPSIS = "…⋯"
# an end: a terminator or a run of …, further terminators ("?!"), then any closing quotes or brackets
_END_RE = re.compile(f"(?:[{TERMINATORS}]|[{ELLIPSIS}]+)[{TERMINATORS}]*[{re.escape(CLOSERS)}]*")


def sentence_spans(text: str, role: str = "paragraph") -> list[tuple[int, int]]:
    """Spans (start, end) of the sentences of one block's text; they tile ``text`` exactly.

    A sentence ends after 。！？!? or after a run of …, together with any closing quotation marks or
    brackets that follow at once (。” ！” 。） ”? …). Commas, semicolons, colons and decimal points never
    end a sentence. The block end always does, and a heading block is a single sentence. Blocks hold
    no line breaks (layout rejoins wrapped lines), so an end cut across a line (。| ”) is found whole.
    """
    n = len(text)
    if n == 0:
        return []
    if role in HEADING_ROLES:
        return [(0, n)]
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _END_RE.finditer(text):
        end = m.end()
        if end < n:
            spans.append((start, end))
            start = end
    spans.append((start, n))
    return spans
