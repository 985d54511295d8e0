"""The build makes records as plain data (their JSON form), checks each article once with the models' own
invariants and serialises with orjson. These tests hold that path to the pydantic models, the definition of
the records: the same records, the same bytes, the same refusals."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from conftest import DATA, GOLD, SEED_FILE, SEED_ID, changed
from gaoxin_news.build.exports import page_conll
from gaoxin_news.corpus.annotations import load_annotation_dir
from gaoxin_news.corpus.pipeline import process_page, serialise
from gaoxin_news.schema.labels import ENTITY_TYPES, SCHEMES, coarse_tags
from gaoxin_news.schema.records import Annotator, Article, SentenceRecord, check_article, check_sentence
from gaoxin_news.schema.spans import Span, bio_tags, check_spans, to_scheme

PAGES = sorted(p for p in (DATA / "pages").glob("*.txt"))


def _results():
    gold, problems = load_annotation_dir(GOLD, {SEED_ID})
    assert problems == []
    yield process_page(SEED_ID, SEED_FILE.read_text(encoding="utf-8"), gold)
    for path in PAGES:
        yield process_page(path.stem, path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def results():
    return list(_results())


def test_plain_records_are_the_models_records_byte_for_byte(results):
    """Every record the pipeline makes validates with its model, dumps back to itself, keys in field order,
    and orjson writes exactly the bytes of ``model_dump_json``."""
    n = 0
    for res in results:
        for model, records in ((Article, res.articles), (SentenceRecord, res.sentences)):
            for rec in records:
                m = model.model_validate(rec)
                assert m.model_dump() == rec
                assert list(rec) == list(model.model_fields)
                assert serialise(rec) == m.model_dump_json().encode("utf-8") + b"\n"
                n += 1
    assert sum(len(r.sentences) for r in results) == 95  # the gold sentences of the seed page (a hand count: see corpus/)
    assert n > 95 + 50


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1), st.text(min_size=1))
def test_serialise_writes_what_pydantic_writes_for_any_text(model, version):
    """Escaping of every character (controls, quotes, U+2028, astral planes) is pydantic's."""
    a = Annotator(model=model, version=version)
    assert serialise(a.model_dump()) == a.model_dump_json().encode("utf-8") + b"\n"


@pytest.mark.parametrize("path, value, message", [
    ("kind", "column", "unknown kind"),
    ("blocks__0__role", "lead", "unknown role"),
    ("entities__0__label", "COMPANY", "unknown label"),
    ("entities__0__text", "烟台高新X", "says"),
    ("blocks__1__start", 7, "block 1"),
    ("sentences__3__end", 20, "does not tile"),
    ("annotation", "none", "cannot hold entities"),
    ("annotator", {"model": "m", "version": "1"}, "only a silver annotation"),
    ("id", "other-01", "source id"),
])
def test_the_plain_check_refuses_what_the_model_refuses(results, path, value, message):
    art = next(a for a in results[0].articles if len(a["entities"]) > 1 and len(a["blocks"]) > 1)
    check_article(art)
    bad = changed(art, **{path: value})
    with pytest.raises(ValueError, match=message):
        check_article(bad)
    with pytest.raises(ValidationError):
        Article.model_validate(bad)


def test_the_plain_sentence_check_refuses_what_the_model_refuses(results):
    sent = next(s for s in results[0].sentences if s["entities"])
    check_sentence(sent)
    for path, value, message in (("ner_tags__0", "B-COMPANY", "unknown tags"), ("tokens__0", "X", "tokens"),
                                 ("role", "lead", "unknown role"), ("article_id", "x-01", "article id")):
        bad = changed(sent, **{path: value})
        with pytest.raises(ValueError, match=message):
            check_sentence(bad)
        with pytest.raises(ValidationError):
            SentenceRecord.model_validate(bad)


@st.composite
def tiled(draw):
    """Sentence bounds tiling a text, and spans anywhere in it."""
    cuts = sorted(draw(st.sets(st.integers(1, 59), max_size=8)))
    edges = [0, *cuts, 60]
    bounds = list(zip(edges, edges[1:]))
    spans = [Span(a, a + draw(st.integers(1, 8)), "ORG") for a in draw(st.lists(st.integers(0, 55), max_size=6))]
    return bounds, spans


@settings(max_examples=300, deadline=None)
@given(tiled())
def test_sentence_bounds_test_agrees_with_trying_every_sentence(case):
    """check_spans finds the sentence of a span by bisection; the answer is that of trying each."""
    bounds, spans = case
    for s in spans:
        crossing = not any(a <= s.start and s.end <= z for a, z in bounds)
        problems = check_spans([s], bounds=bounds)
        assert any("crosses a sentence boundary" in p for p in problems) == crossing
        shuffled = bounds[::-1]  # out of order: checked by trying each
        assert any("crosses" in p for p in check_spans([s], bounds=shuffled)) == crossing


@st.composite
def tagged(draw):
    n = draw(st.integers(1, 40))
    taken: list[Span] = []
    for _ in range(draw(st.integers(0, 6))):
        a = draw(st.integers(0, n - 1))
        b = draw(st.integers(a + 1, min(n, a + 6)))
        if all(b <= s.start or s.end <= a for s in taken):
            taken.append(Span(a, b, draw(st.sampled_from(ENTITY_TYPES))))
    return n, sorted(taken)


@settings(max_examples=300, deadline=None)
@given(tagged())
def test_mapping_tags_tag_by_tag_equals_tagging_the_mapped_spans(case):
    """The CoNLL files map each sentence's tags once per scheme; that is tagging the spans mapped to it."""
    n, spans = case
    fine = bio_tags(n, spans)
    for scheme in SCHEMES:
        table = coarse_tags(scheme)
        assert [table[t] for t in fine] == bio_tags(n, to_scheme(spans, scheme))


@settings(max_examples=300, deadline=None)
@given(tagged(), st.sampled_from(["高", "新", " ", "\t", "A"]))
def test_conll_lines_are_each_schemes_tags_of_the_mapped_spans(case, char):
    """Each CoNLL file holds, per character, the IOB2 tag of the entities mapped to its scheme (computed
    here by tagging the mapped spans, independently of how the export joins its lines)."""
    n, spans = case
    text = (char * n)[:n]
    sent = {"id": "p-01-001", "text": text, "tokens": list(text),
            "entities": [{"start": s.start, "end": s.end, "label": s.label, "text": text[s.start:s.end]} for s in spans]}
    chunks = page_conll([sent])
    assert set(chunks) == {"exports/ner.conll", "exports/ner.msra.conll", "exports/ner.ontonotes4.conll"}
    for scheme in SCHEMES:
        name = "exports/ner.conll" if scheme == "ontonotes" else f"exports/ner.{scheme}.conll"
        assert chunks[name].endswith("\n\n")
        lines = chunks[name][:-2].split("\n")
        assert [ln.rsplit("\t", 1)[0] for ln in lines] == list(text)
        assert [ln.rsplit("\t", 1)[1] for ln in lines] == bio_tags(n, to_scheme(spans, scheme))
