"""Exports of the NER view: CoNLL-style files (one per scheme) and brat standoff for annotation tools."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from .annotations import format_brat
from .labels import ENTITY_TYPES, SCHEMES, bio_tags, map_spans

if TYPE_CHECKING:
    from .build import BuildStats

EXPORTS = "exports"


def conll_name(scheme: str) -> str:
    return "ner.conll" if scheme == "ontonotes" else f"ner.{scheme}.conll"


def write_conll(folder: Path, scheme: str) -> Path:
    """One character and its tag per line, separated by a TAB; a blank line between sentences.

    Space characters are tokens too (split lines on the TAB, not on whitespace).
    """
    out = folder / EXPORTS / conll_name(scheme)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(folder / "sentences.jsonl", encoding="utf-8") as f, open(out, "w", encoding="utf-8", newline="\n") as w:
        for line in f:
            s = json.loads(line)
            tags = s["ner_tags"] if scheme == "ontonotes" else bio_tags(len(s["tokens"]), map_spans(s["entities"], scheme))
            for ch, tag in zip(s["tokens"], tags):
                w.write(f"{ch}\t{tag}\n")
            w.write("\n")
    return out


def write_brat(folder: Path) -> Path:
    """``exports/brat/<article id>.txt`` and ``.ann``, plus the ``annotation.conf`` that brat needs."""
    out = folder / EXPORTS / "brat"
    out.mkdir(parents=True, exist_ok=True)
    with open(folder / "articles.jsonl", encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            (out / f"{a['id']}.txt").write_text(a["text"], encoding="utf-8")
            (out / f"{a['id']}.ann").write_text(format_brat(a["entities"]), encoding="utf-8")
    conf = ["[entities]", *ENTITY_TYPES, "", "[relations]", "", "[events]", "", "[attributes]", ""]
    (out / "annotation.conf").write_text("\n".join(conf), encoding="utf-8")
    return out


def write_exports(folder: Path, stats: BuildStats | None = None) -> None:
    for scheme in SCHEMES:
        write_conll(folder, scheme)
    write_brat(folder)
