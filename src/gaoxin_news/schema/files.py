"""File names of a corpus folder, and how to tell a corpus folder."""

from __future__ import annotations

import json
from pathlib import Path

ARTICLES = "articles.jsonl"
SENTENCES = "sentences.jsonl"
MANIFEST = "manifest.json"
CORPUS_NAME = "gaoxin-news"


def is_corpus_folder(folder: Path) -> bool:
    """True when ``folder`` holds a ``manifest.json`` naming gaoxin-news: a folder that a build made."""
    try:
        with open(folder / MANIFEST, "rb") as f:
            data = f.read(1 << 22)
        man = json.loads(data)
    except (OSError, ValueError):
        return False
    return isinstance(man, dict) and man.get("name") == CORPUS_NAME


def corpus_folder_of(path: Path) -> Path | None:
    """The corpus folder that ``path`` is, or lies inside, if any."""
    p = path.resolve()
    for d in (p, *p.parents):
        if d.is_dir() and is_corpus_folder(d):
            return d
    return None
