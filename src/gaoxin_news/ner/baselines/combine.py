"""Combining recognisers: each contributes the types it is meant for; overlaps are resolved by length.

The combination baselines take the value types (dates, times, numbers) from the rules and the name
types (PERSON, GPE, ORG, …) from a statistical recogniser. Where two spans overlap, the longer one wins;
on a tie, the recogniser listed first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from gaoxin_news.ner.recogniser import Recogniser, as_span
from gaoxin_news.schema.spans import Span, resolve_overlaps

#: the OntoNotes value types, which the rules cover
VALUE_TYPES: frozenset[str] = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})


class Combination:
    """``Combination([(recogniser, types), …])(text)``: each recogniser's spans of its ``types``."""

    def __init__(self, parts: Sequence[tuple[Recogniser, Iterable[str]]]) -> None:
        self.parts = [(r, frozenset(t)) for r, t in parts]

    def __call__(self, text: str) -> list[Span]:
        first: dict[Span, int] = {}  # each candidate and the first recogniser that gave it
        for k, (rec, types) in enumerate(self.parts):
            for s in map(as_span, rec(text)):
                if s.label in types:
                    first.setdefault(s, k)
        return resolve_overlaps(first, rank=first.__getitem__)


def combine_rules_and_names(rules: Recogniser, names: Recogniser) -> Combination:
    """The rules for the value types, ``names`` for every other type."""
    from gaoxin_news.schema.labels import ENTITY_TYPES

    return Combination([(rules, VALUE_TYPES), (names, frozenset(ENTITY_TYPES) - VALUE_TYPES)])
