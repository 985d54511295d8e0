#!/usr/bin/env python3
"""Build benchmark: a synthetic archive of N copies of the seed page, built end to end.

Prints pages/s (per core too) and the peak resident memory of the build for each N, so that speed and
memory flatness can be compared across N. Two builds are measured for each N: the full build as the
command runs it (records, exports, Parquet configs, dataset card, Croissant, datasheet), and the
record stage alone (articles, sentences, CoNLL and brat exports: the build with the dataset-file
writers left out). Usage:

    .venv/bin/python scripts/benchmark_build.py [--sizes 1000 10000] [--jobs 1]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_af9ed2a9fbe09997.txt"

# run in a fresh interpreter so that ru_maxrss of the children covers only this build
_CHILD = """
import resource, subprocess, sys, time
t = time.perf_counter()
subprocess.run(sys.argv[1:], check=True)
dt = time.perf_counter() - t
print(dt, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""
# the record stage alone: the build with only the export writer
_RECORDS_ONLY = """
import sys
from pathlib import Path
from gaoxin_news.build.executor import write_corpus
from gaoxin_news.build.exports import finish_exports
write_corpus(Path(sys.argv[1]), Path(sys.argv[2]), None, jobs=int(sys.argv[3]), progress=False,
             writers=[finish_exports])
"""


def bench(n: int, jobs: int, work: Path, full: bool) -> tuple[float, float]:
    seeds = work / f"seeds-{n}"
    if not seeds.exists():
        seeds.mkdir()
        data = SEED.read_bytes()
        for i in range(n):
            (seeds / f"bench_{i:06d}.txt").write_bytes(data)
    out = work / f"corpus-{n}"
    if full:
        cmd = [sys.executable, "-m", "gaoxin_news.cli", "build", "--seeds", str(seeds), "--out", str(out),
               "--no-annotations", "--quiet", "--jobs", str(jobs)]
    else:
        cmd = [sys.executable, "-c", _RECORDS_ONLY, str(seeds), str(out), str(jobs)]
    res = subprocess.run([sys.executable, "-c", _CHILD, *cmd], check=True, capture_output=True, text=True)
    seconds, maxrss_kb = res.stdout.split()[-2:]
    shutil.rmtree(out)
    return float(seconds), int(maxrss_kb) / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--jobs", type=int, default=1)
    args = ap.parse_args()
    print(f"seed page: {SEED.name}, {len(SEED.read_text(encoding='utf-8'))} characters; jobs={args.jobs}; "
          f"cpus={os.cpu_count()}")
    print(f"{'build':<13} {'pages':>8} {'seconds':>9} {'pages/s':>9} {'pages/s/core':>13} {'peak MiB':>9}")
    with tempfile.TemporaryDirectory(prefix="gaoxin-bench-") as d:
        for n in args.sizes:
            for full in (True, False):
                seconds, peak = bench(n, args.jobs, Path(d), full)
                rate = n / seconds
                name = "full" if full else "records only"
                print(f"{name:<13} {n:>8} {seconds:>9.2f} {rate:>9.1f} {rate / args.jobs:>13.1f} {peak:>9.1f}",
                      flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
