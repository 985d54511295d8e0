"""The one span type and its one checker: identity, every invariant, IOB2 tags refusing overlaps, the
coarse mapping and the overlap resolver, on small examples worked out by hand."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gaoxin_news.schema.records import Entity, PredictedEntity, Prediction
from gaoxin_news.schema.spans import Span, bio_tags, check_spans, resolve_overlaps, to_scheme

TEXT = "烟台高新区位于山东省。今年。"  # sentences [0, 11) and [11, 14)


def test_identity_is_offsets_and_label_not_text_or_location():
    a = Span(0, 5, "GPE", "烟台高新区", "a.ann:1: T1")
    assert a == Span(0, 5, "GPE") and hash(a) == hash(Span(0, 5, "GPE"))
    assert a != Span(0, 5, "ORG") and a != Span(0, 4, "GPE")
    assert sorted([Span(7, 10, "GPE"), Span(0, 5, "ORG"), Span(0, 3, "GPE")]) == \
        [Span(0, 3, "GPE"), Span(0, 5, "ORG"), Span(7, 10, "GPE")]
    assert len({Span(1, 2, "X", "a"), Span(1, 2, "X", "b")}) == 1


def test_valid_spans_have_no_problem():
    spans = [Span(0, 5, "GPE", "烟台高新区"), Span(7, 10, "GPE", "山东省"), Span(11, 13, "DATE", "今年")]
    assert check_spans(spans, TEXT, labels={"GPE", "DATE"}, bounds=[(0, 11), (11, 14)], ordered=True) == []


@pytest.mark.parametrize("span, needle", [
    (Span(3, 3, "GPE"), "end must be greater than start"),
    (Span(-1, 2, "GPE"), "start must not be negative"),
    (Span(12, 40, "DATE"), "out of range"),
    (Span(7, 10, "GPE", "山东"), "says '山东' but the text there is now '山东省'"),
    (Span(0, 5, "CITY"), "unknown label 'CITY'"),
    (Span(9, 12, "GPE"), "crosses a sentence boundary"),
])
def test_each_invariant_is_checked(span, needle):
    problems = check_spans([span], TEXT, labels={"GPE", "DATE"}, bounds=[(0, 11), (11, 14)])
    assert len(problems) == 1 and needle in problems[0], problems


def test_without_the_text_a_stated_text_must_have_the_span_s_length():
    assert check_spans([Span(0, 2, "GPE", "abc")]) == ["GPE 0-2 'abc': the text has the wrong length"]
    assert check_spans([Span(0, 3, "GPE", "abc")]) == []


def test_overlaps_and_order():
    a, b, c = Span(0, 3, "GPE", where="f:1"), Span(2, 4, "ORG", where="f:2"), Span(5, 6, "DATE", where="f:3")
    assert check_spans([a, c]) == []
    assert check_spans([c, b, a]) == ["f:2: ORG 2-4: overlaps GPE 0-3 (f:1)"]
    assert check_spans([c, a], ordered=True) == ["f:1: GPE 0-3: out of order: comes after DATE 5-6"]
    assert check_spans([Span(0, 2, "X"), Span(2, 4, "Y")]) == []  # adjacent, end exclusive


def test_every_problem_is_listed_with_its_location():
    spans = [Span(0, 5, "GPE", "烟台高新区", "a.ann:1"), Span(7, 10, "GPE", "山东", "a.ann:2"),
             Span(12, 40, "DATE", "x", "a.ann:3")]
    problems = check_spans(spans, TEXT)
    assert [p.split(": ")[0] for p in problems] == ["a.ann:2", "a.ann:3"]


def test_the_record_models_use_the_checker():
    with pytest.raises(ValueError, match="end must be greater than start"):
        Entity(start=4, end=2, label="GPE", text="xx")
    with pytest.raises(ValueError, match="overlaps"):
        Prediction(id="s", entities=[PredictedEntity(start=0, end=3, label="GPE"),
                                     PredictedEntity(start=1, end=2, label="ORG")])
    e = Entity(start=0, end=2, label="GPE", text="烟台")
    assert e.to_span() == Span(0, 2, "GPE") and e.to_span().text == "烟台"
    assert Entity.from_span(e.to_span()) == e
    assert PredictedEntity.from_span(Span(0, 2, "PER")).model_dump() == {"start": 0, "end": 2, "label": "PER",
                                                                          "text": None}


def test_iob2_tags():
    assert bio_tags(6, [Span(3, 5, "ORG"), Span(0, 1, "PERSON")]) == ["B-PERSON", "O", "O", "B-ORG", "I-ORG", "O"]
    assert bio_tags(4, [Span(0, 2, "GPE"), Span(2, 4, "GPE")]) == ["B-GPE", "I-GPE", "B-GPE", "I-GPE"]
    assert bio_tags(0, []) == []


@pytest.mark.parametrize("spans", [
    [Span(0, 3, "GPE"), Span(2, 4, "ORG")],  # crossing
    [Span(0, 5, "GPE"), Span(1, 2, "ORG")],  # nested
    [Span(1, 3, "GPE"), Span(1, 3, "ORG")],  # same offsets, two labels
])
def test_iob2_tags_refuse_overlapping_spans(spans):
    with pytest.raises(ValueError, match="overlaps"):
        bio_tags(6, spans)


def test_iob2_tags_refuse_spans_outside_the_text():
    with pytest.raises(ValueError, match="outside"):
        bio_tags(3, [Span(2, 4, "GPE")])


def test_coarse_scheme_mapping():
    spans = [Span(0, 2, "PERSON", "张三"), Span(3, 5, "FAC"), Span(6, 8, "DATE"), Span(9, 10, "PER")]
    assert [(s.start, s.label) for s in to_scheme(spans, "msra")] == [(0, "PER"), (3, "LOC"), (9, "PER")]
    assert [(s.start, s.label) for s in to_scheme(spans, "ontonotes4")] == [(0, "PER"), (9, "PER")]
    assert to_scheme(spans, "msra")[0].text == "张三"
    with pytest.raises(ValueError, match="not a type of the ontonotes scheme"):
        to_scheme(spans, "ontonotes")


def test_overlap_resolution_longest_then_rank_then_leftmost():
    cands = [Span(0, 2, "A"), Span(1, 5, "B"), Span(4, 7, "C"), Span(6, 9, "D"), Span(10, 12, "E"),
             Span(11, 13, "F")]
    # 1-5 (4 chars) first; 4-7 and 6-9 (3) tie: 4-7 overlaps 1-5, 6-9 is kept; 10-12 beats 11-13 (leftmost)
    assert resolve_overlaps(cands) == [Span(1, 5, "B"), Span(6, 9, "D"), Span(10, 12, "E")]
    # a rank breaks ties of length before position
    assert resolve_overlaps(cands, rank=lambda s: s.label != "F") == [Span(1, 5, "B"), Span(6, 9, "D"),
                                                                      Span(11, 13, "F")]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 20), st.integers(1, 5), st.sampled_from("ABC")), max_size=12))
def test_resolved_spans_never_overlap_and_only_drop_overlapping_candidates(raw):
    cands = [Span(a, a + w, lab) for a, w, lab in raw]
    kept = resolve_overlaps(cands)
    assert check_spans(kept, ordered=True) == []
    for c in set(cands) - set(kept):
        assert any(k.start < c.end and c.start < k.end for k in kept)
