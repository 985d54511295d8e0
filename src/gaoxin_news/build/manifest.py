"""The corpus manifest: version, counts, and the sha256 of every data file (folders of per-page files
get one digest over their listing)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from gaoxin_news import __version__
from gaoxin_news.corpus.sources import sha256_file
from gaoxin_news.corpus.stats import BuildStats
from gaoxin_news.schema.files import ARTICLES, MANIFEST, SENTENCES
from gaoxin_news.schema.labels import BIO_LABELS, ENTITY_TYPES
from gaoxin_news.schema.records import ANNOTATION_STATUSES, FileInfo, Manifest


#: Folders with files per page: the manifest records a digest of their listing, not every file.
AGGREGATED_DIRS = ("exports/brat",)


def _files(folder: Path) -> list[str]:
    """The regular files below ``folder``, as relative POSIX paths in :class:`pathlib.Path` order (part by
    part). Plain strings from ``os.walk``: a listing of every per-page file stays small."""
    out = []
    for top, dirs, names in os.walk(folder):
        rel_top = os.path.relpath(top, folder)
        prefix = "" if rel_top == "." else rel_top.replace(os.sep, "/") + "/"
        out.extend(prefix + n for n in names if os.path.isfile(os.path.join(top, n)))
    out.sort(key=lambda rel: rel.replace("/", "\0"))  # NUL sorts before any character of a name
    return out


def folder_digest(folder: Path, digests: dict[str, str] | None = None, prefix: str = "") -> tuple[str, int, int]:
    """sha256 over the sorted lines '<relative path> <sha256 of file>' of a folder; also file count, bytes.
    ``digests``: the sha256 of files already known, by ``prefix`` + their path relative to ``folder``."""
    h = hashlib.sha256()
    n = size = 0
    digests = digests or {}
    for rel in _files(folder):
        path = folder / rel
        h.update(f"{rel} {digests.get(prefix + rel) or sha256_file(path)}\n".encode())
        n += 1
        size += path.stat().st_size
    return h.hexdigest(), n, size


def write_manifest(folder: Path, stats: BuildStats) -> None:
    """``manifest.json``: every file of ``folder`` with its sha256, taken from ``stats.digests`` where the
    writer of the file recorded it while writing, else computed here."""
    files: dict[str, FileInfo] = {}
    folders: dict[str, FileInfo] = {}
    records = {ARTICLES: stats.articles, SENTENCES: stats.sentences}
    for rel in AGGREGATED_DIRS:
        if (folder / rel).is_dir():
            digest, n, size = folder_digest(folder / rel, stats.digests, rel + "/")
            folders[rel] = FileInfo(sha256=digest, bytes=size, records=n)
    skip = tuple(d + "/" for d in folders)
    for rel in _files(folder):
        if skip and rel.startswith(skip):
            continue
        path = folder / rel
        files[rel] = FileInfo(sha256=stats.digests.get(rel) or sha256_file(path), bytes=path.stat().st_size,
                              records=records.get(rel))
    manifest = Manifest(
        version=__version__,
        label_scheme=list(BIO_LABELS),
        counts={
            "pages": stats.pages, "articles": stats.articles, "sentences": stats.sentences,
            "characters": stats.characters, "entities": stats.entities,
            **{f"kind.{k}": stats.kinds[k] for k in sorted(stats.kinds)},
            **{f"{status}.{what}": n for status in ANNOTATION_STATUSES
               for what, n in stats.corpus.by_status(status).items()},
        },
        entity_counts={t: stats.entity_types.get(t, 0) for t in ENTITY_TYPES},
        sources=stats.sources,
        files=files,
        folders=folders,
    )
    (folder / MANIFEST).write_text(
        json.dumps(manifest.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
