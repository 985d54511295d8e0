"""Where each page stands: its items, which passes exist, their agreement, whether adjudicated, and
the annotation status each item will have in the next build."""

from __future__ import annotations

from pathlib import Path

from gaoxin_news.annotate.items import PageItems
from gaoxin_news.corpus.agreement import agreement
from gaoxin_news.corpus.annotations import load_annotation_dir, load_silver, raise_if
from gaoxin_news.errors import InputError
from gaoxin_news.schema.spans import Span


def _stage(folder: Path) -> tuple[dict[str, list[Span]], list[str]]:
    """The annotation of one stage (a pass, the gold), none while its folder has not been made yet."""
    return load_annotation_dir(folder) if folder.is_dir() else ({}, [])


def page_status(pages: list[PageItems], annotations: Path) -> list[dict]:
    """One dict per page: ``page``, ``items`` (id, status, model for silver), ``pass1``/``pass2`` (how
    many of its items each pass holds), ``agreement`` (strict F1 of the two passes over the page, when
    both hold every item), ``adjudicated`` (every item has gold). The ``annotations`` folder must exist;
    a pass or the gold whose folder is not there yet holds no item."""
    if not annotations.is_dir():
        raise InputError(str(annotations), "-", "annotation folder not found (give --annotations)")
    gold, p0 = _stage(annotations / "gold")
    p1, e1 = _stage(annotations / "pass1")
    p2, e2 = _stage(annotations / "pass2")
    silver, e3 = load_silver(annotations / "silver")
    raise_if(p0 + e1 + e2 + e3)
    out = []
    for p in pages:
        ids = [a.id for a in p.items]
        items = []
        for aid in ids:
            if aid in gold:
                items.append({"id": aid, "status": "gold", "model": None})
            elif aid in silver:
                items.append({"id": aid, "status": "silver", "model": f"{silver[aid].model} {silver[aid].version}"})
            else:
                items.append({"id": aid, "status": "none", "model": None})
        n1, n2 = sum(a in p1 for a in ids), sum(a in p2 for a in ids)
        f1 = None
        if n1 == n2 == len(ids):
            f1 = agreement({a: p1[a] for a in ids}, {a: p2[a] for a in ids})["overall"]["f1"]
        out.append({"page": p.source_id, "items": items, "pass1": n1, "pass2": n2, "total": len(ids),
                    "agreement": f1, "adjudicated": all(a in gold for a in ids)})
    return out


def format_status(rows: list[dict]) -> str:
    lines = []
    for r in rows:
        agr = "—" if r["agreement"] is None else f"{r['agreement']:.3f}"
        counts = {s: sum(1 for i in r["items"] if i["status"] == s) for s in ("gold", "silver", "none")}
        lines.append(f"{r['page']}: {r['total']} items; pass1 {r['pass1']}/{r['total']}, pass2 {r['pass2']}/{r['total']}, "
                     f"agreement (strict F1) {agr}, adjudicated {'yes' if r['adjudicated'] else 'no'}; "
                     + ", ".join(f"{s} {n}" for s, n in counts.items()))
        for i in r["items"]:
            lines.append(f"  {i['id']}  {i['status']}" + (f"  ({i['model']})" if i["model"] else ""))
    return "\n".join(lines) + "\n"
