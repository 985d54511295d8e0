"""A prediction with every kind of error, made from the gold sentences (shared by the scoring tests)."""

from __future__ import annotations

from gaoxin_news.ner.predictions import GoldSentence
from gaoxin_news.schema.spans import Span


def perturbed(gold: list[GoldSentence], spurious: bool = True) -> dict[str, list[Span]]:
    """A prediction with every kind of error: every 4th gold entity dropped, every 5th retyped, every 7th
    cut short by a character, and (``spurious``) a spurious one-character entity in every 6th sentence."""
    preds, k = {}, 0
    for i, s in enumerate(gold):
        out = []
        for e in s.entities:
            k += 1
            if k % 4 == 0:
                continue
            label, end = e.label, e.end
            if k % 5 == 0:
                label = "ORG" if label != "ORG" else "GPE"
            if k % 7 == 0 and end - e.start > 1:
                end -= 1
            out.append(Span(e.start, end, label))
        if spurious and i % 6 == 0 and s.text and not any(e.start <= len(s.text) - 1 < e.end for e in out):
            out.append(Span(len(s.text) - 1, len(s.text), "CARDINAL"))
        preds[s.id] = out
    return preds
