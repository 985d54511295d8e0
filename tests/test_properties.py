"""Property tests: layout and segmentation never crash on arbitrary text, sentences always tile blocks,
every non-whitespace character is accounted for, and the width-normalised copy maps each character by
itself."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from gaoxin_news.corpus import layout
from gaoxin_news.corpus.layout.chars import norm
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


# the width forms (full-width ASCII and punctuation, half-width katakana and symbols, the ideographic
# space) with other characters around them
WIDE = [chr(cp) for cp in [*range(0xFF01, 0xFFEF), 0x3000]]
NARROW = list("高新区记者,。“”…—\n \t\r") + ["\u200b", "\U0001F600"]


def _width_normalised(text: str) -> str:
    """Each character by itself: a width form as NFKC gives it (when that is one other character)."""
    out = []
    for c in text:
        n = unicodedata.normalize("NFKC", c) if "\uff01" <= c <= "\uffee" or c == "\u3000" else c
        out.append(n if len(n) == 1 else c)
    return "".join(out)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WIDE + NARROW), max_size=300).map("".join))
def test_normalised_copy_maps_each_character_by_itself(text):
    # few distinct width forms (replaced one by one) and many (translated): the same copy
    assert norm(text) == _width_normalised(text)


def test_normalised_copy_of_every_width_form():
    text = "".join(WIDE) + "高新区" + "".join(reversed(WIDE))
    assert norm(text) == _width_normalised(text) and len(norm(text)) == len(text)
    assert norm("，。") == ",。" and norm("高新区") == "高新区"
