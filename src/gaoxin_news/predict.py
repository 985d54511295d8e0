"""Plugging a model in: anything that maps a text to labelled spans produces a prediction file.

A *recogniser* is any callable ``recogniser(text) -> iterable of spans``. A span is a
``(start, end, label)`` tuple (e.g. :class:`Span`), a mapping with those keys, or an object with those
attributes; offsets are Python string indices into ``text``, end exclusive; labels are OntoNotes types
(or a coarse scheme's own types, e.g. ``PER``, for scoring under that scheme). Spans must not overlap.

    >>> def my_model(text):
    ...     i = text.find("高新区")
    ...     return [] if i < 0 else [(i, i + 3, "GPE")]
    >>> predict_corpus(my_model, "corpus", "my.pred.jsonl")  # doctest: +SKIP

Then ``gaoxin-news evaluate --pred my.pred.jsonl``. The recogniser sees only the sentence text.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import operator
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple, Protocol, runtime_checkable

from pydantic import ValidationError

from .errors import GaoxinError
from .labels import SCHEMES
from .predictions import (GoldSentence, allowed_labels, check_prediction, read_gold, validation_problem,
                          write_predictions)
from .records import Prediction


class Span(NamedTuple):
    """A labelled span of a text: ``text[start:end]`` is the entity."""

    start: int
    end: int
    label: str


@runtime_checkable
class Recogniser(Protocol):
    """Anything that maps a text to labelled spans (see the module docstring for what a span may be)."""

    def __call__(self, text: str) -> Iterable[Any]: ...


class PredictionError(GaoxinError):
    """A recogniser returned spans that do not fit the prediction format."""


def as_span(obj: Any) -> Span:
    """Normalise a span given as a tuple, a mapping or an object with start/end/label."""
    if isinstance(obj, Mapping):
        start, end, label = obj["start"], obj["end"], obj["label"]
    elif isinstance(obj, tuple) and not hasattr(obj, "start"):
        start, end, label = obj
    else:
        start, end, label = obj.start, obj.end, obj.label
    # integers of any kind (numpy's too), never floats
    return Span(operator.index(start), operator.index(end), str(label))


def predict_sentence(recogniser: Recogniser, sid: str, text: str, scheme: str = "ontonotes") -> Prediction:
    """Run a recogniser on one sentence and check its output; raises :class:`PredictionError`."""
    try:
        spans = sorted({as_span(s) for s in recogniser(text)})
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise PredictionError(f"sentence {sid}: the recogniser returned something that is not a span: {e}") from e
    ents = [{"start": s.start, "end": s.end, "label": s.label,
             **({"text": text[s.start:s.end]} if 0 <= s.start < s.end <= len(text) else {})} for s in spans]
    try:
        pred = Prediction(id=sid, entities=ents)  # type: ignore[arg-type]
    except ValidationError as e:
        raise PredictionError(f"sentence {sid}: {validation_problem(e)}") from None
    problem = check_prediction(pred, text, allowed_labels(scheme))
    if problem:
        raise PredictionError(problem)
    return pred


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


def _label_map(arg: str | None) -> dict[str, str | None] | None:
    if arg is None:
        return None
    try:
        path = Path(arg)
        text = path.read_text(encoding="utf-8") if path.exists() else arg
        m = json.loads(text)
    except ValueError as e:
        raise GaoxinError(f"--label-map: not a JSON object or a file holding one: {e}") from None
    if not isinstance(m, dict):
        raise GaoxinError("--label-map: expected a JSON object mapping model labels to gaoxin-news labels")
    return m


def _run(args: argparse.Namespace) -> int:
    if args.baseline:
        from .baselines import load_baseline

        rec: Callable = load_baseline(args.baseline)
    elif args.hf:
        from .hf import HFTokenClassifier

        rec = HFTokenClassifier(args.hf, label_map=_label_map(args.label_map))
    else:
        rec = load_recogniser(args.model)
    out = predict_corpus(rec, args.corpus, args.out, args.scheme)
    print(out)
    return 0


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    from .baselines import BASELINES

    p = subparsers.add_parser(
        "predict", help="run a model over the corpus sentences and write a prediction file",
        description="Run a recogniser over corpus/sentences.jsonl and write its predictions as JSON Lines "
                    "(the input of 'gaoxin-news evaluate').",
    )
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--baseline", choices=list(BASELINES), help="one of the offline baselines")
    which.add_argument("--hf", metavar="PATH",
                       help="a Hugging Face token-classification model saved in a local folder (extra 'hf')")
    which.add_argument("--model", metavar="MODULE:ATTR",
                       help="a Python recogniser: a callable text -> spans (a class is instantiated)")
    p.add_argument("--label-map", metavar="JSON",
                   help="with --hf: JSON object (or file) mapping model labels to gaoxin-news labels; null drops")
    p.add_argument("--out", type=Path, required=True, help="prediction file to write")
    p.add_argument("--scheme", choices=list(SCHEMES), default="ontonotes",
                   help="the scheme whose own labels the model may use besides OntoNotes (default: ontonotes)")
    p.add_argument("--corpus", type=Path, default=Path("corpus"), help="corpus folder (default: corpus)")
    p.set_defaults(func=_run)


__all__ = ["PredictionError", "Recogniser", "Span", "as_span", "load_recogniser", "predict", "predict_corpus",
           "predict_sentence"]
