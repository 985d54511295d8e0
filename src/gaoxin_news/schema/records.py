"""Pydantic models: the single definition of every record gaoxin-news reads or writes.

Each model enforces its own invariants (offsets in range, slices equal to the stored texts, sentences
tiling blocks, entities inside one sentence and not overlapping, labels from the scheme). JSON Schemas
in ``schemas/`` are generated from these models (``gaoxin-news schemas``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from gaoxin_news.schema.labels import BIO_LABELS, ENTITY_TYPES
from gaoxin_news.schema.spans import Span, bio_tags, check_spans, pair_class

_BIO_SET = frozenset(BIO_LABELS)
_TYPE_SET = frozenset(ENTITY_TYPES)

EntityType = Literal[
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART",
    "LAW", "LANGUAGE", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL",
]
assert set(EntityType.__args__) == set(ENTITY_TYPES)  # type: ignore[attr-defined]

Role = Literal[
    "column", "kicker", "zone", "title", "subtitle", "byline", "dateline", "subhead", "paragraph", "caption",
    "credit", "furniture",
]
Kind = Literal["article", "brief", "photo", "furniture"]
ROLES: frozenset[str] = frozenset(Role.__args__)  # type: ignore[attr-defined]
KINDS: frozenset[str] = frozenset(Kind.__args__)  # type: ignore[attr-defined]
Offset = Annotated[int, Field(ge=0)]
Status = Literal["gold", "silver", "none"]
ANNOTATION_STATUSES: tuple[str, ...] = Status.__args__  # type: ignore[attr-defined]
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _SpanModel(_Model):
    """The JSON form of a :class:`~gaoxin_news.schema.spans.Span`, checked by its one checker."""

    def to_span(self, where: str = "") -> Span:
        return Span(self.start, self.end, self.label, self.text, where)  # type: ignore[attr-defined]

    @classmethod
    def from_span(cls, span: Span):  # type: ignore[no-untyped-def]
        return cls(start=span.start, end=span.end, label=span.label,
                   **({} if span.text is None else {"text": span.text}))

    @model_validator(mode="after")
    def _span(self):  # type: ignore[no-untyped-def]
        _raise_first("entity", check_spans([self.to_span()]))
        return self


def _raise_first(owner: str, problems: list[str]) -> None:
    if problems:
        raise ValueError(f"{owner}: {problems[0]}")


class Entity(_SpanModel):
    """A labelled span; offsets are Python string indices into the enclosing text, end exclusive."""

    start: Offset
    end: Offset
    label: EntityType
    text: str = Field(description="The covered text, equal to the slice [start:end].")


class Annotator(_Model):
    """The model that made a silver annotation."""

    model: str = Field(min_length=1, description="Name of the model (a baseline, a model folder, a Python callable).")
    version: str = Field(min_length=1, description="Its version (package versions, or a digest of its files).")


ANNOTATION_DESCRIPTION = (
    "gold: adjudicated from two independent passes; silver: machine annotation (see annotator), "
    "not checked by a person; none: not annotated (entities empty)."
)
ANNOTATOR_DESCRIPTION = "For silver: the model and its version that made the annotation; null otherwise."


def _check_status(owner: str, status: str, annotator: object, n_entities: int) -> None:
    if status not in ANNOTATION_STATUSES:
        raise ValueError(f"{owner}: unknown annotation status {status!r}")
    if status == "silver" and annotator is None:
        raise ValueError(f"{owner}: a silver annotation must name its annotator")
    if status != "silver" and annotator is not None:
        raise ValueError(f"{owner}: only a silver annotation names an annotator, not {status}")
    if status == "none" and n_entities:
        raise ValueError(f"{owner}: an item that is not annotated cannot hold entities")


def _check_head(record: Mapping[str, Any], parent: str, parent_key: str) -> None:
    """What an article and a sentence record both check first: the annotation status against the annotator
    and the entities, and the id lying under its parent's id (``parent`` names it in the message)."""
    rid = record["id"]
    _check_status(rid, record["annotation"], record["annotator"], len(record["entities"]))
    parent_id = record[parent_key]
    if not rid.startswith(parent_id + "-"):
        raise ValueError(f"{rid}: id does not start with {parent} {parent_id!r}")


def _entity_spans(entities: Sequence[Mapping[str, Any]]) -> list[Span]:
    return [Span(e["start"], e["end"], e["label"], e.get("text")) for e in entities]


def check_article(record: Mapping[str, Any], *, entities_checked: bool = False) -> None:
    """The invariants of an article record in its JSON form (plain data: dicts and lists, as
    ``model_dump`` gives it): blocks tile the text, separated by single newlines; sentences tile each
    block and carry its role; ids unique and under the article's; entities in text order, matching the
    text, each inside one sentence and of a known type; the annotation status agreeing with the
    annotator and the entities; kinds and roles from their lists. Raises ValueError naming the record.

    :class:`Article` runs it on every record it validates; the build runs it once on the plain records
    it makes, which it serialises without building models. ``entities_checked``: the caller has just
    checked these entities with :func:`~gaoxin_news.schema.spans.check_spans` against this text, the
    entity types and these sentences (the build, which reports every problem of the annotation with its
    location); they are not checked a second time."""
    rid, text = record["id"], record["text"]
    _check_head(record, "the source id", "source_id")
    if record["kind"] not in KINDS:
        raise ValueError(f"{rid}: unknown kind {record['kind']!r}")
    blocks, sentences = record["blocks"], record["sentences"]
    if not blocks or not sentences:
        raise ValueError(f"{rid}: an article has at least one block and one sentence")
    # blocks tile the text, separated by single newlines
    pos = 0
    for i, b in enumerate(blocks):
        start, end = b["start"], b["end"]
        if start != pos or end <= start:
            raise ValueError(f"{rid}: block {i} spans {start}-{end}, expected to start at {pos}")
        if b["role"] not in ROLES:
            raise ValueError(f"{rid}: block {i} has the unknown role {b['role']!r}")
        if text.find("\n", start, end) >= 0:
            raise ValueError(f"{rid}: block {i} contains a newline")
        pos = end + 1
    if pos - 1 != len(text):
        raise ValueError(f"{rid}: blocks end at {pos - 1} but the text has {len(text)} characters")
    # sentences tile each block
    seen: set[str] = set()
    prefix = rid + "-"
    k, n = 0, len(sentences)
    for i, b in enumerate(blocks):
        p, end, role = b["start"], b["end"], b["role"]
        while k < n and sentences[k]["start"] < end:
            s = sentences[k]
            sid = s["id"]
            if s["start"] != p or s["end"] > end or s["end"] <= s["start"]:
                raise ValueError(f"{rid}: sentence {sid} ({s['start']}-{s['end']}) does not tile block {i}")
            if s["role"] != role:
                raise ValueError(f"{rid}: sentence {sid} has role {s['role']}, its block {role}")
            if not sid.startswith(prefix) or sid in seen:
                raise ValueError(f"{rid}: sentence id {sid!r} is not unique or not under the article id")
            seen.add(sid)
            p = s["end"]
            k += 1
        if p != end:
            raise ValueError(f"{rid}: sentences cover block {i} only up to {p}, not to {end}")
    if k != n:
        raise ValueError(f"{rid}: sentence {sentences[k]['id']} lies outside every block")
    if entities_checked:
        return
    _raise_first(f"{rid}: entity", check_spans(_entity_spans(record["entities"]), text, labels=_TYPE_SET,
                                               bounds=[(s["start"], s["end"]) for s in sentences], ordered=True))


def check_sentence(record: Mapping[str, Any]) -> None:
    """The invariants of a sentence record in its JSON form: tokens are the characters of the text, one
    known IOB2 tag per token, the tags those of the entities (in text order, matching the text), and the
    annotation status agreeing with the annotator and the entities. Raises ValueError naming the record."""
    rid, text, tags = record["id"], record["text"], record["ner_tags"]
    _check_head(record, "its article id", "article_id")
    if record["role"] not in ROLES:
        raise ValueError(f"{rid}: unknown role {record['role']!r}")
    if record["tokens"] != list(text):
        raise ValueError(f"{rid}: tokens are not the characters of the text")
    if len(tags) != len(text):
        raise ValueError(f"{rid}: {len(tags)} tags for {len(text)} tokens")
    bad = sorted(set(tags) - _BIO_SET)
    if bad:
        raise ValueError(f"{rid}: unknown tags {bad}")
    spans = _entity_spans(record["entities"])
    _raise_first(f"{rid}: entity", check_spans(spans, text, labels=_TYPE_SET, ordered=True))
    expected = bio_tags(len(text), spans)
    if expected != tags:
        i = next(i for i, (a, b) in enumerate(zip(expected, tags)) if a != b)
        raise ValueError(f"{rid}: tag {i} is {tags[i]}, the entities give {expected[i]}")


class Block(_Model):
    role: Role
    start: Offset
    end: Offset
    source_spans: list[tuple[Offset, Offset]] = Field(
        description="Character spans [start, end) of the source page that this block's text was cut from."
    )


class SentenceRef(_Model):
    id: str
    start: Offset
    end: Offset
    role: Role


class Article(_Model):
    """One item of a page (an article, a news brief or a photo item), with blocks, sentences and entities."""

    id: str = Field(pattern=r"^\S+-\d{2,}$")
    source_id: str
    kind: Kind
    title: str | None
    kicker: str | None
    column: str | None
    zone: str | None
    authors: list[str]
    dateline: str | None
    photo_credit: str | None
    text: str = Field(description='The blocks\' texts joined by "\\n".')
    blocks: list[Block] = Field(min_length=1)
    sentences: list[SentenceRef] = Field(min_length=1)
    entities: list[Entity]
    annotation: Status = Field(description=ANNOTATION_DESCRIPTION)
    annotator: Annotator | None = Field(description=ANNOTATOR_DESCRIPTION)

    @model_validator(mode="after")
    def _invariants(self) -> Article:
        check_article(self.model_dump())
        return self


class SentenceRecord(_Model):
    """One sentence: the NER view, with character tokens and BIO tags."""

    id: str
    article_id: str
    role: Role
    text: str = Field(min_length=1)
    tokens: list[str] = Field(description="The sentence's characters, one token each.")
    ner_tags: list[str] = Field(description="IOB2 tags over the 18 OntoNotes types; see BIO_LABELS.")
    entities: list[Entity] = Field(description="Entities with offsets relative to the sentence text.")
    annotation: Status = Field(description=ANNOTATION_DESCRIPTION)
    annotator: Annotator | None = Field(description=ANNOTATOR_DESCRIPTION)

    @model_validator(mode="after")
    def _invariants(self) -> SentenceRecord:
        check_sentence(self.model_dump())
        return self


class SourceEntry(_Model):
    """One source page in ``seeds/manifest.jsonl``. Unknown facts are null, never guessed."""

    id: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    file: str
    sha256: Sha256
    language: str = Field(description="BCP 47 language tag of the text.")
    medium: str | None = Field(description="What the source is, e.g. 'newspaper page'.")
    extraction: str | None = Field(description="How the text was obtained, e.g. 'PDF text extraction'.")
    publication: str | None = Field(description="Name of the newspaper, when known.")
    publisher: str | None
    issue_date: str | None = Field(description="ISO 8601 date of the issue, when known.")
    page: str | None
    url: str | None


class FileInfo(_Model):
    sha256: Sha256
    bytes: Annotated[int, Field(ge=0)]
    records: Annotated[int, Field(ge=0)] | None = None


class Manifest(_Model):
    """``corpus/manifest.json``: the corpus version, counts, and the sha256 of each data file."""

    name: Literal["gaoxin-news"] = "gaoxin-news"
    version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    label_scheme: list[str] = Field(description="The BIO tag names, index = ClassLabel id.")
    counts: dict[str, int]
    entity_counts: dict[str, int]
    sources: list[str]
    files: dict[str, FileInfo] = Field(description="Every data file: sha256, size, record count.")
    folders: dict[str, FileInfo] = Field(
        default_factory=dict,
        description="Folders with files per page (brat export): sha256 over the sorted lines "
        "'<path> <sha256>' of their files, total size, and file count (in 'records').",
    )


#: Labels a prediction file may use: the 18 OntoNotes types, plus the types of the coarse schemes
#: (e.g. PER), which are accepted when scoring under that scheme (``gaoxin-news evaluate --scheme``).
PredictionLabel = Literal[
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART",
    "LAW", "LANGUAGE", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL", "PER",
]


class PredictedEntity(_SpanModel):
    """A predicted span: offsets are Python string indices into the sentence text, end exclusive."""

    start: Annotated[int, Field(ge=0, strict=True)]
    end: Annotated[int, Field(ge=0, strict=True)]
    label: PredictionLabel
    text: str | None = Field(default=None, description="Optional: the covered text, checked against the sentence.")


class Prediction(_Model):
    """One line of a prediction file: a model's entities for one sentence of ``sentences.jsonl``.

    A sentence missing from the file counts as predicted empty. Entities may come in any order but must
    not overlap.
    """

    id: str = Field(description="The sentence id, as in sentences.jsonl.")
    entities: list[PredictedEntity]

    @model_validator(mode="after")
    def _no_overlap(self) -> Prediction:
        _raise_first("entity", check_spans(self.spans()))
        return self

    def spans(self) -> list[Span]:
        """The entities as spans, in text order."""
        return sorted(e.to_span() for e in self.entities)


ErrorClass = Literal["missed", "spurious", "wrong type", "wrong boundary", "wrong type and boundary"]


class ErrorSpan(_Model):
    """A gold or predicted entity named by an error record, with its text; the label is the scored scheme's."""

    start: Offset
    end: Offset
    label: str
    text: str

    @model_validator(mode="after")
    def _span(self) -> ErrorSpan:
        if self.end <= self.start or len(self.text) != self.end - self.start:
            raise ValueError(f"span {self.start}-{self.end} {self.text!r}: bad offsets or text length")
        return self


class ErrorRecord(_Model):
    """One line of ``gaoxin-news evaluate --errors``: one error of a prediction against the gold.

    ``missed`` has a gold span and no prediction, ``spurious`` a prediction and no gold span; the wrong-type
    and wrong-boundary classes have both, overlapping."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    sentence: str = Field(description="The sentence id, as in sentences.jsonl.")
    role: Role | None = Field(description="The role of the sentence's block.")
    error_class: ErrorClass = Field(alias="class")
    type: str = Field(description="The gold span's label, or the prediction's when there is no gold span.")
    gold: ErrorSpan | None
    pred: ErrorSpan | None

    @model_validator(mode="after")
    def _sides(self) -> ErrorRecord:
        g, p = self.gold, self.pred
        for side, span, needed in (("gold", g, self.error_class != "spurious"),
                                   ("predicted", p, self.error_class != "missed")):
            if (span is not None) != needed:
                raise ValueError(f"{self.error_class}: {'needs' if needed else 'has'} a {side} span")
        if g is not None and p is not None:
            expected = pair_class(Span(g.start, g.end, g.label), Span(p.start, p.end, p.label))
            if expected != self.error_class:
                what = {None: "no pair (they do not overlap)", "correct": "no error"}.get(expected, expected)
                raise ValueError(f"{self.error_class}: the spans {g.start}-{g.end} {g.label} and {p.start}-{p.end} "
                                 f"{p.label} make it {what}")
        if self.type != (g or p).label:  # type: ignore[union-attr]
            raise ValueError(f"type {self.type!r} is not the label of the gold span (or of the prediction)")
        return self


#: The models whose JSON Schemas are published in ``schemas/``.
SCHEMA_MODELS: dict[str, type[BaseModel]] = {
    "article": Article,
    "sentence": SentenceRecord,
    "source": SourceEntry,
    "manifest": Manifest,
    "prediction": Prediction,
    "error": ErrorRecord,
}
