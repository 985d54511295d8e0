#!/usr/bin/env python3
"""Build benchmark: a synthetic archive of N copies of the seed page, built end to end.

Prints pages/s (per core too) and the peak resident memory of the build for each N, so that speed and
memory flatness can be compared across N. Two builds are measured for each N: the full build as the
command runs it (records, exports, Parquet configs, dataset card, Croissant, datasheet), and the
record stage alone (articles, sentences, CoNLL and brat exports: the build with the dataset-file
writers left out). A bare writer runs on the same pages in the same run as the yardstick: it splits
each page into lines, each line into sentences with one regular expression, and writes article and
sentence JSON lines of the corpus's shape (no layout analysis, no validation, no exports); the full
build's pages/s is printed as a ratio of the bare writer's. Last, ``evaluate`` is timed on a corpus of
``--eval-sentences`` gold sentences (copies of the committed gold sentences under new ids) against a
prediction file that drops every third gold entity and shifts every fifth, with the default bootstrap.
With several ``--jobs``, the full build also runs with each further number of workers and its speed-up
is printed; ``--gold`` adds a build with the seed's gold annotation on every copy. Usage:

    .venv/bin/python scripts/benchmark_build.py [--sizes 1000 10000] [--jobs 1 [2]] [--gold]
        [--repeat R] [--workdir DIR] [--eval-sentences 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
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

# the yardstick: one regular expression and json.dumps, records of the corpus's shape
_BARE = r"""
import json, re, sys
from pathlib import Path
seeds, out = Path(sys.argv[1]), Path(sys.argv[2])
out.mkdir(parents=True)
SENT = re.compile(r"[^。！？!?；;]*(?:[。！？!?；;]+[”’」』）)]*|$)")
with open(out / "articles.jsonl", "w", encoding="utf-8") as fa, \
        open(out / "sentences.jsonl", "w", encoding="utf-8") as fs:
    for page in sorted(seeds.glob("*.txt")):
        sid = page.stem
        lines = [ln.strip() for ln in page.read_text(encoding="utf-8").splitlines() if ln.strip()]
        text = "\n".join(lines)
        aid = sid + "-01"
        refs, sents, pos = [], [], 0
        for ln in lines:
            for m in SENT.finditer(ln):
                if m.end() > m.start():
                    st = m.group()
                    rid = f"{aid}-{len(refs) + 1:03d}"
                    refs.append({"id": rid, "start": pos + m.start(), "end": pos + m.end(), "role": "paragraph"})
                    sents.append({"id": rid, "article_id": aid, "role": "paragraph", "text": st,
                                  "tokens": list(st), "ner_tags": ["O"] * len(st), "entities": [],
                                  "annotation": "none", "annotator": None})
            pos += len(ln) + 1
        fa.write(json.dumps({"id": aid, "source_id": sid, "kind": "article", "title": None, "kicker": None,
                             "column": None, "zone": None, "authors": [], "dateline": None,
                             "photo_credit": None, "text": text, "blocks": [], "sentences": refs,
                             "entities": [], "annotation": "none", "annotator": None},
                            ensure_ascii=False, separators=(",", ":")) + "\n")
        for rec in sents:
            fs.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")
"""


def make_eval_corpus(n: int, work: Path) -> tuple[Path, Path]:
    """A corpus folder of ``n`` gold sentences (the committed gold sentences repeated under new ids)
    and a prediction file for it."""
    src = [json.loads(ln) for ln in (ROOT / "corpus" / "sentences.jsonl").read_text(encoding="utf-8").splitlines()]
    gold = [r for r in src if r["annotation"] == "gold"]
    corpus = work / f"eval-{n}"
    corpus.mkdir()
    pred = work / f"eval-{n}.pred.jsonl"
    with open(corpus / "sentences.jsonl", "w", encoding="utf-8") as fg, open(pred, "w", encoding="utf-8") as fp:
        k = 0
        for i in range(n):
            r = dict(gold[i % len(gold)])
            r["id"] = f"{r['id']}-x{i // len(gold):05d}"
            fg.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")
            ents = []
            for e in r["entities"]:
                k += 1
                if k % 3 == 0:
                    continue
                start = e["start"] + 1 if k % 5 == 0 and e["end"] - e["start"] > 1 else e["start"]
                ents.append({"start": start, "end": e["end"], "label": e["label"]})
            fp.write(json.dumps({"id": r["id"], "entities": ents}, ensure_ascii=False) + "\n")
    return corpus, pred


def bench_evaluate(n: int, work: Path) -> tuple[float, float]:
    corpus, pred = make_eval_corpus(n, work)
    cmd = [sys.executable, "-m", "gaoxin_news.cli", "evaluate", "--corpus", str(corpus), "--pred", str(pred),
           "--json"]
    res = subprocess.run([sys.executable, "-c", _CHILD, *cmd], check=True, capture_output=True, text=True)
    seconds, maxrss_kb = res.stdout.split()[-2:]
    return float(seconds), int(maxrss_kb) / 1024


def make_pages(n: int, work: Path) -> tuple[Path, Path]:
    """``n`` copies of the seed page, and a gold folder with the seed's gold annotation for every copy."""
    seeds, gold = work / f"seeds-{n}", work / f"gold-{n}"
    if not seeds.exists():
        seeds.mkdir()
        gold.mkdir()
        data = SEED.read_bytes()
        anns = sorted((ROOT / "annotations" / "gold").glob(f"{SEED.stem}-*"))
        for i in range(n):
            (seeds / f"bench_{i:06d}.txt").write_bytes(data)
            for a in anns:
                (gold / a.name.replace(SEED.stem, f"bench_{i:06d}")).write_bytes(a.read_bytes())
    return seeds, gold


def bench(n: int, jobs: int, work: Path, kind: str) -> tuple[float, float]:
    seeds, gold = make_pages(n, work)
    out = work / f"corpus-{n}"
    build = [sys.executable, "-m", "gaoxin_news.cli", "build", "--seeds", str(seeds), "--out", str(out),
             "--quiet", "--jobs", str(jobs)]
    if kind == "full":
        cmd = [*build, "--no-annotations"]
    elif kind == "full, gold":
        cmd = [*build, "--annotations", str(gold)]
    elif kind == "records only":
        cmd = [sys.executable, "-c", _RECORDS_ONLY, str(seeds), str(out), str(jobs)]
    else:
        cmd = [sys.executable, "-c", _BARE, str(seeds), str(out)]
    res = subprocess.run([sys.executable, "-c", _CHILD, *cmd], check=True, capture_output=True, text=True)
    seconds, maxrss_kb = res.stdout.split()[-2:]
    shutil.rmtree(out)
    return float(seconds), int(maxrss_kb) / 1024


def _fs_type(path: Path) -> str:
    """The file system type of the mount holding ``path`` (Linux /proc/mounts), or "unknown"."""
    try:
        mounts = [ln.split() for ln in Path("/proc/mounts").read_text().splitlines()]
    except OSError:
        return "unknown"
    best = max((m for m in mounts if len(m) > 2 and str(path.resolve()).startswith(m[1].rstrip("/") + "/")),
               key=lambda m: len(m[1]), default=None)
    return best[2] if best else "unknown"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    ap.add_argument("--jobs", type=int, nargs="+", default=[1],
                    help="worker processes of the builds; with several, the full build runs with each and "
                         "its speed-up over the first is printed")
    ap.add_argument("--gold", action="store_true",
                    help="also build with the seed's gold annotation on every copy (sentence records, CoNLL, "
                         "the NER configs)")
    ap.add_argument("--repeat", type=int, default=1, metavar="R",
                    help="run each build R times and print the median time (and the highest peak memory): "
                         "timings on a shared or virtual machine vary from run to run")
    ap.add_argument("--workdir", type=Path, default=None, metavar="DIR",
                    help="where the pages and corpora are written (default: the system's temporary folder). "
                         "The brat export makes two files per page, so a file system that has just deleted "
                         "many files (an earlier run's corpora) can spend much of the build allocating inodes: "
                         "compare runs on the same kind of file system (tmpfs, such as /dev/shm, shows the "
                         "program's own speed)")
    ap.add_argument("--eval-sentences", type=int, default=100_000, metavar="N",
                    help="gold sentences of the evaluate benchmark (0: skip it)")
    args = ap.parse_args()
    jobs, more_jobs = args.jobs[0], args.jobs[1:]
    print(f"seed page: {SEED.name}, {len(SEED.read_text(encoding='utf-8'))} characters; jobs={jobs}; "
          f"cpus={os.cpu_count()}")
    kinds = ["full", "records only", "bare writer"] + (["full, gold"] if args.gold else [])
    with tempfile.TemporaryDirectory(prefix="gaoxin-bench-", dir=args.workdir) as d:
        print(f"work folder: {d} ({_fs_type(Path(d))})")
        print(f"{'build':<16} {'pages':>8} {'jobs':>4} {'seconds':>9} {'pages/s':>9} {'pages/s/core':>13} {'peak MiB':>9}")
        peaks: dict[int, float] = {}
        for n in args.sizes:
            rates: dict[str, float] = {}

            def run(kind: str, j: int) -> float:
                runs = [bench(n, j, Path(d), kind) for _ in range(args.repeat)]
                seconds = statistics.median(r[0] for r in runs)
                peak = max(r[1] for r in runs)
                rate = n / seconds
                if kind == "full" and j == jobs:
                    peaks[n] = peak
                print(f"{kind:<16} {n:>8} {j:>4} {seconds:>9.2f} {rate:>9.1f} {rate / j:>13.1f} {peak:>9.1f}",
                      flush=True)
                return rate

            for kind in kinds:
                rates[kind] = run(kind, 1 if kind == "bare writer" else jobs)
            print(f"ratio at {n} pages: full / bare writer = {rates['full'] / rates['bare writer']:.2f}, "
                  f"records only / bare writer = {rates['records only'] / rates['bare writer']:.2f}"
                  + (f", full with gold / bare writer = {rates['full, gold'] / rates['bare writer']:.2f}"
                     if args.gold else ""), flush=True)
            for j in more_jobs:
                rate = run("full", j)
                print(f"speed-up at {n} pages: full build with --jobs {j} / with --jobs {jobs} = "
                      f"{rate / rates['full']:.2f}", flush=True)
            shutil.rmtree(Path(d) / f"seeds-{n}")
            shutil.rmtree(Path(d) / f"gold-{n}")
        if len(peaks) > 1:
            lo, hi = min(peaks), max(peaks)
            print(f"full build peak memory at {hi} pages / at {lo} pages = {peaks[hi] / peaks[lo]:.2f}")
        if args.eval_sentences:
            seconds, peak = bench_evaluate(args.eval_sentences, Path(d))
            print(f"evaluate on {args.eval_sentences} gold sentences (default bootstrap): "
                  f"{seconds:.2f} s, peak {peak:.1f} MiB", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
