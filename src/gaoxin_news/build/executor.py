"""The corpus build: stream every page of a seeds folder through the pipeline into ``corpus/``.

Output is deterministic (a rebuild gives byte-identical files) and written atomically: everything is
first written to a temporary folder beside the output, and only a build that succeeded is moved into
place, so a failed build leaves the previous corpus untouched.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import TextIO

from tqdm import tqdm

from gaoxin_news.build.exports import page_conll, write_brat_page
from gaoxin_news.build.manifest import write_manifest
from gaoxin_news.corpus.annotations import SilverItem, Span, load_annotation_dir, load_silver, raise_if
from gaoxin_news.corpus.pipeline import process_page
from gaoxin_news.corpus.sources import load_page, page_files, read_manifest
from gaoxin_news.corpus.stats import BuildStats, page_stats
from gaoxin_news.errors import AnnotationError, GaoxinError
from gaoxin_news.schema.files import ARTICLES, MANIFEST, SENTENCES

#: A writer derives further files (exports, dataset card, …) from the finished temporary build folder.
Writer = Callable[[Path, BuildStats], None]


@dataclass(frozen=True)
class _Task:
    path: Path
    meta: object
    gold: dict[str, list[Span]]
    out: Path  # the temporary build folder, for per-page export files
    silver: dict[str, SilverItem] | None = None


def _work(task: _Task) -> tuple[str, list[str], list[str], dict]:
    """Worker: one page → its serialised article and sentence lines, its chunks of the export files
    (its brat files are written directly), plus per-page counts."""
    page = load_page(task.path, task.meta)  # type: ignore[arg-type]
    res = process_page(page.id, page.text, task.gold, str(task.path), task.silver)
    arts = [a.model_dump_json() for a in res.articles]
    sents = [s.model_dump_json() for s in res.sentences]
    write_brat_page(task.out, page.id, res.articles)
    info = {
        "chunks": page_conll(s for s in res.sentences if s.annotation == "gold"),
        "stats": page_stats(res.articles, res.sentences),
        "annotated": sum(1 for a in res.articles if a.id in task.gold),
    }
    return page.id, arts, sents, info


def _tasks(seeds: Path, gold: dict[str, list[Span]], out: Path,
           silver: dict[str, SilverItem] | None = None) -> Iterator[_Task]:
    manifest = read_manifest(seeds)
    by_source: dict[str, dict[str, list[Span]]] = {}
    for aid, spans in gold.items():
        by_source.setdefault(aid.rsplit("-", 1)[0], {})[aid] = spans
    silver_by_source: dict[str, dict[str, SilverItem]] = {}
    for aid, item in (silver or {}).items():
        silver_by_source.setdefault(aid.rsplit("-", 1)[0], {})[aid] = item
    for path in page_files(seeds):
        meta = manifest.get(path.name)
        sid = meta.id if meta else path.stem
        yield _Task(path, meta, by_source.get(sid, {}), out, silver_by_source.get(sid, {}))


def _results(tasks: Iterator[_Task], jobs: int) -> Iterator[tuple[str, list[str], list[str], dict]]:
    if jobs <= 1:
        for t in tasks:
            yield _work(t)
        return
    with get_context("fork" if sys.platform != "win32" else "spawn").Pool(jobs) as pool:
        yield from pool.imap(_work, tasks, chunksize=8)


def write_corpus(
    seeds: Path,
    out: Path,
    annotations: Path | None,
    jobs: int = 1,
    progress: bool | None = None,
    writers: Sequence[Writer] = (),
    silver: Path | None = None,
) -> BuildStats:
    """Build ``out`` from ``seeds`` (and gold annotation in ``annotations``, silver annotation in the
    model folders of ``silver``) in a temporary folder, then move the files into ``out``. Returns the
    statistics of the build.

    ``writers`` derive further files (exports, dataset card, …) from the finished data files, in
    order; the caller chooses them (the command line passes :data:`gaoxin_news.publish.writers.WRITERS`).
    The manifest is written last and hashes them all.
    """
    gold, problems = load_annotation_dir(annotations) if annotations else ({}, [])
    silver_items, silver_problems = load_silver(silver) if silver else ({}, [])
    raise_if(problems + silver_problems)
    n_pages = len(page_files(seeds))
    if n_pages == 0:
        raise GaoxinError(f"{seeds}: no page (*.txt) to build")
    if progress is None:
        progress = sys.stderr.isatty()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-build-", dir=out.parent))
    try:
        stats = BuildStats()
        with ExitStack() as stack:
            fa = stack.enter_context(open(tmp / ARTICLES, "w", encoding="utf-8", newline="\n"))
            fs = stack.enter_context(open(tmp / SENTENCES, "w", encoding="utf-8", newline="\n"))
            chunk_files: dict[str, TextIO] = {}
            bar = stack.enter_context(tqdm(total=n_pages, unit="page", disable=not progress, desc="build"))
            for sid, arts, sents, info in _results(_tasks(seeds, gold, tmp, silver_items), jobs):
                for line in arts:
                    fa.write(line + "\n")
                for line in sents:
                    fs.write(line + "\n")
                for rel, text in info["chunks"].items():
                    if rel not in chunk_files:
                        (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
                        chunk_files[rel] = stack.enter_context(open(tmp / rel, "w", encoding="utf-8", newline="\n"))
                    chunk_files[rel].write(text)
                stats.corpus.pages += 1
                stats.corpus.add(info["stats"])
                stats.sources.append(sid)
                stats.annotated_articles += info["annotated"]
                bar.update(1)
        if len(set(stats.sources)) != len(stats.sources):
            dup = [s for s, c in Counter(stats.sources).items() if c > 1]
            raise GaoxinError(f"{seeds}: duplicate source ids {dup}")
        for writer in writers:
            writer(tmp, stats)
        write_manifest(tmp, stats)
        _install(tmp, out)
        return stats
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _install(tmp: Path, out: Path) -> None:
    """Move the built files into ``out``: each file is replaced atomically; files that the build no
    longer produces are removed, files the build never writes (e.g. .gitattributes) are kept."""
    out.mkdir(parents=True, exist_ok=True)
    old_manifest = out / MANIFEST
    previous: set[str] = set()
    old_folders: list[str] = []
    if old_manifest.exists():
        try:
            old = json.loads(old_manifest.read_text(encoding="utf-8"))
            previous = set(old.get("files", {}))
            old_folders = list(old.get("folders", {}))
        except (ValueError, OSError):
            pass
    for rel in old_folders:  # per-article folders are replaced whole
        if (out / rel).is_dir():
            shutil.rmtree(out / rel)
    new = {p.relative_to(tmp).as_posix() for p in tmp.rglob("*") if p.is_file()}
    for rel in sorted(new):
        dst = out / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp / rel, dst)
    for rel in sorted(previous - new):
        (out / rel).unlink(missing_ok=True)


def check_corpus(seeds: Path, out: Path, annotations: Path | None, jobs: int = 1,
                 writers: Sequence[Writer] = (), silver: Path | None = None) -> list[str]:
    """Rebuild into a scratch folder and list the files of ``out`` that differ (empty: up to date)."""
    with tempfile.TemporaryDirectory(prefix=".check-", dir=out.parent if out.parent.exists() else None) as d:
        scratch = Path(d) / "corpus"
        write_corpus(seeds, scratch, annotations, jobs=jobs, progress=False, writers=writers, silver=silver)
        stale = []
        for p in sorted(scratch.rglob("*")):
            if p.is_file():
                rel = p.relative_to(scratch)
                cur = out / rel
                if not cur.exists():
                    stale.append(f"{rel}: missing")
                elif cur.read_bytes() != p.read_bytes():
                    stale.append(f"{rel}: differs from a fresh build")
        return stale


__all__ = ["AnnotationError", "BuildStats", "check_corpus", "write_corpus"]
