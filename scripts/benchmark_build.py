#!/usr/bin/env python3
"""Build benchmark: a synthetic archive of N copies of the seed page, built end to end.

Prints pages/s (per core too) and the peak resident memory of the build for each N, so that speed and
memory flatness can be compared across N. Usage:

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


def bench(n: int, jobs: int, work: Path) -> tuple[float, float]:
    seeds = work / f"seeds-{n}"
    seeds.mkdir()
    data = SEED.read_bytes()
    for i in range(n):
        (seeds / f"bench_{i:06d}.txt").write_bytes(data)
    out = work / f"corpus-{n}"
    cmd = [sys.executable, "-m", "gaoxin_news.cli", "build", "--seeds", str(seeds), "--out", str(out),
           "--no-annotations", "--quiet", "--jobs", str(jobs)]
    res = subprocess.run([sys.executable, "-c", _CHILD, *cmd], check=True, capture_output=True, text=True)
    seconds, maxrss_kb = res.stdout.split()[-2:]
    shutil.rmtree(seeds)
    shutil.rmtree(out)
    return float(seconds), int(maxrss_kb) / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--jobs", type=int, default=1)
    args = ap.parse_args()
    print(f"seed page: {SEED.name}, {len(SEED.read_text(encoding='utf-8'))} characters; jobs={args.jobs}; "
          f"cpus={os.cpu_count()}")
    print(f"{'pages':>8} {'seconds':>9} {'pages/s':>9} {'pages/s/core':>13} {'peak MiB':>9}")
    with tempfile.TemporaryDirectory(prefix="gaoxin-bench-") as d:
        for n in args.sizes:
            seconds, peak = bench(n, args.jobs, Path(d))
            rate = n / seconds
            print(f"{n:>8} {seconds:>9.2f} {rate:>9.1f} {rate / args.jobs:>13.1f} {peak:>9.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
