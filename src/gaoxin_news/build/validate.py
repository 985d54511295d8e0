"""Validate a corpus folder against the record models, reporting every violation with its location,
like Universal Dependencies' validator: nothing stops at the first error."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from gaoxin_news.schema.files import ARTICLES, MANIFEST, SENTENCES, read_jsonl
from gaoxin_news.schema.validation import validation_messages
from gaoxin_news.corpus.pipeline import sentence_records
from gaoxin_news.corpus.sources import sha256_file
from gaoxin_news.schema.records import Article, Manifest, SentenceRecord

M = TypeVar("M", bound=BaseModel)


def _validated(path: Path, model: type[M], problems: list[str]) -> Iterator[tuple[str, M]]:
    """The records of a JSONL file that pass ``model``, with their location; every line that does not
    adds its problems (file:line: record id: problem) to ``problems``."""
    for n, rec in read_jsonl(path, model, problems):
        yield f"{path}:{n}", rec


def validate_folder(folder: Path) -> list[str]:
    """Every violation in ``folder`` as 'file:line: record id: problem'. Empty means valid.

    Streams both files side by side (sentences follow their articles in order), so memory does not
    grow with the size of the corpus. An item that is not annotated has no sentence records.
    """
    problems: list[str] = []
    arts_path, sents_path, man_path = folder / ARTICLES, folder / SENTENCES, folder / MANIFEST
    for p in (arts_path, sents_path, man_path):
        if not p.exists():
            problems.append(f"{p}: missing")
    if problems:
        return problems

    article_ids: set[str] = set()
    sentence_ids: set[str] = set()
    n_articles = n_sentences = 0
    sentences = _validated(sents_path, SentenceRecord, problems)
    pending: tuple[str, SentenceRecord] | None = None

    def next_sentence() -> tuple[str, SentenceRecord] | None:
        nonlocal n_sentences
        got = next(sentences, None)
        if got is not None:
            n_sentences += 1
            where, rec = got
            if rec.id in sentence_ids:
                problems.append(f"{where}: {rec.id}: duplicate sentence id")
            sentence_ids.add(rec.id)
        return got

    for where, art in _validated(arts_path, Article, problems):
        n_articles += 1
        if art.id in article_ids:
            problems.append(f"{where}: {art.id}: duplicate article id")
        article_ids.add(art.id)
        for exp in sentence_records(art):
            got = pending or next_sentence()
            pending = None
            if got is None:
                problems.append(f"{sents_path}: {exp.id}: sentence of {ARTICLES} is missing")
                continue
            swhere, rec = got
            if rec.id != exp.id:
                problems.append(f"{sents_path}: {exp.id}: sentence of {ARTICLES} is missing here "
                                f"(line has {rec.id})")
                pending = got
            elif rec != exp:
                diff = [k for k in SentenceRecord.model_fields if getattr(exp, k) != getattr(rec, k)]
                problems.append(f"{swhere}: {rec.id}: disagrees with {ARTICLES} in {', '.join(diff)}")
    rest = [pending] if pending else []
    while (got := next_sentence()) is not None:
        rest.append(got)
    for swhere, rec in rest:
        problems.append(f"{swhere}: {rec.id}: no such sentence in {ARTICLES} (or out of order)")

    try:
        man = Manifest.model_validate_json(man_path.read_text(encoding="utf-8"))
    except ValidationError as e:
        return problems + [f"{man_path}: {m}" for m in validation_messages(e)]
    for rel, info in man.files.items():
        p = folder / rel
        if not p.exists():
            problems.append(f"{man_path}: files.{rel}: listed but missing")
            continue
        digest = sha256_file(p)
        if digest != info.sha256:
            problems.append(f"{man_path}: files.{rel}: sha256 {info.sha256} but the file has {digest}")
    from gaoxin_news.build.manifest import folder_digest

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
