"""Exports of the NER view: CoNLL-style files (one per scheme) and brat standoff for annotation tools.
Both hold gold annotation only.

Exports are produced page by page while the build streams: :func:`page_conll` gives the text that each
page adds to each CoNLL file, :func:`write_brat_page` writes the page's brat document, and
:func:`finish_exports` writes what is written once (brat's ``annotation.conf``).

The brat export has one document per source page (``exports/brat/<source id>.txt``): the page's items
in order, separated by a blank line, so that a page is reviewed in context. (The gold annotation in
``annotations/gold/`` is anchored to single articles; brat opens that folder as well.)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gaoxin_news.corpus.annotations import format_brat
from gaoxin_news.corpus.sources import HashingWriter
from gaoxin_news.errors import GaoxinError
from gaoxin_news.schema.labels import ENTITY_TYPES, SCHEMES
from gaoxin_news.schema.spans import Span

if TYPE_CHECKING:
    from gaoxin_news.corpus.stats import BuildStats

EXPORTS = "exports"
BRAT = f"{EXPORTS}/brat"


def conll_name(scheme: str) -> str:
    """Path of a scheme's CoNLL file, relative to the corpus folder."""
    return f"{EXPORTS}/ner.conll" if scheme == "ontonotes" else f"{EXPORTS}/ner.{scheme}.conll"


#: Characters that a line-oriented reader takes for a line end (Python's str.splitlines, Unicode's
#: mandatory breaks). Every export writes "\n" only; such a character inside a sentence would end a
#: line where none is, so an export refuses it (:class:`ExportError`) rather than write it raw or
#: escape it silently.
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_CONTROL_NAMES = {"\n": "LINE FEED", "\r": "CARRIAGE RETURN", "\x0b": "LINE TABULATION", "\x0c": "FORM FEED",
                  "\x1c": "FILE SEPARATOR", "\x1d": "GROUP SEPARATOR", "\x1e": "RECORD SEPARATOR",
                  "\x85": "NEXT LINE"}

_BREAK_RE = re.compile("[" + "".join(sorted(LINE_BREAKS)) + "]")
_OTHER_BREAK_RE = re.compile("[" + "".join(sorted(LINE_BREAKS - {"\n"})) + "]")


class ExportError(GaoxinError):
    """A character that an export cannot hold: names the sentence and the character offset."""


def check_exportable(sentence_id: str, text: str) -> None:
    """Raise :class:`ExportError` if ``text`` holds a line break (see :data:`LINE_BREAKS`)."""
    if _BREAK_RE.search(text) is None:  # the usual case, decided in one pass of the regex engine
        return
    for i, c in enumerate(text):
        if c in LINE_BREAKS:
            name = _CONTROL_NAMES.get(c) or unicodedata.name(c, "a control character")
            raise ExportError(f"sentence {sentence_id}: character {i} is U+{ord(c):04X} ({name}), a line break "
                              "for CoNLL and brat readers; the exports write no line break inside a sentence "
                              "(the page's layout must treat it as a line end)")


def page_conll(sentences: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """CoNLL text of some sentence records (JSON form) for every scheme, written in one pass over the
    sentences: one character and its tag per line, separated by a TAB (a space or a TAB character is a
    token too: split each line at its last TAB), a blank line after each sentence. A scheme's tags are
    those of the record's entities mapped to it (:data:`gaoxin_news.schema.labels.SCHEMES`; dropped types
    are O). A sentence holding a line break is refused (:func:`check_exportable`)."""
    maps = [(conll_name(scheme), SCHEMES[scheme]) for scheme in SCHEMES]
    out: dict[str, list[str]] = {name: [] for name, _ in maps}
    for s in sentences:
        check_exportable(s["id"], s["text"])
        tokens, ents = s["tokens"], s["entities"]
        blocks: dict[tuple, str] = {}  # schemes that leave the same spans (none, often) share the block
        for name, mapping in maps:
            spans = tuple((e["start"], e["end"], lab) for e in ents if (lab := mapping[e["label"]]) is not None)
            block = blocks.get(spans)
            if block is None:
                block = blocks[spans] = _conll_block(tokens, spans)
            out[name].append(block)
    return {k: "".join(v) for k, v in out.items()}


def _conll_block(tokens: list[str], spans: Iterable[tuple[int, int, str]]) -> str:
    """One sentence's CoNLL lines and the blank line after them; ``spans`` in text order, not overlapping.
    Runs of O and the characters of an entity are joined at once."""
    parts: list[str] = []
    pos = 0
    for start, end, label in spans:
        if start > pos:
            parts.append("\tO\n".join(tokens[pos:start]) + "\tO")
        parts.append(f"{tokens[start]}\tB-{label}")
        if end > start + 1:
            inside = f"\tI-{label}"
            parts.append((inside + "\n").join(tokens[start + 1:end]) + inside)
        pos = end
    if pos < len(tokens):
        parts.append("\tO\n".join(tokens[pos:]) + "\tO")
    return "\n".join(parts) + "\n\n"


def page_document(articles: list[Mapping[str, Any]]) -> tuple[str, list[Span]]:
    """One page's article records (JSON form) as a single document (blank line between items) and its
    gold entities, with offsets into that document (silver annotation stays in ``annotations/silver/``)."""
    parts: list[str] = []
    ents: list[Span] = []
    pos = 0
    for a in articles:
        if a["annotation"] == "gold":
            ents += [Span(e["start"] + pos, e["end"] + pos, e["label"], e["text"]) for e in a["entities"]]
        parts.append(a["text"])
        pos += len(a["text"]) + 2
    return "\n\n".join(parts) + "\n", ents


def write_brat_page(folder: Path, source_id: str, articles: list[Mapping[str, Any]]) -> dict[str, str]:
    """``exports/brat/<source id>.txt`` and ``.ann`` for one page's article records (JSON form). Returns
    the sha256 of each file written, by path relative to ``folder``."""
    out = folder / BRAT
    out.mkdir(parents=True, exist_ok=True)
    for a in articles:  # blocks are joined by "\n" (and hold none); no other line break may stand
        text = a["text"]
        if _OTHER_BREAK_RE.search(text) is not None:
            for ref in a["sentences"]:
                check_exportable(ref["id"], text[ref["start"]:ref["end"]])
    text, ents = page_document(articles)
    digests = {}
    for suffix, content in ((".txt", text), (".ann", format_brat(ents))):
        with HashingWriter(out / f"{source_id}{suffix}") as f:
            f.write(content.encode("utf-8"))
        digests[f"{BRAT}/{source_id}{suffix}"] = f.hexdigest()
    return digests


def finish_exports(folder: Path, stats: BuildStats | None = None) -> None:
    """Write brat's ``annotation.conf`` (the entity types) beside the exported documents."""
    out = folder / BRAT
    out.mkdir(parents=True, exist_ok=True)
    conf = ["[entities]", *ENTITY_TYPES, "", "[relations]", "", "[events]", "", "[attributes]", ""]
    (out / "annotation.conf").write_text("\n".join(conf), encoding="utf-8")
