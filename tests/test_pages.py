"""The hand-annotated test pages (tests/data/pages, see its README): every item, kind, metadata field,
block role and text, and every sentence as expected; sentence-boundary F1 reported per page. Then the
same pages, and the older pages, set in other styles (other punctuation width, hard-wrapped at several
widths with indentation or with blank lines, one paragraph per line) give the same analysis."""

from __future__ import annotations

import json

import pytest

from conftest import DATA, SEED_FILE
from page_styles import STYLES, analysed, boundary_f1, differences, flip_width, render, width_free

PAGES = DATA / "pages"
NAMES = sorted(p.stem for p in PAGES.glob("*.txt"))
OLD_PAGES = [SEED_FILE, *sorted(DATA.glob("page_style*.txt"))]
#: Sentence-boundary F1 every test page must reach.
MIN_BOUNDARY_F1 = 0.99


def expected(name: str) -> list[dict]:
    return json.loads((PAGES / f"{name}.expected.json").read_text(encoding="utf-8"))["items"]


def page(name: str) -> str:
    return (PAGES / f"{name}.txt").read_text(encoding="utf-8")


def test_there_are_pages_in_several_styles():
    assert len(NAMES) >= 4
    assert all((PAGES / f"{n}.expected.json").exists() for n in NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_every_item_as_expected(name):
    diffs = differences(expected(name), analysed(page(name)))
    assert not diffs, f"{name}: " + "\n".join(diffs)


@pytest.mark.parametrize("name", NAMES)
def test_sentence_boundary_f1(name, record_property):
    f1 = boundary_f1(expected(name), analysed(page(name)))
    record_property("sentence_boundary_f1", f1)
    print(f"{name}: sentence-boundary F1 {f1:.4f}")
    assert f1 >= MIN_BOUNDARY_F1


def test_boundary_f1_counts_a_missed_boundary():
    exp = expected(NAMES[0])
    merged = json.loads(json.dumps(exp))
    block = next(b for it in merged for b in it["blocks"] if len(b["sentences"]) > 1)
    block["sentences"][:2] = ["".join(block["sentences"][:2])]
    assert boundary_f1(exp, exp) == 1.0
    assert 0.9 < boundary_f1(exp, merged) < 1.0


@pytest.mark.parametrize("name", NAMES)
def test_other_punctuation_width(name):
    text = page(name)
    other = flip_width(text)
    assert other != text
    assert not differences(width_free(expected(name)), width_free(analysed(other)))


@pytest.mark.parametrize("style, width", STYLES, ids=[f"{s}-{w}" if w else s for s, w in STYLES])
@pytest.mark.parametrize("name", NAMES)
def test_other_line_styles(name, style, width):
    exp = expected(name)
    diffs = differences(exp, analysed(render(exp, style, width)))
    assert not diffs, f"{name} as {style} {width}: " + "\n".join(diffs)


@pytest.mark.parametrize("path", OLD_PAGES, ids=lambda p: p.stem)
def test_older_pages_in_other_styles(path):
    text = path.read_text(encoding="utf-8")
    base = analysed(text)
    assert not differences(width_free(base), width_free(analysed(flip_width(text))))
    for style, width in STYLES:
        diffs = differences(base, analysed(render(base, style, width)))
        assert not diffs, f"{path.name} as {style} {width}: " + "\n".join(diffs)


@pytest.mark.parametrize("name", NAMES)
def test_pages_become_valid_records(name):
    """Every item, furniture included, becomes a validated record; sentences tile each block."""
    from gaoxin_news.corpus.pipeline import process_page

    res = process_page(name, page(name))
    arts = res.article_models()  # validated by the pydantic models
    assert [a.model_dump() for a in arts] == res.articles
    exp = expected(name)
    assert [a.kind for a in arts] == [it["kind"] for it in exp]
    assert "furniture" in {a.kind for a in arts}
    # an unannotated page: its sentences are in the articles' sentence lists, not in sentence records
    assert {a.annotation for a in arts} == {"none"} and res.sentences == []
    assert sum(len(a.sentences) for a in arts) == sum(len(b["sentences"]) for it in exp for b in it["blocks"])
