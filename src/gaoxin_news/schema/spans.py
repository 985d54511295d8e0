"""The one span type of gaoxin-news, its one checker, and what is computed from spans.

A :class:`Span` is a labelled range of a text: ``text[start:end]`` (Python string indices, end
exclusive). Gold annotation, the entities of the records, the output of a recogniser and the entities
of a prediction file are all spans; the pydantic models of :mod:`gaoxin_news.schema.records` are their
JSON form and convert to and from :class:`Span`.

:func:`check_spans` states the invariants once (offsets in range, covered text as stated, inside one
sentence, label allowed, no overlap) for gold, silver and predictions alike; :func:`bio_tags` turns
spans into IOB2 tags and refuses overlapping spans; :func:`to_scheme` maps spans to a coarse label
scheme; :func:`resolve_overlaps` keeps a non-overlapping subset of a recogniser's candidates;
:func:`overlaps` and :func:`pair_class` say how a gold and a predicted span relate (the classes of
:mod:`gaoxin_news.ner.classify`, which pairs them).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace

from gaoxin_news.schema.labels import coarse_label


@dataclass(frozen=True, order=True)
class Span:
    """A labelled span of a text. Identity (equality, hash, order) is ``(start, end, label)``: ``text``,
    the covered text when known, and ``where``, a location for messages (``file:line: T3``), are
    carried along but do not make two spans of one text different."""

    start: int
    end: int
    label: str
    text: str | None = field(default=None, compare=False)
    where: str = field(default="", compare=False, repr=False)

    def as_dict(self) -> dict:
        """The JSON form: ``start``, ``end``, ``label`` and, when known, ``text``."""
        d = {"start": self.start, "end": self.end, "label": self.label}
        return d if self.text is None else {**d, "text": self.text}

    def describe(self) -> str:
        """``LABEL start-end 'text'``, for messages."""
        return f"{self.label} {self.start}-{self.end}" + ("" if self.text is None else f" {self.text!r}")


def check_spans(
    spans: Iterable[Span],
    text: str | None = None,
    *,
    labels: Collection[str] | None = None,
    bounds: Sequence[tuple[int, int]] | None = None,
    ordered: bool = False,
) -> list[str]:
    """Every problem of ``spans`` as one-line messages (empty: the spans are valid).

    Always: ``0 <= start < end``, a stated ``text`` as long as the span, no two spans overlapping (with
    ``ordered``, spans must also come in text order). With ``text`` (the text the offsets point into):
    ``end`` within it and a stated ``text`` equal to the slice. With ``labels``: the label is one of
    them. With ``bounds`` (sentence ``(start, end)`` pairs): the span lies inside one of them. A
    message starts with the span's ``where`` when it has one.
    """
    problems: list[str] = []
    spans = list(spans)
    inside = None if bounds is None else _inside(bounds)

    def say(s: Span, problem: str) -> None:
        problems.append(f"{s.where + ': ' if s.where else ''}{s.describe()}: {problem}")

    for s in spans:
        if s.start < 0 or s.end <= s.start:
            say(s, "end must be greater than start" if s.start >= 0 else "start must not be negative")
            continue
        if labels is not None and s.label not in labels:
            say(s, f"unknown label {s.label!r}")
        if text is not None and s.end > len(text):
            say(s, f"offsets out of range: ends beyond the text ({len(text)} characters)")
            continue
        if s.text is not None:
            if text is None and len(s.text) != s.end - s.start:
                say(s, "the text has the wrong length")
                continue
            if text is not None and text[s.start:s.end] != s.text:
                say(s, f"says {s.text!r} but the text there is now {text[s.start:s.end]!r}")
                continue
        if inside is not None and not inside(s):
            say(s, "crosses a sentence boundary")
    if ordered:
        for a, b in zip(spans, spans[1:]):
            if (b.start, b.end) < (a.start, a.end):
                say(b, f"out of order: comes after {a.describe()}")
    by_start = sorted(spans, key=lambda s: (s.start, s.end))
    for a, b in zip(by_start, by_start[1:]):
        if b.start < a.end:
            say(b, f"overlaps {a.describe()}" + (f" ({a.where})" if a.where else ""))
    return problems


def _inside(bounds: Sequence[tuple[int, int]]) -> Callable[[Span], bool]:
    """A test of whether a span lies inside one of ``bounds``: by bisection when the bounds come in order
    without overlapping (sentences tiling a text), else by trying each."""
    bounds = list(bounds)
    if all(a[1] <= b[0] for a, b in zip(bounds, bounds[1:])):
        starts = [a for a, _ in bounds]

        def tiled(s: Span) -> bool:
            i = bisect_right(starts, s.start) - 1
            return i >= 0 and s.end <= bounds[i][1]
        return tiled
    return lambda s: any(a <= s.start and s.end <= z for a, z in bounds)


def bio_tags(length: int, spans: Iterable[Span]) -> list[str]:
    """IOB2 tags of ``length`` characters. Overlapping spans or spans outside the range are refused
    (ValueError), never silently overwritten."""
    tags = ["O"] * length
    for s in sorted(spans):
        if not 0 <= s.start < s.end <= length:
            raise ValueError(f"{s.describe()}: outside the {length} characters to tag")
        if tags[s.start] != "O" or tags[s.end - 1] != "O":
            raise ValueError(f"{s.describe()}: overlaps another span; IOB2 tags cannot express overlaps")
        tags[s.start] = f"B-{s.label}"
        if s.end - s.start > 1:
            tags[s.start + 1:s.end] = [f"I-{s.label}"] * (s.end - s.start - 1)
    return tags


def to_scheme(spans: Iterable[Span], scheme: str) -> list[Span]:
    """Spans mapped to a coarse label ``scheme`` (:func:`labels.coarse_label`), in text order; spans whose
    type the scheme drops are left out."""
    out = []
    for s in spans:
        label = coarse_label(s.label, scheme)
        if label is not None:
            out.append(replace(s, label=label))
    return sorted(out)


def overlaps(a: Span, b: Span) -> bool:
    """The two spans share at least one character."""
    return a.start < b.end and b.start < a.end


#: What a gold span and a predicted span paired with it are (see :func:`pair_class`).
PAIR_CLASSES: tuple[str, ...] = ("correct", "wrong type", "wrong boundary", "wrong type and boundary")


def pair_class(gold: Span, pred: Span) -> str | None:
    """``correct`` (same offsets, same label), ``wrong type`` (same offsets, another label), ``wrong
    boundary`` (overlapping, same label, other offsets), ``wrong type and boundary`` (overlapping, other
    label and offsets), or None when the spans do not overlap."""
    if (gold.start, gold.end) == (pred.start, pred.end):
        return "correct" if gold.label == pred.label else "wrong type"
    if not overlaps(gold, pred):
        return None
    return "wrong boundary" if gold.label == pred.label else "wrong type and boundary"


def nervaluate_form(spans: Iterable[Span]) -> list[dict]:
    """Spans as nervaluate takes them, in text order: dicts with an end-inclusive ``end`` (as its own
    BIO loaders produce them), so that adjacent spans do not count as overlapping."""
    return [{"label": s.label, "start": s.start, "end": s.end - 1} for s in sorted(spans)]


def resolve_overlaps(spans: Iterable[Span], rank: Callable[[Span], object] | None = None) -> list[Span]:
    """A non-overlapping subset of candidate spans, in text order: candidates are taken longest first,
    then by ``rank`` (lower first), then leftmost, and each is kept unless it overlaps one kept before."""
    order = sorted(set(spans), key=lambda s: (s.start - s.end, rank(s) if rank else 0, s))
    taken: list[Span] = []
    used: set[int] = set()
    for s in order:
        if used.isdisjoint(range(s.start, s.end)):
            taken.append(s)
            used.update(range(s.start, s.end))
    return sorted(taken)
