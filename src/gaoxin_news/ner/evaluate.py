"""Score predictions against the gold entities: strict span-and-type matching and nervaluate's modes.

The headline number is ``strict``: a predicted entity counts only if its start, end and type equal a
gold entity's. Every mode is counted once per sentence (:mod:`gaoxin_news.ner.counts`), as nervaluate
counts it: ``strict``, ``exact`` (same span, any type), ``partial`` (overlapping span counts half, any
type) and ``ent_type`` (overlapping span, same type). ``strict`` equals seqeval's strict IOB2 score on
the BIO view of the sentences (the tests check every mode against nervaluate, strict against seqeval
and against counts made by hand). Micro averages pool every entity; macro averages are the unweighted
mean over the types that occur in the gold or in the predictions (seqeval's convention).

Both gold and predictions are mapped to a coarse scheme first (``labels.SCHEMES``) when asked.

Per-type figures follow each library: a type's row scores the gold and predicted entities of that type
only (so per type, nervaluate's ``exact`` equals ``strict``; the modes differ in the micro averages,
where a span with the wrong type counts as ``incorrect`` in strict and as correct in exact).

:func:`evaluate_file` streams: ``sentences.jsonl`` and the prediction file are read together
(:class:`gaoxin_news.ner.predictions.PredictionStream`), each sentence is counted as it comes, and only
a few numbers per sentence are kept for the bootstrap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from gaoxin_news.ner.bootstrap import (
    DEFAULT_RESAMPLES, DEFAULT_SEED, ROLE_GROUPS, annotate, annotate_groups, format_interval, role_group,
)
from gaoxin_news.ner.counts import FIELDS, Tally, Tup, as_tuples, metrics
from gaoxin_news.ner.predictions import (
    MAX_LINE_BYTES, GoldLine, GoldSentence, OutOfStep, PredictionStream, allowed_labels, check_prediction, gold_lines,
)
from gaoxin_news.ner.recogniser import as_span
from gaoxin_news.schema.labels import SCHEMES, coarse_label, scheme_types
from gaoxin_news.schema.records import Prediction
from gaoxin_news.schema.spans import Span, check_spans

#: The scoring modes, in report order. ``strict`` is the headline.
MODES: tuple[str, ...] = ("strict", "exact", "partial", "ent_type")

MODE_HELP = {
    "strict": "exact span and type (the headline; equals seqeval strict IOB2)",
    "exact": "exact span, any type (nervaluate)",
    "partial": "overlapping span counts half, any type (nervaluate)",
    "ent_type": "overlapping span and same type (nervaluate)",
}


def _prf(p: float, r: float, f: float) -> dict:
    return {"precision": float(p), "recall": float(r), "f1": float(f)}


def _empty_mode() -> dict:
    return {"micro": _prf(0, 0, 0), "macro": _prf(0, 0, 0), "per_type": {}, "counts": {}}


def report_of(tally: Tally, types: Sequence[str]) -> dict:
    """The figures of every mode from the counts of all sentences (see :func:`score`)."""
    unknown = tally.labels - set(types)
    if unknown:
        raise ValueError(f"labels outside the scored types: {sorted(unknown)}")
    order = [t for t in types if t in tally.labels]
    if not order:
        report = {m: _empty_mode() for m in MODES}
        for m in MODES:
            report[m]["counts"] = dict(correct=0, incorrect=0, partial=0, missed=0, spurious=0, gold=0, predicted=0)
        return report
    report = {}
    by_type, totals = tally.per_type, tally.overall
    for mode in MODES:
        per_type = {}
        for t in order:
            r = metrics(by_type[t][mode], mode)
            per_type[t] = {**_prf(r["precision"], r["recall"], r["f1"]), "support": r["possible"]}
        overall = totals[mode]
        r = metrics(overall, mode)
        counts = dict(zip(FIELDS, overall))
        counts.update(gold=r["possible"], predicted=r["actual"])
        macro = _prf(*(sum(v[k] for v in per_type.values()) / len(per_type) for k in ("precision", "recall", "f1")))
        report[mode] = {"micro": _prf(r["precision"], r["recall"], r["f1"]), "macro": macro, "per_type": per_type,
                        "counts": counts}
    return report


def score(gold: Sequence[Sequence[Span]], pred: Sequence[Sequence[Span]], types: Sequence[str]) -> dict:
    """Score aligned documents (one list of spans per sentence).

    Returns ``{mode: {"micro": {precision, recall, f1}, "macro": {…}, "per_type": {type: {precision,
    recall, f1, support}}, "counts": {correct, incorrect, partial, missed, spurious, gold, predicted}}}``
    for every mode of :data:`MODES`. ``support`` is the number of gold entities of the type. Spans within
    a document must not overlap.
    """
    return _score(gold, pred, types)[0]


def _score(gold: Sequence[Sequence[Span]], pred: Sequence[Sequence[Span]],
           types: Sequence[str]) -> tuple[dict, dict[str, np.ndarray]]:
    """:func:`score`, and the per-sentence counts of :func:`gaoxin_news.ner.counts.sentence_counts`."""
    if len(gold) != len(pred):
        raise ValueError("gold and predictions must be aligned")
    g, p = [sorted(d) for d in gold], [sorted(d) for d in pred]
    for k, d in enumerate(g + p):
        problems = check_spans(d)
        if problems:
            raise ValueError(f"{'gold' if k < len(g) else 'predictions'}, document {k % len(g)}: {problems[0]}")
    tally = Tally()
    for a, b in zip(g, p):
        tally.add(as_tuples(a), as_tuples(b))
    return report_of(tally, types), tally.counts()


def scheme_map(scheme: str) -> dict[str, str | None]:
    """Every label a prediction or the gold may carry under ``scheme`` → its type in the scheme (None:
    dropped)."""
    return {label: coarse_label(label, scheme) for label in allowed_labels(scheme)}


def mapped(spans: Iterable[Span], labels: Mapping[str, str | None]) -> list[Tup]:
    """Spans in text order as ``(start, end, type)`` tuples of the scheme, those it drops left out."""
    return [(s.start, s.end, lab) for s in spans if (lab := labels[s.label]) is not None]


def mapped_tuples(spans: Iterable[Tup], labels: Mapping[str, str | None]) -> list[Tup]:
    """:func:`mapped` of ``(start, end, label)`` tuples."""
    return [(a, b, lab) for a, b, label in spans if (lab := labels[label]) is not None]


def evaluate(
    gold: Sequence[GoldSentence],
    predictions: Mapping[str, Prediction | Iterable[Any]],
    scheme: str = "ontonotes",
    bootstrap: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> dict:
    """Score predictions (sentence id → prediction record, or spans in any form a recogniser may return)
    against the gold sentences under ``scheme``. A sentence without a prediction counts as predicted
    empty.

    With ``bootstrap`` resamples (1,000 unless told otherwise; 0 for none), each mode's micro figures get
    their 95% interval (``micro.ci95``, :mod:`gaoxin_news.ner.bootstrap`, drawn with ``seed``); when the
    sentences' roles are known, each mode also gets its micro figures per block role group
    (``role_groups``)."""
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}; expected one of {', '.join(SCHEMES)}")
    known = {s.id for s in gold}
    extra = sorted(set(predictions) - known)
    if extra:
        raise ValueError(f"predictions for unknown sentence ids: {extra[:3]}")
    labels = allowed_labels(scheme)
    to = scheme_map(scheme)
    tally = Tally()
    for k, s in enumerate(gold):
        pred = predictions.get(s.id)
        spans: list[Span] = []
        if pred is not None:
            spans = pred.spans() if isinstance(pred, Prediction) else sorted(map(as_span, pred))
            problem = check_prediction(s.id, spans, s.text, labels)
            if problem:
                raise ValueError(problem)
        g = sorted(s.entities)
        problems = check_spans(g)
        if problems:
            raise ValueError(f"gold, document {k}: {problems[0]}")
        tally.add(mapped(g, to), mapped(spans, to))
    report = report_of(tally, scheme_types(scheme))
    return annotate(report, tally.counts(), [s.role for s in gold], bootstrap, seed)


def aligned(corpus: Path | str, preds: Sequence[Path | str], scheme: str, max_line_bytes: int,
            indexed: bool) -> Iterator[tuple[GoldLine, list[list[Span] | None], list[PredictionStream]]]:
    """Each gold sentence of ``corpus/sentences.jsonl`` with its predicted spans in each prediction file
    (None: no line for it), read in step, or through an index of each file with ``indexed``. Raises
    :class:`OutOfStep` at the end when a file was not in step."""
    streams: list[PredictionStream] = []
    try:
        for s in gold_lines(corpus):
            if not streams:  # opened once the corpus has shown a sentence
                streams = [PredictionStream(p, scheme, max_line_bytes, indexed) for p in preds]
            yield s, [st.spans(s.id, s.text) for st in streams], streams
        for st in streams:
            st.finish()
    finally:
        for st in streams:
            st.close()


def streamed(corpus: Path | str, preds: Sequence[Path | str], scheme: str, max_line_bytes: int,
             consume: Callable[[Iterator[tuple[GoldLine, list[list[Span] | None], list[PredictionStream]]]], Any]
             ) -> Any:
    """``consume`` of :func:`aligned`: in step first, and once more through indexes when a file's lines
    do not follow the sentences (``consume`` starts afresh)."""
    try:
        return consume(aligned(corpus, preds, scheme, max_line_bytes, False))
    except OutOfStep:
        return consume(aligned(corpus, preds, scheme, max_line_bytes, True))


def evaluate_stream(pred: Path | str, corpus: Path | str = "corpus", scheme: str = "ontonotes",
                    bootstrap: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED, max_line_bytes: int = MAX_LINE_BYTES,
                    on_sentence: Callable[[GoldLine, list[Span], list[Span]], None] | None = None,
                    restart: Callable[[], None] | None = None) -> tuple[dict, dict[str, int]]:
    """:func:`evaluate_file` with the prediction file's line limit, and ``on_sentence(sentence, gold,
    predicted)`` called for each gold sentence with its spans in the scheme (``restart()`` first, each
    time the sentences are gone through). Also returns ``{"sentences", "records", "gold"}``: the gold
    sentences, the prediction lines used, the gold entities in the scheme."""
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}; expected one of {', '.join(SCHEMES)}")
    to = scheme_map(scheme)
    names = list(ROLE_GROUPS)
    body = names.index(role_group("paragraph"))

    def consume(items: Iterator) -> tuple[Tally, bytearray, bool, PredictionStream | None]:
        if restart is not None:
            restart()
        tally, groups, roles_known, stream = Tally(), bytearray(), True, None
        for s, (spans,), (stream,) in items:
            g = mapped_tuples(s.spans, to)
            p = mapped(spans, to) if spans else []
            tally.add(g, p)
            if s.role is None:
                roles_known = False
            groups.append(names.index(role_group(s.role)) if s.role is not None else body)
            if on_sentence is not None:
                on_sentence(s, [Span(*t) for t in g], [Span(*t) for t in p])
        return tally, groups, roles_known, stream

    tally, groups, roles_known, stream = streamed(corpus, [pred], scheme, max_line_bytes, consume)
    report = report_of(tally, scheme_types(scheme))
    codes = np.frombuffer(bytes(groups), dtype=np.uint8)
    report = annotate_groups(report, tally.counts(), np.array(names)[codes] if roles_known else None, bootstrap, seed)
    info = {"sentences": len(tally), "records": stream.records if stream is not None else 0,
            "gold": int(sum(tally.gold))}
    return report, info


def evaluate_file(pred: Path | str, corpus: Path | str = "corpus", scheme: str = "ontonotes",
                  bootstrap: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED) -> dict:
    """Read ``corpus/sentences.jsonl`` and a prediction file, check the file, and score it (with the
    bootstrap intervals of ``gaoxin-news evaluate``: 1,000 resamples, seed 0, unless told otherwise).
    Both files are streamed: memory stays flat in the number of sentences."""
    return evaluate_stream(pred, corpus, scheme, bootstrap, seed)[0]


def _fmt(x: float) -> str:
    return f"{x:.4f}"


def format_report(report: dict, title: str = "") -> str:
    """A plain-text report: one table per mode, per type, then micro and macro averages."""
    lines = [title, ""] if title else []
    for mode in MODES:
        r = report[mode]
        c = r["counts"]
        lines.append(f"{mode}: {MODE_HELP[mode]}")
        lines.append(f"  {'type':<12} {'P':>7} {'R':>7} {'F1':>7} {'gold':>6}")
        for t, v in r["per_type"].items():
            lines.append(f"  {t:<12} {_fmt(v['precision']):>7} {_fmt(v['recall']):>7} {_fmt(v['f1']):>7} {v['support']:>6}")
        for avg in ("micro", "macro"):
            v = r[avg]
            n = str(c.get("gold", "")) if avg == "micro" else ""
            lines.append(f"  {avg:<12} {_fmt(v['precision']):>7} {_fmt(v['recall']):>7} {_fmt(v['f1']):>7} {n:>6}")
        if "ci95" in r["micro"]:
            lines.append("  micro with its bootstrap 95% interval: " + format_interval(r["micro"]))
        if c:
            lines.append("  " + ", ".join(f"{k} {c[k]}" for k in ("correct", "incorrect", "partial", "missed", "spurious", "predicted")))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
