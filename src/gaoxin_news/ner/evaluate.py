"""Score predictions against the gold entities: strict span-and-type matching and nervaluate's modes.

The headline number is ``strict``: a predicted entity counts only if its start, end and type equal a
gold entity's. It is computed by seqeval in strict IOB2 mode on the BIO view of the sentences (the
``ner_tags`` of ``sentences.jsonl``). ``exact`` (same span, any type), ``partial`` (overlapping span
counts half, any type) and ``ent_type`` (overlapping span, same type) come from nervaluate, whose
``strict`` mode agrees with seqeval's. Micro averages pool every entity; macro averages are the
unweighted mean over the types that occur in the gold or in the predictions (seqeval's convention).

Both gold and predictions are mapped to a coarse scheme first (``labels.SCHEMES``) when asked.

Per-type figures follow each library: a type's row scores the gold and predicted entities of that type
only (so per type, nervaluate's ``exact`` equals ``strict``; the modes differ in the micro averages,
where a span with the wrong type counts as ``incorrect`` in strict and as correct in exact).
"""

from __future__ import annotations

import json
import sys
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path

from pydantic import ValidationError

from gaoxin_news.schema.labels import ENTITY_TYPES, SCHEMES, bio_tags, map_spans, scheme_types
from gaoxin_news.ner.predictions import (GoldSentence, allowed_labels, check_prediction, read_gold, read_predictions, spans_of,
                          validation_problem)
from gaoxin_news.schema.records import Prediction
from gaoxin_news.ner.bootstrap import DEFAULT_RESAMPLES, DEFAULT_SEED, annotate, format_interval
from gaoxin_news.ner.counts import sentence_counts

#: The scoring modes, in report order. ``strict`` is the headline.
MODES: tuple[str, ...] = ("strict", "exact", "partial", "ent_type")

MODE_HELP = {
    "strict": "exact span and type (the headline; equals seqeval strict IOB2)",
    "exact": "exact span, any type (nervaluate)",
    "partial": "overlapping span counts half, any type (nervaluate)",
    "ent_type": "overlapping span and same type (nervaluate)",
}


def to_scheme(spans: Sequence[Mapping], scheme: str) -> list[dict]:
    """Map span dicts to ``scheme``: OntoNotes labels through ``labels.map_spans``; labels that are
    already the scheme's own types are kept. Spans that map to nothing are dropped."""
    allowed = allowed_labels(scheme)
    onto, own = [], []
    for s in spans:
        d = {"start": s["start"], "end": s["end"], "label": s["label"]}
        if d["label"] in ENTITY_TYPES:
            onto.append(d)
        elif d["label"] in allowed:
            own.append(d)
        else:
            raise ValueError(f"label {d['label']!r} is not a type of the {scheme} scheme")
    return sorted(map_spans(onto, scheme) + own, key=lambda d: (d["start"], d["end"]))


def _prf(p: float, r: float, f: float) -> dict:
    return {"precision": float(p), "recall": float(r), "f1": float(f)}


def _empty_mode() -> dict:
    return {"micro": _prf(0, 0, 0), "macro": _prf(0, 0, 0), "per_type": {}, "counts": {}}


def _seqeval_strict(gold: list[list[dict]], pred: list[list[dict]], lengths: list[int]) -> dict:
    from seqeval.metrics import classification_report
    from seqeval.scheme import IOB2

    y_true = [bio_tags(n, g) for n, g in zip(lengths, gold)]
    y_pred = [bio_tags(n, p) for n, p in zip(lengths, pred)]
    rep = classification_report(y_true, y_pred, mode="strict", scheme=IOB2, output_dict=True, zero_division=0)
    per_type = {
        k: {**_prf(v["precision"], v["recall"], v["f1-score"]), "support": int(v["support"])}
        for k, v in rep.items() if not k.endswith(" avg")
    }
    mi, ma = rep["micro avg"], rep["macro avg"]
    return {
        "micro": _prf(mi["precision"], mi["recall"], mi["f1-score"]),
        "macro": _prf(ma["precision"], ma["recall"], ma["f1-score"]),
        "per_type": per_type,
    }


def _nervaluate(gold: list[list[dict]], pred: list[list[dict]], types: Sequence[str]) -> dict:
    from nervaluate import Evaluator

    # nervaluate's offsets are inclusive at both ends (as its own BIO loaders produce them)
    incl = lambda docs: [[{"label": s["label"], "start": s["start"], "end": s["end"] - 1} for s in d] for d in docs]  # noqa: E731
    res = Evaluator(incl(gold), incl(pred), tags=list(types), loader="dict").evaluate()
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


def score(gold: Sequence[Sequence[Mapping]], pred: Sequence[Sequence[Mapping]], lengths: Sequence[int],
          types: Sequence[str]) -> dict:
    """Score aligned documents (one list of span dicts per sentence, offsets end-exclusive).

    Returns ``{mode: {"micro": {precision, recall, f1}, "macro": {…}, "per_type": {type: {precision,
    recall, f1, support}}, "counts": {correct, incorrect, partial, missed, spurious, gold, predicted}}}``
    for every mode of :data:`MODES`. ``support`` is the number of gold entities of the type. Spans within
    a document must not overlap.
    """
    if not (len(gold) == len(pred) == len(lengths)):
        raise ValueError("gold, predictions and lengths must be aligned")
    g = [[dict(s) for s in d] for d in gold]
    p = [[dict(s) for s in d] for d in pred]
    present = {s["label"] for d in g + p for s in d}
    unknown = present - set(types)
    if unknown:
        raise ValueError(f"labels outside the scored types: {sorted(unknown)}")
    order = [t for t in types if t in present]
    if not order:
        report = {m: _empty_mode() for m in MODES}
        for m in MODES:
            report[m]["counts"] = dict(correct=0, incorrect=0, partial=0, missed=0, spurious=0, gold=0, predicted=0)
        return report
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        strict = _seqeval_strict(g, p, list(lengths))
        nerv = _nervaluate(g, p, order)
    report = {}
    for mode in MODES:
        if mode == "strict":
            per_type = {t: strict["per_type"][t] for t in order}
            micro, macro = strict["micro"], strict["macro"]
        else:
            per_type = {t: nerv[mode]["per_type"][t] for t in order}
            micro = nerv[mode]["micro"]
            macro = _prf(*(sum(v[k] for v in per_type.values()) / len(per_type) for k in ("precision", "recall", "f1")))
        report[mode] = {"micro": micro, "macro": macro, "per_type": per_type, "counts": nerv[mode]["counts"]}
    return report


def evaluate(
    gold: Sequence[GoldSentence],
    predictions: Mapping[str, Prediction | Sequence[Mapping]],
    scheme: str = "ontonotes",
    bootstrap: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> dict:
    """Score predictions (sentence id → prediction record or span dicts) against the gold sentences under
    ``scheme``. A sentence without a prediction counts as predicted empty.

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
        if not isinstance(pred, Prediction):
            try:
                pred = Prediction(id=s.id, entities=spans_of(pred))  # type: ignore[arg-type]
            except ValidationError as e:
                raise ValueError(f"sentence {s.id}: {validation_problem(e)}") from None
        problem = check_prediction(pred, s.text, labels)
        if problem:
            raise ValueError(problem)
        p.append(to_scheme(spans_of(pred), scheme))
    g = [to_scheme(s.entities, scheme) for s in gold]
    report = score(g, p, [len(s.text) for s in gold], scheme_types(scheme))
    counts = sentence_counts(g, p, scheme_types(scheme))
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
