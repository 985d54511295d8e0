"""NER evaluation beside the corpus: prediction files, scoring, the recogniser protocol, the offline
baselines, the Hugging Face adapter and the published results table.

The entry points a user needs are re-exported here::

    from gaoxin_news.ner import evaluate_file, predict_corpus

They are imported on first use, so that a command importing one light module of this package (the
command line's defaults, say) does not load the scoring machinery.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gaoxin_news.ner.evaluate import evaluate_file
    from gaoxin_news.ner.predict import predict_corpus
    from gaoxin_news.ner.recogniser import Recogniser, Span

_EXPORTS = {"evaluate_file": "gaoxin_news.ner.evaluate", "predict_corpus": "gaoxin_news.ner.predict",
            "Recogniser": "gaoxin_news.ner.recogniser", "Span": "gaoxin_news.ner.recogniser"}

__all__ = ["Recogniser", "Span", "evaluate_file", "predict_corpus"]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)
