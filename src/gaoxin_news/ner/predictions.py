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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from gaoxin_news.errors import InputError, shorten
from gaoxin_news.schema.labels import ENTITY_TYPES, SCHEMES, scheme_types
from gaoxin_news.schema.records import Prediction, SentenceRecord

from gaoxin_news.schema.files import SENTENCES, corpus_folder_of


@dataclass(frozen=True)
class GoldSentence:
    """What scoring needs of one sentence: its id, text and gold spans (dicts with start, end, label)."""

    id: str
    text: str
    entities: tuple[dict, ...]


def read_gold(corpus: Path | str) -> list[GoldSentence]:
    """The sentences of ``corpus/sentences.jsonl``, in file order, validated by the record model."""
    path = Path(corpus) / SENTENCES
    out = []
    with open(path, "rb") as f:
        for n, raw in enumerate(f, 1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                raise InputError(str(path), str(n), f"not UTF-8: byte 0x{raw[e.start]:02x} at byte {e.start + 1} "
                                 "of the line") from None
            if not line.strip():
                continue
            try:
                rec = SentenceRecord.model_validate_json(line)
            except ValidationError as e:
                raise InputError(str(path), str(n), validation_problem(e)) from None
            ents = tuple({"start": e.start, "end": e.end, "label": e.label} for e in rec.entities)
            out.append(GoldSentence(rec.id, rec.text, ents))
    return out


def allowed_labels(scheme: str) -> frozenset[str]:
    """Labels a prediction may carry when scored under ``scheme``: OntoNotes types and the scheme's own."""
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}")
    return frozenset(ENTITY_TYPES) | frozenset(scheme_types(scheme))


def validation_problem(e: ValidationError) -> str:
    """One line for a record that does not fit its model: the first error's location and message."""
    x = e.errors()[0]
    loc = ".".join(str(p) for p in x["loc"])
    if x["type"] == "literal_error" and x["loc"] and x["loc"][-1] == "label":
        return f"{loc}: unknown label {shorten(repr(x['input']), 80)}"
    msg = shorten(x["msg"].removeprefix("Value error, "))
    more = f" (and {len(e.errors()) - 1} more)" if len(e.errors()) > 1 else ""
    return (f"{loc}: {msg}" if loc else msg) + more


def check_prediction(pred: Prediction, text: str, labels: frozenset[str]) -> str | None:
    """The first problem of a (model-valid) prediction against its sentence text, or None."""
    for k, e in enumerate(pred.entities):
        if e.end > len(text):
            return (f"sentence {pred.id}: entities.{k}: offsets {e.start}-{e.end} out of range "
                    f"(the sentence has {len(text)} characters)")
        if e.label not in labels:
            return f"sentence {pred.id}: entities.{k}: unknown label {e.label!r} for this scheme"
        if e.text is not None and text[e.start:e.end] != e.text:
            return (f"sentence {pred.id}: entities.{k}: {e.start}-{e.end} says {e.text!r} "
                    f"but the sentence has {text[e.start:e.end]!r}")
    return None


#: The longest prediction line read, in bytes: a sentence's entities take a few kilobytes; a longer line
#: is refused before it is held in memory whole.
MAX_LINE_BYTES = 1 << 20


def _lines(f, limit: int, where: str):
    """The lines of a binary file, each read with at most ``limit`` bytes held in memory."""
    n = 0
    while True:
        raw = f.readline(limit + 1)
        if not raw:
            return
        n += 1
        if len(raw) > limit:
            raise InputError(where, str(n), f"line longer than {limit} bytes; a prediction line holds one "
                             "sentence's entities")
        yield n, raw


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
    with open(path, "rb") as f:
        for n, raw in _lines(f, max_line_bytes, where):
            try:
                line = raw.decode("utf-8-sig" if n == 1 else "utf-8")
            except UnicodeDecodeError as e:
                raise InputError(where, str(n), f"not UTF-8: byte {e.start + 1} of the line") from None
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as e:
                raise InputError(where, str(n), f"malformed JSON: {e.msg} (character {e.pos + 1})") from None
            except ValueError as e:
                raise InputError(where, str(n), f"malformed JSON: {e}") from None
            if not isinstance(obj, dict):
                raise InputError(where, str(n), f"expected a JSON object, got {type(obj).__name__}")
            try:
                pred = Prediction.model_validate(obj)
            except ValidationError as e:
                rid = obj.get("id")
                head = f"sentence {shorten(rid, 80)}: " if isinstance(rid, str) else ""
                raise InputError(where, str(n), head + validation_problem(e)) from None
            if pred.id not in texts:
                raise InputError(where, str(n), f"unknown sentence id {shorten(pred.id, 80)!r}")
            if pred.id in out:
                raise InputError(where, str(n), f"duplicate sentence id {shorten(pred.id, 80)!r} "
                                 f"(first on line {first_line[pred.id]})")
            problem = check_prediction(pred, texts[pred.id], labels)
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


def spans_of(pred: Prediction | Iterable[Mapping] | None) -> list[dict]:
    """Span dicts (start, end, label) of a prediction record or of an iterable of span mappings."""
    if pred is None:
        return []
    ents = pred.entities if isinstance(pred, Prediction) else pred
    out = []
    for e in ents:
        if isinstance(e, Mapping):
            out.append({"start": e["start"], "end": e["end"], "label": e["label"]})
        else:
            out.append({"start": e.start, "end": e.end, "label": e.label})
    return sorted(out, key=lambda s: (s["start"], s["end"]))
