"""Gold annotation in brat standoff format, anchored to article ids, and its merge into articles.

``annotations/gold/<article id>.ann`` holds text-bound annotations (``T1<TAB>GPE 0 5<TAB>烟台高新区``)
with offsets into the article text. Every span carries its surface text, so a change of layout or
segmentation that shifts the text cannot silently move an annotation: :func:`check_spans` reports it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from gaoxin_news.errors import AnnotationError, InputError, shorten
from gaoxin_news.schema.labels import ENTITY_TYPES


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    label: str
    text: str
    where: str = ""  # file:line, for messages
    tid: str = ""


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
        spans.append(Span(s, e, label, surface, loc, tid))
    return spans, problems


def format_brat(spans: Iterable[Span | dict]) -> str:
    lines = []
    for i, s in enumerate(spans, 1):
        d = s if isinstance(s, dict) else s.__dict__
        lines.append(f"T{i}\t{d['label']} {d['start']} {d['end']}\t{d['text']}")
    return "".join(line + "\n" for line in lines)


#: An annotation file is named after its article: ``<source id>-<NN>.ann``.
ANN_NAME = re.compile(r"^(?P<source>[A-Za-z0-9_.-]+)-\d{2,}$")
_OFFSET = re.compile(r"^[0-9]+$")


def read_ann(path: Path) -> tuple[list[Span], list[str]]:
    """The spans of one ``.ann`` file and its problems; bytes that are not UTF-8 are a located problem."""
    data = path.read_bytes()
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        return [], [f"{path}:{line}: not UTF-8: byte 0x{data[e.start]:02x} at byte offset {e.start}"]
    return parse_brat(content, str(path))


def load_annotation_dir(folder: Path, source_ids: set[str] | None = None) -> tuple[dict[str, list[Span]], list[str]]:
    """All ``*.ann`` files of a folder by article id, and the problems found while reading them.

    A missing folder is an error (:class:`InputError`), never an empty annotation. A file whose name is
    not ``<article id>.ann`` is a problem, and so is, when ``source_ids`` (the pages of the build) are
    given, a file for a page that is not among them: no annotation is left out without a word.
    """
    if not folder.is_dir():
        raise InputError(str(folder), "-", "annotation folder not found (give --annotations, or "
                         "--no-annotations to build without gold entities)")
    out: dict[str, list[Span]] = {}
    problems: list[str] = []
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
    return out, problems


def check_spans(text: str, spans: list[Span], sentence_bounds: list[tuple[int, int]]) -> list[str]:
    """Every problem with ``spans`` against an article ``text``: offsets, surface text, label,
    sentence boundaries and overlaps. An empty list means the spans can be merged."""
    problems: list[str] = []
    ordered = sorted(spans, key=lambda s: (s.start, s.end))
    for s in ordered:
        head = f"{s.where}: {s.tid} {s.label} {s.start}-{s.end} {s.text!r}"
        if s.label not in ENTITY_TYPES:
            problems.append(f"{head}: unknown type {s.label!r}")
        if not (0 <= s.start < s.end <= len(text)):
            problems.append(f"{head}: offsets outside the text ({len(text)} characters)")
            continue
        if text[s.start:s.end] != s.text:
            problems.append(f"{head}: the text there is now {text[s.start:s.end]!r}")
            continue
        if not any(a <= s.start and s.end <= z for a, z in sentence_bounds):
            problems.append(f"{head}: crosses a sentence boundary")
    for a, b in zip(ordered, ordered[1:]):
        if b.start < a.end:
            problems.append(f"{b.where}: {b.tid} {b.start}-{b.end} overlaps {a.tid} {a.start}-{a.end}")
    return problems


def raise_if(problems: list[str]) -> None:
    if problems:
        raise AnnotationError(problems)
