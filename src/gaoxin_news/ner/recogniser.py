"""The recogniser protocol: anything that maps a text to labelled spans.

A *recogniser* is any callable ``recogniser(text) -> iterable of spans``. A span is a
:class:`Span` (the one span type, :mod:`gaoxin_news.schema.spans`), a ``(start, end, label)`` tuple, a
mapping with those keys, or an object with those attributes; offsets are Python string indices into
``text``, end exclusive; labels are OntoNotes types (or a coarse scheme's own types, e.g. ``PER``, for
scoring under that scheme). Spans must not overlap.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from gaoxin_news.errors import GaoxinError
from gaoxin_news.schema.spans import Span


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
