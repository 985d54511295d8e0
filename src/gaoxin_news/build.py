"""The corpus build: stream every page of a seeds folder through the pipeline into ``corpus/``.

Output is deterministic (a rebuild gives byte-identical files) and written atomically: everything is
first written to a temporary folder beside the output, and only a build that succeeded is moved into
place, so a failed build leaves the previous corpus untouched.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import TextIO

from tqdm import tqdm

from . import __version__
from .annotations import Span, load_annotation_dir, raise_if
from .errors import AnnotationError, GaoxinError
from .exports import page_conll, write_brat_page
from .labels import BIO_LABELS, ENTITY_TYPES
from .pipeline import process_page
from .records import ARTICLES, MANIFEST, SENTENCES, FileInfo, Manifest
from .stats import CorpusStats, page_stats
from .sources import load_page, page_files, read_manifest, sha256_file



@dataclass
class BuildStats:
    """What a build counted while streaming: the corpus statistics (the same figures that
    :func:`gaoxin_news.stats.corpus_stats` reads back from the files), the source ids in order, and
    how many articles had gold annotation."""

    corpus: CorpusStats = field(default_factory=CorpusStats)
    sources: list[str] = field(default_factory=list)
    annotated_articles: int = 0
    dataset_bytes: dict[str, int] = field(default_factory=dict)  # per config, set by the Parquet writer

    def __getattr__(self, name: str):  # pages, articles, entities, kinds, … of the corpus statistics
        if name == "corpus":
            raise AttributeError(name)
        return getattr(self.corpus, name)


@dataclass(frozen=True)
class _Task:
    path: Path
    meta: object
    gold: dict[str, list[Span]]
    out: Path  # the temporary build folder, for per-page export files


def _work(task: _Task) -> tuple[str, list[str], list[str], dict]:
    """Worker: one page → its serialised article and sentence lines, its chunks of the export files
    (its brat files are written directly), plus per-page counts."""
    page = load_page(task.path, task.meta)  # type: ignore[arg-type]
    res = process_page(page.id, page.text, task.gold, str(task.path))
    arts = [a.model_dump_json() for a in res.articles]
    sents = [s.model_dump_json() for s in res.sentences]
    write_brat_page(task.out, page.id, res.articles)
    info = {
        "chunks": page_conll(res.sentences),
        "stats": page_stats(res.articles, res.sentences),
        "annotated": sum(1 for a in res.articles if a.id in task.gold),
    }
    return page.id, arts, sents, info


def _tasks(seeds: Path, gold: dict[str, list[Span]], out: Path) -> Iterator[_Task]:
    manifest = read_manifest(seeds)
    by_source: dict[str, dict[str, list[Span]]] = {}
    for aid, spans in gold.items():
        by_source.setdefault(aid.rsplit("-", 1)[0], {})[aid] = spans
    for path in page_files(seeds):
        meta = manifest.get(path.name)
        sid = meta.id if meta else path.stem
        yield _Task(path, meta, by_source.get(sid, {}), out)


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
    writers: Sequence[Callable[[Path, BuildStats], None]] | None = None,
) -> BuildStats:
    """Build ``out`` from ``seeds`` (and gold annotation in ``annotations``) in a temporary folder,
    then move the files into ``out``. Returns the statistics of the build.

    ``writers`` derive further files (exports, dataset card, …) from the finished data files; by
    default :data:`gaoxin_news.outputs.WRITERS`. The manifest is written last and hashes them all.
    """
    if writers is None:
        from .outputs import WRITERS as writers
    gold, problems = load_annotation_dir(annotations) if annotations else ({}, [])
    raise_if(problems)
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
            for sid, arts, sents, info in _results(_tasks(seeds, gold, tmp), jobs):
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
        _write_manifest(tmp, stats)
        _install(tmp, out)
        return stats
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


#: Folders with files per page: the manifest records a digest of their listing, not every file.
AGGREGATED_DIRS = ("exports/brat",)


def folder_digest(folder: Path) -> tuple[str, int, int]:
    """sha256 over the sorted lines '<relative path> <sha256 of file>' of a folder; also file count, bytes."""
    h = hashlib.sha256()
    n = size = 0
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(f"{path.relative_to(folder).as_posix()} {sha256_file(path)}\n".encode())
        n += 1
        size += path.stat().st_size
    return h.hexdigest(), n, size


def _write_manifest(folder: Path, stats: BuildStats) -> None:
    files: dict[str, FileInfo] = {}
    folders: dict[str, FileInfo] = {}
    records = {ARTICLES: stats.articles, SENTENCES: stats.sentences}
    for rel in AGGREGATED_DIRS:
        if (folder / rel).is_dir():
            digest, n, size = folder_digest(folder / rel)
            folders[rel] = FileInfo(sha256=digest, bytes=size, records=n)
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if any(rel.startswith(d + "/") for d in folders):
            continue
        files[rel] = FileInfo(sha256=sha256_file(path), bytes=path.stat().st_size, records=records.get(rel))
    manifest = Manifest(
        version=__version__,
        label_scheme=list(BIO_LABELS),
        counts={
            "pages": stats.pages, "articles": stats.articles, "sentences": stats.sentences,
            "characters": stats.characters, "entities": stats.entities,
            **{f"kind.{k}": stats.kinds[k] for k in sorted(stats.kinds)},
        },
        entity_counts={t: stats.entity_types.get(t, 0) for t in ENTITY_TYPES},
        sources=stats.sources,
        files=files,
        folders=folders,
    )
    (folder / MANIFEST).write_text(
        json.dumps(manifest.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


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


def check_corpus(seeds: Path, out: Path, annotations: Path | None, jobs: int = 1) -> list[str]:
    """Rebuild into a scratch folder and list the files of ``out`` that differ (empty: up to date)."""
    with tempfile.TemporaryDirectory(prefix=".check-", dir=out.parent if out.parent.exists() else None) as d:
        scratch = Path(d) / "corpus"
        write_corpus(seeds, scratch, annotations, jobs=jobs, progress=False)
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
