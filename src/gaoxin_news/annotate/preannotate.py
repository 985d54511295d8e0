"""Silver pre-annotation: a recogniser's spans over the items that have no gold, written as brat
standoff under ``annotations/silver/<model>/`` with ``model.json`` naming the model and its version.

The recogniser sees one sentence at a time (as in ``gaoxin-news predict``); its spans are checked
(offsets, labels of the 18 OntoNotes types, no overlap) and moved to offsets into the item text.
A model's folder is replaced whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from gaoxin_news.annotate.items import PageItems
from gaoxin_news.corpus.annotations import (
    SILVER_MODEL_FILE, load_annotation_dir, load_silver, raise_if, read_silver_model, silver_dir_name,
)
from gaoxin_news.errors import GaoxinError
from gaoxin_news.ner.predict import predict_sentence
from gaoxin_news.ner.recogniser import Recogniser
from gaoxin_news.schema.records import Article
from gaoxin_news.schema.spans import Span


@dataclass(frozen=True)
class ModelId:
    """What the silver annotation records about the model that made it."""

    name: str
    version: str


def folder_version(path: Path, extra: str = "") -> str:
    """A version for a model given as a folder: sha256 over its files' relative paths and contents
    (and ``extra``, e.g. a label map), shortened to 16 hex digits."""
    h = hashlib.sha256()
    for p in sorted(q for q in path.rglob("*") if q.is_file()):
        h.update(p.relative_to(path).as_posix().encode() + b"\0")
        with open(p, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    h.update(extra.encode())
    return "sha256:" + h.hexdigest()[:16]


def item_spans(rec: Recogniser, item: Article) -> list[Span]:
    """The recogniser's spans over an item, sentence by sentence, as offsets into the item text."""
    out = []
    for ref in item.sentences:
        pred = predict_sentence(rec, ref.id, item.text[ref.start:ref.end])
        for e in pred.entities:
            s, t = ref.start + e.start, ref.start + e.end
            out.append(Span(s, t, e.label, item.text[s:t]))
    return sorted(out)


@dataclass(frozen=True)
class PreannotateResult:
    folder: Path
    items: list[str]
    spans: int


def preannotate(rec: Recogniser, model: ModelId, pages: list[PageItems], annotations: Path,
                force: bool = False, today: str | None = None) -> PreannotateResult:
    """Write ``rec``'s spans for every item of ``pages`` that has no gold into the model's silver folder.

    Refused (nothing written): an item that already has another model's silver annotation, and a
    folder holding another version of the model (``force`` replaces that folder whole)."""
    from gaoxin_news.corpus.annotations import format_brat

    gold, problems = load_annotation_dir(annotations / "gold")
    raise_if(problems)
    silver_root = annotations / "silver"
    folder = silver_root / silver_dir_name(model.name)
    existing, problems = load_silver(silver_root)
    raise_if(problems)
    targets = [a for p in pages for a in p.items if a.id not in gold]
    if not targets:
        raise GaoxinError("every item of the pages named has gold annotation: nothing to pre-annotate")
    clash = [f"{a.id} ({existing[a.id].model})" for a in targets
             if a.id in existing and existing[a.id].model != model.name]
    if clash:
        raise GaoxinError(f"{silver_root}: items already pre-annotated by another model: {', '.join(clash)}; "
                          "remove that model's files for them first")
    keep_old = False
    if folder.is_dir():
        _, old_version = read_silver_model(folder)
        if old_version != model.version and not force:
            raise GaoxinError(f"{folder / SILVER_MODEL_FILE}: holds version {old_version!r} of {model.name!r}, "
                              f"this is {model.version!r}: pass --force to replace the folder whole")
        keep_old = old_version == model.version
    results = {a.id: (a, item_spans(rec, a)) for a in targets}  # run the model before touching anything

    silver_root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=silver_root))
    try:
        if keep_old:
            for p in folder.iterdir():
                if p.is_file() and p.name != SILVER_MODEL_FILE:
                    shutil.copy2(p, tmp / p.name)
        for aid, (art, spans) in results.items():
            (tmp / f"{aid}.ann").write_text(format_brat(spans), encoding="utf-8")
            (tmp / f"{aid}.txt").write_text(art.text, encoding="utf-8")
        meta = {"model": model.name, "version": model.version,
                "date": today or dt.date.today().isoformat()}
        (tmp / SILVER_MODEL_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        old = None
        if folder.exists():
            old = Path(tempfile.mkdtemp(prefix=".old-", dir=silver_root))
            os.replace(folder, old / "x")
        try:
            os.replace(tmp, folder)
        except OSError:
            if old is not None:  # put the previous folder back
                os.replace(old / "x", folder)
            raise
        finally:
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return PreannotateResult(folder, sorted(results), sum(len(s) for _, s in results.values()))
