"""Sentence segmentation."""

from __future__ import annotations

import pytest

from gaoxin_news.corpus.segment import sentence_spans


def split(text: str, role: str = "paragraph") -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text, role)]


@pytest.mark.parametrize("text, expected", [
    ("甲。乙。", ["甲。", "乙。"]),
    ("他说:“好!”然后走了。", ["他说:“好!”", "然后走了。"]),
    ("真的吗?是的!", ["真的吗?", "是的!"]),
    ("半角?也算!对", ["半角?", "也算!", "对"]),
    ("开展联合攻关……此后", ["开展联合攻关……", "此后"]),
    ("增长3.74万人,达到2.1亿元;其中:一半", ["增长3.74万人,达到2.1亿元;其中:一半"]),
    ("“党建是关键力量。”东方", ["“党建是关键力量。”", "东方"]),
    ("(见图。)下文", ["(见图。)", "下文"]),
    ("‘回家’的感觉,真好!”", ["‘回家’的感觉,真好!”"]),
    ("无标点结尾", ["无标点结尾"]),
    ("什么?!好", ["什么?!", "好"]),
])
def test_sentence_ends(text, expected):
    assert split(text) == expected


def test_heading_is_one_sentence():
    assert split("标题。还是标题!", "title") == ["标题。还是标题!"]
    assert split("标题。还是标题!", "paragraph") == ["标题。", "还是标题!"]


def test_tiles_and_never_changes_characters():
    text = "第一句。 第二句?第三句"
    spans = sentence_spans(text)
    assert "".join(text[s:e] for s, e in spans) == text
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))


def test_empty():
    assert sentence_spans("") == []
