"""Inter-annotator agreement and adjudication of two independent annotation passes.

Agreement is entity-level strict F1 (span and type must both match), per type and overall, computed
with nervaluate over the two passes before adjudication. Pass 1 is taken as the reference; strict F1 is
symmetric, so the choice only swaps precision and recall.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from nervaluate import Evaluator

from gaoxin_news.corpus.annotations import format_brat, load_annotation_dir, raise_if
from gaoxin_news.errors import InputError, shorten
from gaoxin_news.schema.labels import ENTITY_TYPES
from gaoxin_news.schema.spans import Span, nervaluate_form

DECISIONS = "adjudication.tsv"
#: The columns of the decisions file, in order.
DECISION_FIELDS = ["article_id", "start", "end", "label", "text", "pass1", "pass2", "decision", "rationale"]


@dataclass(frozen=True)
class Disagreement:
    """A span of an article that only one of the two passes has."""

    article_id: str
    span: Span
    in_pass1: bool
    in_pass2: bool


def agreement(pass1: dict[str, list[Span]], pass2: dict[str, list[Span]]) -> dict:
    """Strict F1 between two passes: {'overall': {...}, 'per_type': {type: {...}}, 'counts': {...}}."""
    ids = sorted(set(pass1) | set(pass2))
    true = [nervaluate_form(pass1.get(i, [])) for i in ids]
    pred = [nervaluate_form(pass2.get(i, [])) for i in ids]
    res = Evaluator(true, pred, tags=list(ENTITY_TYPES)).evaluate()

    def fig(r) -> dict:
        return {"precision": r.precision, "recall": r.recall, "f1": r.f1,
                "matched": r.correct, "pass1": r.possible, "pass2": r.actual}

    per_type = {t: fig(res["entities"][t]["strict"]) for t in ENTITY_TYPES if t in res["entities"]
                and (res["entities"][t]["strict"].possible or res["entities"][t]["strict"].actual)}
    return {"overall": fig(res["overall"]["strict"]), "per_type": per_type}


def disagreements(pass1: dict[str, list[Span]], pass2: dict[str, list[Span]]) -> list[Disagreement]:
    out = []
    for aid in sorted(set(pass1) | set(pass2)):
        a, b = set(pass1.get(aid, [])), set(pass2.get(aid, []))
        out += [Disagreement(aid, s, s in a, s in b) for s in sorted(a ^ b)]
    return out


def check_same_items(pass1: dict[str, list[Span]], pass2: dict[str, list[Span]], root: Path) -> None:
    """Both passes must hold the same items: an item missing from one pass is not an item without
    entities, and comparing it would count every entity of the other pass as a disagreement."""
    problems = [f"{root / name}: no annotation of item {aid}, which {other} holds"
                for name, mine, other, theirs in (("pass1", pass1, "pass2", pass2), ("pass2", pass2, "pass1", pass1))
                for aid in sorted(set(theirs) - set(mine))]
    raise_if(problems)


def read_decisions(path: Path) -> dict[tuple[str, int, int, str], tuple[str, str]]:
    """(article, start, end, label) → (decision 'accept'|'reject', rationale).

    A malformed file is an :class:`InputError` naming the file and line: not UTF-8, a missing column,
    an offset that is not a number, an unknown decision, a second decision for one span."""
    out: dict[tuple[str, int, int, str], tuple[str, str]] = {}
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise InputError(str(path), str(line), f"not UTF-8: byte 0x{data[e.start]:02x} at byte offset {e.start}") from None
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter="\t")
    missing = [f for f in DECISION_FIELDS if f not in (reader.fieldnames or [])]
    if missing:
        raise InputError(str(path), "1", f"header lacks the column(s) {', '.join(missing)}; expected "
                         f"{' '.join(DECISION_FIELDS)} separated by TABs")
    for row in reader:
        n = str(reader.line_num)
        if None in row or any(row[f] is None for f in DECISION_FIELDS):
            raise InputError(str(path), n, f"expected {len(DECISION_FIELDS)} TAB-separated fields")
        if not (_NUMBER.match(row["start"]) and _NUMBER.match(row["end"])):
            raise InputError(str(path), n, f"start and end must be numbers, not {shorten(row['start'], 40)!r} and "
                             f"{shorten(row['end'], 40)!r}")
        key = (row["article_id"], int(row["start"]), int(row["end"]), row["label"])
        if row["decision"] not in ("accept", "reject"):
            raise InputError(str(path), n, f"decision must be accept or reject, not {shorten(row['decision'], 40)!r}")
        if key in out:
            raise InputError(str(path), n, f"a second decision for {key[0]} {key[1]}-{key[2]} {key[3]}")
        out[key] = (row["decision"], row["rationale"])
    return out


_NUMBER = re.compile(r"^[0-9]+$")


def adjudicated(root: Path) -> tuple[dict[str, list[Span]], list[str]]:
    """Gold derived from ``root``/pass1, pass2 and the recorded decisions: what both passes agree on,
    plus every disagreement decided 'accept'. The second value lists undecided disagreements."""
    p1, e1 = load_annotation_dir(root / "pass1")
    p2, e2 = load_annotation_dir(root / "pass2")
    raise_if(e1 + e2)
    check_same_items(p1, p2, root)
    decisions = read_decisions(root / DECISIONS) if (root / DECISIONS).exists() else {}
    undecided = []
    gold: dict[str, list[Span]] = {}
    for aid in sorted(set(p1) | set(p2)):
        a, b = set(p1.get(aid, [])), set(p2.get(aid, []))
        keep = list(a & b)
        for s in a ^ b:
            d = decisions.get((aid, s.start, s.end, s.label))
            if d is None:
                undecided.append(f"{aid} {s.start}-{s.end} {s.label} {s.text!r}")
            elif d[0] == "accept":
                keep.append(s)
        gold[aid] = sorted(keep)
    return gold, undecided


def write_gold(gold: dict[str, list[Span]], texts: dict[str, str], folder: Path) -> None:
    """Write ``<id>.ann`` and ``<id>.txt`` for each article into the gold folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for aid, spans in gold.items():
        (folder / f"{aid}.ann").write_text(format_brat(spans), encoding="utf-8")
        if aid in texts:
            (folder / f"{aid}.txt").write_text(texts[aid], encoding="utf-8")
