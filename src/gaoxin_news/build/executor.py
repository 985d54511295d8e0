"""The corpus build: stream every page of a seeds folder through the pipeline into ``corpus/``.

Output is deterministic (a rebuild gives byte-identical files) and installed atomically: everything is
first written into a temporary folder beside the output, and only a build that succeeded is switched
in, the whole folder at once (``renameat2(RENAME_EXCHANGE)`` on Linux, else two renames that a later
build completes if it was killed between them). At every instant the output folder is the complete
previous corpus or the complete new one; a failed build leaves the previous corpus untouched and
deletes nothing outside its own temporary folder.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager, nullcontext
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Protocol, TypeVar

from tqdm import tqdm

from gaoxin_news.build.exports import ExportError, page_conll, write_brat_page
from gaoxin_news.build.manifest import write_manifest
from gaoxin_news.corpus.annotations import SilverItem, load_annotation_dir, load_silver, raise_if
from gaoxin_news.corpus.pipeline import process_page, serialise
from gaoxin_news.corpus.sources import MAX_PAGE_BYTES, HashingWriter, check_page_size, load_page, page_files, page_id, read_manifest
from gaoxin_news.corpus.stats import BuildStats, CorpusStats, choose_example, good_example, page_stats
from gaoxin_news.errors import AnnotationError, GaoxinError
from gaoxin_news.project import is_root
from gaoxin_news.schema.files import ARTICLES, MANIFEST, SENTENCES, is_corpus_folder, refuse_overlap
from gaoxin_news.schema.records import SourceEntry
from gaoxin_news.schema.spans import Span

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]

class Feed(Protocol):
    """What a streamed writer opens: fed the bytes of the JSON Lines files as the pages are written,
    closed with the statistics when they are all written; as a context manager, its exit releases what
    it holds open (after a failure too)."""

    def feed(self, source: str, data: bytes) -> None: ...

    def close(self, stats: BuildStats) -> object: ...

    def __enter__(self) -> Feed: ...

    def __exit__(self, *exc: object) -> object: ...


@dataclass(frozen=True)
class Streamed:
    """A writer that works while the pages stream: ``open`` is called with the temporary build folder
    before the first page, its :class:`Feed` gets each page's lines of ``articles.jsonl`` and
    ``sentences.jsonl`` in order, and is closed with the build statistics after the last page, where the
    writer stands in the list of writers (the Parquet files: no second read of the JSON Lines files)."""

    open: Callable[[Path], Feed]


#: A writer derives further files (exports, dataset card, …) from the finished temporary build folder:
#: a function run after the pages, or a :class:`Streamed` writer fed while they stream.
Writer = Callable[[Path, BuildStats], None] | Streamed
_T = TypeVar("_T")


@dataclass(frozen=True)
class _Task:
    path: Path
    meta: SourceEntry | None
    gold: dict[str, list[Span]]
    out: Path  # the temporary build folder, for per-page export files
    limit: int  # the largest page, in bytes
    silver: dict[str, SilverItem]  # silver annotation of the page's items (used where an item has no gold)


@dataclass(frozen=True)
class PageOutput:
    """What a worker gives back for one page: compact, the bytes each data file gets (JSON lines of its
    records, its chunk of each CoNLL file), the page's counts and its candidates for the card's example.
    Its brat files are written by the worker itself."""

    source_id: str
    files: dict[str, bytes]  # relative path → bytes to append, in the order the files are first written
    stats: CorpusStats
    annotated: int
    example: tuple[str | None, str | None]  # the first gold sentence and the first good example (JSON)
    digests: dict[str, str]  # sha256 of the files the worker wrote (brat), by relative path


def _work(task: _Task) -> PageOutput:
    """Worker: one page → its :class:`PageOutput` (its brat files are written directly)."""
    page = load_page(task.path, task.meta, task.limit)
    res = process_page(page.id, page.text, task.gold, str(task.path), task.silver)
    try:
        digests = write_brat_page(task.out, page.id, res.articles)
        chunks = page_conll(s for s in res.sentences if s["annotation"] == "gold")  # CoNLL: gold only
    except ExportError as e:
        raise ExportError(f"{task.path}: {e}") from None
    files = {ARTICLES: b"".join(map(serialise, res.articles)), SENTENCES: b"".join(map(serialise, res.sentences))}
    files.update((rel, text.encode("utf-8")) for rel, text in chunks.items())
    cands = [(s["annotation"], len(s["entities"]), s["text"], s) for s in res.sentences]
    first, _ = choose_example(cands)
    good, is_good = choose_example(c for c in cands if good_example(c[2], c[1]))
    line = lambda rec: None if rec is None else serialise(rec).decode("utf-8").rstrip("\n")  # noqa: E731
    return PageOutput(page.id, files, page_stats(res.articles, res.sentences),
                      sum(1 for a in res.articles if a["id"] in task.gold),
                      (line(first), line(good) if is_good else None), digests)


def _results(tasks: Iterator[_Task], jobs: int) -> Iterator[PageOutput]:
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
    max_page_bytes: int | None = None,
    silver: Path | None = None,
) -> BuildStats:
    """Build ``out`` from ``seeds`` (and gold annotation in ``annotations``, silver annotation in the
    model folders of ``silver``) in a temporary folder beside it, then switch the whole folder in at
    once. Returns the statistics of the build.

    ``writers`` derive further files (exports, dataset card, …) from the finished data files, in
    order; the caller chooses them (the command line passes :data:`gaoxin_news.publish.writers.WRITERS`).
    The manifest is written last and hashes them all.

    ``out`` must be absent, empty or a corpus folder that a build made (see :func:`check_out_folder`);
    one build per parent folder runs at a time (:func:`build_lock`). A failed or interrupted build
    changes nothing but its own temporary folder.
    """
    inputs = (("seeds", seeds), ("annotations", annotations), ("silver annotations", silver))
    check_out_folder(out, {k: p for k, p in inputs if p is not None})
    page_limit = MAX_PAGE_BYTES if max_page_bytes is None else max_page_bytes
    pages = page_files(seeds)
    if not pages:
        raise GaoxinError(f"{seeds}: no page (*.txt) to build")
    manifest = read_manifest(seeds, pages)
    sources = [(p, manifest.get(p.name)) for p in pages]
    source_ids = [meta.id if meta else page_id(p) for p, meta in sources]
    dup = sorted(s for s, c in Counter(source_ids).items() if c > 1)
    if dup:
        raise GaoxinError(f"{seeds}: duplicate source ids {dup}")
    for p, _ in sources:
        check_page_size(p, page_limit)
    gold: dict[str, list[Span]] = {}
    problems: list[str] = []
    if annotations is not None:
        gold, problems = load_annotation_dir(annotations, set(source_ids))
    silver_items: dict[str, SilverItem] = {}
    if silver is not None:
        silver_items, silver_problems = load_silver(silver, set(source_ids))
        problems += silver_problems
    raise_if(problems)
    if progress is None:
        progress = sys.stderr.isatty()
    created = [d for d in (out.parent, *out.parent.parents) if not d.exists()]
    out.parent.mkdir(parents=True, exist_ok=True)
    installed = False
    try:
        with build_lock(out):
            clean_stale_builds(out.parent)
            check_out_folder(out, {})  # again, under the lock
            tmp = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=out.parent))
            try:
                _mark(tmp, out)
                new = tmp / NEW
                new.mkdir()
                stats = _build_into(new, sources, source_ids, gold, silver_items, jobs, progress, writers,
                                     page_limit)
                stats.previous_entities = previous_entity_count(out)
                _install(new, out, tmp)
                installed = True
                return stats
            finally:
                remove_tmp(tmp)
    finally:
        if not installed:  # a failed build leaves no trace: not even the parent folders it made
            for d in created:
                try:
                    d.rmdir()
                except OSError:
                    break


def _by_source(items: Mapping[str, _T]) -> dict[str, dict[str, _T]]:
    """Annotation by article id (``<source id>-<NN>``) grouped by the page it belongs to."""
    out: dict[str, dict[str, _T]] = {}
    for aid, item in items.items():
        out.setdefault(aid.rsplit("-", 1)[0], {})[aid] = item
    return out


def _build_into(new: Path, sources: list[tuple[Path, SourceEntry | None]], source_ids: list[str],
                gold: dict[str, list[Span]], silver: dict[str, SilverItem], jobs: int, progress: bool,
                writers: Sequence[Writer], limit: int) -> BuildStats:
    gold_by_source, silver_by_source = _by_source(gold), _by_source(silver)
    tasks = (_Task(path, meta, gold_by_source.get(sid, {}), new, limit, silver_by_source.get(sid, {}))
             for (path, meta), sid in zip(sources, source_ids))
    stats = BuildStats()
    with ExitStack() as stack:
        feeds = {id(w): stack.enter_context(w.open(new)) for w in writers if isinstance(w, Streamed)}
        with ExitStack() as data_files:
            bar = data_files.enter_context(tqdm(total=len(sources), unit="page", disable=not progress, desc="build"))
            files: dict[str, HashingWriter] = {}
            for rel in (ARTICLES, SENTENCES):  # written even when empty
                files[rel] = data_files.enter_context(HashingWriter(new / rel))
            for out in _results(tasks, jobs):
                for rel, data in out.files.items():
                    if rel not in files:
                        (new / rel).parent.mkdir(parents=True, exist_ok=True)
                        files[rel] = data_files.enter_context(HashingWriter(new / rel))
                    files[rel].write(data)
                for feed in feeds.values():
                    feed.feed(ARTICLES, out.files[ARTICLES])
                    feed.feed(SENTENCES, out.files[SENTENCES])
                stats.corpus.pages += 1
                stats.corpus.add(out.stats)
                stats.sources.append(out.source_id)
                stats.annotated_articles += out.annotated
                stats.offer_example(*out.example)
                stats.digests.update(out.digests)
                bar.update(1)
        stats.digests.update((rel, f.hexdigest()) for rel, f in files.items())
        for writer in writers:
            if isinstance(writer, Streamed):
                feeds[id(writer)].close(stats)
            else:
                writer(new, stats)
    write_manifest(new, stats)
    return stats


# ---------------------------------------------------------------------------------------------------
# the output folder: what may be replaced, the lock, temporary folders, the switch
# ---------------------------------------------------------------------------------------------------
#: Temporary build folders are ``<parent of --out>/.tmp-build-*``; each holds this marker file
#: (JSON: the owning process id and start time, and the output folder's name) and the new corpus in
#: ``new/``.
TMP_PREFIX = ".tmp-build-"
MARKER = ".gaoxin-news-build"
NEW = "new"
OLD = "old"  # where the previous corpus waits during a switch without renameat2


def check_out_folder(out: Path, inputs: Mapping[str, Path]) -> None:
    """Refuse an output folder that is not the build's to replace: it must be absent, empty, or a
    corpus folder that a build made (:func:`is_corpus_folder`); never a repository root, a symbolic
    link, or a folder holding or inside one of the ``inputs`` (name → folder: seeds, annotations; see
    :func:`gaoxin_news.schema.files.refuse_overlap`)."""
    if out.is_symlink():
        raise GaoxinError(f"{out}: --out is a symbolic link; give the folder it points to")
    if out.exists() and not out.is_dir():
        raise GaoxinError(f"{out}: --out exists and is not a folder")
    target = out.resolve()
    if is_root(target):
        raise GaoxinError(f"{out}: --out is the repository root; the corpus goes into a folder of its own "
                          "(default: corpus)")
    refuse_overlap(out, inputs)
    if out.is_dir() and any(out.iterdir()) and not is_corpus_folder(out):
        raise GaoxinError(f"{out}: --out is neither empty nor a corpus folder made by gaoxin-news build "
                          f"(no {MANIFEST} naming gaoxin-news); refusing to replace it")


def previous_entity_count(out: Path) -> int | None:
    """The entity count of the corpus now in ``out`` (from its manifest), or None."""
    try:
        man = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        n = man["counts"]["entities"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return n if isinstance(n, int) and not isinstance(n, bool) else None


@contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock (``flock``) on the folder that holds ``out`` for one build: the
    build's temporary folders live there, so builds into it, and the cleaning of stale temporary
    folders, never run side by side. A second build exits with a clear message instead of waiting."""
    if fcntl is None:  # pragma: no cover - not POSIX
        yield
        return
    fd = os.open(out.parent, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise GaoxinError(f"{out}: another gaoxin-news build is writing into {out.parent} now; "
                              "run this one when it has finished") from None
        yield
    finally:
        os.close(fd)  # releases the lock


def _proc_start(pid: int) -> str | None:
    """The start time of a process (Linux /proc), to tell a reused process id from the owner."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()
    return None if fields[0] in ("Z", "X") else fields[19]


def _alive(pid: int, start: str | None) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    if Path("/proc").is_dir():
        now = _proc_start(pid)
        return now is not None and (start is None or now == start)
    return True


def _mark(tmp: Path, out: Path) -> None:
    info = {"pid": os.getpid(), "start": _proc_start(os.getpid()), "out": out.name}
    (tmp / MARKER).write_text(json.dumps(info) + "\n", encoding="utf-8")


def clean_stale_builds(parent: Path) -> list[Path]:
    """Remove the temporary folders of earlier builds in ``parent`` that were killed: only folders named
    ``.tmp-build-*`` holding this tool's marker whose owning process is gone (or empty ones). A previous corpus that
    such a build had moved aside (killed in the middle of a switch) is put back first when its output
    folder is missing. Returns the folders removed. Call it only under :func:`build_lock`."""
    removed = []
    for d in sorted(parent.glob(TMP_PREFIX + "*")):
        if d.is_symlink() or not d.is_dir():
            continue
        if not any(d.iterdir()):
            # empty: a build killed just after making it or just before removing it (the marker goes
            # last); under the lock no build of ours is between those steps, and an empty folder holds
            # nothing to lose
            d.rmdir()
            removed.append(d)
            continue
        try:
            info = json.loads((d / MARKER).read_text(encoding="utf-8"))
            pid, start, name = int(info["pid"]), info.get("start"), str(info["out"])
        except (OSError, ValueError, KeyError, TypeError):
            continue  # not ours, or not readable: leave it alone
        if _alive(pid, start):
            continue
        old, out = d / OLD, parent / name
        if "/" not in name and name not in ("", ".", "..") and old.is_dir() and not out.exists():
            os.rename(old, out)
        remove_tmp(d)
        removed.append(d)
    return removed


def remove_tmp(tmp: Path) -> None:
    """Remove a temporary build folder, its marker last: a build killed while removing it leaves a
    folder that the next build still recognises as its own and removes."""
    if not tmp.is_dir():
        return
    for entry in list(tmp.iterdir()):
        if entry.name == MARKER:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            try:
                entry.unlink(missing_ok=True)
            except OSError:
                pass
    if any(entry.name != MARKER for entry in tmp.iterdir()):
        return  # something could not be removed (permissions): the marker stays for a later build
    (tmp / MARKER).unlink(missing_ok=True)
    try:
        tmp.rmdir()
    except OSError:
        pass


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically with Linux ``renameat2(RENAME_EXCHANGE)``; False when unavailable."""
    if sys.platform != "linux":
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _install(new: Path, out: Path, tmp: Path) -> None:
    """Switch the finished corpus ``new`` in as ``out`` at once. The previous corpus ends up inside the
    temporary folder ``tmp`` (removed by the caller); hidden entries of the previous folder that the
    build does not write (``.gitattributes``, ``.git``) are copied over first. Nothing else is
    deleted, and no path is taken from the previous manifest."""
    if not out.exists():
        os.rename(new, out)
        return
    for entry in sorted(out.iterdir()):
        if entry.name.startswith(".") and not (new / entry.name).exists():
            if entry.is_dir() and not entry.is_symlink():
                shutil.copytree(entry, new / entry.name, symlinks=True)
            else:
                shutil.copy2(entry, new / entry.name, follow_symlinks=False)
    if _exchange(new, out):
        return
    os.rename(out, tmp / OLD)  # without renameat2: a killed build is put back by clean_stale_builds
    os.rename(new, out)


def install_folder(built: Path, out: Path) -> None:
    """Switch a corpus folder built elsewhere on the same file system (a release's staging copy) in as
    ``out``, the way a build installs its own: under the lock, the whole folder at once."""
    if not is_corpus_folder(built):
        raise GaoxinError(f"{built}: not a corpus folder; nothing installed")
    check_out_folder(out, {})
    out.parent.mkdir(parents=True, exist_ok=True)
    with build_lock(out):
        clean_stale_builds(out.parent)
        tmp = Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=out.parent))
        try:
            _mark(tmp, out)
            os.rename(built, tmp / NEW)
            _install(tmp / NEW, out, tmp)
        finally:
            remove_tmp(tmp)


def _listing(folder: Path) -> dict[str, Path]:
    """The files of a corpus folder by relative path, without top-level hidden entries."""
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.relative_to(folder).parts[0].startswith(".")}


def check_corpus(seeds: Path, out: Path, annotations: Path | None, jobs: int = 1,
                 writers: Sequence[Writer] = (), silver: Path | None = None) -> list[str]:
    """Rebuild into a scratch folder and list the files of ``out`` that differ, are missing or are
    extra (empty: up to date). Writes nothing outside its scratch folder."""
    with tempfile.TemporaryDirectory(prefix=".check-", dir=out.parent if out.parent.exists() else None) as d:
        scratch = Path(d) / "corpus"
        write_corpus(seeds, scratch, annotations, jobs=jobs, progress=False, writers=writers, silver=silver)
        fresh = _listing(scratch)
        stale = []
        with build_lock(out) if out.parent.is_dir() else nullcontext():  # no build switches it meanwhile
            current = _listing(out) if out.is_dir() else {}
            for rel in sorted(set(fresh) | set(current)):
                if rel not in current:
                    stale.append(f"{rel}: missing")
                elif rel not in fresh:
                    stale.append(f"{rel}: extra, a fresh build does not write it")
                elif current[rel].read_bytes() != fresh[rel].read_bytes():
                    stale.append(f"{rel}: differs from a fresh build")
        return stale


__all__ = ["AnnotationError", "BuildStats", "check_corpus", "check_out_folder", "install_folder", "write_corpus"]
