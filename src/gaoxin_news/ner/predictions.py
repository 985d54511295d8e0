"""The prediction file format: reading the gold sentences, reading and writing model predictions.

A prediction file is JSON Lines, one line per sentence of ``corpus/sentences.jsonl``::

    {"id": "<sentence id>", "entities": [{"start": 0, "end": 5, "label": "GPE"}]}

Offsets are Python string indices into the sentence text, end exclusive (the same convention as the
gold ``entities`` of ``sentences.jsonl``). An entity may also carry ``"text"``, the covered text, which
is then checked against the sentence. Labels are the 18 OntoNotes types; when scoring under a coarse
scheme, that scheme's own types (e.g. ``PER`` for msra) are accepted too. Entities must not overlap.
A sentence missing from the file counts as predicted empty. The record model is
:class:`gaoxin_news.records.Prediction`; its JSON Schema is ``schemas/prediction.schema.json``.

Every problem in a prediction file is reported as ``FILE:LINE: problem`` (:class:`InputError`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from gaoxin_news.errors import GaoxinError, InputError, shorten
from gaoxin_news.schema.files import SENTENCES, corpus_folder_of, read_jsonl
from gaoxin_news.schema.labels import ENTITY_TYPES, SCHEMES, scheme_types
from gaoxin_news.schema.records import Prediction, SentenceRecord
from gaoxin_news.schema.spans import Span, check_spans


@dataclass(frozen=True)
class GoldSentence:
    """What scoring needs of one sentence: its id, text and gold spans (in text order), and the role of
    its block when known."""

    id: str
    text: str
    entities: tuple[Span, ...]
    role: str | None = None


def read_gold(corpus: Path | str) -> list[GoldSentence]:
    """The gold sentences of ``corpus/sentences.jsonl`` (silver ones are skipped), in file order,
    validated by the record model. A corpus without a gold sentence is refused: nothing could be scored."""
    path = Path(corpus) / SENTENCES
    out = [GoldSentence(rec.id, rec.text, tuple(e.to_span() for e in rec.entities), rec.role)
           for _, rec in read_jsonl(path, SentenceRecord) if rec.annotation == "gold"]
    if not out:
        raise GaoxinError(f"{path}: no gold sentence: the corpus has nothing to score against "
                          "(annotate and adjudicate a page first)")
    return out


def allowed_labels(scheme: str) -> frozenset[str]:
    """Labels a prediction may carry when scored under ``scheme``: OntoNotes types and the scheme's own."""
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}")
    return frozenset(ENTITY_TYPES) | frozenset(scheme_types(scheme))


def check_prediction(sid: str, spans: Iterable[Span], text: str, labels: frozenset[str]) -> str | None:
    """The first problem of the predicted spans of sentence ``sid`` against its text, or None."""
    problems = check_spans(spans, text, labels=labels)
    return f"sentence {shorten(sid, 80)}: entity {shorten(problems[0])}" if problems else None


#: The longest prediction line read, in bytes: a sentence's entities take a few kilobytes; a longer line
#: is refused before it is held in memory whole.
MAX_LINE_BYTES = 1 << 20


def read_predictions(
    path: Path | str, gold: Iterable[GoldSentence], scheme: str = "ontonotes",
    max_line_bytes: int = MAX_LINE_BYTES,
) -> dict[str, Prediction]:
    """Read and check a prediction file against the gold sentences; sentence id → prediction.

    Raises :class:`InputError` (``FILE:LINE: problem``) for malformed JSON, a record that does not fit
    the format, an unknown or duplicate sentence id, offsets out of range, an unknown label, or
    overlapping entities.
    """
    texts = {g.id: g.text for g in gold}
    labels = allowed_labels(scheme)
    where = str(path)
    out: dict[str, Prediction] = {}
    first_line: dict[str, int] = {}
    for n, pred in read_jsonl(path, Prediction, skip_blank=True, max_line_bytes=max_line_bytes):
        if pred.id not in texts:
            raise InputError(where, str(n), f"unknown sentence id {shorten(pred.id, 80)!r}")
        if pred.id in out:
            raise InputError(where, str(n), f"duplicate sentence id {shorten(pred.id, 80)!r} "
                             f"(first on line {first_line[pred.id]})")
        problem = check_prediction(pred.id, pred.spans(), texts[pred.id], labels)
        if problem:
            raise InputError(where, str(n), problem)
        out[pred.id] = pred
        first_line[pred.id] = n
    return out


def prediction_line(pred: Prediction) -> str:
    """The one serialisation of a prediction record: compact UTF-8 JSON, entities in text order."""
    ents = sorted(pred.entities, key=lambda e: (e.start, e.end))
    obj = {"id": pred.id, "entities": [e.model_dump(exclude_none=True) for e in ents]}
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def write_predictions(path: Path | str, preds: Iterable[Prediction]) -> Path:
    """Write prediction records as JSON Lines (creating parent folders)."""
    path = Path(path)
    folder = corpus_folder_of(path.parent) if path.parent.exists() else None
    if folder is not None:
        raise InputError(str(path), "-", f"inside the corpus folder {folder}; write predictions elsewhere")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for p in preds:
            f.write(prediction_line(p) + "\n")
    return path
