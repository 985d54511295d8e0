"""Error analysis: every prediction that is not exactly right, and every gold entity nothing touched.

Spans are compared within a sentence (after mapping both sides to the scheme scored). Each predicted
span that does not equal a gold span in start, end and type is one error:

- ``wrong type``: same start and end as a gold span, another type;
- ``wrong boundary``: overlaps a gold span of its type, other offsets;
- ``wrong type and boundary``: overlaps gold spans, none with its type nor its offsets;
- ``spurious``: overlaps no gold span.

Each gold span that no predicted span overlaps is one ``missed`` error. (A gold span overlapped by a
wrong prediction is not also counted as missed: the prediction's error names it. ``missed`` is therefore
nervaluate's count of that name; the other classes together are the predictions that are not strictly
correct, which nervaluate's strict mode splits into ``incorrect`` and ``spurious`` differently: it calls
a second prediction on an already matched gold span spurious.)

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

from gaoxin_news.schema.records import ErrorRecord
from gaoxin_news.schema.spans import Span

CLASSES: tuple[str, ...] = ("missed", "spurious", "wrong type", "wrong boundary", "wrong type and boundary")


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _span(s: Span, text: str) -> dict:
    return {"start": s.start, "end": s.end, "label": s.label, "text": text[s.start:s.end]}


def sentence_errors(sid: str, text: str, gold: Sequence[Span], pred: Sequence[Span],
                    role: str | None = None) -> list[dict]:
    """The error records of one sentence, in text order (see the module docstring for the classes)."""
    gold_set = set(gold)
    out = []
    touched: set[Span] = set()
    for p in sorted(pred):
        if p in gold_set:
            touched.add(p)
            continue
        over = [g for g in sorted(gold) if _overlaps(g, p)]
        touched.update(over)
        same_span = [g for g in over if (g.start, g.end) == (p.start, p.end)]
        same_type = [g for g in over if g.label == p.label]
        if same_span:
            cls, g = "wrong type", same_span[0]
        elif same_type:
            cls, g = "wrong boundary", same_type[0]
        elif over:
            cls, g = "wrong type and boundary", over[0]
        else:
            cls, g = "spurious", None
        out.append({"sentence": sid, "role": role, "class": cls, "type": (g or p).label,
                    "gold": _span(g, text) if g else None, "pred": _span(p, text)})
    for g in gold:
        if g not in touched and not any(_overlaps(g, p) for p in pred):
            out.append({"sentence": sid, "role": role, "class": "missed", "type": g.label,
                        "gold": _span(g, text), "pred": None})
    out.sort(key=lambda e: min((s["start"], s["end"]) for s in (e["gold"], e["pred"]) if s))
    return out


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
