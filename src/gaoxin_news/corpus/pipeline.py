"""One page through every stage: layout → blocks → sentences → entities → checked records.

Pure functions over plain data; nothing here reads or writes files. The records are plain data in
their JSON form (dicts and lists, keys in the order of the fields of the pydantic models of
:mod:`gaoxin_news.schema.records`, which define them): each article is checked once by the models'
own invariants (:func:`~gaoxin_news.schema.records.check_article`), and its sentence records are
derived from it. :func:`serialise` writes a record as the models' ``model_dump_json`` would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import orjson

from gaoxin_news.corpus.annotations import SilverItem, check_spans
from gaoxin_news.corpus.layout import analyse, check_accounting
from gaoxin_news.corpus.segment import sentence_spans
from gaoxin_news.errors import AnnotationError, GaoxinError, InputError
from gaoxin_news.schema.records import Article, check_article
from gaoxin_news.schema.spans import Span, bio_tags

#: A record in its JSON form: the plain data of an :class:`Article` or a sentence record.
Record = dict[str, Any]
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


@dataclass(frozen=True)
class PageResult:
    """The records of one page, in their JSON form (see the module docstring)."""

    articles: list[Record]
    sentences: list[Record]

    def article_models(self) -> list[Article]:
        """The articles as validated :class:`Article` models."""
        return [Article.model_validate(a) for a in self.articles]


def serialise(record: Record) -> bytes:
    """One JSON line (with its final newline) of a record: compact UTF-8, keys in field order; the same
    bytes as the model's ``model_dump_json`` (the tests check it)."""
    return orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)


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
    articles: list[Record] = []
    sentences: list[Record] = []
    for n, item in enumerate(items, 1):
        aid = article_id(source_id, n)
        atext = item.text
        blocks: list[Record] = []
        refs: list[Record] = []
        pos = 0
        for blk in item.blocks:
            blocks.append({"role": blk.role, "start": pos, "end": pos + len(blk.text),
                           "source_spans": list(blk.source_spans)})
            for s, e in sentence_spans(blk.text, blk.role):
                refs.append({"id": sentence_id(aid, len(refs) + 1), "start": pos + s, "end": pos + e, "role": blk.role})
            pos += len(blk.text) + 1
        annotator = None
        if aid in gold:
            status, spans = "gold", gold[aid]
        elif aid in silver:
            status, spans = "silver", silver[aid].spans
            annotator = {"model": silver[aid].model, "version": silver[aid].version}
        else:
            status, spans = "none", []
        spans = sorted(spans)
        span_problems = check_spans(atext, spans, [(r["start"], r["end"]) for r in refs]) if spans else []
        problems += span_problems
        entities = [] if span_problems else [_entity(s, atext) for s in spans]
        art = {
            "id": aid, "source_id": source_id, "kind": item.kind, "title": item.title, "kicker": item.kicker,
            "column": item.column, "zone": item.zone, "authors": list(item.authors), "dateline": item.dateline,
            "photo_credit": item.photo_credit, "text": atext, "blocks": blocks, "sentences": refs,
            "entities": entities, "annotation": status, "annotator": annotator,
        }
        try:
            check_article(art, entities_checked=True)  # just checked, with their locations
        except ValueError as e:
            raise InputError(where, aid, str(e)) from None
        articles.append(art)
        sentences += sentence_records(art)
    built = {a["id"] for a in articles}
    for aid, spans in [*gold.items(), *((k, v.spans) for k, v in silver.items())]:
        if aid not in built:
            where = spans[0].where.rsplit(":", 2)[0] if spans else f"{aid}.ann"  # file:line: T<n>
            problems.append(f"{where}: annotation for article {aid}, which the build does not produce")
    if problems:
        raise AnnotationError(problems)
    return PageResult(articles, sentences)


def _entity(span: Span, text: str) -> Record:
    """An entity record of a checked span: the text it covers is the article's (spans without a stated
    text, from a recogniser, get it from there)."""
    return {"start": span.start, "end": span.end, "label": span.label,
            "text": text[span.start:span.end] if span.text is None else span.text}


def sentence_records(art: Record) -> list[Record]:
    """The NER view of an article record (JSON form, checked): one record per sentence, entities made
    sentence-relative, character tokens and their IOB2 tags; none for an item that is not annotated (its
    sentences would say 'no entity here', which nobody checked)."""
    out: list[Record] = []
    status = art["annotation"]
    if status == "none":
        return out
    text, aid, annotator = art["text"], art["id"], art["annotator"]
    ents = art["entities"]
    k = 0  # entities are in text order, each inside one sentence
    for ref in art["sentences"]:
        start, end = ref["start"], ref["end"]
        stext = text[start:end]
        local: list[Record] = []
        while k < len(ents) and ents[k]["end"] <= end:
            e = ents[k]
            local.append({"start": e["start"] - start, "end": e["end"] - start, "label": e["label"], "text": e["text"]})
            k += 1
        out.append({
            "id": ref["id"], "article_id": aid, "role": ref["role"], "text": stext, "tokens": list(stext),
            "ner_tags": bio_tags(len(stext), [Span(e["start"], e["end"], e["label"]) for e in local]),
            "entities": local, "annotation": status,
            "annotator": None if annotator is None else dict(annotator),
        })
    return out


__all__ = ["GaoxinError", "PageResult", "Record", "article_id", "process_page", "sentence_records", "serialise"]
