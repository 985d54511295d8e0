"""Label Studio round trip for the two annotation passes.

* :func:`label_config`: the labeling config (XML): one ``<Labels>`` with the 18 OntoNotes types, each
  with a colour and a hotkey, over a ``<Text>`` with character granularity.
* :func:`export_tasks`: one task per item (``data``: the text, the item and page ids, the kind, the
  title, the text's sha256), and optionally the item's silver annotation as a prediction with its
  ``model_version``.
* :func:`read_export` and :func:`write_pass`: a Label Studio JSON export back into one pass's brat files
  (``annotations/pass1`` or ``pass2``), every task checked against the current item (same text, spans
  inside it with their surface text, known labels, no relation, choice or overlapping span), and every
  page covered whole; the annotator, the dates and the model whose predictions were shown go to the
  pass's ``provenance.tsv``.

Label Studio counts offsets in UTF-16 code units (JavaScript string indices); the corpus counts code
points. They differ after a character outside the Basic Multilingual Plane (a rare CJK extension
character, say), and are converted both ways.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import quoteattr

from gaoxin_news.annotate.items import PageItems
from gaoxin_news.corpus.annotations import SilverItem, format_brat
from gaoxin_news.errors import GaoxinError, ImportProblems
from gaoxin_news.schema.labels import ENTITY_TYPES
from gaoxin_news.schema.records import Article
from gaoxin_news.schema.spans import Span, check_spans

FROM_NAME = "label"
TO_NAME = "text"
PASSES = ("pass1", "pass2")
PROVENANCE = "provenance.tsv"
PROVENANCE_FIELDS = ["item_id", "annotator", "annotated_at", "imported_at", "export", "task_id", "annotation_id",
                     "suggestions"]

#: One colour per type, in ENTITY_TYPES order (distinct hues; names in the same family close).
COLOURS = (
    "#e6194b", "#f58231", "#911eb4", "#4363d8", "#3cb44b", "#008080", "#f032e6", "#9a6324", "#800000",
    "#000075", "#808000", "#42d4f4", "#469990", "#bfef45", "#fabed4", "#ffd8b1", "#dcbeff", "#a9a9a9",
)
#: One hotkey per type, in ENTITY_TYPES order.
HOTKEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "q", "w", "e", "r", "t", "y", "o", "p")
assert len(COLOURS) == len(HOTKEYS) == len(ENTITY_TYPES) == len(set(COLOURS)) == len(set(HOTKEYS))


def label_config() -> str:
    """The Label Studio labeling config of the corpus."""
    labels = "\n".join(
        f"    <Label value={quoteattr(t)} background={quoteattr(c)} hotkey={quoteattr(k)}/>"
        for t, c, k in zip(ENTITY_TYPES, COLOURS, HOTKEYS)
    )
    return (
        "<View>\n"
        '  <Header value="$item_id"/>\n'
        f'  <Labels name="{FROM_NAME}" toName="{TO_NAME}" showInline="true">\n'
        f"{labels}\n"
        "  </Labels>\n"
        f'  <Text name="{TO_NAME}" value="$text" granularity="symbol"/>\n'
        "</View>\n"
    )


# ---------------------------------------------------------------------------------------------------
# offsets: code points <-> UTF-16 code units


def to_js(text: str, i: int) -> int:
    """The UTF-16 index of code point index ``i`` of ``text``."""
    return i + sum(1 for c in text[:i] if ord(c) > 0xFFFF)


def from_js(text: str, j: int) -> int | None:
    """The code point index of UTF-16 index ``j`` of ``text`` (None inside a surrogate pair or out of range)."""
    u = 0
    for i, c in enumerate(text):
        if u == j:
            return i
        u += 2 if ord(c) > 0xFFFF else 1
        if u > j:
            return None
    return len(text) if u == j else None


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------------------------------------
# export


def _result(item: Article, rid: str, start: int, end: int, label: str) -> dict:
    return {
        "id": rid, "from_name": FROM_NAME, "to_name": TO_NAME, "type": "labels",
        "value": {"start": to_js(item.text, start), "end": to_js(item.text, end), "text": item.text[start:end],
                  "labels": [label]},
    }


def export_tasks(items: list[Article], silver: dict[str, SilverItem] | None = None) -> list[dict]:
    """One Label Studio task per item; with ``silver``, an item's silver spans as a prediction."""
    tasks = []
    for a in items:
        task: dict = {"data": {
            "text": a.text, "item_id": a.id, "source_id": a.source_id, "kind": a.kind, "title": a.title or "",
            "text_sha256": text_sha256(a.text),
        }}
        s = (silver or {}).get(a.id)
        if s is not None:
            task["predictions"] = [{
                "model_version": f"{s.model} {s.version}",
                "result": [_result(a, f"{a.id}-{k}", sp.start, sp.end, sp.label)
                           for k, sp in enumerate(sorted(s.spans, key=lambda x: (x.start, x.end)), 1)],
            }]
        tasks.append(task)
    return tasks


# ---------------------------------------------------------------------------------------------------
# import


@dataclass(frozen=True)
class ImportedItem:
    item_id: str
    spans: list[Span]  # code point offsets into the item text, with the covered text
    annotator: str
    annotated_at: str
    task_id: str
    annotation_id: str
    suggestions: str = ""  # model_version of the prediction the annotator started from, if any


def _who(completed_by: object, users: dict) -> str:
    """An annotation's annotator as the export names it: Label Studio's JSON export gives the user id
    (``completed_by``); an export that gives the user object is named by its email."""
    if isinstance(completed_by, dict):
        return str(completed_by.get("email") or completed_by.get("id"))
    return str(users.get(completed_by, completed_by))


def read_export(path: Path, items: dict[str, Article], annotator: str | None = None) -> list[ImportedItem]:
    """The annotations of a Label Studio JSON export, checked against the current ``items``.

    Every problem is collected and raised at once (:class:`ImportProblems`), each located by the
    export file, the task id and the item id: a task that is not an item of the current build (an
    export of another project), a task whose text differs from its item's current text, a task with
    several annotators and no ``annotator`` chosen (or none by the one chosen), a result that is not
    an entity span (relation, choice, text area, …), an unknown label, offsets that do not fit the
    text, a span across a sentence boundary, overlapping spans.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as e:
        raise GaoxinError(f"{path}: not a Label Studio JSON export: {e}") from None
    if not isinstance(data, list):
        raise GaoxinError(f"{path}: not a Label Studio JSON export (expected a list of tasks)")
    problems: list[str] = []
    out: list[ImportedItem] = []
    for n, task in enumerate(data):
        tid = str(task.get("id", f"#{n}")) if isinstance(task, dict) else f"#{n}"
        where = f"{path}: task {tid}"
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            problems.append(f"{where}: not a task (no 'data')")
            continue
        aid = task["data"].get("item_id")
        if not isinstance(aid, str):
            problems.append(f"{where}: no item_id in its data: not a task exported by gaoxin-news "
                            "(an export of another project?)")
            continue
        where = f"{path}: task {tid} (item {aid})"
        item = items.get(aid)
        if item is None:
            problems.append(f"{where}: no item {aid} in the current build (an export of another project, "
                            "or a page removed since the export?)")
            continue
        text = task["data"].get("text")
        if text != item.text:
            at = next((i for i, (x, y) in enumerate(zip(text or "", item.text)) if x != y),
                      min(len(text or ""), len(item.text)))
            problems.append(f"{where}: the task's text differs from the current text of item {aid} "
                            f"(from character {at} on): the page changed since the export; export the "
                            "tasks again and redo this item")
            continue
        anns = [a for a in task.get("annotations") or [] if isinstance(a, dict) and not a.get("was_cancelled")]
        who = {id(a): _who(a.get("completed_by"), {}) for a in anns}
        if annotator is not None:
            anns = [a for a in anns if who[id(a)] == annotator
                    or (isinstance(a.get("completed_by"), dict) and str(a["completed_by"].get("id")) == annotator)]
        if not anns:
            continue  # reported as a missing item of its page
        if len(anns) > 1:
            names = sorted({who[id(a)] for a in anns})
            problems.append(f"{where}: {len(anns)} annotations ({', '.join(names)}): choose one annotator "
                            "with --annotator (a pass is one annotator's work)")
            continue
        ann = anns[0]
        aw = f"{where}, annotation {ann.get('id')}"
        spans = []
        for r in ann.get("result") or []:
            rw = f"{aw}, result {r.get('id')}" if isinstance(r, dict) else aw
            if not isinstance(r, dict):
                problems.append(f"{rw}: not a result object")
                continue
            kind = r.get("type")
            if kind != "labels":
                what = {"relation": "a relation", "choices": "a choice", "textarea": "a text area"}.get(
                    str(kind), f"a {kind!r} result")
                problems.append(f"{rw}: {what}: only entity spans are annotated (no relations, choices or notes)")
                continue
            if r.get("from_name") != FROM_NAME or r.get("to_name") != TO_NAME:
                problems.append(f"{rw}: from {r.get('from_name')!r} to {r.get('to_name')!r}: "
                                f"not the labeling config of gaoxin-news ({FROM_NAME!r} → {TO_NAME!r})")
                continue
            v = r.get("value") or {}
            labels = v.get("labels") or []
            if len(labels) != 1:
                problems.append(f"{rw}: {len(labels)} labels on one span; exactly one is expected")
                continue
            label = labels[0]
            if label not in ENTITY_TYPES:
                problems.append(f"{rw}: unknown label {label!r} (the labels are the 18 OntoNotes types)")
                continue
            js, je = v.get("start"), v.get("end")
            s = from_js(item.text, js) if isinstance(js, int) else None
            e = from_js(item.text, je) if isinstance(je, int) else None
            if s is None or e is None or not s < e:
                problems.append(f"{rw}: {label} offsets {js}-{je} do not fit the item text "
                                f"({len(item.text)} characters)")
                continue
            if v.get("text") is not None and v["text"] != item.text[s:e]:
                problems.append(f"{rw}: {label} {s}-{e} says {v['text']!r} but the item text has "
                                f"{item.text[s:e]!r}")
                continue
            spans.append(Span(s, e, label, item.text[s:e], rw))
        spans = sorted(set(spans))  # the same span twice is one span
        problems += check_spans(spans, item.text, labels=ENTITY_TYPES,
                                bounds=[(r.start, r.end) for r in item.sentences])
        pred = ann.get("prediction") if isinstance(ann.get("prediction"), dict) else {}
        out.append(ImportedItem(aid, spans, who[id(ann)], str(ann.get("updated_at") or ann.get("created_at") or ""),
                                tid, str(ann.get("id", "")), str(pred.get("model_version") or "")))
    if problems:
        raise ImportProblems(problems)
    seen = [i.item_id for i in out]
    dups = sorted({a for a in seen if seen.count(a) > 1})
    if dups:
        raise ImportProblems([f"{path}: item {a} is annotated in more than one task" for a in dups])
    return out


def check_pages_complete(path: Path, imported: list[ImportedItem], pages: list[PageItems]) -> None:
    """A pass covers whole pages: every item of a page the export touches must have its annotation."""
    got = {i.item_id for i in imported}
    problems = []
    for p in pages:
        ids = [a.id for a in p.items]
        if got & set(ids):
            missing = [a for a in ids if a not in got]
            if missing:
                problems.append(f"{path}: page {p.source_id}: no annotation for item{'s' if len(missing) > 1 else ''} "
                                f"{', '.join(missing)}: a pass covers whole pages (annotate them, or export "
                                "with --annotator naming who did)")
    if not got:
        problems.append(f"{path}: no annotated task (for this annotator)")
    if problems:
        raise ImportProblems(problems)


def write_pass(imported: list[ImportedItem], items: dict[str, Article], folder: Path, export: str,
               imported_at: str, force: bool = False) -> list[Path]:
    """Write the pass files (``<item>.ann`` and ``<item>.txt``) and update ``provenance.tsv``.

    An existing pass file is never overwritten without ``force`` (nothing is written then). Each file is
    written to a temporary file and moved into place."""
    existing = [folder / f"{i.item_id}.ann" for i in imported if (folder / f"{i.item_id}.ann").exists()]
    if existing and not force:
        raise GaoxinError(f"{existing[0]}: exists ({len(existing)} pass file(s) of these items): "
                          "pass --force to replace them")
    folder.mkdir(parents=True, exist_ok=True)
    rows: dict[str, dict] = {}
    prov = folder / PROVENANCE
    if prov.exists():
        with open(prov, encoding="utf-8", newline="") as f:
            rows = {r["item_id"]: r for r in csv.DictReader(f, delimiter="\t")}
    for i in imported:
        rows[i.item_id] = {"item_id": i.item_id, "annotator": i.annotator, "annotated_at": i.annotated_at,
                           "imported_at": imported_at, "export": export, "task_id": i.task_id,
                           "annotation_id": i.annotation_id, "suggestions": i.suggestions}
    buf = io.StringIO()
    w = csv.DictWriter(buf, PROVENANCE_FIELDS, delimiter="\t", lineterminator="\n")
    w.writeheader()
    for k in sorted(rows):
        w.writerow({f: rows[k].get(f, "") for f in PROVENANCE_FIELDS})
    files = {prov: buf.getvalue()}
    for i in imported:
        files[folder / f"{i.item_id}.ann"] = format_brat(i.spans)
        files[folder / f"{i.item_id}.txt"] = items[i.item_id].text
    staged = []
    try:
        for dst, content in files.items():
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
                f.write(content)
            staged.append((tmp, dst))
        for tmp, dst in staged:
            os.replace(tmp, dst)
    finally:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return sorted(files)
