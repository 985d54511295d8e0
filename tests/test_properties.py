"""Property tests: layout and segmentation never crash on arbitrary text, sentences always tile blocks,
and every non-whitespace character is accounted for."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gaoxin_news.corpus import layout
from gaoxin_news.corpus.segment import sentence_spans

# text built from the characters that drive the rules, plus anything else
PIECES = st.sampled_from([
    "。", "!", "?", "!", "?", "…", "……", "”", "“", "’", "」", ")", ")", "(", ",", ",", ":", ":", "、",
    "——", "—", "\n", "\n\n", "\n\n\n\n", " ", "本报讯", "图片来源:", "图为", "记者", "高新区", "张三", "李四",
    "12家", "3.5亿元", "\r\n", "\t",
])
TEXT = st.lists(st.one_of(PIECES, st.text(min_size=1, max_size=6)), max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_layout_never_crashes_and_accounts_for_every_character(text):
    items = layout.analyse(text)
    layout.check_accounting(text, items)
    for it in items:
        for b in it.blocks:
            assert b.text and "\n" not in b.text
            assert b.text == "".join(text[s:e] for s, e in b.source_spans)


@settings(max_examples=300, deadline=None)
@given(TEXT, st.sampled_from(["paragraph", "caption", "title", "byline"]))
def test_sentences_tile_blocks(text, role):
    spans = sentence_spans(text, role)
    assert "".join(text[s:e] for s, e in spans) == text
    pos = 0
    for s, e in spans:
        assert s == pos and e > s
        pos = e


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_sentences_tile_every_block_of_a_page(text):
    for it in layout.analyse(text):
        for b in it.blocks:
            spans = sentence_spans(b.text, b.role)
            assert spans[0][0] == 0 and spans[-1][1] == len(b.text)
            assert all(x[1] == y[0] for x, y in zip(spans, spans[1:]))
