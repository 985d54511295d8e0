"""Score predictions against the gold entities: strict span-and-type matching and nervaluate's modes.

The headline number is ``strict``: a predicted entity counts only if its start, end and type equal a
gold entity's. Every mode is computed once, by nervaluate: ``strict``, ``exact`` (same span, any type),
``partial`` (overlapping span counts half, any type) and ``ent_type`` (overlapping span, same type).
``strict`` equals seqeval's strict IOB2 score on the BIO view of the sentences (the tests check it
against seqeval and against counts made by hand). Micro averages pool every entity; macro averages are
the unweighted mean over the types that occur in the gold or in the predictions (seqeval's convention).

Both gold and predictions are mapped to a coarse scheme first (``labels.SCHEMES``) when asked.

Per-type figures follow each library: a type's row scores the gold and predicted entities of that type
only (so per type, nervaluate's ``exact`` equals ``strict``; the modes differ in the micro averages,
where a span with the wrong type counts as ``incorrect`` in strict and as correct in exact).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from gaoxin_news.ner.bootstrap import DEFAULT_RESAMPLES, DEFAULT_SEED, annotate, format_interval
from gaoxin_news.ner.counts import nervaluate_pass, strict_counts
from gaoxin_news.ner.predictions import GoldSentence, allowed_labels, check_prediction, read_gold, read_predictions
from gaoxin_news.ner.recogniser import as_span
from gaoxin_news.schema.labels import SCHEMES, scheme_types
from gaoxin_news.schema.records import Prediction
from gaoxin_news.schema.spans import Span, check_spans, nervaluate_form, to_scheme

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


def _nervaluate(totals: dict) -> dict:
    """The figures of every mode from nervaluate's totals (:func:`gaoxin_news.ner.counts.nervaluate_pass`)."""
    res = totals
    out = {}
    for mode in MODES:
        overall = res["overall"][mode]
        per_type = {}
        for t, by_mode in res["entities"].items():
            r = by_mode[mode]
            per_type[t] = {**_prf(r.precision, r.recall, r.f1), "support": r.possible}
        counts = {k: getattr(overall, k) for k in ("correct", "incorrect", "partial", "missed", "spurious")}
        counts.update(gold=overall.possible, predicted=overall.actual)
        out[mode] = {"micro": _prf(overall.precision, overall.recall, overall.f1), "per_type": per_type,
                     "counts": counts}
    return out


def score(gold: Sequence[Sequence[Span]], pred: Sequence[Sequence[Span]], types: Sequence[str]) -> dict:
    """Score aligned documents (one list of spans per sentence).

    Returns ``{mode: {"micro": {precision, recall, f1}, "macro": {…}, "per_type": {type: {precision,
    recall, f1, support}}, "counts": {correct, incorrect, partial, missed, spurious, gold, predicted}}}``
    for every mode of :data:`MODES`. ``support`` is the number of gold entities of the type. Spans within
    a document must not overlap.
    """
    return _score(gold, pred, types)[0]


def _score(gold: Sequence[Sequence[Span]], pred: Sequence[Sequence[Span]],
           types: Sequence[str]) -> tuple[dict, dict[str, Any]]:
    """:func:`score`, and the per-sentence counts of :func:`gaoxin_news.ner.counts.sentence_counts`, from
    one pass of nervaluate's strategies over the sentences."""
    if len(gold) != len(pred):
        raise ValueError("gold and predictions must be aligned")
    g, p = [sorted(d) for d in gold], [sorted(d) for d in pred]
    for k, d in enumerate(g + p):
        problems = check_spans(d)
        if problems:
            raise ValueError(f"{'gold' if k < len(g) else 'predictions'}, document {k % len(g)}: {problems[0]}")
    present = {s.label for d in g + p for s in d}
    unknown = present - set(types)
    if unknown:
        raise ValueError(f"labels outside the scored types: {sorted(unknown)}")
    order = [t for t in types if t in present]
    counts: dict[str, Any] = {"strict": strict_counts(g, p)}
    if not order:
        report = {m: _empty_mode() for m in MODES}
        for m in MODES:
            report[m]["counts"] = dict(correct=0, incorrect=0, partial=0, missed=0, spurious=0, gold=0, predicted=0)
        counts.update({m: np.zeros((len(g), 3)) for m in MODES[1:]})
        return report, counts
    totals, mode_counts = nervaluate_pass(g, p, order)
    counts.update(mode_counts)
    nerv = _nervaluate(totals)
    report = {}
    for mode in MODES:
        per_type = {t: nerv[mode]["per_type"][t] for t in order}
        macro = _prf(*(sum(v[k] for v in per_type.values()) / len(per_type) for k in ("precision", "recall", "f1")))
        report[mode] = {"micro": nerv[mode]["micro"], "macro": macro, "per_type": per_type,
                        "counts": nerv[mode]["counts"]}
    return report, counts


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
    p = []
    for s in gold:
        pred = predictions.get(s.id)
        if pred is None:
            p.append([])
            continue
        spans = pred.spans() if isinstance(pred, Prediction) else sorted(map(as_span, pred))
        problem = check_prediction(s.id, spans, s.text, labels)
        if problem:
            raise ValueError(problem)
        p.append(to_scheme(spans, scheme))
    g = [to_scheme(s.entities, scheme) for s in gold]
    report, counts = _score(g, p, scheme_types(scheme))
    return annotate(report, counts, [s.role for s in gold], bootstrap, seed)


def evaluate_file(pred: Path | str, corpus: Path | str = "corpus", scheme: str = "ontonotes",
                  bootstrap: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED) -> dict:
    """Read ``corpus/sentences.jsonl`` and a prediction file, check the file, and score it (with the
    bootstrap intervals of ``gaoxin-news evaluate``: 1,000 resamples, seed 0, unless told otherwise)."""
    gold = read_gold(corpus)
    return evaluate(gold, read_predictions(pred, gold, scheme), scheme, bootstrap, seed)


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
