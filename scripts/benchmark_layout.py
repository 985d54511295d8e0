#!/usr/bin/env python3
"""Layout benchmark: ``layout.analyse`` over N copies of the seed page and over the test pages.

Prints seconds, pages/s and (with ``--count-re``) the calls of the ``re`` module's matching functions
per page (module-level ``re.match`` … and compiled patterns' ``match`` / ``search`` / ``fullmatch`` /
``finditer`` / ``sub`` / ``split`` …, counted with a profiler in a separate pass so the timing is not
affected). It prints figures and asserts nothing. Usage:

    PYTHONPATH=src .venv/bin/python scripts/benchmark_layout.py [-n 1000] [--repeat 3] [--count-re]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time
from pathlib import Path

from gaoxin_news.corpus.layout import analyse

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_af9ed2a9fbe09997.txt"
PAGES = ROOT / "tests" / "data" / "pages"


def _read(path: Path) -> str:
    # as the build reads pages: bytes decoded as UTF-8, line ends kept
    return path.read_bytes().decode("utf-8")


def _time(texts: list[str], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        for text in texts:
            analyse(text)
        out.append(time.perf_counter() - t)
    return out


def _re_calls(texts: list[str]) -> float:
    """Calls of regular-expression matching per page (module functions and compiled patterns)."""
    prof = cProfile.Profile()
    prof.enable()
    for text in texts:
        analyse(text)
    prof.disable()
    stats = pstats.Stats(prof).stats  # type: ignore[attr-defined]
    calls = 0
    for (filename, _line, name), (_cc, nc, *_rest) in stats.items():
        if filename == "~" and ("re.Pattern" in name or name.startswith("<built-in method _sre")):
            calls += nc
        elif filename.endswith("re/__init__.py") and name in (
                "match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer"):
            calls += 0  # counted through the compiled pattern each of them calls
    return calls / len(texts)


def _report(label: str, texts: list[str], repeat: int, count_re: bool) -> None:
    times = _time(texts, repeat)
    med = statistics.median(times)
    line = (f"{label}: {len(texts)} pages, median {med:.3f} s of {repeat} "
            f"({', '.join(f'{t:.3f}' for t in times)}), {len(texts) / med:.0f} pages/s")
    if count_re:
        line += f", {_re_calls(texts[: min(len(texts), 50)]):.0f} re calls/page"
    print(line, flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=1000, help="copies of the seed page (default 1000)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of each set (default 3)")
    ap.add_argument("--count-re", action="store_true", help="also count regular-expression calls per page")
    args = ap.parse_args()
    _report("seed page", [_read(SEED)] * args.n, args.repeat, args.count_re)
    pages = [_read(p) for p in sorted(PAGES.glob("*.txt"))]
    if pages:
        # the test pages are few: run each of them as often as the seed to time something measurable
        copies = max(1, args.n // len(pages))
        _report(f"test pages ({len(pages)} × {copies})", pages * copies, args.repeat, args.count_re)


if __name__ == "__main__":
    main()
