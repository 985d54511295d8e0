"""Paired comparison of two systems on the same sentences: is B's strict micro F1 really different from A's?

Both tests work on the per-sentence strict counts (hits, predicted, gold) of each system
(:mod:`gaoxin_news.ner.counts`); no resample scores anything again.

- ``bootstrap`` (the paired bootstrap of Koehn 2004): draw ``n`` of the ``n`` sentences with replacement,
  the same draw for both systems, and recompute ``delta = F1(B) - F1(A)``. The 95% interval is the
  percentile interval of the resampled deltas; the two-sided p-value is twice the smaller share of
  resamples on either side of zero (``delta_b <= 0`` or ``delta_b >= 0``), at most 1 — the test that
  rejects exactly when the percentile interval at that level excludes zero. Identical systems give every
  ``delta_b = 0`` and so ``p = 1``.
- ``randomization`` (approximate randomisation, Noreen 1989; Riezler and Maxwell 2005): swap the two
  systems' outputs on each sentence with probability 1/2 and count the shuffles whose ``|delta|`` is at
  least the observed one; ``p = (count + 1) / (shuffles + 1)``. When ``2**n`` is at most the number of
  shuffles asked for, every one of the ``2**n`` swaps is enumerated instead and ``p = count / 2**n``
  (both as ``scipy.stats.permutation_test`` with ``permutation_type="samples"`` computes them). The
  interval is still the paired bootstrap's.

The sentence indices of the bootstrap are drawn as in :mod:`gaoxin_news.ner.bootstrap` (``seed``).
"""

from __future__ import annotations

import itertools
from array import array
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from gaoxin_news.ner.bootstrap import CONFIDENCE, DEFAULT_RESAMPLES, DEFAULT_SEED, percentile_interval, resampled_sums
from gaoxin_news.ner.counts import prf
from gaoxin_news.schema.spans import Span, to_scheme

if TYPE_CHECKING:
    from gaoxin_news.ner.predictions import GoldSentence
    from gaoxin_news.schema.records import Prediction

METHODS: tuple[str, ...] = ("bootstrap", "randomization")
#: relative tolerance when comparing a resampled statistic with the observed one (floating-point ties)
TIE = 1e-12
#: a difference is called significant below this p-value
ALPHA = 0.05


def _f1(counts: np.ndarray) -> np.ndarray:
    return prf(counts)[2]


def paired_bootstrap(a: np.ndarray, b: np.ndarray, resamples: int = DEFAULT_RESAMPLES,
                     seed: int = DEFAULT_SEED) -> tuple[np.ndarray, float]:
    """The resampled deltas ``F1(B) - F1(A)`` and the two-sided bootstrap p-value.

    ``a`` and ``b`` are ``(n, 3)`` per-sentence strict counts of the same sentences."""
    sums = resampled_sums(np.stack([a, b], axis=1), resamples, seed)  # (resamples, 2, 3)
    deltas = _f1(sums[:, 1]) - _f1(sums[:, 0])
    tol = TIE * max(1.0, float(np.max(np.abs(deltas))) if deltas.size else 1.0)
    below, above = np.mean(deltas <= tol), np.mean(deltas >= -tol)
    return deltas, float(min(1.0, 2 * min(below, above)))


def _swap_deltas(a: np.ndarray, b: np.ndarray, swaps: np.ndarray) -> np.ndarray:
    """``F1(B') - F1(A')`` for each row of ``swaps`` (True: sentence i's outputs exchanged)."""
    s = swaps[..., None]
    sum_a = np.where(s, b, a).sum(axis=-2)
    sum_b = np.where(s, a, b).sum(axis=-2)
    return _f1(sum_b) - _f1(sum_a)


def randomization(a: np.ndarray, b: np.ndarray, resamples: int = DEFAULT_RESAMPLES,
                  seed: int = DEFAULT_SEED) -> tuple[float, int]:
    """The two-sided approximate-randomisation p-value of ``|F1(B) - F1(A)|`` and the number of shuffles
    (``2**n`` when enumerated exactly)."""
    n = a.shape[0]
    observed = abs(float(_f1(b.sum(0)) - _f1(a.sum(0))))
    tol = TIE * max(1.0, observed)
    if n < 63 and 2 ** n <= resamples:
        swaps = np.array(list(itertools.product((False, True), repeat=n)), dtype=bool).reshape(-1, n)
        count = int(np.sum(np.abs(_swap_deltas(a, b, swaps)) >= observed - tol))
        return count / len(swaps), len(swaps)
    rng = np.random.default_rng(seed)
    count = 0
    for k in range(0, resamples, 100):
        swaps = rng.random((min(100, resamples - k), n)) < 0.5
        count += int(np.sum(np.abs(_swap_deltas(a, b, swaps)) >= observed - tol))
    return (count + 1) / (resamples + 1), resamples


def compare_counts(a: np.ndarray, b: np.ndarray, method: str = "bootstrap", resamples: int = DEFAULT_RESAMPLES,
                   seed: int = DEFAULT_SEED) -> dict:
    """``{"a", "b", "delta", "ci95", "p_value", "resamples", "method", "significant"}`` for two systems'
    per-sentence strict counts on the same sentences."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; expected one of {', '.join(METHODS)}")
    if a.shape != b.shape:
        raise ValueError("the two systems must be scored on the same sentences")
    f1_a, f1_b = float(_f1(a.sum(0))), float(_f1(b.sum(0)))
    deltas, p = paired_bootstrap(a, b, resamples, seed)
    n = resamples
    if method == "randomization":
        p, n = randomization(a, b, resamples, seed)
    return {"a": f1_a, "b": f1_b, "delta": f1_b - f1_a, "ci95": percentile_interval(deltas, CONFIDENCE),
            "p_value": p, "resamples": n, "method": method, "seed": seed, "significant": p < ALPHA}


def pairwise(counts: Mapping[str, np.ndarray], method: str = "bootstrap", resamples: int = DEFAULT_RESAMPLES,
             seed: int = DEFAULT_SEED) -> list[dict]:
    """Every pair of systems (in the given order, A before B), compared."""
    names = list(counts)
    return [{"a_name": x, "b_name": y, **compare_counts(counts[x], counts[y], method, resamples, seed)}
            for x, y in itertools.combinations(names, 2)]


def format_comparison(res: Mapping, name_a: str = "A", name_b: str = "B") -> str:
    pct = lambda x: f"{100 * x:.1f}"  # noqa: E731
    lo, hi = res["ci95"]
    verdict = "significant" if res["significant"] else "not significant"
    p = f"p < {1 / res['resamples']:.4f}" if res["p_value"] == 0 else f"p = {res['p_value']:.4f}"
    return (f"strict micro F1: {name_a} {pct(res['a'])}, {name_b} {pct(res['b'])}\n"
            f"delta (B - A) {100 * res['delta']:+.1f} [{100 * lo:+.1f}, {100 * hi:+.1f}] (95% paired bootstrap)\n"
            f"{p} ({res['method']}, {res['resamples']} resamples): {verdict} at {ALPHA}\n")


def aligned_spans(gold: Sequence[GoldSentence], preds: Mapping[str, Prediction], scheme: str
                  ) -> tuple[list[list[Span]], list[list[Span]]]:
    """Gold and predicted span lists of every gold sentence, mapped to ``scheme`` (missing: empty)."""
    g = [to_scheme(s.entities, scheme) for s in gold]
    p = [to_scheme(preds[s.id].spans() if s.id in preds else [], scheme) for s in gold]
    return g, p


def compare_files(pred_a: Path | str, pred_b: Path | str, corpus: Path | str = "corpus",
                  scheme: str = "ontonotes", method: str = "bootstrap", resamples: int = DEFAULT_RESAMPLES,
                  seed: int = DEFAULT_SEED) -> dict:
    """Read two prediction files (checked as ``evaluate`` checks them, A first) and compare them. Each file
    is streamed with ``sentences.jsonl``; only the per-sentence counts are kept."""
    from gaoxin_news.ner.evaluate import mapped, mapped_tuples, scheme_map, streamed
    from gaoxin_news.ner.predictions import MAX_LINE_BYTES

    to = scheme_map(scheme)

    def consume(items: Iterator) -> np.ndarray:
        out = array("d")
        for s, (spans,), _ in items:
            g = mapped_tuples(s.spans, to)
            p = mapped(spans, to) if spans else []
            out.extend((len(set(g).intersection(p)), len(p), len(g)))
        return np.frombuffer(out, dtype=np.float64).reshape(-1, 3)

    a, b = (streamed(corpus, [pred], scheme, MAX_LINE_BYTES, consume) for pred in (pred_a, pred_b))
    return compare_counts(a, b, method, resamples, seed)
