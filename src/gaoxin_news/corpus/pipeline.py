"""One page through every stage: layout → blocks → sentences → entities → validated records.

Pure functions over plain data; nothing here reads or writes files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from gaoxin_news.corpus.annotations import SilverItem, check_spans
from gaoxin_news.errors import AnnotationError, GaoxinError, InputError
from gaoxin_news.corpus.layout import analyse, check_accounting
from gaoxin_news.schema.records import Article, Entity, SentenceRecord
from gaoxin_news.schema.spans import Span, bio_tags
from gaoxin_news.schema.validation import validation_problem
from gaoxin_news.corpus.segment import sentence_spans


M = TypeVar("M", bound=BaseModel)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


@dataclass(frozen=True)
class PageResult:
    articles: list[Article]
    sentences: list[SentenceRecord]


def article_id(source_id: str, order: int) -> str:
    """Stable id of the ``order``-th item (1-based) of a source page."""
    return f"{source_id}-{order:02d}"


def sentence_id(aid: str, order: int) -> str:
    return f"{aid}-{order:03d}"


def process_page(
    source_id: str,
    text: str,
    gold: dict[str, list[Span]] | None = None,
    path: str | None = None,
    silver: dict[str, SilverItem] | None = None,
) -> PageResult:
    """Build the records of one page. ``gold`` maps article ids to their annotation spans, ``silver``
    to a model's annotation. An item with gold is ``gold`` (its silver, if any, is ignored), one with
    silver only ``silver``, any other ``none``; only gold and silver items have sentence records.

    Raises :class:`InputError` when the page has no recognisable item, :class:`AccountingError` when a
    source character would be dropped or duplicated, and :class:`AnnotationError` listing every gold
    span that does not match the built text and every annotated article (of ``gold``, this page's)
    that the page does not produce.
    """
    where = path or source_id
    items = analyse(text)
    if not any(_HAN.search(it.text) for it in items):
        first = next((i for i, c in enumerate(text) if not c.isspace()), 0)
        raise InputError(where, f"char {first}", "no recognisable item: the page holds no Chinese heading, "
                         "paragraph or caption")
    check_accounting(text, items, where)

    gold = gold or {}
    silver = silver or {}
    problems: list[str] = []
    articles: list[Article] = []
    sentences: list[SentenceRecord] = []
    for n, item in enumerate(items, 1):
        aid = article_id(source_id, n)
        atext = item.text
        # plain data first, validated in one go by the Article model
        blocks: list[dict] = []
        refs: list[dict] = []
        pos = 0
        for blk in item.blocks:
            blocks.append({"role": blk.role, "start": pos, "end": pos + len(blk.text), "source_spans": blk.source_spans})
            for s, e in sentence_spans(blk.text, blk.role):
                refs.append({"id": sentence_id(aid, len(refs) + 1), "start": pos + s, "end": pos + e, "role": blk.role})
            pos += len(blk.text) + 1
        bounds = [(r["start"], r["end"]) for r in refs]
        annotator = None
        if aid in gold:
            status, spans = "gold", gold[aid]
        elif aid in silver:
            status, spans = "silver", silver[aid].spans
            annotator = {"model": silver[aid].model, "version": silver[aid].version}
        else:
            status, spans = "none", []
        spans = sorted(spans)
        span_problems = check_spans(atext, spans, bounds)
        problems += span_problems
        entities = [] if span_problems else [Entity.from_span(s) for s in spans]
        art = _validated(Article, where, aid, {
            "id": aid, "source_id": source_id, "kind": item.kind, "title": item.title, "kicker": item.kicker,
            "column": item.column, "zone": item.zone, "authors": list(item.authors), "dateline": item.dateline,
            "photo_credit": item.photo_credit, "text": atext, "blocks": blocks, "sentences": refs,
            "entities": entities, "annotation": status, "annotator": annotator,
        })
        articles.append(art)
        sentences += sentence_records(art)
    built = {a.id for a in articles}
    for aid, spans in [*gold.items(), *((k, v.spans) for k, v in silver.items())]:
        if aid not in built:
            where = spans[0].where.rsplit(":", 2)[0] if spans else f"{aid}.ann"  # file:line: T<n>
            problems.append(f"{where}: annotation for article {aid}, which the build does not produce")
    if problems:
        raise AnnotationError(problems)
    return PageResult(articles, sentences)


def _validated(model: type[M], where: str, rid: str, data: dict) -> M:
    """``data`` validated by ``model``; a record that does not fit is a located one-line error."""
    try:
        return model.model_validate(data)
    except ValidationError as e:
        raise InputError(where, rid, validation_problem(e)) from None


def sentence_records(art: Article) -> list[SentenceRecord]:
    """The NER view of an article: one record per sentence, entities made sentence-relative; none for
    an item that is not annotated (its sentences would say 'no entity here', which nobody checked)."""
    out: list[SentenceRecord] = []
    if art.annotation == "none":
        return out
    ents = [e.to_span() for e in art.entities]
    for ref in art.sentences:
        stext = art.text[ref.start:ref.end]
        local = [Span(e.start - ref.start, e.end - ref.start, e.label, e.text)
                 for e in ents if ref.start <= e.start and e.end <= ref.end]
        out.append(SentenceRecord.model_validate({
            "id": ref.id, "article_id": art.id, "role": ref.role, "text": stext, "tokens": list(stext),
            "ner_tags": bio_tags(len(stext), local), "entities": [Entity.from_span(e) for e in local],
            "annotation": art.annotation, "annotator": art.annotator,
        }))
    return out


__all__ = ["GaoxinError", "PageResult", "article_id", "process_page", "sentence_records"]
