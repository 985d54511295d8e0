"""Gold and silver annotation in brat standoff format, anchored to article ids.

``annotations/gold/<article id>.ann`` holds text-bound annotations (``T1<TAB>GPE 0 5<TAB>烟台高新区``)
with offsets into the article text. Every span carries its surface text, so a change of layout or
segmentation that shifts the text cannot silently move an annotation: :func:`check_spans` reports it.
Spans are :class:`gaoxin_news.schema.spans.Span`, located by ``where`` (``file:line: T<n>``).

Silver annotation (made by a model, not checked by a person) lives in ``annotations/silver/<model>/``,
the same brat files plus ``model.json`` naming the model and its version. Gold always wins: an item's
silver annotation is used only while the item has no gold.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from gaoxin_news.errors import AnnotationError, InputError, shorten
from gaoxin_news.schema import spans as _spans
from gaoxin_news.schema.labels import ENTITY_TYPES
from gaoxin_news.schema.spans import Span


def parse_brat(content: str, where: str = "<ann>") -> tuple[list[Span], list[str]]:
    """Parse brat standoff text. Returns the spans and a list of problems (bad lines)."""
    spans: list[Span] = []
    problems: list[str] = []
    for n, line in enumerate(content.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        loc = f"{where}:{n}"
        parts = line.split("\t")
        if not parts[0].startswith("T"):
            problems.append(f"{loc}: only text-bound annotations (T…) are supported: {shorten(line, 80)!r}")
            continue
        if len(parts) != 3:
            problems.append(f"{loc}: expected 'T<n><TAB><TYPE> <start> <end><TAB><text>': {shorten(line, 80)!r}")
            continue
        tid, mid, surface = parts
        fields = mid.split(" ")
        if ";" in mid:
            problems.append(f"{loc}: {tid}: discontinuous spans are not supported")
            continue
        if len(fields) != 3 or not _OFFSET.match(fields[1]) or not _OFFSET.match(fields[2]):
            problems.append(f"{loc}: {tid}: bad type/offset field {shorten(mid, 80)!r} (expected "
                            "'<TYPE> <start> <end>', offsets in ASCII digits)")
            continue
        label, s, e = fields[0], int(fields[1]), int(fields[2])
        spans.append(Span(s, e, label, surface, f"{loc}: {tid}"))
    return spans, problems


def format_brat(spans: Iterable[Span]) -> str:
    return "".join(f"T{i}\t{s.label} {s.start} {s.end}\t{s.text}\n" for i, s in enumerate(spans, 1))


#: An annotation file is named after its article: ``<source id>-<NN>.ann``.
ANN_NAME = re.compile(r"^(?P<source>[A-Za-z0-9_.-]+)-\d{2,}$")
_OFFSET = re.compile(r"^[0-9]+$")


def _read_text(path: Path, encoding: str = "utf-8-sig") -> tuple[str | None, list[str]]:
    """The text of a brat file, or None and a located problem when its bytes are not UTF-8."""
    data = path.read_bytes()
    try:
        return data.decode(encoding), []
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        return None, [f"{path}:{line}: not UTF-8: byte 0x{data[e.start]:02x} at byte offset {e.start}"]


def read_ann(path: Path) -> tuple[list[Span], list[str]]:
    """The spans of one ``.ann`` file and its problems; bytes that are not UTF-8 are a located problem."""
    content, problems = _read_text(path)
    if content is None:
        return [], problems
    return parse_brat(content, str(path))


def load_annotation_dir(folder: Path, source_ids: set[str] | None = None) -> tuple[dict[str, list[Span]], list[str]]:
    """All ``*.ann`` files of a folder by article id, and the problems found while reading them.

    A missing folder is an error (:class:`InputError`), never an empty annotation. A file whose name is
    not ``<article id>.ann`` is a problem, and so is, when ``source_ids`` (the pages of the build) are
    given, a file for a page that is not among them: no annotation is left out without a word. Where the
    brat document ``<id>.txt`` lies beside an ``.ann`` file, its spans are checked against that text
    by the span checker of :mod:`gaoxin_news.schema.spans`.
    """
    if not folder.is_dir():
        raise InputError(str(folder), "-", "annotation folder not found (give --annotations, or "
                         "--no-annotations to build without gold entities)")
    out: dict[str, list[Span]] = {}
    problems: list[str] = []
    if not any(folder.glob("*.ann")):
        nested = sorted({p.parent.relative_to(folder).as_posix() for p in folder.glob("*/**/*.ann")})
        if nested:  # the folder above the annotation (e.g. annotations/ for annotations/gold/)
            raise InputError(str(folder), "-", f"holds no .ann file itself, but its subfolders "
                             f"{', '.join(nested[:5])} do; name the folder of one annotation (e.g. "
                             f"{folder / nested[0]})")
    for path in sorted(folder.glob("*.ann")):
        m = ANN_NAME.match(path.stem)
        if not m:
            problems.append(f"{path}: file name is not '<source id>-<NN>.ann' (the id of the annotated article)")
            continue
        if source_ids is not None and m["source"] not in source_ids:
            problems.append(f"{path}: annotation for page {m['source']}, which is not among the pages of "
                            "this build (renamed or removed seed?)")
            continue
        spans, probs = read_ann(path)
        out[path.stem] = spans
        problems += probs
        doc = path.with_suffix(".txt")
        if doc.is_file():
            text, probs = _read_text(doc, "utf-8")  # offsets count every character
            problems += probs
            if text is not None:
                problems += _spans.check_spans(spans, text, labels=ENTITY_TYPES)
    return out, problems


def check_spans(text: str, spans: list[Span], sentence_bounds: list[tuple[int, int]]) -> list[str]:
    """Every problem with gold ``spans`` against an article ``text`` (:func:`gaoxin_news.schema.spans.check_spans`
    with the OntoNotes types and the sentence boundaries). An empty list means the spans can be merged."""
    return _spans.check_spans(spans, text, labels=ENTITY_TYPES, bounds=sentence_bounds)


def raise_if(problems: list[str]) -> None:
    if problems:
        raise AnnotationError(problems)


# ---------------------------------------------------------------------------------------------------
# silver: machine annotation, one folder per model

#: The file of a silver folder that records the model that made its annotation.
SILVER_MODEL_FILE = "model.json"


def silver_dir_name(model: str) -> str:
    """The folder under ``annotations/silver/`` that holds a model's annotation: its name, with every
    character that is not a letter, digit or one of ``. _ + -`` replaced by ``_``."""
    return re.sub(r"[^A-Za-z0-9._+-]", "_", model)


@dataclass(frozen=True)
class SilverItem:
    """One item's machine annotation and the model that made it."""

    model: str
    version: str
    spans: list[Span]


def read_silver_model(folder: Path) -> tuple[str, str]:
    """(model, version) recorded in ``folder/model.json``; raises :class:`AnnotationError` when it is
    missing, malformed, or names a model whose folder would be another one."""
    path = folder / SILVER_MODEL_FILE
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AnnotationError([f"{path}: missing: a silver folder records its model's name and version"]) from None
    except ValueError as e:
        raise AnnotationError([f"{path}: not JSON ({e})"]) from None
    model, version = (meta.get("model"), meta.get("version")) if isinstance(meta, dict) else (None, None)
    if not isinstance(model, str) or not model or not isinstance(version, str) or not version:
        raise AnnotationError([f"{path}: expected {{\"model\": NAME, \"version\": VERSION, …}}"])
    if silver_dir_name(model) != folder.name:
        raise AnnotationError([f"{path}: model {model!r} does not match its folder {folder.name!r} "
                               f"(its annotation belongs in {silver_dir_name(model)!r})"])
    return model, version


def load_silver(root: Path, source_ids: set[str] | None = None) -> tuple[dict[str, SilverItem], list[str]]:
    """Every model's annotation under ``root`` (``annotations/silver``) by article id, and the problems
    found: unreadable files, a folder whose recorded model does not match its name, an item annotated
    by two models (which one is meant is not for the build to guess), and, when ``source_ids`` (the
    pages of the build) are given, a file for a page that is not among them. A missing ``root`` holds
    no silver annotation."""
    out: dict[str, SilverItem] = {}
    problems: list[str] = []
    if not root.is_dir():
        return out, problems
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        try:
            model, version = read_silver_model(folder)
        except AnnotationError as e:
            problems += e.problems
            continue
        items, probs = load_annotation_dir(folder, source_ids)
        problems += probs
        for aid, spans in items.items():
            if aid in out:
                problems.append(f"{folder / (aid + '.ann')}: item {aid} also has silver annotation by "
                                f"{out[aid].model!r}; keep one model's annotation per item")
                continue
            out[aid] = SilverItem(model, version, spans)
    return out, problems
