"""Sentence segmentation of blocks. Characters are never changed: sentences tile each block exactly."""

from __future__ import annotations

from .layout import CLOSERS, HEADING_ROLES

#: Characters that end a sentence (full- and half-width forms). A run of ``…`` ends one too.
TERMINATORS = frozenset("。!?!?")
ELLIPSIS = "…"


def sentence_spans(text: str, role: str = "paragraph") -> list[tuple[int, int]]:
    """Spans (start, end) of the sentences of one block's text; they tile ``text`` exactly.

    A sentence ends after 。 ! ? (or half-width ! ?) or after a run of …, together with any closing
    quotation marks or brackets that follow at once. Commas, semicolons, colons and decimal points never
    end a sentence. The block end always does, and a heading block is a single sentence.
    """
    n = len(text)
    if n == 0:
        return []
    if role in HEADING_ROLES:
        return [(0, n)]
    spans: list[tuple[int, int]] = []
    start = 0
    i = 0
    while i < n:
        c = text[i]
        if c in TERMINATORS or c == ELLIPSIS:
            j = i + 1
            if c == ELLIPSIS:
                while j < n and text[j] == ELLIPSIS:
                    j += 1
            # further terminators belong to the same end ("?!", "。。")
            while j < n and (text[j] in TERMINATORS):
                j += 1
            while j < n and text[j] in CLOSERS:
                j += 1
            if j < n:
                spans.append((start, j))
                start = j
            i = j
            continue
        i += 1
    spans.append((start, n))
    return spans
