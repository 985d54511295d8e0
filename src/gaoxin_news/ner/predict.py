"""Plugging a model in: anything that maps a text to labelled spans produces a prediction file.

A *recogniser* is any callable ``recogniser(text) -> iterable of spans``. A span is a :class:`Span`,
a ``(start, end, label)`` tuple, a mapping with those keys, or an object with those attributes;
offsets are Python string indices into ``text``, end exclusive; labels are OntoNotes types (or a
coarse scheme's own types, e.g. ``PER``, for scoring under that scheme). Spans must not overlap.

    >>> def my_model(text):
    ...     i = text.find("高新区")
    ...     return [] if i < 0 else [(i, i + 3, "GPE")]
    >>> predict_corpus(my_model, "corpus", "my.pred.jsonl")  # doctest: +SKIP

Then ``gaoxin-news evaluate --pred my.pred.jsonl``. The recogniser sees only the sentence text.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from gaoxin_news.errors import GaoxinError
from gaoxin_news.ner.predictions import GoldSentence, allowed_labels, check_prediction, read_gold, write_predictions
from gaoxin_news.ner.recogniser import PredictionError, Recogniser, Span, as_span
from gaoxin_news.schema.records import PredictedEntity, Prediction


def predict_sentence(recogniser: Recogniser, sid: str, text: str, scheme: str = "ontonotes") -> Prediction:
    """Run a recogniser on one sentence and check its output; raises :class:`PredictionError`."""
    try:
        spans = sorted({as_span(s) for s in recogniser(text)})
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise PredictionError(f"sentence {sid}: the recogniser returned something that is not a span: {e}") from e
    problem = check_prediction(sid, spans, text, allowed_labels(scheme))
    if problem:
        raise PredictionError(problem)
    return Prediction(id=sid, entities=[PredictedEntity.from_span(replace(s, text=text[s.start:s.end])) for s in spans])


def predict(recogniser: Recogniser, sentences: Iterable[GoldSentence], scheme: str = "ontonotes") -> list[Prediction]:
    """One prediction record per sentence, in corpus order. Only the sentence text is shown to the model."""
    return [predict_sentence(recogniser, s.id, s.text, scheme) for s in sentences]


def predict_corpus(recogniser: Recogniser, corpus: Path | str, out: Path | str, scheme: str = "ontonotes") -> Path:
    """Run ``recogniser`` over ``corpus/sentences.jsonl`` and write the prediction file ``out``."""
    return write_predictions(out, predict(recogniser, read_gold(corpus), scheme))


def load_recogniser(spec: str) -> Recogniser:
    """A recogniser from ``module:attribute``; a class is instantiated without arguments."""
    mod, sep, attr = spec.partition(":")
    if not sep or not mod or not attr:
        raise GaoxinError(f"--model {spec!r}: expected MODULE:ATTRIBUTE, e.g. mypackage.ner:recognise")
    try:
        obj: Any = importlib.import_module(mod)
        for part in attr.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError) as e:
        raise GaoxinError(f"--model {spec!r}: {e}") from e
    if inspect.isclass(obj):
        obj = obj()
    if not callable(obj):
        raise GaoxinError(f"--model {spec!r}: not callable")
    return obj

__all__ = ["PredictionError", "Recogniser", "Span", "as_span", "load_recogniser", "predict", "predict_corpus",
           "predict_sentence"]
