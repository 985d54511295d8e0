"""Bootstrap confidence intervals of the micro figures, and the figures of each block role group.

The sentences are the unit of resampling: a resample draws ``n`` of the ``n`` sentences with replacement
and re-adds their per-sentence counts (:mod:`gaoxin_news.ner.counts`); nothing is scored again. The
interval is the percentile interval (the 2.5th and 97.5th percentiles of the resampled statistic,
linear interpolation, as ``numpy.quantile`` and ``scipy.stats.bootstrap(method="percentile")`` compute
them). Resample ``k`` uses the same sentence indices in every mode, and the indices are drawn as
``scipy.stats.bootstrap`` draws them (``rng.integers(0, n, (batch, n))`` per batch of :data:`BATCH`
resamples from ``numpy.random.default_rng(seed)``), so a given seed always gives the same intervals.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import numpy as np

from gaoxin_news.ner.counts import MODES, micro, prf

#: Resamples of ``gaoxin-news evaluate`` unless ``--bootstrap N`` says otherwise.
DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 0
CONFIDENCE = 0.95
#: Resamples drawn at a time (bounds the memory to BATCH × sentences indices).
BATCH = 100
#: Resampled sums count the draws of each distinct row of counts when there are at most 1/DISTINCT as
#: many distinct rows as sentences, else the draws of each sentence.
DISTINCT = 4

#: Block roles of the sentences, grouped: headings (the page furniture and the lines that head an item)
#: and body text. A role not listed here (a furniture role of a later layout) counts as a heading.
BODY_ROLES: frozenset[str] = frozenset({"paragraph", "caption"})
HEADING_ROLES: frozenset[str] = frozenset(
    {"column", "kicker", "zone", "title", "subtitle", "subhead", "byline", "dateline", "credit"})
ROLE_GROUPS: tuple[str, ...] = ("headings", "body")


def role_group(role: str) -> str:
    """``"body"`` for paragraphs and captions, ``"headings"`` for every other block role."""
    return "body" if role in BODY_ROLES else "headings"


def resample_indices(n: int, resamples: int, seed: int) -> Iterator[np.ndarray]:
    """Batches of bootstrap resamples, each row ``n`` sentence indices drawn with replacement."""
    if n < 1:
        raise ValueError("bootstrap needs at least one sentence")
    if resamples < 1:
        raise ValueError(f"the number of resamples must be positive, got {resamples}")
    rng = np.random.default_rng(seed)
    # 32-bit indices when they fit: numpy draws the same numbers for either width (both take its 32-bit
    # bounded generator for a range below 2**32), in half the memory and time
    dtype = np.int32 if n <= np.iinfo(np.int32).max else np.int64
    for k in range(0, resamples, BATCH):
        yield rng.integers(0, n, (min(BATCH, resamples - k), n), dtype=dtype)


def resampled_sums(counts: np.ndarray, resamples: int, seed: int) -> np.ndarray:
    """``(resamples, *counts.shape[1:])``: the counts summed over each resample's sentences."""
    n = counts.shape[0]
    flat = counts.reshape(n, -1)
    # how often each sentence is drawn, times its counts (integers and halves: exact in any order); when
    # few sentences differ in their counts, how often each distinct row of counts is drawn, times the row
    rows, kind = np.unique(flat, axis=0, return_inverse=True)
    if len(rows) * DISTINCT <= n:
        kind = kind.reshape(-1).astype(np.int32 if n <= np.iinfo(np.int32).max else np.int64)
    else:
        rows, kind = flat, None
    out = np.empty((resamples, flat.shape[1]))
    times = np.empty((BATCH, len(rows)))
    k = 0
    for idx in resample_indices(n, resamples, seed):
        b = idx.shape[0]
        for r in range(b):
            times[r] = np.bincount(idx[r] if kind is None else kind[idx[r]], minlength=len(rows))
        out[k:k + b] = times[:b] @ rows
        k += b
        del idx  # before the next batch is drawn: one batch of indices in memory at a time
    return out.reshape(resamples, *counts.shape[1:])


def percentile_interval(values: np.ndarray, confidence: float = CONFIDENCE) -> list[float]:
    """``[lo, hi]``: the percentile interval of a bootstrap distribution (along the first axis)."""
    alpha = (1 - confidence) / 2
    lo, hi = np.quantile(values, [alpha, 1 - alpha], axis=0)
    return [float(lo), float(hi)]


def intervals(counts: Mapping[str, np.ndarray], resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED,
              confidence: float = CONFIDENCE) -> dict[str, dict[str, list[float]]]:
    """Per mode: ``{"precision": [lo, hi], "recall": [lo, hi], "f1": [lo, hi]}`` of the micro figures.

    ``counts`` maps each mode to its ``(n, 3)`` per-sentence counts (aligned sentences)."""
    modes = list(counts)
    stacked = np.stack([counts[m] for m in modes], axis=1)  # (n, modes, 3)
    sums = resampled_sums(stacked, resamples, seed)          # (resamples, modes, 3)
    p, r, f = prf(sums)
    out = {}
    for k, m in enumerate(modes):
        out[m] = {name: percentile_interval(v[:, k], confidence) for name, v in
                  (("precision", p), ("recall", r), ("f1", f))}
    return out


def add_intervals(report: dict, counts: Mapping[str, np.ndarray], resamples: int, seed: int) -> dict:
    """Put each mode's interval beside its micro figures: ``report[mode]["micro"]["ci95"]``."""
    for mode, ci in intervals(counts, resamples, seed).items():
        report[mode]["micro"]["ci95"] = ci
    return report



def by_role_group(counts: Mapping[str, np.ndarray], roles: Sequence[str], resamples: int = 0,
                  seed: int = DEFAULT_SEED) -> dict[str, dict]:
    """Per mode and role group: the micro figures of the group's sentences alone (with their interval
    when ``resamples``), the number of sentences and the gold and predicted entities."""
    return _by_groups(counts, np.array([role_group(r) for r in roles]), resamples, seed)


def _by_groups(counts: Mapping[str, np.ndarray], groups: np.ndarray, resamples: int, seed: int) -> dict[str, dict]:
    out: dict[str, dict] = {m: {} for m in counts}
    for g in ROLE_GROUPS:
        mask = groups == g
        if not mask.any():
            continue
        sub = {m: c[mask] for m, c in counts.items()}
        ci = intervals(sub, resamples, seed) if resamples else {}
        for m, c in sub.items():
            fig = micro(c)
            if ci:
                fig["ci95"] = ci[m]
            out[m][g] = {"micro": fig, "sentences": int(mask.sum()), "gold": int(c[:, 2].sum()),
                         "predicted": int(c[:, 1].sum())}
    return out


def annotate(report: dict, counts: Mapping[str, np.ndarray], roles: Sequence[str | None],
             resamples: int, seed: int) -> dict:
    """The additions to an ``evaluate`` report: intervals (when ``resamples``) and, when every sentence's
    role is known, the figures per role group in ``report[mode]["role_groups"]``."""
    if resamples:
        add_intervals(report, counts, resamples, seed)
    if roles and all(r is not None for r in roles):
        for mode, groups in by_role_group(counts, roles, resamples, seed).items():  # type: ignore[arg-type]
            report[mode]["role_groups"] = groups
    return report


def annotate_groups(report: dict, counts: Mapping[str, np.ndarray], groups: np.ndarray | None, resamples: int,
                    seed: int) -> dict:
    """:func:`annotate` with each sentence's role group given (:func:`role_group`; ``groups`` None when
    a sentence's role is unknown)."""
    if resamples:
        add_intervals(report, counts, resamples, seed)
    if groups is not None and len(groups):
        for mode, by in _by_groups(counts, groups, resamples, seed).items():
            report[mode]["role_groups"] = by
    return report


__all__ = ["BATCH", "DEFAULT_RESAMPLES", "DEFAULT_SEED", "MODES", "ROLE_GROUPS", "add_intervals", "annotate",
           "annotate_groups", "by_role_group", "intervals", "percentile_interval", "resample_indices", "resampled_sums",
           "role_group"]


def pct(x: float) -> str:
    return f"{100 * x:.1f}"


def format_interval(fig: Mapping) -> str:
    """``P 66.7 [60.1, 73.0]  R 67.6 [61.2, 73.9]  F1 67.1 [61.9, 72.0]`` (percent) of a micro figure
    with its ``ci95``."""
    ci = fig["ci95"]
    return "  ".join(f"{short} {pct(fig[k])} [{pct(ci[k][0])}, {pct(ci[k][1])}]"
                     for short, k in (("P", "precision"), ("R", "recall"), ("F1", "f1")))


def format_role_groups(report: Mapping) -> str:
    """Plain text: micro P/R/F1 of each mode per role group (empty when the report has none)."""
    if "role_groups" not in report.get("strict", {}):
        return ""
    lines = ["by block role group (headings: column, kicker, zone, title, subtitle, subhead, byline, dateline, "
             "credit; body: paragraph, caption), micro figures in percent:"]
    for mode in MODES:
        for g, v in report[mode]["role_groups"].items():
            fig = v["micro"]
            figs = format_interval(fig) if "ci95" in fig else "  ".join(
                f"{s} {pct(fig[k])}" for s, k in (("P", "precision"), ("R", "recall"), ("F1", "f1")))
            lines.append(f"  {mode:<9} {g:<9} {v['sentences']:>4} sentences {v['gold']:>4} gold  {figs}")
    return "\n".join(lines) + "\n"
