"""Error analysis: every prediction that is not exactly right, and every gold entity no prediction is
paired with.

Spans are compared within a sentence (after mapping both sides to the scheme scored), paired and
classified by :func:`gaoxin_news.ner.classify.classify`, the one classifier (also used by ``gaoxin-news
view``): each outcome that is not ``correct`` is one error, of class ``missed``, ``spurious``, ``wrong
type``, ``wrong boundary`` or ``wrong type and boundary`` (see that module for the pairing, which is
nervaluate's strict one: ``missed`` and ``spurious`` are nervaluate's counts of those names, and the three
``wrong`` classes together its strict ``incorrect``).

An error record: ``{"sentence": id, "role": block role, "class": …, "type": …, "gold": span | null,
"pred": span | null}``; a span is ``{"start", "end", "label", "text"}``, offsets relative to the sentence.
``type`` is the gold span's label when there is one, else the prediction's.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from gaoxin_news.ner.classify import CORRECT, ERROR_CLASSES, classify
from gaoxin_news.schema.records import ErrorRecord
from gaoxin_news.schema.spans import Span

#: The error classes, in the order of the summary's columns.
CLASSES: tuple[str, ...] = ERROR_CLASSES


def _span(s: Span, text: str) -> dict:
    return {"start": s.start, "end": s.end, "label": s.label, "text": text[s.start:s.end]}


def sentence_errors(sid: str, text: str, gold: Sequence[Span], pred: Sequence[Span],
                    role: str | None = None) -> list[dict]:
    """The error records of one sentence, in text order (see the module docstring for the classes)."""
    return [{"sentence": sid, "role": role, "class": x.cls, "type": (x.gold or x.pred).label,  # type: ignore[union-attr]
             "gold": _span(x.gold, text) if x.gold else None, "pred": _span(x.pred, text) if x.pred else None}
            for x in classify(gold, pred) if x.cls != CORRECT]


def errors(sentences: Iterable[tuple[str, str, str | None]], gold: Sequence[Sequence[Span]],
           pred: Sequence[Sequence[Span]]) -> list[dict]:
    """Every error of aligned sentences, given as (id, text, role) with their gold and predicted spans."""
    out = []
    for (sid, text, role), g, p in zip(sentences, gold, pred, strict=True):
        out.extend(sentence_errors(sid, text, g, p, role))
    return out


def summary(records: Iterable[Mapping]) -> dict[str, dict[str, int]]:
    """``{type: {class: n}}`` with every class present (zeros included), types in first-seen order, and a
    ``"total"`` row."""
    by: dict[str, Counter] = {}
    for r in records:
        by.setdefault(r["type"], Counter())[r["class"]] += 1
    out = {t: {c: by[t][c] for c in CLASSES} for t in by}
    out["total"] = {c: sum(v[c] for v in out.values()) for c in CLASSES}
    return out


def format_summary(table: Mapping[str, Mapping[str, int]], order: Sequence[str] = ()) -> str:
    """Plain text: one row per type (in ``order`` first), one column per error class."""
    types = [t for t in order if t in table] + [t for t in table if t not in order and t != "total"]
    head = ["type", *CLASSES, "all"]
    width = [max(12, len(h)) for h in head]
    lines = ["errors by type and class:", "  " + " ".join(h.rjust(w) if i else h.ljust(w)
                                                        for i, (h, w) in enumerate(zip(head, width)))]
    for t in [*types, "total"]:
        row = [t, *(str(table[t][c]) for c in CLASSES), str(sum(table[t].values()))]
        lines.append("  " + " ".join(x.rjust(w) if i else x.ljust(w) for i, (x, w) in enumerate(zip(row, width))))
    return "\n".join(lines) + "\n"


def write_errors(path: Path | str, records: Iterable[Mapping]) -> Path:
    """Write the error records as JSON Lines (UTF-8), each validated by :class:`ErrorRecord` (JSON Schema:
    ``schemas/error.schema.json``), replacing ``path`` whole or not at all."""
    import jsonlines

    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(f"{path}: is a folder, not an error file")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            with jsonlines.Writer(f, dumps=lambda o: json.dumps(o, ensure_ascii=False, separators=(",", ":"))) as w:
                for r in records:
                    w.write(ErrorRecord.model_validate(r).model_dump(mode="json", by_alias=True))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
