"""The prediction file format: reading the gold sentences, reading and writing model predictions.

A prediction file is JSON Lines, one line per sentence of ``corpus/sentences.jsonl``::

    {"id": "<sentence id>", "entities": [{"start": 0, "end": 5, "label": "GPE"}]}

Offsets are Python string indices into the sentence text, end exclusive (the same convention as the
gold ``entities`` of ``sentences.jsonl``). An entity may also carry ``"text"``, the covered text, which
is then checked against the sentence. Labels are the 18 OntoNotes types; when scoring under a coarse
scheme, that scheme's own types (e.g. ``PER`` for msra) are accepted too. Entities must not overlap.
A sentence missing from the file counts as predicted empty; the lines may come in any order. The record
model is :class:`gaoxin_news.records.Prediction`; its JSON Schema is ``schemas/prediction.schema.json``.

Every problem in a prediction file is reported as ``FILE:LINE: problem`` (:class:`InputError`); when a
file has several, the one on the first line is reported.

Both files are streamed (:func:`iter_gold`, :class:`PredictionStream`): a line is checked against the
record model by a few direct tests when it has the usual shape, and by the pydantic model otherwise (which
words every message); the two accept the same lines. The prediction file is read in step with
``sentences.jsonl`` when its lines come in the same order (a sentence may be missing); otherwise it is
read again through an index of its lines' byte offsets by sentence id.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from gaoxin_news.errors import GaoxinError, InputError, shorten
from gaoxin_news.schema.files import SENTENCES, _line_problem, corpus_folder_of, loads_unique, read_jsonl
from gaoxin_news.schema.labels import ENTITY_TYPES, SCHEMES, scheme_types
from gaoxin_news.schema.records import (
    ANNOTATION_STATUSES, Prediction, PredictionLabel, Role, SentenceRecord,
)
from gaoxin_news.schema.spans import Span, check_spans


@dataclass(frozen=True)
class GoldSentence:
    """What scoring needs of one sentence: its id, text and gold spans (in text order), and the role of
    its block when known."""

    id: str
    text: str
    entities: tuple[Span, ...]
    role: str | None = None


# ---------------------------------------------------------------- reading a JSON line

def _model_line(where: str, n: int, offset: int, raw: bytes, model: type, skip_blank: bool) -> Any:
    """One line read as :func:`gaoxin_news.schema.files.read_jsonl` reads it (the same parser, model and
    messages): the record, None for a blank line skipped, or :class:`InputError`."""
    import jsonlines
    from pydantic import ValidationError

    from gaoxin_news.schema.validation import validation_problem

    reader = jsonlines.Reader([raw], loads=loads_unique)
    try:
        obj = reader.read(type=dict, skip_empty=skip_blank)
    except EOFError:
        return None
    except jsonlines.InvalidLineError as e:
        raise InputError(where, str(n), _line_problem(e, offset)) from None
    try:
        return model.model_validate(obj)
    except ValidationError as e:
        rid = obj.get("id")
        head = f"{shorten(rid, 80)}: " if isinstance(rid, str) else ""
        raise InputError(where, str(n), head + validation_problem(e)) from None


_loads = json.JSONDecoder().decode


def _keys_in(text: str) -> int:
    """The number of object keys written in JSON ``text`` whose name does not end with a backslash: each
    ends with ``":`` (inside a string a quote is always escaped, ``\\"``). Where every key is one of a
    known set, a count above the keys decoded is a key given twice (which :func:`json.loads` keeps
    silently and the model's reader refuses)."""
    return text.count('":') - text.count('\\":')

#: characters a JSON string cannot hold unescaped
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f]')
_ROLES = frozenset(Role.__args__)  # type: ignore[attr-defined]
_STATUSES = frozenset(ANNOTATION_STATUSES)
_ENTITY_TYPES = frozenset(ENTITY_TYPES)
_PREDICTION_LABELS = frozenset(PredictionLabel.__args__)  # type: ignore[attr-defined]
_SENTENCE_KEYS = ["id", "article_id", "role", "text", "entities", "annotation", "annotator"]
_ENTITY_KEYS = ["start", "end", "label", "text"]


class GoldLine(NamedTuple):
    """A gold sentence as scoring reads it: id, text, block role and the entities as ``(start, end,
    label)`` in text order."""

    id: str
    text: str
    role: str | None
    spans: list[tuple[int, int, str]]


def _tags_json(n: int, spans: Iterable[tuple[int, int, str]]) -> str:
    """The compact JSON of the IOB2 tags of ``n`` characters (non-overlapping spans in text order)."""
    parts = []
    pos = 0
    for s, t, label in spans:
        parts.append('"O",' * (s - pos))
        parts.append(f'"B-{label}",' + f'"I-{label}",' * (t - s - 1))
        pos = t
    parts.append('"O",' * (n - pos))
    return "[" + "".join(parts)[:-1] + "]"


def _fast_sentence(raw: bytes) -> GoldLine | None | bool:
    """A line of ``sentences.jsonl`` as the build writes it (compact, keys in the model's order), checked
    as :class:`SentenceRecord` checks it without decoding the ``tokens`` and ``ner_tags`` arrays: their
    bytes must be those the text and the entities give. Returns the sentence, False for a valid line that
    is not gold, None when the line must go to the model (another shape, or a problem to word)."""
    i = raw.find(b',"tokens":["')
    j = raw.find(b'"],"ner_tags":["', i)
    k = raw.find(b'"],"entities":[', j)
    if i < 0 or j < 0 or k < 0:
        return None
    try:
        head = (raw[:i] + raw[k + 2:]).decode("utf-8")
        obj = _loads(head)
    except (ValueError, RecursionError):
        return None
    if type(obj) is not dict or list(obj) != _SENTENCE_KEYS:
        return None
    sid, text, role, status, annotator = obj["id"], obj["text"], obj["role"], obj["annotation"], obj["annotator"]
    if not (type(sid) is str and type(text) is str and text and type(role) is str and role in _ROLES
            and type(status) is str and status in _STATUSES and type(obj["article_id"]) is str
            and sid.startswith(obj["article_id"] + "-") and type(obj["entities"]) is list):
        return None
    if annotator is None:
        if status == "silver":
            return None
    elif (status != "silver" or type(annotator) is not dict or list(annotator) != ["model", "version"]
          or any(type(v) is not str or not v for v in annotator.values())):
        return None
    spans = []
    last_end = 0
    n = len(text)
    for e in obj["entities"]:
        if type(e) is not dict or list(e) != _ENTITY_KEYS:
            return None
        s, t, label, etext = e["start"], e["end"], e["label"], e["text"]
        if not (type(s) is int and type(t) is int and last_end <= s < t <= n and type(label) is str
                and label in _ENTITY_TYPES and type(etext) is str and text[s:t] == etext):
            return None
        spans.append((s, t, label))
        last_end = t
    if spans and status == "none":
        return None
    if _keys_in(head) != len(_SENTENCE_KEYS) + len(_ENTITY_KEYS) * len(spans) + (2 if annotator else 0):
        return None
    if _NEEDS_ESCAPE.search(text):
        return None
    try:
        tokens = ('["' + '","'.join(text) + '"]').encode("utf-8")
    except UnicodeEncodeError:
        return None
    if raw[i + 10:j + 2] != tokens or raw[j + 14:k + 2] != _tags_json(n, spans).encode("ascii"):
        return None
    return GoldLine(sid, text, role, spans) if status == "gold" else False


def gold_lines(corpus: Path | str) -> Iterator[GoldLine]:
    """The gold sentences of ``corpus/sentences.jsonl`` (silver ones are skipped), in file order, each line
    validated as the record model validates it; streamed. A corpus without a gold sentence is refused
    (when the file has been read): nothing could be scored."""
    path = Path(corpus) / SENTENCES
    where = str(path)
    found = False
    with open(path, "rb") as f:
        n = offset = 0
        for raw in f:
            n += 1
            s = _fast_sentence(raw)
            if s is None:
                rec = _model_line(where, n, offset, raw, SentenceRecord, False)
                s = (GoldLine(rec.id, rec.text, rec.role, [(e.start, e.end, e.label) for e in rec.entities])
                     if rec.annotation == "gold" else False)
            offset += len(raw)
            if s:
                found = True
                yield s
    if not found:
        raise GaoxinError(f"{path}: no gold sentence: the corpus has nothing to score against "
                          "(annotate and adjudicate a page first)")


def iter_gold(corpus: Path | str) -> Iterator[GoldSentence]:
    """:func:`gold_lines` as :class:`GoldSentence` records (the entities as spans with their text)."""
    for g in gold_lines(corpus):
        yield GoldSentence(g.id, g.text, tuple(Span(s, t, label, g.text[s:t]) for s, t, label in g.spans), g.role)


def read_gold(corpus: Path | str) -> list[GoldSentence]:
    """The gold sentences of ``corpus/sentences.jsonl`` (silver ones are skipped), in file order, validated
    by the record model. A corpus without a gold sentence is refused: nothing could be scored."""
    return list(iter_gold(corpus))


def allowed_labels(scheme: str) -> frozenset[str]:
    """Labels a prediction may carry when scored under ``scheme``: OntoNotes types and the scheme's own."""
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}")
    return frozenset(ENTITY_TYPES) | frozenset(scheme_types(scheme))


def check_prediction(sid: str, spans: Iterable[Span], text: str, labels: frozenset[str]) -> str | None:
    """The first problem of the predicted spans of sentence ``sid`` against its text, or None."""
    problems = check_spans(spans, text, labels=labels)
    return f"sentence {shorten(sid, 80)}: entity {shorten(problems[0])}" if problems else None


def _prediction_problem(sid: str, spans: list[Span], text: str, labels: frozenset[str]) -> str | None:
    """:func:`check_prediction` of spans the record model accepted (valid and non-overlapping): only the
    text, offsets against it and labels remain to check; the checker words a problem."""
    n = len(text)
    for s in spans:
        if s.end > n or s.label not in labels or (s.text is not None and text[s.start:s.end] != s.text):
            return check_prediction(sid, spans, text, labels)
    return None


#: The longest prediction line read, in bytes: a sentence's entities take a few kilobytes; a longer line
#: is refused before it is held in memory whole.
MAX_LINE_BYTES = 1 << 20


def _fast_prediction(raw: bytes) -> tuple[str, list[Span]] | None:
    """A prediction line checked as the :class:`Prediction` model checks it, by direct tests: the id and
    the entities in text order, or None when the line must go to the model (a problem to word, or a shape
    these tests do not cover)."""
    try:
        line = raw.decode("utf-8")
        obj = _loads(line)
    except (ValueError, RecursionError):
        return None
    if type(obj) is not dict or len(obj) != 2 or "id" not in obj or "entities" not in obj:
        return None
    sid, ents = obj["id"], obj["entities"]
    if type(sid) is not str or type(ents) is not list:
        return None
    spans = []
    keys = 2
    for e in ents:
        if type(e) is not dict or not 3 <= len(e) <= 4:
            return None
        keys += len(e)
        s, t, label, text = e.get("start"), e.get("end"), e.get("label"), e.get("text")
        if not (type(s) is int and type(t) is int and 0 <= s < t and type(label) is str
                and label in _PREDICTION_LABELS and (len(e) == 3 or "text" in e)):
            return None
        if text is not None and (type(text) is not str or len(text) != t - s):
            return None
        spans.append(Span(s, t, label, text))
    if _keys_in(line) != keys:
        return None
    spans.sort()
    for a, b in zip(spans, spans[1:]):
        if b.start < a.end:
            return None
    return sid, spans


@dataclass
class _Line:
    n: int
    offset: int
    raw: bytes


class PredictionStream:
    """A prediction file read alongside the gold sentences of ``sentences.jsonl``, in their order.

    Call :meth:`spans` for each gold sentence in file order (its predicted spans, None when the file has
    no line for it), then :meth:`finish`. In step (``indexed`` False) the file is read line by line as
    the sentences go, which works when its lines come in the order of the sentences; :meth:`finish`
    raises :class:`OutOfStep` when lines were left over (another order, or an unknown or duplicate id),
    and the caller starts again with ``indexed`` True: the file is first scanned for the byte offset of
    each id, and each sentence's line is read from there. Either way the problem reported is the one on
    the first bad line: the line itself (JSON, record model), then an unknown id, a duplicate id, the
    spans against the sentence."""

    def __init__(self, path: Path | str, scheme: str = "ontonotes", max_line_bytes: int = MAX_LINE_BYTES,
                 indexed: bool = False) -> None:
        self.where = str(path)
        self.labels = allowed_labels(scheme)
        self.max_line_bytes = max_line_bytes
        self.indexed = indexed
        self.records = 0  # prediction lines used
        self._f = open(path, "rb")
        self._n = 0
        self._offset = 0
        self._problem: tuple[int, InputError] | None = None  # the first bad line seen (indexed)
        if indexed:
            self._index: dict[str, tuple[int, int]] = {}
            self._scan()
        else:
            self._pending = self._next()

    def close(self) -> None:
        self._f.close()

    def __enter__(self) -> PredictionStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _raw(self) -> _Line | None:
        """The next line that is not blank, or None at the end of the file."""
        while True:
            raw = self._f.readline(self.max_line_bytes + 1)
            if not raw:
                return None
            self._n += 1
            line = _Line(self._n, self._offset, raw)
            self._offset += len(raw)
            if len(raw) > self.max_line_bytes:
                raise InputError(self.where, str(self._n), f"line longer than {self.max_line_bytes} bytes")
            if raw.strip():
                return line

    def _parse(self, line: _Line) -> tuple[str, list[Span]] | None:
        fast = _fast_prediction(line.raw)
        if fast is not None:
            return fast
        rec = _model_line(self.where, line.n, line.offset, line.raw, Prediction, True)
        return None if rec is None else (rec.id, rec.spans())

    def _next(self) -> tuple[_Line, str, list[Span]] | None:
        while True:
            line = self._raw()
            if line is None:
                return None
            parsed = self._parse(line)
            if parsed is not None:
                return (line, *parsed)

    def _fail(self, n: int, problem: str) -> None:
        if self._problem is None or n < self._problem[0]:
            self._problem = (n, InputError(self.where, str(n), problem))

    def _scan(self) -> None:
        """Index every line by id, up to the first line that is bad on its own or repeats an id."""
        while True:
            try:
                line = self._raw()
                if line is None:
                    return
                parsed = self._parse(line)
            except InputError as e:
                self._problem = (int(e.position), e)
                return
            if parsed is None:
                continue
            sid = parsed[0]
            if sid in self._index:
                self._fail(line.n, f"duplicate sentence id {shorten(sid, 80)!r} "
                                   f"(first on line {self._index[sid][0]})")
                return
            self._index[sid] = (line.n, line.offset)

    def spans(self, sid: str, text: str) -> list[Span] | None:
        """The predicted spans of gold sentence ``sid`` (checked against its text), None when the file
        holds none for it."""
        if self.indexed:
            at = self._index.pop(sid, None)
            if at is None:
                return None
            n, offset = at
            if self._problem is not None and self._problem[0] < n:
                return None  # the file is refused anyway
            self._f.seek(offset)
            raw = self._f.readline(self.max_line_bytes + 1)
            parsed = self._parse(_Line(n, offset, raw))
            assert parsed is not None and parsed[0] == sid
            spans = parsed[1]
            problem = _prediction_problem(sid, spans, text, self.labels)
            if problem:
                self._fail(n, problem)
                return None  # the file is refused at the end; the spans are not scored
            self.records += 1
            return spans
        if self._pending is None or self._pending[1] != sid:
            return None
        line, _, spans = self._pending
        problem = _prediction_problem(sid, spans, text, self.labels)
        if problem:
            raise InputError(self.where, str(line.n), problem)
        self.records += 1
        self._pending = self._next()
        return spans

    def finish(self) -> None:
        """After the last sentence: raise the problem of the first bad line, or :class:`OutOfStep` when
        lines read in step were left over."""
        if self.indexed:
            if self._index:
                n, _ = min(self._index.values())
                sid = next(k for k, v in self._index.items() if v[0] == n)
                self._fail(n, f"unknown sentence id {shorten(sid, 80)!r}")
            if self._problem is not None:
                raise self._problem[1]
        elif self._pending is not None:
            raise OutOfStep(self.where)


class OutOfStep(Exception):
    """A prediction file whose lines do not follow the order of the sentences: read it through an index."""


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
