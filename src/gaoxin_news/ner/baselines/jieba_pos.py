"""jieba's part-of-speech tagger as a name recogniser: nr → PERSON, ns → GPE, nt → ORG.

jieba (extra ``baselines``) ships its dictionary and HMM inside the package; nothing is downloaded.
Tags are mapped by prefix, so jieba's finer person tags (nrt, nrfg) count as nr. Each tagged word is one
span: jieba's words are the spans' edges.
"""

from __future__ import annotations

import logging

from gaoxin_news.ner.recogniser import Span

#: jieba tag prefix → OntoNotes type
TAG_MAP: dict[str, str] = {"nr": "PERSON", "ns": "GPE", "nt": "ORG"}


def map_tag(flag: str) -> str | None:
    for prefix, label in TAG_MAP.items():
        if flag.startswith(prefix):
            return label
    return None


class JiebaRecogniser:
    """``JiebaRecogniser()(text)`` → PERSON/GPE/ORG spans from jieba.posseg (HMM on, default dictionary)."""

    types = ("PERSON", "GPE", "ORG")

    def __init__(self) -> None:
        import jieba
        import jieba.posseg

        jieba.setLogLevel(logging.WARNING)
        self._tokenizer = jieba.posseg.POSTokenizer(jieba.Tokenizer())

    def __call__(self, text: str) -> list[Span]:
        spans = []
        pos = 0
        for pair in self._tokenizer.cut(text, HMM=True):
            word, flag = pair.word, pair.flag
            start = text.find(word, pos)
            if start < 0:  # jieba never changes the text; be safe all the same
                continue
            pos = start + len(word)
            label = map_tag(flag)
            if label and word.strip() == word and word:
                spans.append(Span(start, pos, label))
        return spans
