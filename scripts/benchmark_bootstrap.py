#!/usr/bin/env python3
"""Bootstrap benchmark: how long the intervals of `gaoxin-news evaluate` take as the corpus grows.

The corpus sentences are repeated N times (N × 95 sentences) with a prediction that drops every third
gold entity; the script prints the time to compute the per-sentence counts once (every mode) and the time
of the 1,000 resamples (every mode), so that the resampling cost can be compared with one scoring run.
Usage:

    .venv/bin/python scripts/benchmark_bootstrap.py [--copies 1 100 1000] [--resamples 1000]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from gaoxin_news.ner.bootstrap import intervals
from gaoxin_news.ner.counts import sentence_counts
from gaoxin_news.ner.predictions import read_gold
from gaoxin_news.schema.labels import scheme_types
from gaoxin_news.schema.spans import to_scheme

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, nargs="+", default=[1, 100, 1000])
    ap.add_argument("--resamples", type=int, default=1000)
    args = ap.parse_args()
    gold = read_gold(ROOT / "corpus")
    g1 = [to_scheme(s.entities, "ontonotes") for s in gold]
    p1 = [[e for k, e in enumerate(spans) if k % 3] for spans in g1]
    print(f"{'sentences':>10} {'counts s':>9} {'resamples s':>12} {'per resample ms':>16}")
    for n in args.copies:
        g, p = g1 * n, p1 * n
        t = time.perf_counter()
        counts = sentence_counts(g, p, scheme_types("ontonotes"))
        t_counts = time.perf_counter() - t
        t = time.perf_counter()
        intervals(counts, args.resamples, seed=0)
        t_boot = time.perf_counter() - t
        print(f"{len(g):>10} {t_counts:>9.2f} {t_boot:>12.2f} {1000 * t_boot / args.resamples:>16.3f}")


if __name__ == "__main__":
    main()
