"""Per-sentence counts: what every figure of ``evaluate`` is a ratio of, sentence by sentence.

Spans are compared within one sentence, as ``(start, end, label)`` tuples (end-exclusive offsets,
non-overlapping on each side, in text order). Each mode classifies every predicted span as correct,
incorrect, partial or spurious and every gold span left unpaired as missed, exactly as nervaluate's
strategies (version 1.2.1, its default minimum overlap of 1% of the gold span) do it, predictions in text
order, each paired with at most one gold span not yet paired:

- ``strict``: the gold span with the same offsets and label is correct; else the first overlapping one is
  incorrect; else the prediction is spurious (the hits are the spans equal in start, end and type: the
  count seqeval's strict IOB2 figures are ratios of);
- ``exact``: as ``strict``, the label ignored;
- ``partial``: among the overlapping gold spans, one with the same offsets is correct, else the first is
  partial (counted half a hit); labels ignored;
- ``ent_type``: among the overlapping gold spans of the same label the one with the closest boundaries
  (least ``|Δstart| + |Δend|``, the first on ties) is correct; else the first overlapping one of another
  label is incorrect.

The tests check these functions against nervaluate's ``Evaluator`` and seqeval on generated spans. A
type's figures come from the same strategy run on the gold and predicted spans of that type alone.

A micro precision, recall or F1 is a function of three sums over the sentences: the *hits* (``correct``,
plus half of ``partial`` in the partial and ent_type modes, nervaluate's formula), the *predicted*
spans and the *gold* spans. :class:`Tally` adds the counts up sentence by sentence and keeps, per
sentence, only those three numbers per mode (compact arrays), so that resampling (bootstrap intervals,
paired tests) re-adds them and never scores again.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence

import numpy as np

from gaoxin_news.schema.spans import Span

#: The scoring modes, in report order (the same as ``evaluate.MODES``).
MODES: tuple[str, ...] = ("strict", "exact", "partial", "ent_type")
#: The three columns of a count array.
COLUMNS: tuple[str, ...] = ("hit", "predicted", "gold")
HIT, PREDICTED, GOLD = range(3)
#: Modes in which nervaluate counts a partial match as half a hit.
HALF_PARTIAL = frozenset({"partial", "ent_type"})
#: The five counts of a mode, in this order.
FIELDS: tuple[str, ...] = ("correct", "incorrect", "partial", "missed", "spurious")

Tup = tuple[int, int, str]


def _overlaps(ps: int, pe: int, gs: int, ge: int) -> bool:
    """nervaluate's sufficient overlap of a prediction with a gold span: at least 1% of the gold span's
    characters (its own arithmetic, on end-inclusive offsets ``e - 1``)."""
    if ps >= ge or pe <= gs:
        return False
    return ((min(pe, ge) - max(ps, gs)) / (ge - gs)) * 100.0 >= 1.0


def _same(counts: tuple[int, ...]) -> tuple[tuple[int, ...], ...]:
    return (counts,) * len(MODES)


def _candidates(gold: Sequence[Tup], pred: Sequence[Tup]) -> list[list[tuple[int, int, int, str, bool]]]:
    """For each prediction, the gold spans it overlaps at all (index, start, end, label, and whether the
    overlap is sufficient), in text order: both sides are in text order and do not overlap, and the
    strategies pass over every other gold span without effect."""
    ng = len(gold)
    cands = []
    lo = 0
    for ps, pe, _ in pred:
        while lo < ng and gold[lo][1] <= ps:
            lo += 1
        c = []
        k = lo
        while k < ng and gold[k][0] < pe:
            gs, ge, gl = gold[k]
            c.append((k, gs, ge, gl, _overlaps(ps, pe, gs, ge)))
            k += 1
        cands.append(c)
    return cands


def classify_modes(gold: Sequence[Tup], pred: Sequence[Tup]) -> tuple[tuple[int, ...], ...]:
    """``(correct, incorrect, partial, missed, spurious)`` of each mode of :data:`MODES` for one sentence
    (spans in text order)."""
    ng, npr = len(gold), len(pred)
    if not npr:
        return _same((0, 0, 0, ng, 0))
    if not ng:
        return _same((0, 0, 0, 0, npr))
    if gold == pred:
        return _same((ng, 0, 0, 0, 0))
    return _general(gold, pred, _candidates(gold, pred))


def _by_label(spans: Sequence[Tup]) -> dict[str, int]:
    out: dict[str, int] = {}
    for s in spans:
        out[s[2]] = out.get(s[2], 0) + 1
    return out


def classify_sentence(gold: Sequence[Tup], pred: Sequence[Tup]
                      ) -> tuple[tuple[tuple[int, ...], ...], dict[str, tuple[tuple[int, ...], ...]]]:
    """:func:`classify_modes` of one sentence, and of each type occurring in it on the spans of that type
    alone."""
    ng, npr = len(gold), len(pred)
    if not npr or not ng or gold == pred:
        # one outcome for every span in every mode: missed, spurious or correct
        at, spans = (3, gold) if not npr else (4, pred) if not ng else (0, gold)
        res = {}
        for t, k in _by_label(spans).items():
            c = [0] * 5
            c[at] = k
            res[t] = _same(tuple(c))
        c = [0] * 5
        c[at] = len(spans)
        return _same(tuple(c)), res
    cands = _candidates(gold, pred)
    seen: set[int] = set()
    for c in cands:
        if len(c) > 1 or (c and c[0][0] in seen):
            break
        if c:
            seen.add(c[0][0])
    else:
        return _one_to_one(gold, pred, cands)
    overall = _general(gold, pred, cands)
    labels = _by_label(gold).keys() | _by_label(pred).keys()
    if len(labels) == 1:
        return overall, {next(iter(labels)): overall}
    return overall, {t: classify_modes([s for s in gold if s[2] == t], [s for s in pred if s[2] == t])
                     for t in labels}


def _one_to_one(gold: Sequence[Tup], pred: Sequence[Tup], cands: list[list[tuple[int, int, int, str, bool]]]
                ) -> tuple[tuple[tuple[int, ...], ...], dict[str, tuple[tuple[int, ...], ...]]]:
    """:func:`classify_sentence` when every prediction overlaps at most one gold span and no gold span is
    overlapped by two: each prediction's outcome depends on its own gold span alone. Per type, a
    prediction keeps its outcome when its gold span has its type, and is spurious otherwise."""
    total = [[0, 0, 0, len(gold), 0] for _ in MODES]
    per: dict[str, list[list[int]]] = {}
    for t, k in _by_label(gold).items():
        per[t] = [[0, 0, 0, k, 0] for _ in MODES]
    for (ps, pe, pl), c in zip(pred, cands):
        pt = per.get(pl)
        if pt is None:
            pt = per[pl] = [[0] * 5 for _ in MODES]
        if not c:
            for m in range(4):
                total[m][4] += 1
                pt[m][4] += 1
            continue
        _, gs, ge, gl, ok = c[0]
        same, lab = ps == gs and pe == ge, pl == gl
        # the index of the outcome in each mode: 0 correct, 1 incorrect, 2 partial, 4 spurious
        outcome = (0 if same and lab else 1 if ok else 4, 0 if same else 1 if ok else 4,
                   4 if not ok else 0 if same else 2, 4 if not ok else 0 if lab else 1)
        for m, o in enumerate(outcome):
            total[m][o] += 1
            if o != 4:
                total[m][3] -= 1  # the gold span is paired
            if lab:
                pt[m][o] += 1
                if o != 4:
                    pt[m][3] -= 1
            else:
                pt[m][4] += 1
    return (tuple(tuple(x) for x in total),  # type: ignore[return-value]
            {t: tuple(tuple(x) for x in v) for t, v in per.items()})


def _general(gold: Sequence[Tup], pred: Sequence[Tup], cands: list[list[tuple[int, int, int, str, bool]]]
             ) -> tuple[tuple[int, ...], ...]:
    """:func:`classify_modes`: each strategy as nervaluate runs it, over each prediction's candidates."""
    ng = len(gold)
    strict, exact, partial, ent = [0] * 5, [0] * 5, [0] * 5, [0] * 5
    m_strict: set[int] = set()
    m_exact: set[int] = set()
    m_partial: set[int] = set()
    m_ent: set[int] = set()
    for (ps, pe, pl), c in zip(pred, cands):
        if not c:
            strict[4] += 1
            exact[4] += 1
            partial[4] += 1
            ent[4] += 1
            continue
        # strict: the unpaired gold span equal to it, else the first overlapping one
        inc = None
        for k, gs, ge, gl, ok in c:
            if k in m_strict:
                continue
            if ps == gs and pe == ge and pl == gl:
                strict[0] += 1
                m_strict.add(k)
                break
            if inc is None and ok:
                inc = k
        else:
            if inc is not None:
                strict[1] += 1
                m_strict.add(inc)
            else:
                strict[4] += 1
        # exact: the same, labels ignored
        inc = None
        for k, gs, ge, gl, ok in c:
            if k in m_exact:
                continue
            if ps == gs and pe == ge:
                exact[0] += 1
                m_exact.add(k)
                break
            if inc is None and ok:
                inc = k
        else:
            if inc is not None:
                exact[1] += 1
                m_exact.add(inc)
            else:
                exact[4] += 1
        # partial: an overlapping unpaired gold span with the same offsets, else the first overlapping one
        part = None
        for k, gs, ge, gl, ok in c:
            if k in m_partial or not ok:
                continue
            if ps == gs and pe == ge:
                partial[0] += 1
                m_partial.add(k)
                break
            if part is None:
                part = k
        else:
            if part is not None:
                partial[2] += 1
                m_partial.add(part)
            else:
                partial[4] += 1
        # ent_type: the overlapping unpaired gold span of the same label with the closest boundaries,
        # else the first overlapping one of another label
        best = best_d = inc = None
        for k, gs, ge, gl, ok in c:
            if k in m_ent or not ok:
                continue
            if pl == gl:
                d = abs(ps - gs) + abs(pe - ge)
                if best_d is None or d < best_d:
                    best, best_d = k, d
            elif inc is None:
                inc = k
        if best is not None:
            ent[0] += 1
            m_ent.add(best)
        elif inc is not None:
            ent[1] += 1
            m_ent.add(inc)
        else:
            ent[4] += 1
    strict[3] = ng - len(m_strict)
    exact[3] = ng - len(m_exact)
    partial[3] = ng - len(m_partial)
    ent[3] = ng - len(m_ent)
    return tuple(strict), tuple(exact), tuple(partial), tuple(ent)


def metrics(c: Sequence[int], mode: str) -> dict[str, float | int]:
    """Precision, recall and F1 of summed counts ``(correct, incorrect, partial, missed, spurious)`` by
    nervaluate's formula (``EvaluationResult.compute_metrics``), with ``actual`` (predicted) and
    ``possible`` (gold)."""
    correct, incorrect, partial, missed, spurious = c
    actual = correct + incorrect + partial + spurious
    possible = correct + incorrect + partial + missed
    hit = correct + 0.5 * partial if mode in HALF_PARTIAL else correct
    precision = hit / actual if actual > 0 else 0
    recall = hit / possible if possible > 0 else 0
    f1 = 2 * (precision * recall) / (precision + recall) if (precision + recall) > 0 else 0
    return {"precision": float(precision), "recall": float(recall), "f1": float(f1), "actual": actual,
            "possible": possible}


class Tally:
    """The counts of every mode added up sentence by sentence: totals over all types and per type, and
    per sentence the hits of each mode and the numbers of predicted and gold spans (compact arrays:
    memory grows by a few dozen bytes a sentence)."""

    def __init__(self) -> None:
        # how many sentences (or sentence-and-type pairs) gave each classification: most repeat
        self._overall: dict[tuple, int] = {}
        self._per_type: dict[tuple, int] = {}
        self.labels: set[str] = set()
        self.hits = {m: array("d") for m in MODES}
        self.predicted = array("q")
        self.gold = array("q")

    def __len__(self) -> int:
        return len(self.gold)

    def add(self, gold: Sequence[Tup], pred: Sequence[Tup]) -> None:
        """Count one sentence (each side non-overlapping, in text order)."""
        self.predicted.append(len(pred))
        self.gold.append(len(gold))
        if not gold and not pred:
            for m in MODES:
                self.hits[m].append(0.0)
            return
        res, by_type = classify_sentence(gold, pred)
        self._overall[res] = self._overall.get(res, 0) + 1
        for m, c in zip(MODES, res):
            self.hits[m].append(c[0] + 0.5 * c[2] if m in HALF_PARTIAL else float(c[0]))
        self.labels |= by_type.keys()
        per_type = self._per_type
        for key in by_type.items():
            per_type[key] = per_type.get(key, 0) + 1

    @staticmethod
    def _sum(items: Iterable[tuple[tuple[tuple[int, ...], ...], int]]) -> dict[str, list[int]]:
        out = {m: [0] * 5 for m in MODES}
        for res, times in items:
            for m, c in zip(MODES, res):
                acc = out[m]
                for k in range(5):
                    acc[k] += c[k] * times
        return out

    @property
    def overall(self) -> dict[str, list[int]]:
        """Per mode, ``[correct, incorrect, partial, missed, spurious]`` over all sentences."""
        return self._sum(self._overall.items())

    @property
    def per_type(self) -> dict[str, dict[str, list[int]]]:
        """Per type, the counts of :attr:`overall` on the spans of that type alone."""
        return {t: self._sum((res, k) for (u, res), k in self._per_type.items() if u == t)
                for t in sorted(self.labels)}

    def counts(self) -> dict[str, np.ndarray]:
        """Per mode, the ``(n, 3)`` per-sentence (hit, predicted, gold) array."""
        pred = np.frombuffer(self.predicted, dtype=np.int64).astype(np.float64)
        gold = np.frombuffer(self.gold, dtype=np.int64).astype(np.float64)
        return {m: np.stack([np.frombuffer(self.hits[m], dtype=np.float64), pred, gold], axis=1) for m in MODES}


def as_tuples(spans: Iterable[Span]) -> list[Tup]:
    """Spans as sorted ``(start, end, label)`` tuples."""
    return sorted((s.start, s.end, s.label) for s in spans)


def tally(gold: Sequence[Sequence[Span]], pred: Sequence[Sequence[Span]]) -> Tally:
    """A :class:`Tally` of aligned sentences."""
    if len(gold) != len(pred):
        raise ValueError("gold and predictions must be aligned")
    t = Tally()
    for g, p in zip(gold, pred):
        t.add(as_tuples(g), as_tuples(p))
    return t


def strict_counts(gold: Sequence[Sequence[Span]], pred: Sequence[Sequence[Span]]) -> np.ndarray:
    """``(n, 3)`` array of (hit, predicted, gold) per sentence for strict span-and-type matching."""
    out = np.zeros((len(gold), 3), dtype=np.float64)
    for i, (g, p) in enumerate(zip(gold, pred, strict=True)):
        gs, ps = set(g), set(p)
        out[i] = (len(gs & ps), len(ps), len(gs))
    return out


def sentence_counts(gold: Sequence[Sequence[Span]], pred: Sequence[Sequence[Span]],
                    types: Sequence[str] = ()) -> dict[str, np.ndarray]:
    """Per mode, an ``(n, 3)`` array of (hit, predicted, gold) for each of the ``n`` aligned sentences.

    Summed over all sentences, the counts give the micro figures that ``evaluate.score`` reports.
    """
    return tally(gold, pred).counts()


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
