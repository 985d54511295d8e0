"""Validate a corpus folder against the record models, reporting every violation with its location,
like Universal Dependencies' validator: nothing stops at the first error."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from .build import ARTICLES, MANIFEST, SENTENCES
from .pipeline import sentence_records
from .sources import sha256_file
from .records import Article, Manifest, SentenceRecord


def _errors(e: ValidationError) -> list[str]:
    out = []
    for x in e.errors():
        loc = ".".join(str(p) for p in x["loc"])
        msg = x["msg"].removeprefix("Value error, ")
        out.append(f"{loc}: {msg}" if loc else msg)
    return out


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            yield n, line


def validate_folder(folder: Path) -> list[str]:
    """Every violation in ``folder`` as 'file:line: record id: problem'. Empty means valid."""
    problems: list[str] = []
    arts_path, sents_path, man_path = folder / ARTICLES, folder / SENTENCES, folder / MANIFEST
    for p in (arts_path, sents_path, man_path):
        if not p.exists():
            problems.append(f"{p}: missing")
    if problems:
        return problems

    expected_sentences: dict[str, SentenceRecord] = {}
    article_ids: set[str] = set()
    n_articles = 0
    for n, line in _lines(arts_path):
        where = f"{arts_path}:{n}"
        try:
            obj = json.loads(line)
        except ValueError as e:
            problems.append(f"{where}: not JSON ({e.msg})")
            continue
        rid = obj.get("id", "?") if isinstance(obj, dict) else "?"
        try:
            art = Article.model_validate(obj)
        except ValidationError as e:
            problems += [f"{where}: {rid}: {m}" for m in _errors(e)]
            continue
        n_articles += 1
        if art.id in article_ids:
            problems.append(f"{where}: {rid}: duplicate article id")
        article_ids.add(art.id)
        for s in sentence_records(art):
            expected_sentences[s.id] = s

    seen: set[str] = set()
    n_sentences = 0
    for n, line in _lines(sents_path):
        where = f"{sents_path}:{n}"
        try:
            obj = json.loads(line)
        except ValueError as e:
            problems.append(f"{where}: not JSON ({e.msg})")
            continue
        rid = obj.get("id", "?") if isinstance(obj, dict) else "?"
        try:
            rec = SentenceRecord.model_validate(obj)
        except ValidationError as e:
            problems += [f"{where}: {rid}: {m}" for m in _errors(e)]
            continue
        n_sentences += 1
        if rec.id in seen:
            problems.append(f"{where}: {rid}: duplicate sentence id")
        seen.add(rec.id)
        exp = expected_sentences.get(rec.id)
        if exp is None:
            problems.append(f"{where}: {rid}: no such sentence in {ARTICLES}")
        elif exp != rec:
            diff = [k for k in SentenceRecord.model_fields if getattr(exp, k) != getattr(rec, k)]
            problems.append(f"{where}: {rid}: disagrees with {ARTICLES} in {', '.join(diff)}")
    for sid in sorted(set(expected_sentences) - seen):
        problems.append(f"{sents_path}: {sid}: sentence of {ARTICLES} is missing")

    try:
        man = Manifest.model_validate_json(man_path.read_text(encoding="utf-8"))
    except ValidationError as e:
        return problems + [f"{man_path}: {m}" for m in _errors(e)]
    for rel, info in man.files.items():
        p = folder / rel
        if not p.exists():
            problems.append(f"{man_path}: files.{rel}: listed but missing")
            continue
        digest = sha256_file(p)
        if digest != info.sha256:
            problems.append(f"{man_path}: files.{rel}: sha256 {info.sha256} but the file has {digest}")
    from .build import folder_digest

    for rel, info in man.folders.items():
        if not (folder / rel).is_dir():
            problems.append(f"{man_path}: folders.{rel}: listed but missing")
            continue
        digest, n, _ = folder_digest(folder / rel)
        if (digest, n) != (info.sha256, info.records):
            problems.append(f"{man_path}: folders.{rel}: digest or file count differs from the folder")
    for key, actual in (("articles", n_articles), ("sentences", n_sentences)):
        if man.counts.get(key) != actual:
            problems.append(f"{man_path}: counts.{key} is {man.counts.get(key)}, the files hold {actual}")
    return problems
