"""Per-sentence counts: what every micro figure of ``evaluate`` is a ratio of, sentence by sentence.

A micro precision, recall or F1 is a function of three sums over the sentences: the *hits* (matched
entities), the *predicted* entities and the *gold* entities. Resampling sentences (bootstrap intervals,
paired tests) only has to re-add these per-sentence numbers, never to score again.

- ``strict``: hits are predicted spans equal to a gold span in start, end and type (the count seqeval's
  strict IOB2 micro figures are ratios of); predicted and gold are the numbers of spans.
- ``exact``, ``partial``, ``ent_type``: nervaluate's own per-sentence classification (each mode's
  strategy run once on each sentence). Hits are ``correct`` (plus half of ``partial`` in the
  partial and ent_type modes, nervaluate's formula), predicted is its ``actual`` and gold its
  ``possible``.

Spans are :class:`gaoxin_news.schema.spans.Span` objects (end-exclusive offsets), one list per sentence.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np

from gaoxin_news.schema.spans import Span, nervaluate_form

#: The scoring modes, in report order (the same as ``evaluate.MODES``).
MODES: tuple[str, ...] = ("strict", "exact", "partial", "ent_type")
#: The three columns of a count array.
COLUMNS: tuple[str, ...] = ("hit", "predicted", "gold")
HIT, PREDICTED, GOLD = range(3)
#: Modes in which nervaluate counts a partial match as half a hit.
HALF_PARTIAL = frozenset({"partial", "ent_type"})


def strict_counts(gold: Sequence[Sequence[Span]], pred: Sequence[Sequence[Span]]) -> np.ndarray:
    """``(n, 3)`` array of (hit, predicted, gold) per sentence for strict span-and-type matching."""
    out = np.zeros((len(gold), 3), dtype=np.float64)
    for i, (g, p) in enumerate(zip(gold, pred, strict=True)):
        gs, ps = set(g), set(p)
        out[i] = (len(gs & ps), len(ps), len(gs))
    return out


def nervaluate_pass(gold: Sequence[Sequence[Span]], pred: Sequence[Sequence[Span]],
                    types: Sequence[str]) -> tuple[dict, dict[str, np.ndarray]]:
    """nervaluate's classification of every sentence, in one pass: its Evaluator loads the spans and
    holds the mode strategies, and each strategy is run on each sentence as ``Evaluator.evaluate`` runs
    it (on the sentence's entities of the scored types, then on those of each type in turn).

    Returns the totals as ``Evaluator.evaluate`` reports them (``{"overall": {mode: result},
    "entities": {type: {mode: result}}}``, each an ``EvaluationResult`` with its metrics computed by
    nervaluate's own formula; the types are those that occur) and, per mode but ``strict``, the
    ``(n, 3)`` per-sentence counts (hit, predicted, gold). Unlike ``Evaluator.evaluate``, counts are
    added up as plain integers and the metrics computed once at the end, and a type is not scored on a
    sentence where it occurs in neither gold nor predictions (nervaluate counts nothing there): the
    figures are the same, in linear time."""
    from nervaluate import Evaluator
    from nervaluate.entities import EvaluationResult

    n = len(gold)
    ev = Evaluator([nervaluate_form(d) for d in gold], [nervaluate_form(d) for d in pred], tags=list(types),
                   loader="dict")
    tags = list(types)
    allowed = set(tags)
    fields = ("correct", "incorrect", "partial", "missed", "spurious")
    raw = {m: np.zeros((n, 5)) for m in MODES[1:]}  # correct, incorrect, partial, missed, spurious
    overall = {m: [0, 0, 0, 0, 0] for m in MODES}
    per_type: dict[str, dict[str, list[int]]] = {}
    used: set[str] = set()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for i, (t, p) in enumerate(zip(ev.true, ev.pred, strict=True)):
            used.update(e.label for e in t)
            used.update(e.label for e in p)
            t = [e for e in t if e.label in allowed]
            p = [e for e in p if e.label in allowed]
            present = sorted({e.label for e in t} | {e.label for e in p})
            by_tag = {tag: ([e for e in t if e.label == tag], [e for e in p if e.label == tag]) for tag in present}
            for mode in MODES:
                strategy = ev.strategies[mode]
                r, _ = strategy.evaluate(t, p, tags, i)
                c = (r.correct, r.incorrect, r.partial, r.missed, r.spurious)
                acc = overall[mode]
                for k in range(5):
                    acc[k] += c[k]
                if mode != "strict":
                    raw[mode][i] = c
                for tag, (tt, pp) in by_tag.items():
                    r, _ = strategy.evaluate(tt, pp, [tag], i)
                    acc = per_type.setdefault(tag, {m: [0, 0, 0, 0, 0] for m in MODES})[mode]
                    acc[0] += r.correct
                    acc[1] += r.incorrect
                    acc[2] += r.partial
                    acc[3] += r.missed
                    acc[4] += r.spurious

    def result(mode: str, c: list[int]) -> EvaluationResult:
        r = EvaluationResult(**dict(zip(fields, c)))
        r.compute_metrics(partial_or_type=mode in HALF_PARTIAL)
        return r

    used &= allowed
    totals = {"overall": {m: result(m, c) for m, c in overall.items()},
              "entities": {tag: {m: result(m, per_type.get(tag, {}).get(m, [0, 0, 0, 0, 0])) for m in MODES}
                           for tag in used}}
    return totals, _mode_counts(raw)


def _mode_counts(raw: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    out = {}
    for mode, c in raw.items():
        correct, incorrect, partial, missed, spurious = c.T
        hit = correct + 0.5 * partial if mode in HALF_PARTIAL else correct
        out[mode] = np.stack([hit, correct + incorrect + partial + spurious, correct + incorrect + partial + missed],
                             axis=1)
    return out


def sentence_counts(gold: Sequence[Sequence[Span]], pred: Sequence[Sequence[Span]],
                    types: Sequence[str]) -> dict[str, np.ndarray]:
    """Per mode, an ``(n, 3)`` array of (hit, predicted, gold) for each of the ``n`` aligned sentences.

    Summed over all sentences, the counts give the micro figures that ``evaluate.score`` reports.
    """
    if len(gold) != len(pred):
        raise ValueError("gold and predictions must be aligned")
    out = {"strict": strict_counts(gold, pred)}
    if any(gold) or any(pred):
        out.update(nervaluate_pass(gold, pred, types)[1])
    else:
        out.update({m: np.zeros((len(gold), 3)) for m in MODES[1:]})
    return out


def prf(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Micro precision, recall and F1 from summed counts ``(..., 3)`` (0 where a denominator is 0, as
    seqeval's ``zero_division=0`` and nervaluate do)."""
    hit, predicted, gold = counts[..., HIT], counts[..., PREDICTED], counts[..., GOLD]
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(predicted > 0, hit / np.where(predicted > 0, predicted, 1), 0.0)
        r = np.where(gold > 0, hit / np.where(gold > 0, gold, 1), 0.0)
        f = np.where(p + r > 0, 2 * p * r / np.where(p + r > 0, p + r, 1), 0.0)
    return p, r, f


def micro(counts: np.ndarray) -> dict[str, float]:
    """``{precision, recall, f1}`` of per-sentence counts ``(n, 3)``, summed."""
    p, r, f = prf(counts.sum(axis=0))
    return {"precision": float(p), "recall": float(r), "f1": float(f)}
