"""The corpus as plain view data: pages, items, blocks, sentences and entity runs, ready for the
templates. Pure functions over records; reading files is left to the small readers at the end.

Offsets are those of the records: Python string indices (code points) into the item text, end
exclusive. With predictions, each gold and each predicted entity of a sentence of a gold item (the
sentences ``evaluate`` scores; silver and unannotated items get no predicted layer) gets a status, from the
one classifier of :mod:`gaoxin_news.ner.classify` (the same pairing and classes as ``evaluate --errors``,
mapped onto the statuses by its ``STATUS``):

- ``correct``: paired with a span of the other layer with the same offsets and the same type;
- ``wrong-type``: paired with a span of the other layer with the same offsets and another type;
- ``wrong-span``: paired with an overlapping span of the other layer with other offsets (``wrong
  boundary`` or ``wrong type and boundary``);
- ``missed`` (gold) / ``spurious`` (predicted): paired with nothing.

Each span is paired with at most one span of the other layer (nervaluate's strict pairing), so a page's
counts are those of ``evaluate --errors`` on its sentences.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ValidationError

from gaoxin_news.corpus.sources import Page, load_page, page_files, read_manifest
from gaoxin_news.errors import InputError
from gaoxin_news.ner.classify import classify
from gaoxin_news.schema.files import ARTICLES, MANIFEST, read_jsonl
from gaoxin_news.schema.labels import ENTITY_TYPES
from gaoxin_news.schema.records import Article, Manifest, Prediction
from gaoxin_news.schema.spans import Span
from gaoxin_news.schema.validation import validation_problem

GOLD, PRED = "gold", "pred"
#: The statuses each layer can have.
LAYER_STATUSES: dict[str, tuple[str, ...]] = {
    GOLD: ("correct", "missed", "wrong-type", "wrong-span"),
    PRED: ("correct", "spurious", "wrong-type", "wrong-span"),
}


@dataclass(frozen=True)
class Mention:
    """One entity as drawn: offsets into the item text, its layer and, with predictions, its status."""

    start: int
    end: int
    label: str
    text: str
    layer: str  # GOLD or PRED
    status: str | None = None
    other: str | None = None  # what the other layer has here (wrong-type, wrong-span), e.g. "ORG 3-7"


@dataclass(frozen=True)
class Run:
    """A piece of a sentence: plain text, or the text of one mention."""

    text: str
    mention: Mention | None = None


@dataclass(frozen=True)
class SentenceView:
    id: str
    number: int  # 1-based, within the item
    start: int
    end: int
    gold: tuple[Run, ...]
    pred: tuple[Run, ...] | None  # None without predictions


@dataclass(frozen=True)
class BlockView:
    anchor: str  # unique on the page: "i03-b07" (item 03, block 7); its source spans carry "src-" + anchor
    number: int  # 1-based, within the item
    role: str
    start: int
    end: int
    source_spans: tuple[tuple[int, int], ...]
    sentences: tuple[SentenceView, ...]
    has_pred_line: bool  # with predictions: the block holds a gold or a predicted entity


@dataclass(frozen=True)
class ItemView:
    id: str
    anchor: str  # "i03"
    kind: str
    title: str | None
    annotation: str | None  # the record's annotation status, when records carry one
    blocks: tuple[BlockView, ...]
    sentences: int
    chars: int
    entities: int  # gold
    predicted: int | None  # None without predictions
    statuses: dict[str, dict[str, int]]  # layer -> status -> count; empty without predictions


@dataclass(frozen=True)
class SourceRun:
    """A piece of the source page: text between blocks (anchor None), or one source span of a block."""

    text: str
    anchor: str | None
    first: bool = False  # the block's first source span (it carries the link target)


@dataclass(frozen=True)
class PageView:
    id: str
    file: str  # path of its HTML file in the site, e.g. "pages/<id>.html"
    source_name: str  # file name of the source page
    meta: dict[str, str]  # the manifest's known facts about the page
    items: tuple[ItemView, ...]
    source: tuple[SourceRun, ...]
    types: dict[str, int]  # gold mentions per type present on the page (ENTITY_TYPES order)
    legend: tuple[str, ...]  # every type drawn on the page, gold or predicted
    entities: int
    predicted: int | None
    statuses: dict[str, dict[str, int]]


@dataclass(frozen=True)
class SiteView:
    version: str
    pages: tuple[PageView, ...]
    types: dict[str, int]  # gold mentions per type, all 18 types
    entities: int
    predicted: int | None
    statuses: dict[str, dict[str, int]]
    pred_name: str | None  # the prediction file's name, when given


# ---------------------------------------------------------------------------------------------------
# matching and runs
# ---------------------------------------------------------------------------------------------------
def _other(span: Span, status: str) -> str | None:
    """What the other layer has where a span is paired: its type (wrong-type), its type and offsets
    (wrong-span)."""
    if status == "wrong-type":
        return span.label
    return f"{span.label} {span.start}-{span.end}" if status == "wrong-span" else None


def match(gold: Sequence[Span], pred: Sequence[Span]) -> tuple[list[tuple[str, str | None]],
                                                              list[tuple[str, str | None]]]:
    """The status (and what the other layer has there) of each gold and each predicted span of one
    sentence, in their order: the status of its pair under :func:`gaoxin_news.ner.classify.classify`."""
    g_out: list[tuple[str, str | None]] = [("missed", None)] * len(gold)
    p_out: list[tuple[str, str | None]] = [("spurious", None)] * len(pred)
    for x in classify(gold, pred):
        if x.gold_index is not None:
            g_out[x.gold_index] = (x.status, _other(x.pred, x.status) if x.pred else None)
        if x.pred_index is not None:
            p_out[x.pred_index] = (x.status, _other(x.gold, x.status) if x.gold else None)
    return g_out, p_out


def runs(text: str, start: int, end: int, mentions: Sequence[Mention]) -> tuple[Run, ...]:
    """``text[start:end]`` cut into plain runs and mention runs; mentions must lie inside, in order and
    not overlap (which the records and prediction files guarantee)."""
    out: list[Run] = []
    pos = start
    for m in sorted(mentions, key=lambda m: m.start):
        if m.start < pos or m.end > end:
            raise ValueError(f"entity {m.start}-{m.end} overlaps another or lies outside {start}-{end}")
        if m.start > pos:
            out.append(Run(text[pos:m.start]))
        out.append(Run(text[m.start:m.end], m))
        pos = m.end
    if pos < end:
        out.append(Run(text[pos:end]))
    return tuple(out)


def _annotation(article: BaseModel) -> str | None:
    """The record's annotation status when its model has an ``annotation`` field, else None."""
    value = getattr(article, "annotation", None)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, BaseModel):
        status = getattr(value, "status", None)
        if isinstance(status, str):
            return status
        return ", ".join(f"{k}: {v}" for k, v in value.model_dump(mode="json").items() if v not in (None, [], {}))
    return str(value)


def _empty_statuses() -> dict[str, dict[str, int]]:
    return {layer: dict.fromkeys(sts, 0) for layer, sts in LAYER_STATUSES.items()}


def _add_statuses(total: dict[str, dict[str, int]], part: Mapping[str, Mapping[str, int]]) -> None:
    for layer, counts in part.items():
        for s, n in counts.items():
            total[layer][s] += n


def item_view(article: Article, preds: Mapping[str, Prediction] | None) -> ItemView:
    """One item: its blocks in reading order, each cut into sentences and entity runs; with ``preds``
    (sentence id -> prediction, offsets relative to the sentence) and a gold item, the predicted layer and
    statuses."""
    text = article.text
    num = article.id.rsplit("-", 1)[1]
    gold_by_sentence: dict[str, list[Span]] = {s.id: [] for s in article.sentences}
    for e in article.entities:
        sid = next(s.id for s in article.sentences if s.start <= e.start and e.end <= s.end)
        gold_by_sentence[sid].append(Span(e.start, e.end, e.label))
    statuses = _empty_statuses() if preds is not None else {}
    # only gold items are scored, as by evaluate (a silver item's entities are no reference)
    scored = getattr(article, "annotation", "gold") == "gold"
    predicted = 0
    blocks = []
    k = 0
    for bi, b in enumerate(article.blocks, 1):
        sents = []
        block_has_entity = False
        while k < len(article.sentences) and article.sentences[k].start < b.end:
            s = article.sentences[k]
            k += 1
            gold = gold_by_sentence[s.id]
            gold_m: list[Mention]
            pred_runs = None
            if preds is None or not scored:
                gold_m = [Mention(g.start, g.end, g.label, text[g.start:g.end], GOLD) for g in gold]
            else:
                pred = [Span(d.start + s.start, d.end + s.start, d.label) for d in (preds[s.id].spans() if s.id in preds else [])]
                gst, pst = match(gold, pred)
                gold_m = [Mention(g.start, g.end, g.label, text[g.start:g.end], GOLD, st, o) for g, (st, o) in zip(gold, gst)]
                pred_m = [Mention(g.start, g.end, g.label, text[g.start:g.end], PRED, st, o) for g, (st, o) in zip(pred, pst)]
                for st, _ in gst:
                    statuses[GOLD][st] += 1
                for st, _ in pst:
                    statuses[PRED][st] += 1
                predicted += len(pred)
                pred_runs = runs(text, s.start, s.end, pred_m)
                block_has_entity = block_has_entity or bool(gold or pred)
            sents.append(SentenceView(s.id, k, s.start, s.end, runs(text, s.start, s.end, gold_m), pred_runs))
        blocks.append(BlockView(f"i{num}-b{bi:02d}", bi, b.role, b.start, b.end,
                                tuple(map(tuple, b.source_spans)), tuple(sents), block_has_entity))
    return ItemView(
        id=article.id, anchor=f"i{num}", kind=article.kind, title=article.title,
        annotation=_annotation(article), blocks=tuple(blocks), sentences=len(article.sentences),
        chars=len(text), entities=len(article.entities), predicted=predicted if preds is not None else None,
        statuses=statuses,
    )


def source_runs(text: str, spans: Iterable[tuple[int, int, str]]) -> tuple[SourceRun, ...]:
    """The source page cut at the blocks' source spans (start, end, block anchor), which must not
    overlap: every character of the page appears exactly once."""
    out: list[SourceRun] = []
    pos = 0
    seen: set[str] = set()
    for a, z, anchor in sorted(spans):
        if a < pos or z > len(text) or z <= a:
            raise ValueError(f"source span {a}-{z} of block {anchor} overlaps another or lies outside the page")
        if a > pos:
            out.append(SourceRun(text[pos:a], None))
        out.append(SourceRun(text[a:z], anchor, anchor not in seen))
        seen.add(anchor)
        pos = z
    if pos < len(text):
        out.append(SourceRun(text[pos:], None))
    return tuple(out)


def _squeeze(s: str) -> str:
    return "".join(s.split())


def page_view(page: Page, articles: Sequence[Article], preds: Mapping[str, Prediction] | None) -> PageView:
    """One source page with its items; checks that each block's source spans hold the block's text
    (whitespace aside: layout rejoins the lines a page cut), so the view never points at the wrong
    characters of a changed page."""
    items = tuple(item_view(a, preds) for a in articles)
    spans = []
    for a, item in zip(articles, items):
        for b in item.blocks:
            got = "".join(page.text[x:y] for x, y in b.source_spans)
            if _squeeze(got) != _squeeze(a.text[b.start:b.end]):
                where = f"character {b.source_spans[0][0]}" if b.source_spans else "-"
                raise InputError(str(page.path), where, f"block {b.number} of {a.id} ({b.role}) does not match its "
                                 "source spans: the page differs from the one the corpus was built from")
            spans += [(x, y, b.anchor) for x, y in b.source_spans]
    types = Counter(e.label for a in articles for e in a.entities)
    drawn = set(types)
    statuses = _empty_statuses() if preds is not None else {}
    if preds is not None:
        for item in items:
            _add_statuses(statuses, item.statuses)
            for b in item.blocks:
                for s in b.sentences:
                    drawn |= {r.mention.label for r in s.pred or () if r.mention}
    meta = {} if page.meta is None else {
        k: v for k, v in page.meta.model_dump().items() if v is not None and k not in ("id", "file", "sha256")}
    return PageView(
        id=page.id, file=f"pages/{page.id}.html", source_name=page.path.name, meta=meta, items=items,
        source=source_runs(page.text, spans), types={t: types[t] for t in ENTITY_TYPES if types[t]},
        legend=tuple(t for t in ENTITY_TYPES if t in drawn), entities=sum(types.values()),
        predicted=sum(i.predicted or 0 for i in items) if preds is not None else None, statuses=statuses,
    )


def site_view(version: str, articles: Sequence[Article], pages: Mapping[str, Page],
              preds: Mapping[str, Prediction] | None = None, pred_name: str | None = None) -> SiteView:
    """The whole site: one page view per source page, in the order of the articles file."""
    by_source: dict[str, list[Article]] = {}
    for a in articles:
        by_source.setdefault(a.source_id, []).append(a)
    views = tuple(page_view(pages[sid], arts, preds) for sid, arts in by_source.items())
    types = Counter(e.label for a in articles for e in a.entities)
    statuses = _empty_statuses() if preds is not None else {}
    for v in views:
        if preds is not None:
            _add_statuses(statuses, v.statuses)
    return SiteView(
        version=version, pages=views, types={t: types[t] for t in ENTITY_TYPES},
        entities=sum(types.values()),
        predicted=sum(v.predicted or 0 for v in views) if preds is not None else None,
        statuses=statuses, pred_name=pred_name,
    )


# ---------------------------------------------------------------------------------------------------
# readers
# ---------------------------------------------------------------------------------------------------
def read_articles(corpus: Path) -> list[Article]:
    """The items of ``corpus/articles.jsonl``, validated by the record model; at least one."""
    path = corpus / ARTICLES
    if not path.is_file():
        raise InputError(str(path), "-", "missing: not a corpus folder (run 'gaoxin-news build')")
    out = [rec for _, rec in read_jsonl(path, Article, skip_blank=True)]
    if not out:
        raise InputError(str(path), "-", "no items: nothing to show")
    return out


def read_version(corpus: Path) -> str:
    path = corpus / MANIFEST
    if not path.is_file():
        raise InputError(str(path), "-", "missing: not a corpus folder (run 'gaoxin-news build')")
    try:
        return Manifest.model_validate_json(path.read_bytes()).version
    except ValidationError as e:
        raise InputError(str(path), "-", validation_problem(e)) from None


def read_sources(seeds: Path, ids: Iterable[str]) -> dict[str, Page]:
    """The source pages with these ids (as the build names them: the manifest id, else the file stem),
    checked against the seeds manifest's sha256."""
    wanted = set(ids)
    manifest = read_manifest(seeds)
    out: dict[str, Page] = {}
    for path in page_files(seeds):
        meta = manifest.get(path.name)
        pid = meta.id if meta else path.stem
        if pid in wanted:
            out[pid] = load_page(path, meta)
    missing = sorted(wanted - set(out))
    if missing:
        raise InputError(str(seeds), "-", f"no source page for {', '.join(missing)} (the corpus's items "
                                          "point into it): give the seeds folder the corpus was built from")
    return out
