"""Validate a corpus folder against the record models, reporting every violation with its location,
like Universal Dependencies' validator: nothing stops at the first error.

Validation is as strict as the published JSON Schemas (``schemas/``): records are checked by the
pydantic models in strict mode, so ``"start": "6"`` or ``"end": 11.0`` are violations, not coerced;
a JSON object with a key given twice is a violation; bytes that are not UTF-8 are reported with their
file, line and byte offset. The manifest's files and folders are checked (present, sha256, size,
count), its paths must stay inside the folder, and a file that it does not list is a violation too.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from gaoxin_news.build.manifest import folder_digest
from gaoxin_news.corpus.pipeline import sentence_records
from gaoxin_news.corpus.sources import sha256_file
from gaoxin_news.errors import shorten
from gaoxin_news.schema.files import ARTICLES, MANIFEST, SENTENCES, loads_unique, read_jsonl, utf8_problem
from gaoxin_news.schema.labels import BIO_LABELS, ENTITY_TYPES
from gaoxin_news.schema.records import ANNOTATION_STATUSES, Article, Manifest, SentenceRecord
from gaoxin_news.schema.validation import validation_messages

M = TypeVar("M", bound=BaseModel)


def _validated(path: Path, model: type[M], problems: list[str]) -> Iterator[tuple[str, M]]:
    """The records of a JSONL file that pass ``model`` (strict), with their location; every line that
    does not adds its problems (file:line: record id: problem) to ``problems``."""
    for n, rec in read_jsonl(path, model, problems, strict=True):
        yield f"{path}:{n}", rec


def _safe_rel(rel: str) -> bool:
    """A manifest path that stays inside the corpus folder: relative, POSIX, no '..', no hidden part."""
    p = PurePosixPath(rel)
    return (bool(rel) and "\\" not in rel and "\x00" not in rel and not p.is_absolute()
            and all(part not in ("", ".", "..") and not part.startswith(".") for part in rel.split("/")))


def _read_manifest(path: Path, problems: list[str]) -> Manifest | None:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line_start = data.rfind(b"\n", 0, e.start) + 1
        line = data.count(b"\n", 0, e.start) + 1
        cut = UnicodeDecodeError(e.encoding, e.object, e.start - line_start, e.end - line_start, e.reason)
        problems.append(f"{path}:{line}: {utf8_problem(data[line_start:], cut, line_start)}")
        return None
    try:
        obj = loads_unique(text)
    except json.JSONDecodeError as e:
        problems.append(f"{path}:{e.lineno}:{e.colno}: malformed JSON: {e.msg}")
        return None
    except ValueError as e:
        problems.append(f"{path}: {shorten(str(e))}")
        return None
    if isinstance(obj, dict):  # the build writes every field, defaults included
        missing = [k for k in Manifest.model_fields if k not in obj]
        if missing:
            problems.append(f"{path}: missing field(s) {', '.join(missing)}")
    try:
        return Manifest.model_validate_json(text, strict=True)
    except ValidationError as e:
        problems += [f"{path}: {m}" for m in validation_messages(e)]
        return None


def validate_folder(folder: Path) -> list[str]:
    """Every violation in ``folder`` as 'file:line: record id: problem'. Empty means valid.

    Streams both files side by side (sentences follow their articles in order), so memory does not
    grow with the size of the corpus. An item that is not annotated has no sentence records.
    """
    problems: list[str] = []
    arts_path, sents_path, man_path = folder / ARTICLES, folder / SENTENCES, folder / MANIFEST
    if not folder.is_dir():
        return [f"{folder}: not a folder"]
    for p in (arts_path, sents_path, man_path):
        if not p.is_file() or p.is_symlink():
            problems.append(f"{p}: missing (or not a regular file)")
    if problems:
        return problems
    try:
        counted = _check_records(arts_path, sents_path, problems)
        man = _read_manifest(man_path, problems)
        if man is not None:
            _check_manifest(folder, man_path, man, counted, problems)
    except OSError as e:  # a file that cannot be read (permissions, a folder in its place)
        problems.append(f"{getattr(e, 'filename', None) or folder}: cannot be read: {e.strerror or e}")
    return problems


def _check_records(arts_path: Path, sents_path: Path, problems: list[str]) -> dict:
    article_ids: set[str] = set()
    sentence_ids: set[str] = set()
    counted: dict = {"articles": 0, "sentences": 0, "entities": 0, "characters": 0, "sources": [],
                     "kinds": Counter(), "types": Counter(), "status": {k: Counter() for k in ANNOTATION_STATUSES}}
    sentences = _validated(sents_path, SentenceRecord, problems)
    pending: tuple[str, SentenceRecord] | None = None

    def next_sentence() -> tuple[str, SentenceRecord] | None:
        got = next(sentences, None)
        if got is not None:
            counted["sentences"] += 1
            where, rec = got
            if rec.id in sentence_ids:
                problems.append(f"{where}: {rec.id}: duplicate sentence id")
            sentence_ids.add(rec.id)
        return got

    for where, art in _validated(arts_path, Article, problems):
        counted["articles"] += 1
        counted["characters"] += len(art.text)
        counted["kinds"][art.kind] += 1
        counted["status"][art.annotation].update(items=1, sentences=len(art.sentences), entities=len(art.entities))
        if art.annotation == "gold":  # the entity counts of the manifest are gold entities
            counted["entities"] += len(art.entities)
            counted["types"].update(e.label for e in art.entities)
        if not counted["sources"] or counted["sources"][-1] != art.source_id:
            counted["sources"].append(art.source_id)
        if art.id in article_ids:
            problems.append(f"{where}: {art.id}: duplicate article id")
        article_ids.add(art.id)
        for exp in sentence_records(art.model_dump()):
            got = pending or next_sentence()
            pending = None
            if got is None:
                problems.append(f"{sents_path}: {exp['id']}: sentence of {ARTICLES} is missing")
                continue
            swhere, rec = got
            if rec.id != exp["id"]:
                problems.append(f"{sents_path}: {exp['id']}: sentence of {ARTICLES} is missing here "
                                f"(line has {rec.id})")
                pending = got
            elif (dumped := rec.model_dump()) != exp:
                diff = [k for k in SentenceRecord.model_fields if exp[k] != dumped[k]]
                problems.append(f"{swhere}: {rec.id}: disagrees with {ARTICLES} in {', '.join(diff)}")
    rest = [pending] if pending else []
    while (got := next_sentence()) is not None:
        rest.append(got)
    for swhere, rec in rest:
        problems.append(f"{swhere}: {rec.id}: no such sentence in {ARTICLES} (or out of order)")
    return counted


def _check_manifest(folder: Path, man_path: Path, man: Manifest, counted: dict, problems: list[str]) -> None:
    listed: set[str] = set()
    for key, entries in (("files", man.files), ("folders", man.folders)):
        for rel, info in entries.items():
            head = f"{man_path}: {key}.{shorten(rel, 120)}"
            if not _safe_rel(rel):
                problems.append(f"{head}: not a path inside the corpus folder")
                continue
            listed.add(rel)
            p = folder / rel
            if key == "files":
                if not p.is_file() or p.is_symlink():
                    problems.append(f"{head}: listed but missing")
                    continue
                digest = sha256_file(p)
                if digest != info.sha256:
                    problems.append(f"{head}: sha256 {info.sha256} but the file has {digest}")
                elif p.stat().st_size != info.bytes:
                    problems.append(f"{head}: {info.bytes} bytes but the file has {p.stat().st_size}")
            else:
                if not p.is_dir() or p.is_symlink():
                    problems.append(f"{head}: listed but missing")
                    continue
                digest, n, _ = folder_digest(p)
                if (digest, n) != (info.sha256, info.records):
                    problems.append(f"{head}: digest or file count differs from the folder")
    for name in (ARTICLES, SENTENCES):
        if name not in man.files:
            problems.append(f"{man_path}: files: {name} is not listed")
    folders = [rel for rel in listed if rel in man.folders]
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if rel.split("/")[0].startswith(".") or rel == MANIFEST or p.is_dir() and not p.is_symlink():
            continue
        if rel not in listed and not any(rel.startswith(d + "/") for d in folders):
            problems.append(f"{folder / rel}: not listed in {MANIFEST} (a stale or foreign file)")
    expected = {key: counted[key] for key in ("articles", "sentences", "characters", "entities")}
    expected["pages"] = len(counted["sources"])
    expected |= {f"kind.{k}": n for k, n in counted["kinds"].items()}
    expected |= {f"{status}.{what}": counted["status"][status][what] for status in ANNOTATION_STATUSES
                 for what in ("items", "sentences", "entities")}
    for key in sorted(set(expected) | set(man.counts)):
        if man.counts.get(key) != expected.get(key):
            problems.append(f"{man_path}: counts.{shorten(key, 60)} is {man.counts.get(key)}, the files hold "
                            f"{expected.get(key)}")
    types = {t: counted["types"].get(t, 0) for t in ENTITY_TYPES}
    if man.entity_counts != types:
        problems.append(f"{man_path}: entity_counts differ from the gold entities of {ARTICLES}")
    if man.label_scheme != list(BIO_LABELS):
        problems.append(f"{man_path}: label_scheme is not the tag list of this version ({len(BIO_LABELS)} tags, "
                        "O first)")
    if man.sources != counted["sources"]:
        problems.append(f"{man_path}: sources do not list the pages of {ARTICLES} in their order")
